/**
 * Satisfaction surveys (客户满意度), one piece for every case type that sends one: a paid claim, a
 * resolved complaint, an answered inquiry. A survey is sent once per case, then answered with a score
 * of 1–5 or left unanswered; the satisfaction KPI is surveys scoring 4–5 ÷ surveys answered.
 */
import type { CaseType } from './case';

export const SURVEY_CASE_TYPES = ['claim', 'complaint', 'inquiry'] as const satisfies readonly CaseType[];
export type SurveyCaseType = (typeof SURVEY_CASE_TYPES)[number];

export const SURVEY_STATUSES = ['sent', 'answered', 'unanswered'] as const;
export type SurveyStatus = (typeof SURVEY_STATUSES)[number];

export const SURVEY_SCORE = { min: 1, max: 5, satisfiedFrom: 4 } as const;

/** The notification that carries the survey (template `survey.request`); its purpose is the outbox key. */
export const SURVEY_NOTIFICATION = {
  purpose: 'satisfactionSurvey',
  template: 'survey.request',
  channel: 'sms',
} as const;

/** A survey goes from sent to answered or unanswered, once; nothing leaves those two. */
const SURVEY_TRANSITIONS: Record<SurveyStatus, readonly SurveyStatus[]> = {
  sent: ['answered', 'unanswered'],
  answered: [],
  unanswered: [],
};

export function surveyTransitionAllowed(from: SurveyStatus, to: SurveyStatus): boolean {
  return SURVEY_TRANSITIONS[from].includes(to);
}

/** Why a score is not acceptable, or null. */
export function surveyScoreProblem(score: number): string | null {
  if (!Number.isInteger(score) || score < SURVEY_SCORE.min || score > SURVEY_SCORE.max) {
    return `a satisfaction score is a whole number from ${SURVEY_SCORE.min} to ${SURVEY_SCORE.max}`;
  }
  return null;
}

export function isSatisfied(score: number): boolean {
  return score >= SURVEY_SCORE.satisfiedFrom;
}

/** The survey as sent: who and what it is about, for reports by team, agent, case type and channel. */
export interface SurveySent {
  caseId: string;
  caseType: SurveyCaseType;
  team: string;
  /** The agent the survey rates (the case's assignee, else the staff member who closed it). */
  agent: string | null;
  /** How the case came in (complaint / inquiry channel); null where the case type has none (claims). */
  channel: string | null;
  /** How the survey went out. */
  sentVia: 'sms' | 'email';
  sentAt: string;
}

/**
 * What a workflow reports about its survey (activity `recordSurvey`). Every event carries the survey
 * as sent, so each write stands on its own: idempotent, and complete even if an earlier one was lost.
 */
export type SurveyEvent =
  | { kind: 'sent'; survey: SurveySent }
  | { kind: 'answered'; survey: SurveySent; score: number; comment: string | null; answeredAt: string }
  | { kind: 'unanswered'; survey: SurveySent; at: string };

export interface SatisfactionFigure {
  /** null when no survey was answered (no figure, rather than 0%). */
  value: number | null;
  numerator: number;
  denominator: number;
}

/** 客户满意度: surveys scoring 4–5 ÷ surveys answered. */
export function satisfactionRate({ satisfied, answered }: { satisfied: number; answered: number }): SatisfactionFigure {
  return { value: answered === 0 ? null : satisfied / answered, numerator: satisfied, denominator: answered };
}

/** The same figure from a list of scores. */
export function satisfactionOfScores(scores: readonly number[]): SatisfactionFigure {
  return satisfactionRate({ satisfied: scores.filter(isSatisfied).length, answered: scores.length });
}
