/**
 * The satisfaction survey as every case workflow sends it (paid claims, resolved complaints,
 * answered inquiries): one notification to the customer, one row in PostgreSQL for the KPI.
 */
import { proxyLocalActivities } from '@temporalio/workflow';
import type { SurveyActivities } from '../../activities/survey-activities';
import { SURVEY_NOTIFICATION, type SurveySent } from '../../domain/survey';
import { type Journal, nowIso } from './journal';

/** Local, with unbounded retries, like the case activities: while PostgreSQL is down the case waits. */
export const surveyActivities = proxyLocalActivities<SurveyActivities>({
  startToCloseTimeout: '30 seconds',
  localRetryThreshold: '10 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '30 seconds', backoffCoefficient: 2 },
});

/**
 * Queues the survey to the customer (outbox key `<workflowId>:satisfactionSurvey`) and records it as
 * sent. `receipt`: the workflow wants the delivery receipt (a claim closes on it). The caller flushes.
 */
export async function sendSatisfactionSurvey(
  journal: Journal,
  survey: Omit<SurveySent, 'sentAt' | 'sentVia'>,
  options: { receipt?: boolean } = {},
): Promise<SurveySent> {
  const sent: SurveySent = { ...survey, sentVia: SURVEY_NOTIFICATION.channel, sentAt: nowIso() };
  journal.notify(SURVEY_NOTIFICATION.purpose, {
    channel: SURVEY_NOTIFICATION.channel,
    template: SURVEY_NOTIFICATION.template,
    recipient: { kind: 'customer' },
    params: { caseId: survey.caseId, caseType: survey.caseType },
    receipt: options.receipt ?? false,
  });
  journal.record('system', 'survey.sent', { caseType: survey.caseType, agent: survey.agent });
  await surveyActivities.recordSurvey({ kind: 'sent', survey: sent });
  return sent;
}
