/**
 * The customer's answer to the satisfaction survey of a paid claim or an answered inquiry, keyed in
 * by an agent; it lands in satisfaction_surveys for the satisfaction KPI and on the case timeline.
 */
import { getSurvey, recordSurveyAnswer } from '../../db/repositories/surveys';
import { appendTimelineEvent } from '../../db/repositories/timeline';
import { findCase } from '../case-access';
import type { AppContext } from '../context';
import { problems } from '../errors';
import type { ApiRoutes } from '../routing';
import { surveyResponse, surveyResponseBody } from '../schemas/cases';
import { caseIdParams } from '../schemas/common';
import { renderTimes } from '../time';

export function registerSurveyRoutes(routes: ApiRoutes, { db, now }: AppContext): void {
  routes.add(
    {
      method: 'post',
      path: '/cases/{id}/survey-response',
      tag: 'Cases',
      summary: "Record the customer's answer to the satisfaction survey of a paid claim or an answered inquiry",
      description:
        'The survey goes out when a claim is paid or an inquiry answered; its answer (1–5, by SMS reply or on the phone) lands here for the satisfaction KPI. A complaint takes its score through POST /complaints/{id}/satisfaction, which also closes it.',
      access: 'agent',
      params: caseIdParams,
      body: surveyResponseBody,
      responses: { 200: { description: 'The answer as recorded', schema: surveyResponse } },
      problems: [404, 409],
    },
    async ({ principal, params, body }) => {
      const row = await findCase(db, principal, params.id);
      if (row.type === 'complaint')
        throw problems.conflict('A complaint takes its score through POST /complaints/{id}/satisfaction.');
      const survey = await getSurvey(db, row.id);
      if (!survey) throw problems.conflict('No satisfaction survey has been sent for this case.');
      const answeredAt = now();
      const outcome = await recordSurveyAnswer(db, {
        caseId: row.id,
        score: body.score,
        comment: body.comment ?? null,
        answeredAt,
      });
      if (outcome !== 'recorded') throw problems.conflict('The survey of this case has already been answered.');
      await appendTimelineEvent(db, row.id, {
        key: `${row.id}:survey:answered`,
        at: answeredAt.toISOString(),
        actor: principal.sub,
        kind: 'survey.answered',
        detail: { score: body.score },
      });
      return {
        status: 200,
        body: renderTimes({
          caseId: row.id,
          caseType: row.type,
          score: body.score,
          comment: body.comment ?? null,
          answeredAt,
        }),
      };
    },
  );
}
