/** The notifications outbox as staff see it: scoped like cases, recipients always masked. */
import { listNotifications } from '../../db/repositories/notifications';
import { scopeTeam } from '../auth';
import { findCase } from '../case-access';
import type { AppContext } from '../context';
import { maskRecipient } from '../masking';
import type { ApiRoutes } from '../routing';
import { notificationsQuery, notificationsResponse } from '../schemas/cases';
import { renderTimes } from '../time';

export function registerNotificationRoutes(routes: ApiRoutes, { db }: AppContext): void {
  routes.add(
    {
      method: 'get',
      path: '/notifications',
      tag: 'Cases',
      summary: "Notifications of one case, or of the caller's scope, newest first",
      access: 'agent',
      query: notificationsQuery,
      responses: { 200: { description: 'Recipients masked', schema: notificationsResponse } },
      problems: [404],
    },
    async ({ principal, query }) => {
      const filter =
        query.caseId !== undefined
          ? { caseId: (await findCase(db, principal, query.caseId)).id }
          : { team: scopeTeam(principal) };
      const rows = await listNotifications(db, { ...filter, limit: query.limit });
      const items = rows.map((n) => ({
        id: String(n.id),
        caseId: n.caseId,
        channel: n.channel,
        template: n.template,
        recipient: maskRecipient(n.recipient),
        status: n.status,
        createdAt: n.createdAt,
        sentAt: n.sentAt,
      }));
      return { status: 200, body: renderTimes({ items }) };
    },
  );
}
