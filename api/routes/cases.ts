/**
 * Every case type at once: the scoped list (PostgreSQL, keyset paging), the timeline, assignment
 * and notes (Updates every case workflow registers), and the audited reveal of personal data.
 */
import { appendAudit } from '../../db/repositories/audit';
import { listCases } from '../../db/repositories/cases';
import { getPersonalData } from '../../db/repositories/personal-data';
import { appendTimelineEvent, listTimeline } from '../../db/repositories/timeline';
import { getSurvey, recordSurveyAnswer } from '../../db/repositories/surveys';
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { CaseRow } from '../../db/repositories/cases';
import { addNote, assignCase } from '../../workflows/shared/contract';
import { actorOf, scopeTeam, type Principal } from '../auth';
import { findCase, updateExistingCase, workflowIdOf } from '../case-access';
import type { AppContext } from '../context';
import { problems } from '../errors';
import { presentCase } from '../presenters';
import type { ApiRoutes } from '../routing';
import {
  assignBody,
  caseListResponse,
  listCasesQuery,
  noteBody,
  revealBody,
  revealResponse,
  surveyResponse,
  surveyResponseBody,
  timelineResponse,
  REVEALABLE,
} from '../schemas/cases';
import { caseIdParams } from '../schemas/common';
import { renderTimes } from '../time';

export function registerCaseRoutes(routes: ApiRoutes, { db, temporal, now }: AppContext): void {
  /**
   * Notes are allowed in every status, also after a case has ended (a customer calls back about a
   * closed claim). An open case takes the note through its workflow; an ended one, whose workflow
   * takes no more Updates, gets it straight on its timeline.
   */
  async function noteOn(row: CaseRow, principal: Principal, text: string): Promise<unknown> {
    if (!row.closedAt) {
      try {
        return await temporal.workflow
          .getHandle(workflowIdOf(row))
          .executeUpdate(addNote, { args: [{ actor: actorOf(principal), text }] });
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
    }
    await appendTimelineEvent(db, row.id, {
      key: `${row.id}:note:${randomUUID()}`,
      at: now().toISOString(),
      actor: principal.sub,
      kind: 'note.added',
      detail: { text },
    });
    return row.data;
  }

  routes.add(
    {
      method: 'get',
      path: '/cases',
      tag: 'Cases',
      summary: 'Cases of every type, filtered; agents and supervisors see their team only',
      access: 'agent',
      query: listCasesQuery,
      responses: { 200: { description: 'One page; pass nextCursor as cursor for the next', schema: caseListResponse } },
    },
    async ({ principal, query }) => {
      const { dueBefore, ...filter } = query;
      const page = await listCases(
        db,
        { ...filter, dueBefore: dueBefore === undefined ? undefined : new Date(dueBefore) },
        { team: scopeTeam(principal) },
      );
      const items = page.items.map(({ id, type, status, team, assignee, escalationLevel, nextDueAt, policyNo }) => ({
        id,
        type,
        status,
        team,
        assignee,
        escalationLevel,
        nextDueAt,
        policyNo,
      }));
      return { status: 200, body: renderTimes({ items, nextCursor: page.nextCursor ?? null }) };
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/cases/{id}/timeline',
      tag: 'Cases',
      summary: 'Every transition, clock event, notification and assignment of a case',
      access: 'agent',
      params: caseIdParams,
      responses: { 200: { description: 'Oldest first', schema: timelineResponse } },
      problems: [404],
    },
    async ({ principal, params }) => {
      const row = await findCase(db, principal, params.id);
      const events = await listTimeline(db, row.id);
      const items = events.map(({ at, actor, kind, detail }) => ({ at, actor, kind, detail }));
      return { status: 200, body: renderTimes({ items }) };
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/cases/{id}/assign',
      tag: 'Cases',
      summary: 'Assign the case to a staff member',
      access: 'supervisor',
      params: caseIdParams,
      body: assignBody,
      idempotent: true,
      responses: { 200: { description: 'The case after the assignment' } },
      problems: [403, 404, 409, 422],
    },
    async ({ principal, params, body }) => {
      const row = await findCase(db, principal, params.id);
      const handle = temporal.workflow.getHandle(workflowIdOf(row));
      const [view, personal] = await Promise.all([
        updateExistingCase(row, () =>
          handle.executeUpdate(assignCase, { args: [{ actor: actorOf(principal), assignee: body.assignee }] }),
        ),
        getPersonalData(db, row.id),
      ]);
      return { status: 200, body: presentCase(row.type, view as object, personal ?? undefined) };
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/cases/{id}/notes',
      tag: 'Cases',
      summary: 'Add a note to the case timeline',
      access: 'agent',
      params: caseIdParams,
      body: noteBody,
      idempotent: true,
      responses: { 200: { description: 'The case after the note' } },
      problems: [404, 409, 422],
    },
    async ({ principal, params, body }) => {
      const row = await findCase(db, principal, params.id);
      const [view, personal] = await Promise.all([noteOn(row, principal, body.text), getPersonalData(db, row.id)]);
      return { status: 200, body: presentCase(row.type, view as object, personal ?? undefined) };
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/cases/{id}/reveal',
      tag: 'Cases',
      summary: 'Full personal data of a case, for a stated reason; every reveal is written to the audit log',
      description:
        'Responses mask personal data for every role (PIPL). Staff who need a full value (to call the reporter back, to pay) ask here, inside their scope; the audit log records who, when, which fields and why.',
      access: 'agent',
      params: caseIdParams,
      body: revealBody,
      responses: { 200: { description: 'Unmasked personal data', schema: revealResponse } },
      problems: [404],
    },
    async ({ principal, params, body }) => {
      const row = await findCase(db, principal, params.id);
      const personal = await getPersonalData(db, row.id);
      if (!personal) throw problems.notFound('This case holds no personal data.');
      const fields = (body.fields ?? REVEALABLE).filter((f) => f in personal);
      // Written before the data leaves: a reveal without its audit row must be impossible.
      await appendAudit(db, {
        actor: principal.sub,
        action: 'personal_data.reveal',
        target: row.id,
        detail: { role: principal.role, fields, reason: body.reason },
      });
      const personalData = Object.fromEntries(fields.map((f) => [f, personal[f]]));
      return { status: 200, body: { id: row.id, personalData }, headers: { 'Cache-Control': 'no-store' } };
    },
  );

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
