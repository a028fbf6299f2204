/**
 * `GET /audit`: the audit trail (sign-ins, reveals, admin changes), newest first, for admins. Reading
 * it is not itself audited: the log would grow with every look at it.
 */
import { listAudit } from '../../db/repositories/audit';
import type { AppContext } from '../context';
import type { ApiRoutes } from '../routing';
import { auditQuery, auditResponse } from '../schemas/audit';
import { renderTimes } from '../time';

export function registerAuditRoutes(routes: ApiRoutes, { db }: AppContext): void {
  routes.add(
    {
      method: 'get',
      path: '/audit',
      tag: 'Administration',
      summary: 'The audit log, newest first: sign-ins, reveals of personal data, administrative changes',
      description:
        'Append-only and hash-chained in the database; `npm run motordesk -- audit verify` proves the chain. `caseId` and `target` filter by what was acted on (the same column).',
      access: 'admin',
      query: auditQuery,
      responses: { 200: { description: 'One page of entries', schema: auditResponse } },
      problems: [403],
    },
    async ({ query }) => {
      const items = await listAudit(db, {
        target: query.caseId ?? query.target,
        actor: query.actor,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
        beforeSeq: query.cursor,
        limit: query.limit + 1,
      });
      const page = items.slice(0, query.limit);
      const nextCursor = items.length > query.limit ? (page[page.length - 1]?.seq ?? null) : null;
      return {
        status: 200,
        body: renderTimes({
          items: page.map(({ seq, at, actor, action, target, detail, hash }) => ({
            seq,
            at,
            actor,
            action,
            target,
            detail,
            hash,
          })),
          nextCursor,
        }),
      };
    },
  );
}
