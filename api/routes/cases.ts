/**
 * Every case type at once: the scoped list (PostgreSQL, keyset paging), the timeline, assignment
 * and notes (Updates every case workflow registers). The reveal of personal data and the survey
 * answer, which also apply to any case, have their own modules (reveal.ts, surveys.ts).
 */
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { listCases, type CaseRow } from '../../db/repositories/case-reads';
import { getPersonalData } from '../../db/repositories/personal-data';
import { getStaffMember } from '../../db/repositories/staff';
import { appendTimelineEvent, listTimeline } from '../../db/repositories/timeline';
import { addNote, assignCase } from '../../workflows/shared/contract';
import { withAllowedActions } from '../allowed-actions';
import { actorOf, scopeTeam, type Principal } from '../auth';
import { findCase, updateExistingCase, workflowIdOf } from '../case-access';
import { problems } from '../errors';
import type { AppContext } from '../context';
import { presentCase } from '../presenters';
import type { ApiRoutes } from '../routing';
import { assignBody, caseListResponse, listCasesQuery, noteBody, timelineResponse } from '../schemas/cases';
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
      description: "The assignee must be an active member of the case's team in the staff directory (400 otherwise).",
      access: 'supervisor',
      params: caseIdParams,
      body: assignBody,
      idempotent: true,
      responses: { 200: { description: 'The case after the assignment' } },
      problems: [403, 404, 409, 422],
    },
    async ({ principal, params, body }) => {
      const row = await findCase(db, principal, params.id);
      const member = await getStaffMember(db, body.assignee);
      const refusal = !member
        ? 'Names no one in the staff directory.'
        : !member.active
          ? 'Names a staff member who is no longer active.'
          : member.team !== row.team
            ? "Names a staff member of another team than the case's."
            : undefined;
      if (refusal) throw problems.validation([{ path: 'assignee', message: refusal }]);
      const handle = temporal.workflow.getHandle(workflowIdOf(row));
      const [view, personal] = await Promise.all([
        updateExistingCase(row, () =>
          handle.executeUpdate(assignCase, { args: [{ actor: actorOf(principal), assignee: body.assignee }] }),
        ),
        getPersonalData(db, row.id),
      ]);
      return {
        status: 200,
        body: withAllowedActions(
          routes.specs,
          principal,
          row.type,
          presentCase(row.type, view as object, personal ?? undefined),
        ),
      };
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
      return {
        status: 200,
        body: withAllowedActions(
          routes.specs,
          principal,
          row.type,
          presentCase(row.type, view as object, personal ?? undefined),
        ),
      };
    },
  );
}
