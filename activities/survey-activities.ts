/**
 * The satisfaction-survey activity every case workflow that sends a survey uses (paid claims,
 * resolved complaints, answered inquiries): it lands the survey and its score in PostgreSQL for the
 * satisfaction KPI. Idempotent by case id, so a retried or replayed call writes nothing twice.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { recordSurveyAnswer, recordSurveySent, recordSurveyUnanswered } from '../db/repositories/surveys';
import { type SurveyEvent, surveyScoreProblem } from '../domain/survey';

export interface SurveyActivities {
  recordSurvey(event: SurveyEvent): Promise<void>;
}

export interface SurveyActivityDeps {
  db: Kysely<Database>;
}

export function createSurveyActivities({ db }: SurveyActivityDeps): SurveyActivities {
  return {
    async recordSurvey(event) {
      if (event.kind === 'answered') {
        const problem = surveyScoreProblem(event.score);
        if (problem)
          throw ApplicationFailure.create({ type: 'InvalidSurveyAnswer', message: problem, nonRetryable: true });
      }
      await db.transaction().execute(async (trx) => {
        await recordSurveySent(trx, event.survey);
        if (event.kind === 'answered') {
          // The workflow refuses a second answer; a 'conflict' can only mean the survey was answered
          // through another path first. The first answer stands; the case carries on.
          await recordSurveyAnswer(trx, {
            caseId: event.survey.caseId,
            score: event.score,
            comment: event.comment,
            answeredAt: event.answeredAt,
          });
        } else if (event.kind === 'unanswered') {
          await recordSurveyUnanswered(trx, event.survey.caseId, event.at);
        }
      });
    },
  };
}
