/**
 * The trainee's sessions and exams, recorded by a supervisor or HR. Each validator is synchronous and
 * asks the domain's table; each handler changes the status before its first await. A pass ends the
 * record; a first fail opens the retake (training.retake); a fail of the retake flags it to HR.
 */
import { setHandler } from '@temporalio/workflow';
import type { Actor } from '../../domain/case';
import {
  examOutcome,
  scoreProblem,
  TRAINING_CLOCKS,
  TRAINING_EXAM_KINDS,
  trainingActionAllowed,
  type TrainingAction,
} from '../../domain/training';
import { registerCaseHandlers } from '../shared/case-handlers';
import { REFUSAL } from '../shared/contract';
import { nowIso } from '../shared/journal';
import { refuse, requireStatus } from '../shared/refuse';
import { moveTo, type TrainingContext, touched } from './context';
import * as training from './contract';

/** Supervisors and above, and HR (which keeps staff records), record training; agents do not. */
const RECORDERS: readonly Actor['role'][] = ['supervisor', 'manager', 'admin', 'hr'];

export function registerTrainingHandlers(ctx: TrainingContext): void {
  const { state, journal, clocks } = ctx;
  const view = state.view;
  const allow = (action: TrainingAction) =>
    requireStatus(trainingActionAllowed(view.status, action), view.status, action);
  const mayRecord = (actor: Actor) => {
    if (!RECORDERS.includes(actor.role)) refuse(REFUSAL.forbidden, 'training is recorded by a supervisor or HR');
  };

  setHandler(
    training.recordAttendance,
    async ({ actor, topic, attendedAt, hours }) => {
      const n = view.sessions.length + 1;
      const session = { n, topic: topic ?? null, attendedAt, hours: hours ?? null, by: actor.id, at: nowIso() };
      view.sessions.push(session);
      if (view.status === 'assigned') moveTo(ctx, 'attended', actor.id, { session: n });
      else journal.record(actor.id, 'training.session', { session: n, topic: session.topic });
      return touched(ctx);
    },
    {
      validator: ({ actor, attendedAt, hours }) => {
        mayRecord(actor);
        allow('attendance');
        const at = Date.parse(attendedAt);
        if (Number.isNaN(at)) refuse(REFUSAL.invalidInput, 'attendedAt is not an instant');
        // A session is recorded after it took place; a minute's grace for the recorder's clock.
        if (at > Date.now() + 60_000) refuse(REFUSAL.invalidInput, 'attendedAt must not be in the future');
        if (hours !== undefined && !(hours > 0 && hours <= 24)) refuse(REFUSAL.invalidInput, 'hours is 0..24');
      },
    },
  );

  setHandler(
    training.recordExam,
    async ({ actor, kind, score }) => {
      const outcome = examOutcome(view.status, score, view.passMark);
      if (!outcome) throw new Error('validated exam has no outcome');
      const retake = view.status === 'retake';
      const n = view.exams.length + 1;
      view.exams.push({ n, kind, score, passed: outcome.to === 'passed', retake, by: actor.id, at: nowIso() });
      const detail = { exam: n, kind, score, passMark: view.passMark };
      if (outcome.to === 'passed') {
        view.passedAt = nowIso();
        moveTo(ctx, 'passed', actor.id, detail);
        for (const clock of view.clocks) clocks.meet(clock.policy, actor.id);
        return touched(ctx);
      }
      if (outcome.to === 'flagged') return flag(ctx, actor.id, score, detail);
      moveTo(ctx, 'failed', actor.id, detail);
      view.retakes += 1;
      moveTo(ctx, 'retake', 'system', { retake: view.retakes });
      const [clock] = await clocks.start([TRAINING_CLOCKS.retake]);
      journal.notify(`retake:${view.retakes}`, {
        channel: 'internal',
        template: 'training.retake',
        recipient: { kind: 'staff', staffId: view.staffId },
        params: { caseId: view.id, title: view.title, score, passMark: view.passMark, dueAt: clock?.dueAt ?? null },
      });
      return touched(ctx);
    },
    {
      validator: ({ actor, kind, score }) => {
        mayRecord(actor);
        allow('exam');
        if (!TRAINING_EXAM_KINDS.includes(kind)) refuse(REFUSAL.invalidInput, `unknown exam kind ${kind}`);
        const problem = scoreProblem(score);
        if (problem) refuse(REFUSAL.invalidInput, problem);
      },
    },
  );

  registerCaseHandlers({
    view,
    journal,
    clocks,
    // The trainee is the record: it is never reassigned. Notes are open in every status.
    allow: (action) => {
      if (action === 'assign') refuse(REFUSAL.invalidState, 'a training record is not reassigned');
    },
    touched: () => touched(ctx),
  });
}

/**
 * The retake failed too: the record ends flagged and HR is told (相应处理). The retake was taken, so
 * its clock is met; a completion clock still running is cancelled (a breach stays a breach).
 */
async function flag(
  ctx: TrainingContext,
  actor: string,
  score: number,
  detail: Record<string, unknown>,
): Promise<training.TrainingView> {
  const { state, journal, clocks } = ctx;
  const view = state.view;
  clocks.meet(TRAINING_CLOCKS.retake, actor);
  clocks.cancelAll(actor);
  view.flagged = { at: nowIso(), score };
  moveTo(ctx, 'flagged', actor, detail);
  journal.record('system', 'training.flagged', {
    staffId: view.staffId,
    planId: view.planId,
    score,
    passMark: view.passMark,
    to: 'hr',
  });
  journal.notify('flagged', {
    channel: 'internal',
    template: 'training.flagged',
    recipient: { kind: 'role', role: 'hr' },
    params: { caseId: view.id, staffId: view.staffId, title: view.title, score, passMark: view.passMark },
  });
  return touched(ctx);
}
