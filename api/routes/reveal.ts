/**
 * The audited reveal of a case's personal data: every response masks it for every role (PIPL), and
 * the full values leave only here, after their audit row is written.
 */
import { appendAudit } from '../../db/repositories/audit';
import { getPersonalData } from '../../db/repositories/personal-data';
import { findCase } from '../case-access';
import type { AppContext } from '../context';
import { problems } from '../errors';
import type { ApiRoutes } from '../routing';
import { REVEALABLE, revealBody, revealResponse } from '../schemas/cases';
import { caseIdParams } from '../schemas/common';

export function registerRevealRoutes(routes: ApiRoutes, { db }: AppContext): void {
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
}
