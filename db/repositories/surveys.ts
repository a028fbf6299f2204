/**
 * Satisfaction surveys: one row per case. Workflows record a survey as sent, then answered or
 * unanswered (activity `recordSurvey`); a survey answered after its case has ended (a paid claim, a
 * closed inquiry) is recorded here directly by whoever receives the answer. Every write is
 * idempotent and never moves a survey backwards: the first answer stands.
 */
import { sql } from 'kysely';
import {
  type SatisfactionFigure,
  satisfactionRate,
  SURVEY_SCORE,
  type SurveyCaseType,
  type SurveySent,
  type SurveyStatus,
} from '../../domain/survey';
import type { Executor } from './support';

export interface SurveyRow extends SurveySent {
  status: SurveyStatus;
  score: number | null;
  comment: string | null;
  answeredAt: Date | null;
  unansweredAt: Date | null;
}

/** Records a survey as sent; a second call for the same case changes nothing. Returns whether it was new. */
export async function recordSurveySent(db: Executor, survey: SurveySent): Promise<boolean> {
  const inserted = await db
    .insertInto('satisfaction_surveys')
    .values({
      case_id: survey.caseId,
      case_type: survey.caseType,
      team: survey.team,
      agent: survey.agent,
      channel: survey.channel,
      sent_via: survey.sentVia,
      sent_at: survey.sentAt,
    })
    .onConflict((oc) => oc.column('case_id').doNothing())
    .returning('case_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/**
 * `recorded`: the answer is stored (now, or already with the same score — a retry);
 * `conflict`: the survey was already answered differently or closed as unanswered; `unknown`: no survey was sent.
 */
export type SurveyAnswerResult = 'recorded' | 'conflict' | 'unknown';

export async function recordSurveyAnswer(
  db: Executor,
  answer: { caseId: string; score: number; comment: string | null; answeredAt: string | Date },
): Promise<SurveyAnswerResult> {
  const updated = await db
    .updateTable('satisfaction_surveys')
    .set({
      status: 'answered',
      score: answer.score,
      comment: answer.comment,
      answered_at: answer.answeredAt,
      updated_at: sql<Date>`now()`,
    })
    .where('case_id', '=', answer.caseId)
    .where('status', '=', 'sent')
    .returning('case_id')
    .executeTakeFirst();
  if (updated) return 'recorded';
  const row = await db
    .selectFrom('satisfaction_surveys')
    .select(['status', 'score'])
    .where('case_id', '=', answer.caseId)
    .executeTakeFirst();
  if (!row) return 'unknown';
  return row.status === 'answered' && row.score === answer.score ? 'recorded' : 'conflict';
}

/** Closes a still-open survey as unanswered (its answer window ended). An answered survey stays answered. */
export async function recordSurveyUnanswered(db: Executor, caseId: string, at: string | Date): Promise<boolean> {
  const updated = await db
    .updateTable('satisfaction_surveys')
    .set({ status: 'unanswered', unanswered_at: at, updated_at: sql<Date>`now()` })
    .where('case_id', '=', caseId)
    .where('status', '=', 'sent')
    .returning('case_id')
    .executeTakeFirst();
  return updated !== undefined;
}

export async function getSurvey(db: Executor, caseId: string): Promise<SurveyRow | undefined> {
  const row = await db.selectFrom('satisfaction_surveys').selectAll().where('case_id', '=', caseId).executeTakeFirst();
  if (!row) return undefined;
  return {
    caseId: row.case_id,
    caseType: row.case_type as SurveyCaseType,
    team: row.team,
    agent: row.agent,
    channel: row.channel,
    sentVia: row.sent_via as SurveySent['sentVia'],
    sentAt: row.sent_at.toISOString(),
    status: row.status as SurveyStatus,
    score: row.score,
    comment: row.comment,
    answeredAt: row.answered_at,
    unansweredAt: row.unanswered_at,
  };
}

export interface SatisfactionFilter {
  /** Surveys answered in [from, to). */
  from: Date;
  to: Date;
  team?: string;
  agent?: string;
  caseType?: SurveyCaseType;
}

/** 客户满意度 for a period and scope: surveys scoring 4–5 ÷ surveys answered (by answer time). */
export async function satisfactionFigure(db: Executor, filter: SatisfactionFilter): Promise<SatisfactionFigure> {
  let query = db
    .selectFrom('satisfaction_surveys')
    .select((eb) => [
      eb.fn.countAll<string>().as('answered'),
      sql<string>`count(*) filter (where score >= ${SURVEY_SCORE.satisfiedFrom})`.as('satisfied'),
    ])
    .where('status', '=', 'answered')
    .where('answered_at', '>=', filter.from)
    .where('answered_at', '<', filter.to);
  if (filter.team !== undefined) query = query.where('team', '=', filter.team);
  if (filter.agent !== undefined) query = query.where('agent', '=', filter.agent);
  if (filter.caseType !== undefined) query = query.where('case_type', '=', filter.caseType);
  const row = await query.executeTakeFirst();
  return satisfactionRate({ satisfied: Number(row?.satisfied ?? 0), answered: Number(row?.answered ?? 0) });
}
