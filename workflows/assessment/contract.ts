/**
 * The monthly assessment's public contract (绩效考核: one agent, one month). The API imports these
 * objects, never raw names. No personal data: staff ids, periods, scores and the agent's own words
 * about their work (the self-assessment, an appeal's reason), which name no customer.
 *
 * Every update refuses with an ApplicationFailure whose `type` is one of REFUSAL (shared contract):
 * `InvalidStateTransition` → 409 (also an appeal outside the appeal window), `ActionForbidden` → 403,
 * `InvalidCaseInput` → 422. Besides these, the record answers the shared `addNote` update and the
 * `calendarChanged` signal.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type {
  AssessmentStatus,
  AssessmentWeights,
  Attendance,
  ComponentScores,
  Consequences,
  Grade,
} from '../../domain/assessment';
import { assessmentId } from '../../domain/assessment';
import type { Actor, EscalationLevel } from '../../domain/case';
import type { Clock } from '../../domain/clock';
import type { KpiFigure } from '../../domain/kpis';
import { caseWorkflowId } from '../shared/contract';

/** `assessment-<staffId>-<YYYYMM>`: one per agent and month, whoever starts it. */
export const assessmentWorkflowId = (staffId: string, period: string): string =>
  caseWorkflowId('assessment', assessmentId(staffId, period));

export interface AssessmentInput {
  staffId: string;
  team: string;
  /** The agent's supervisor in the directory; null: any supervisor of the team scores. */
  supervisorId: string | null;
  /** `YYYY-MM`, the month assessed (Asia/Shanghai). */
  period: string;
  openedAt: string;
  openedBy: Actor;
}

export interface QualityReviewSummary {
  count: number;
  /** Mean of the month's review scores (0..100); null when nobody reviewed the agent. */
  score: number | null;
  reviews: { id: string; caseId: string; caseType: string; reviewer: string; score: number; reviewedAt: string }[];
}

/** What the figures activity counts for the month: the KPIs with their targets, and the quality reviews. */
export interface AssessmentFigures {
  figures: KpiFigure[];
  qualityReviews: QualityReviewSummary;
}

export interface SelfAssessment {
  summary: string;
  strengths: string | null;
  improvements: string | null;
  by: string;
  at: string;
}

export interface SupervisorScore {
  attendance: Attendance;
  initiative: number;
  teamwork: number;
  comment: string;
  by: string;
  at: string;
}

export interface AssessmentAppeal {
  reason: string;
  by: string;
  at: string;
  upheld: boolean | null;
  answer: string | null;
  adjustedScores: Partial<ComponentScores> | null;
  answeredBy: string | null;
  answeredAt: string | null;
}

/** Consequences as applied at final (考核结果应用): the special training assigned, the promotion flag. */
export interface AppliedConsequences {
  specialTraining:
    (NonNullable<Consequences['specialTraining']> & { planId: string | null; note: string | null }) | null;
  promotionReview: { previousPeriods: string[]; at: string } | null;
}

/** What `GET /assessments/{id}` shows. */
export interface AssessmentView {
  id: string;
  type: 'assessment';
  status: AssessmentStatus;
  team: string;
  /** The agent assessed. */
  assignee: string;
  escalationLevel: EscalationLevel;
  staffId: string;
  supervisorId: string | null;
  period: string;
  figures: KpiFigure[];
  qualityReviews: QualityReviewSummary;
  attendance: Attendance | null;
  self: SelfAssessment | null;
  supervisorScore: SupervisorScore | null;
  /** The component scores (0..100) the total is made of; null until scored. */
  scores: ComponentScores | null;
  /** The weights the total was computed with (read from assessment_weights when scored). */
  weights: AssessmentWeights | null;
  total: number | null;
  grade: Grade | null;
  bonusCoefficient: number | null;
  publishedAt: string | null;
  publishedBy: string | null;
  appealWindowEndsAt: string | null;
  appeal: AssessmentAppeal | null;
  consequences: AppliedConsequences | null;
  finalAt: string | null;
  clocks: Clock[];
  createdAt: string;
  updatedAt: string;
}

/** `POST /assessments/{id}/self` — the agent. */
export interface SelfInput {
  actor: Actor;
  summary: string;
  strengths?: string;
  improvements?: string;
}
/** `POST /assessments/{id}/supervisor-score` — the agent's supervisor (or a manager taking it over). */
export interface ScoreInput {
  actor: Actor;
  attendance: Attendance;
  initiative: number;
  teamwork: number;
  comment: string;
}
/** `POST /assessments/publish` — HR, one assessment at a time (the API walks the period). */
export interface PublishInput {
  actor: Actor;
}
/** `POST /assessments/{id}/appeal` — the agent, inside the appeal window. */
export interface AppealInput {
  actor: Actor;
  reason: string;
}
/** `POST /assessments/{id}/appeal-decision` — HR; `adjustedScores` (0..100 per component) only when upheld. */
export interface AppealDecisionInput {
  actor: Actor;
  upheld: boolean;
  adjustedScores?: Partial<ComponentScores>;
  answer: string;
}

export const submitSelfAssessment = defineUpdate<AssessmentView, [SelfInput]>('submitSelfAssessment');
export const scoreAssessment = defineUpdate<AssessmentView, [ScoreInput]>('scoreAssessment');
export const publishAssessment = defineUpdate<AssessmentView, [PublishInput]>('publishAssessment');
export const appealAssessment = defineUpdate<AssessmentView, [AppealInput]>('appealAssessment');
export const decideAppeal = defineUpdate<AssessmentView, [AppealDecisionInput]>('decideAppeal');
export const getAssessment = defineQuery<AssessmentView>('getAssessment');
/** Completes once the assessment's figures are counted and its first projection is in PostgreSQL. */
export const assessmentOpened = defineUpdate<AssessmentView, []>('assessmentOpened');
