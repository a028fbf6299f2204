/**
 * The complaint (投诉), on paper: received (acknowledge within a working day; the statutory 15-day
 * decision period starts) → acknowledged → investigating → proposed (the customer answers; a rejection
 * goes back to investigating while the statutory clock runs on; up to two extensions move it) →
 * resolved (survey sent; the follow-up clock is its answer window) → closed by the score, or as
 * unanswered when the window ends. The decision clock is met when a proposal's notice is delivered;
 * within the review window the complainant may dispute it (复核: under_review → a manager's review
 * decision → resolved). Complaints forwarded by the regulator start escalated.
 */
import { condition, continueAsNew } from '@temporalio/workflow';
import { COMPLAINT_CLOCKS } from '../../domain/complaint';
import type { Clock } from '../../domain/clock';
import { historyTooLong, serveView, settleRun } from '../shared/case-run';
import { caseActivities } from '../shared/activities';
import { ClockKeeper } from '../shared/clocks';
import { Journal, nowIso } from '../shared/journal';
import { surveyActivities } from '../shared/surveys';
import { type ComplaintContext, moveTo } from './context';
import { complaintOpened, getComplaint, type ComplaintInput, type ComplaintView } from './contract';
import { decisionRecomputePolicy } from './extension';
import { registerComplaintHandlers } from './handlers';
import { complaintSnapshot, isComplaintFinished, newComplaintState, type ComplaintResume } from './state';

export async function complaintWorkflow(input: ComplaintInput, resume?: ComplaintResume): Promise<ComplaintView> {
  const state = resume?.state ?? newComplaintState(input);
  const journal = new Journal(() => complaintSnapshot(state.view), caseActivities, state.seq);
  const clocks: ClockKeeper = new ClockKeeper(state.view, journal, caseActivities, {
    onDue: (clock) => closeUnanswered(ctx, clock),
    recomputeWith: (clock) => decisionRecomputePolicy(ctx, clock.policy),
  });
  const ctx: ComplaintContext = { state, journal, clocks };

  serveView(state, getComplaint, complaintOpened);
  registerComplaintHandlers(ctx);

  if (resume) clocks.resume();
  else await open(ctx, input);

  // A closed complaint whose review result has not reached the complainant yet waits for the receipt:
  // until then complaint.reviewDecision runs (and breaches if the notice never goes out).
  const done = () => isComplaintFinished(state.view) && !clocks.isOpen(COMPLAINT_CLOCKS.reviewDecision);
  await condition(() => done() || historyTooLong());
  await settleRun(state, journal, () => recordUnansweredSurvey(ctx));
  if (!done()) {
    return continueAsNew<typeof complaintWorkflow>(input, { state });
  }
  return state.view;
}

async function open(ctx: ComplaintContext, input: ComplaintInput): Promise<void> {
  const { state, journal, clocks } = ctx;
  const { view } = state;
  journal.record(input.openedBy.id, 'case.opened', {
    type: 'complaint',
    channel: view.channel,
    category: view.category,
    team: view.team,
  });
  const [, decision] = await clocks.start([COMPLAINT_CLOCKS.acknowledge, COMPLAINT_CLOCKS.decision], view.receivedAt);
  view.decisionDueAt = decision?.dueAt ?? null;
  if (view.escalationLevel > 0) {
    // 监管转办: the regulator is already watching; the supervisor owns the case from the first minute.
    journal.record('system', 'case.escalated', { from: 0, to: view.escalationLevel, reason: 'regulator_channel' });
    journal.notify('regulatorChannel', {
      channel: 'internal',
      template: 'complaint.regulator',
      recipient: { kind: 'role', role: 'supervisor', team: view.team },
      params: { caseId: view.id, category: view.category, decisionDueAt: view.decisionDueAt },
    });
  }
  view.updatedAt = nowIso();
  await journal.flush();
  state.opened = true;
}

/**
 * The follow-up clock reached its due instant without a score: the case closes as unanswered and the
 * clock counts as met (the department followed up; the customer chose not to answer), not breached.
 */
function closeUnanswered(ctx: ComplaintContext, clock: Clock): void {
  const { view } = ctx.state;
  if (clock.policy !== COMPLAINT_CLOCKS.followUp || view.status !== 'resolved') return;
  ctx.clocks.meetClock(clock.id);
  view.satisfaction = { outcome: 'unanswered', at: nowIso() };
  ctx.journal.record('system', 'survey.unanswered', { clock: clock.id });
  moveTo(ctx, 'closed', 'system', { satisfaction: 'unanswered' });
  view.updatedAt = nowIso();
}

async function recordUnansweredSurvey({ state }: ComplaintContext): Promise<void> {
  const { view, survey } = state;
  if (view.satisfaction?.outcome !== 'unanswered' || !survey || state.surveyRecorded) return;
  await surveyActivities.recordSurvey({ kind: 'unanswered', survey, at: view.satisfaction.at });
  state.surveyRecorded = true;
}
