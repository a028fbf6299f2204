/**
 * The month's steps, each by its own person: the agent's self-assessment, the supervisor's score, HR's
 * publication, the agent's appeal inside the window, HR's answer. Each validator is synchronous and
 * asks the domain's table; each handler changes the status before its first await.
 */
import { setHandler } from '@temporalio/workflow';
import {
  ASSESSMENT_CLOCKS,
  ASSESSMENT_COMPONENTS,
  assessmentActionAllowed,
  type AssessmentAction,
  type ComponentScores,
} from '../../domain/assessment';
import type { Actor } from '../../domain/case';
import { registerCaseHandlers } from '../shared/case-handlers';
import { REFUSAL } from '../shared/contract';
import { nowIso } from '../shared/journal';
import { refuse, requireStatus } from '../shared/refuse';
import { assessmentReads } from './activities';
import { type AssessmentContext, moveTo, touched } from './context';
import * as assessment from './contract';
import { scoreMonth } from './scoring';

export function registerAssessmentHandlers(ctx: AssessmentContext): void {
  const { state, journal, clocks } = ctx;
  const view = state.view;
  const allow = (action: AssessmentAction) =>
    requireStatus(assessmentActionAllowed(view.status, action), view.status, action);
  const theAgent = (actor: Actor, what: string) => {
    if (actor.id !== view.staffId) refuse(REFUSAL.forbidden, `${what} is the assessed agent's own`);
  };
  const hr = (actor: Actor, what: string) => {
    if (actor.role !== 'hr') refuse(REFUSAL.forbidden, `${what} is HR's`);
  };

  setHandler(
    assessment.submitSelfAssessment,
    async ({ actor, summary, strengths, improvements }) => {
      view.self = {
        summary,
        strengths: strengths ?? null,
        improvements: improvements ?? null,
        by: actor.id,
        at: nowIso(),
      };
      moveTo(ctx, 'self_assessed', actor.id);
      clocks.meet(ASSESSMENT_CLOCKS.self, actor.id);
      return touched(ctx);
    },
    {
      validator: ({ actor, summary }) => {
        theAgent(actor, 'the self-assessment');
        allow('self');
        if (!summary.trim()) refuse(REFUSAL.invalidInput, 'a self-assessment needs a summary');
      },
    },
  );

  setHandler(
    assessment.scoreAssessment,
    async ({ actor, attendance, initiative, teamwork, comment }) => {
      view.attendance = attendance;
      view.supervisorScore = { attendance, initiative, teamwork, comment, by: actor.id, at: nowIso() };
      moveTo(ctx, 'scored', actor.id, { initiative, teamwork });
      clocks.meet(ASSESSMENT_CLOCKS.supervisor, actor.id);
      // The self-assessment closes with the score: one not given by now stays not given (a breach stays one).
      clocks.cancel(ASSESSMENT_CLOCKS.self, actor.id);
      state.scoring = await assessmentReads.assessmentScoring();
      scoreMonth(view, state.scoring);
      journal.record('system', 'assessment.scored', {
        total: view.total,
        grade: view.grade,
        bonusCoefficient: view.bonusCoefficient,
      });
      await clocks.start([ASSESSMENT_CLOCKS.publication]);
      journal.notify('scored', {
        channel: 'internal',
        template: 'assessment.scored',
        recipient: { kind: 'role', role: 'hr' },
        params: { caseId: view.id, staffId: view.staffId, period: view.period, grade: view.grade },
      });
      return touched(ctx);
    },
    {
      validator: ({ actor, attendance, initiative, teamwork }) => {
        mayScore(actor, view);
        allow('score');
        for (const [name, n] of Object.entries<number>({ ...attendance }))
          if (!Number.isInteger(n) || n < 0) refuse(REFUSAL.invalidInput, `attendance.${name} is a whole number ≥ 0`);
        for (const [name, n] of [
          ['initiative', initiative],
          ['teamwork', teamwork],
        ] as const)
          if (!Number.isInteger(n) || n < 1 || n > 5) refuse(REFUSAL.invalidInput, `${name} is 1..5`);
      },
    },
  );

  setHandler(
    assessment.publishAssessment,
    async ({ actor }) => {
      view.publishedAt = nowIso();
      view.publishedBy = actor.id;
      moveTo(ctx, 'published', actor.id);
      clocks.meet(ASSESSMENT_CLOCKS.publication, actor.id);
      const [window] = await clocks.start([ASSESSMENT_CLOCKS.appealWindow]);
      // Set once the window runs: the main flow ends the month only after it was open and closed.
      view.appealWindowEndsAt = window?.dueAt ?? view.publishedAt;
      journal.notify('published', {
        channel: 'internal',
        template: 'assessment.published',
        recipient: { kind: 'staff', staffId: view.staffId },
        params: {
          caseId: view.id,
          period: view.period,
          total: view.total,
          grade: view.grade,
          appealUntil: view.appealWindowEndsAt,
        },
      });
      return touched(ctx);
    },
    {
      validator: ({ actor }) => {
        hr(actor, 'publication');
        allow('publish');
        if (view.grade === null) refuse(REFUSAL.invalidState, 'the score is still being computed');
      },
    },
  );

  setHandler(
    assessment.appealAssessment,
    async ({ actor, reason }) => {
      view.appeal = {
        reason,
        by: actor.id,
        at: nowIso(),
        upheld: null,
        answer: null,
        adjustedScores: null,
        answeredBy: null,
        answeredAt: null,
      };
      clocks.meet(ASSESSMENT_CLOCKS.appealWindow, actor.id);
      moveTo(ctx, 'appealed', actor.id);
      await clocks.start([ASSESSMENT_CLOCKS.appealAnswer]);
      journal.notify('appealed', {
        channel: 'internal',
        template: 'assessment.appealed',
        recipient: { kind: 'role', role: 'hr' },
        params: { caseId: view.id, staffId: view.staffId, period: view.period },
      });
      return touched(ctx);
    },
    {
      validator: ({ actor, reason }) => {
        theAgent(actor, 'an appeal');
        allow('appeal');
        // 公示期内: the window's clock still runs and its end has not come (the watcher may lag a tick).
        const ends = view.appealWindowEndsAt === null ? NaN : Date.parse(view.appealWindowEndsAt);
        if (!clocks.isOpen(ASSESSMENT_CLOCKS.appealWindow) || !(Date.now() < ends))
          refuse(REFUSAL.invalidState, 'the appeal window (公示期) has closed');
        if (!reason.trim()) refuse(REFUSAL.invalidInput, 'an appeal needs a reason');
      },
    },
  );

  setHandler(
    assessment.decideAppeal,
    async ({ actor, upheld, adjustedScores, answer }) => {
      const appeal = view.appeal!;
      Object.assign(appeal, {
        upheld,
        answer,
        adjustedScores: upheld ? (adjustedScores ?? null) : null,
        answeredBy: actor.id,
        answeredAt: nowIso(),
      });
      const before = { total: view.total, grade: view.grade };
      if (upheld && adjustedScores && view.scores && state.scoring)
        scoreMonth(view, state.scoring, { ...view.scores, ...adjustedScores });
      moveTo(ctx, 'appeal_answered', actor.id, {
        upheld,
        scoredBefore: before,
        scoredAfter: { total: view.total, grade: view.grade },
      });
      clocks.meet(ASSESSMENT_CLOCKS.appealAnswer, actor.id);
      journal.notify('appealAnswered', {
        channel: 'internal',
        template: 'assessment.appealAnswered',
        recipient: { kind: 'staff', staffId: view.staffId },
        params: { caseId: view.id, period: view.period, upheld, total: view.total, grade: view.grade },
      });
      return touched(ctx);
    },
    {
      validator: ({ actor, upheld, adjustedScores, answer }) => {
        hr(actor, 'the answer to an appeal');
        allow('appealDecision');
        if (!answer.trim()) refuse(REFUSAL.invalidInput, 'an answer is needed');
        if (adjustedScores !== undefined) {
          if (!upheld) refuse(REFUSAL.invalidInput, 'adjustedScores only with an upheld appeal');
          adjustedProblems(adjustedScores);
        }
      },
    },
  );

  registerCaseHandlers({
    view,
    journal,
    clocks,
    // The agent is the record: it is never reassigned. Notes are open until final.
    allow: (action) => {
      if (action === 'assign') refuse(REFUSAL.invalidState, 'an assessment is not reassigned');
      allow(action);
    },
    touched: () => touched(ctx),
  });
}

/**
 * The agent's supervisor in the directory (any supervisor of the team when none is named), or a
 * manager or admin taking over a late score (the supervisor's lateness is escalated to them).
 */
function mayScore(actor: Actor, view: assessment.AssessmentView): void {
  if (actor.role === 'manager' || actor.role === 'admin') return;
  const theirs =
    actor.role === 'supervisor' && (view.supervisorId ? actor.id === view.supervisorId : actor.team === view.team);
  if (!theirs) refuse(REFUSAL.forbidden, "the score is the agent's supervisor's");
}

function adjustedProblems(scores: Partial<ComponentScores>): void {
  for (const [name, value] of Object.entries(scores)) {
    if (!(ASSESSMENT_COMPONENTS as readonly string[]).includes(name))
      refuse(REFUSAL.invalidInput, `adjustedScores.${name} is no assessment component`);
    if (typeof value !== 'number' || !(value >= 0 && value <= 100))
      refuse(REFUSAL.invalidInput, `adjustedScores.${name} is 0..100`);
  }
}
