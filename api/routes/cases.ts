/**
 * Every case type at once: the scoped list (PostgreSQL, keyset paging), the timeline, assignment
 * and notes (Updates every case workflow registers). The reveal of personal data and the survey
 * answer, which also apply to any case, have their own modules (reveal.ts, surveys.ts).
 */
import { appendAudit } from '../../db/repositories/audit';
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { type CaseListFilter, countCasesUpTo, listCases, type CaseRow } from '../../db/repositories/case-reads';
import { queryHashes } from '../../db/repositories/search-keys';
import { searchKeyOf } from '../../config';
import { CSV_CONTENT_TYPE, csvLine, UTF8_BOM } from '../csv';
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
import {
  assignBody,
  caseListResponse,
  exportCasesQuery,
  listCasesQuery,
  noteBody,
  timelineResponse,
} from '../schemas/cases';
import { caseIdParams } from '../schemas/common';
import { renderTimes, toShanghaiIso } from '../time';

/** Rows per read while exporting: a page of the list's largest size. */
const MAX_EXPORT_PAGE = 200;

export function registerCaseRoutes(routes: ApiRoutes, { db, temporal, now, config }: AppContext): void {
  const searchKey = searchKeyOf(config);
  /** The list filter of a query: instants parsed, `q` turned into the texts and keyed hashes it may match. */
  function filterOf(query: { dueBefore?: string; q?: string } & Omit<CaseListFilter, 'dueBefore' | 'search'>) {
    const { dueBefore, q, ...rest } = query;
    return {
      ...rest,
      dueBefore: dueBefore === undefined ? undefined : new Date(dueBefore),
      search: q === undefined ? undefined : { text: q, hashes: queryHashes(searchKey, q) },
    };
  }

  /**
   * Notes are allowed in every status, also after a case has ended (a customer calls back about a
   * closed claim). An open case takes the note through its workflow; an ended one, whose workflow
   * takes no more Updates, gets it straight on its timeline.
   */
  async function noteOn(row: CaseRow, principal: Principal, text: string, updateId?: string): Promise<unknown> {
    if (!row.closedAt) {
      try {
        return await temporal.workflow
          .getHandle(workflowIdOf(row))
          .executeUpdate(addNote, { args: [{ actor: actorOf(principal), text }], updateId });
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
    }
    await appendTimelineEvent(db, row.id, {
      // A retry with the same Idempotency-Key writes the same key, which the timeline keeps once.
      key: `${row.id}:note:${updateId ?? randomUUID()}`,
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
      description: '`cursor` is opaque: only a `nextCursor` this API gave out is read, any other string is 400.',
      access: 'agent',
      query: listCasesQuery,
      responses: { 200: { description: 'One page; pass nextCursor as cursor for the next', schema: caseListResponse } },
    },
    async ({ principal, query }) => {
      const page = await listCases(db, filterOf(query), { team: scopeTeam(principal) });
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
      path: '/cases/export',
      tag: 'Cases',
      summary: 'The cases the same filters as GET /cases select, every page, as CSV (UTF-8 with BOM), streamed',
      description:
        'At most EXPORT_MAX_ROWS cases (default 100,000) per export: filters that select more are refused with 400 before any row is written (narrow them by team, status, type or open).',
      access: 'supervisor',
      query: exportCasesQuery,
      responses: { 200: { description: 'One row per case, newest first', contentType: 'text/csv' } },
      problems: [400, 403],
    },
    async ({ principal, query }) => {
      const filter = filterOf(query);
      const scope = { team: scopeTeam(principal) };
      // A stream cannot turn into an error once its first row is out: the cap is checked first.
      const cap = config.exportMaxRows;
      if ((await countCasesUpTo(db, filter, scope, cap)) > cap)
        throw problems.validation([
          { path: 'query', message: `These filters select more than ${cap} cases; narrow them to export.` },
        ]);
      // Written before any row leaves. Filter names only: `q` may be a phone number or a plate.
      await appendAudit(db, {
        actor: principal.sub,
        action: 'cases.export',
        target: 'cases',
        detail: { role: principal.role, team: scope.team ?? null, filters: Object.keys(query).sort() },
      });
      async function* rows(): AsyncGenerator<string> {
        yield (
          UTF8_BOM +
          csvLine([
            'id',
            'type',
            'status',
            'team',
            'assignee',
            'escalationLevel',
            'nextDueAt',
            'policyNo',
            'breached',
            'createdAt',
          ])
        );
        let cursor: string | undefined;
        do {
          const page = await listCases(db, { ...filter, limit: MAX_EXPORT_PAGE, cursor }, scope);
          yield page.items
            .map((c) =>
              csvLine([
                c.id,
                c.type,
                c.status,
                c.team,
                c.assignee,
                c.escalationLevel,
                c.nextDueAt && toShanghaiIso(c.nextDueAt),
                c.policyNo,
                c.slaBreached,
                toShanghaiIso(c.createdAt),
              ]),
            )
            .join('');
          cursor = page.nextCursor ?? undefined;
        } while (cursor !== undefined);
      }
      return {
        status: 200,
        stream: rows(),
        contentType: CSV_CONTENT_TYPE,
        headers: { 'Content-Disposition': 'attachment; filename="cases.csv"' },
      };
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
    async ({ principal, params, body, updateId }) => {
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
          handle.executeUpdate(assignCase, {
            args: [{ actor: actorOf(principal), assignee: body.assignee }],
            updateId,
          }),
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
    async ({ principal, params, body, updateId }) => {
      const row = await findCase(db, principal, params.id);
      const [view, personal] = await Promise.all([
        noteOn(row, principal, body.text, updateId),
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
}
