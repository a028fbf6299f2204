/**
 * A training record (培训记录), on paper: one person is assigned a plan (assigned; an onboarding runs
 * training.onboarding from the hire, a periodic round training.periodic) → attends a session
 * (attended) → takes the exam (theory, practical or satisfaction-based) against the plan's pass mark:
 * passed ends it; a fail opens the retake (failed → retake; training.retake, 14 days) → the retake
 * passed ends it, failed again is flagged to HR for handling (flagged). Every clock warns and
 * escalates like a case's (the trainee's supervisor, then the manager).
 */
import { condition, continueAsNew } from '@temporalio/workflow';
import { completionClockOf } from '../../domain/training';
import { historyTooLong, serveView, settleRun } from '../shared/case-run';
import { caseActivities } from '../shared/activities';
import { ClockKeeper } from '../shared/clocks';
import { Journal } from '../shared/journal';
import { type TrainingContext, touched } from './context';
import { getTraining, trainingOpened, type TrainingInput, type TrainingView } from './contract';
import { registerTrainingHandlers } from './handlers';
import { isFinished, newTrainingState, trainingSnapshot, type TrainingResume } from './state';

export async function trainingWorkflow(input: TrainingInput, resume?: TrainingResume): Promise<TrainingView> {
  const state = resume?.state ?? newTrainingState(input);
  const journal = new Journal(() => trainingSnapshot(state.view), caseActivities, state.seq);
  const clocks = new ClockKeeper(state.view, journal, caseActivities);
  const ctx: TrainingContext = { state, journal, clocks };

  serveView(state, getTraining, trainingOpened);
  registerTrainingHandlers(ctx);

  if (resume) clocks.resume();
  else await open(ctx, input);

  await condition(() => isFinished(state.view) || historyTooLong());
  await settleRun(state, journal);
  if (!isFinished(state.view)) return continueAsNew<typeof trainingWorkflow>(input, { state });
  return state.view;
}

async function open(ctx: TrainingContext, input: TrainingInput): Promise<void> {
  const { state, journal, clocks } = ctx;
  const { view } = state;
  journal.record(input.assignedBy.id, 'case.opened', {
    type: 'training',
    kind: view.kind,
    planId: view.planId,
    staffId: view.staffId,
    team: view.team,
    reason: view.reason,
    assessmentId: view.assessmentId,
  });
  const policy = completionClockOf(view.kind);
  if (policy) await clocks.start([policy], input.clockStartsAt);
  journal.notify('assigned', {
    channel: 'internal',
    template: 'training.assigned',
    recipient: { kind: 'staff', staffId: view.staffId },
    params: { caseId: view.id, title: view.title, passMark: view.passMark, kind: view.kind },
  });
  await touched(ctx);
  state.opened = true;
}
