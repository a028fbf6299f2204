/**
 * A monthly assessment (月度考核), on paper: the month is opened after it ended and the agent's figures
 * counted (KPIs on the cases they handled, with their targets; the month's quality reviews) → the
 * agent's self-assessment (assessment.self) → the supervisor's score with attendance, initiative and
 * teamwork (assessment.supervisor, by the 10th; lateness goes to the manager) → scored on the weights
 * and bands in force → HR publishes (assessment.publication; lateness to the manager) → the appeal
 * window (assessment.appealWindow) → an appeal answered by HR (assessment.appealAnswer) → final, when
 * the consequences are applied: a special training for 不合格 or a KPI below target, a promotion-review
 * flag for the third 优秀 in a row.
 */
import { condition, continueAsNew } from '@temporalio/workflow';
import { ASSESSMENT_CLOCKS, assessmentId } from '../../domain/assessment';
import type { NotificationRequest } from '../../domain/case';
import { caseActivities } from '../shared/activities';
import { historyTooLong, serveView, settleRun } from '../shared/case-run';
import { ClockKeeper } from '../shared/clocks';
import { Journal, nowIso } from '../shared/journal';
import { assessmentConsequences, assessmentReads } from './activities';
import { type AssessmentContext, moveTo, touched } from './context';
import { assessmentOpened, getAssessment, type AssessmentInput, type AssessmentView } from './contract';
import { registerAssessmentHandlers } from './handlers';
import { assessmentSnapshot, isFinished, newAssessmentState, type AssessmentResume } from './state';

export async function assessmentWorkflow(input: AssessmentInput, resume?: AssessmentResume): Promise<AssessmentView> {
  const state = resume?.state ?? newAssessmentState(input, assessmentId(input.staffId, input.period));
  const journal = new Journal(() => assessmentSnapshot(state.view), caseActivities, state.seq);
  const view = state.view;
  const clocks: ClockKeeper = new ClockKeeper(view, journal, caseActivities, {
    warnRecipient: (clock) => warnRecipientOf(view, clock.policy),
    breachGoesToManager: (clock) => LATE_TO_MANAGER.has(clock.policy),
    // The window is not a task: at its end it closes (met) instead of breaching.
    onDue: (clock) => {
      if (clock.policy === ASSESSMENT_CLOCKS.appealWindow) clocks.meet(clock.policy);
    },
  });
  const ctx: AssessmentContext = { state, journal, clocks };

  serveView(state, getAssessment, assessmentOpened);
  registerAssessmentHandlers(ctx);

  if (resume) clocks.resume();
  else await open(ctx, input);

  for (;;) {
    await condition(() => readyForFinal(ctx) || isFinished(state.view) || historyTooLong());
    if (!readyForFinal(ctx)) break;
    await finalize(ctx);
  }
  await settleRun(state, journal);
  if (!isFinished(state.view)) return continueAsNew<typeof assessmentWorkflow>(input, { state });
  return state.view;
}

/** The supervisor's and HR's lateness is the manager's to deal with (issue 12). */
const LATE_TO_MANAGER: ReadonlySet<string> = new Set<string>([
  ASSESSMENT_CLOCKS.supervisor,
  ASSESSMENT_CLOCKS.publication,
  ASSESSMENT_CLOCKS.appealAnswer,
]);

/** Each clock warns the one who must act before it ends. */
function warnRecipientOf(view: AssessmentView, policy: string): NotificationRequest['recipient'] {
  switch (policy) {
    case ASSESSMENT_CLOCKS.self:
    case ASSESSMENT_CLOCKS.appealWindow:
      return { kind: 'staff', staffId: view.staffId };
    case ASSESSMENT_CLOCKS.supervisor:
      return view.supervisorId
        ? { kind: 'staff', staffId: view.supervisorId }
        : { kind: 'role', role: 'supervisor', team: view.team };
    default:
      return { kind: 'role', role: 'hr' };
  }
}

async function open(ctx: AssessmentContext, input: AssessmentInput): Promise<void> {
  const { state, journal, clocks } = ctx;
  const { view } = state;
  journal.record(input.openedBy.id, 'case.opened', {
    type: 'assessment',
    staffId: view.staffId,
    period: view.period,
    team: view.team,
    supervisorId: view.supervisorId,
  });
  const counted = await assessmentReads.assessmentFigures({
    staffId: view.staffId,
    team: view.team,
    period: view.period,
  });
  view.figures = counted.figures;
  view.qualityReviews = counted.qualityReviews;
  journal.record('system', 'assessment.figures', {
    measured: counted.figures.filter((f) => f.value !== null).length,
    belowTarget: counted.figures.filter((f) => f.met === false).map((f) => f.key),
    qualityReviews: counted.qualityReviews.count,
    qualityScore: counted.qualityReviews.score,
  });
  const [self, supervisor] = await clocks.start([ASSESSMENT_CLOCKS.self, ASSESSMENT_CLOCKS.supervisor], input.openedAt);
  journal.notify('opened:agent', {
    channel: 'internal',
    template: 'assessment.selfDue',
    recipient: { kind: 'staff', staffId: view.staffId },
    params: { caseId: view.id, period: view.period, dueAt: self?.dueAt ?? null },
  });
  journal.notify('opened:supervisor', {
    channel: 'internal',
    template: 'assessment.scoreDue',
    recipient: warnRecipientOf(view, ASSESSMENT_CLOCKS.supervisor),
    params: { caseId: view.id, staffId: view.staffId, period: view.period, dueAt: supervisor?.dueAt ?? null },
  });
  await touched(ctx);
  state.opened = true;
}

/** Published and the window closed without an appeal, or an appeal answered: the month may end. */
function readyForFinal({ state, clocks }: AssessmentContext): boolean {
  const { view } = state;
  if (view.status === 'appeal_answered') return true;
  return (
    view.status === 'published' && view.appealWindowEndsAt !== null && !clocks.isOpen(ASSESSMENT_CLOCKS.appealWindow)
  );
}

/** 考核结果应用: the consequences of the final grade, then final. */
async function finalize(ctx: AssessmentContext): Promise<void> {
  const { state, journal } = ctx;
  const { view } = state;
  const grade = view.grade ?? '不合格';
  const applied = await assessmentConsequences.applyAssessmentConsequences({
    staffId: view.staffId,
    period: view.period,
    grade,
    figures: view.figures.map((f) => ({ key: f.key, met: f.met })),
  });
  const at = nowIso();
  view.consequences = {
    specialTraining: applied.specialTraining,
    promotionReview: applied.promotionReview ? { ...applied.promotionReview, at } : null,
  };
  if (applied.specialTraining) {
    journal.record('system', 'assessment.specialTraining', { ...applied.specialTraining });
  }
  if (applied.promotionReview) {
    journal.record('system', 'assessment.promotionReview', {
      previousPeriods: applied.promotionReview.previousPeriods,
    });
    for (const role of ['hr', 'manager'] as const)
      journal.notify(`promotionReview:${role}`, {
        channel: 'internal',
        template: 'assessment.promotionReview',
        recipient: { kind: 'role', role },
        params: { caseId: view.id, staffId: view.staffId, period: view.period },
      });
  }
  moveTo(ctx, 'final', 'system', { total: view.total, grade: view.grade, bonusCoefficient: view.bonusCoefficient });
  await touched(ctx);
}
