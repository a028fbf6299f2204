/**
 * The person's rights (PIPL): `POST /admin/personal-data/access` gathers every datum held about one
 * person (by phone or ID number) — the case data, the free text of their cases, survey comments,
 * the notices and their addresses, the policies they hold — unmasked, as the copy 第四十五条 asks for;
 * `POST /admin/personal-data/erasure` erases it where retention (保险法 第八十七条, domain/retention.ts)
 * allows, and answers 409 naming each record still retained and its last day otherwise. Admin only;
 * the number travels in the body (never in a URL a proxy or log keeps) and the audit log names a
 * keyed digest of it. Every access, erasure and refusal is an audit entry written in the same transaction.
 */
import { searchKeyOf } from '../../config';
import { normaliseIdNumber, type Subject } from '../../db/repositories/personal-data-rights';
import { normalisePhone } from '../../db/repositories/search-keys';
import { accessSubject, eraseSubject } from '../../services/personal-data-rights';
import type { AppContext } from '../context';
import { PROBLEM_CONTENT_TYPE } from '../errors';
import type { ApiRoutes } from '../routing';
import {
  personalDataAccessBody,
  personalDataAccessResponse,
  personalDataErasureBody,
  personalDataErasureResponse,
} from '../schemas/personal-data';
import { renderTimes } from '../time';

const NO_STORE = { 'Cache-Control': 'no-store' };

function subjectOf(body: { phone?: string | undefined; idNumber?: string | undefined }): Subject {
  if (body.phone !== undefined) return { kind: 'phone', value: normalisePhone(body.phone) ?? body.phone };
  return { kind: 'idNumber', value: normaliseIdNumber(body.idNumber ?? '') ?? String(body.idNumber) };
}

export function registerPersonalDataRoutes(routes: ApiRoutes, { db, config, now }: AppContext): void {
  const searchKey = searchKeyOf(config);

  routes.add(
    {
      method: 'post',
      path: '/admin/personal-data/access',
      tag: 'Administration',
      summary: 'Everything held about one person, by phone or ID number (PIPL 第四十四条、第四十五条: access and copy)',
      description:
        'Unmasked: the personal data of every case naming the person (claims, complaints, inquiries, purchases, renewals), the free text on their timelines, survey comments, the notifications of those cases or sent to the phone, and the policies they hold, each with its retention verdict. Audited as personal_data.access (a digest of the number, never the number).',
      access: 'admin',
      body: personalDataAccessBody,
      responses: { 200: { description: 'The copy', schema: personalDataAccessResponse } },
      problems: [403],
    },
    async ({ principal, body }) => {
      const at = now();
      const found = await accessSubject(db, subjectOf(body), {
        actor: principal.sub,
        role: principal.role,
        reason: body.reason,
        searchKey,
        now: at,
      });
      const { retention } = found;
      return {
        status: 200,
        headers: NO_STORE,
        body: renderTimes({
          subject: found.target,
          generatedAt: at,
          cases: found.cases.map((c) => ({ ...c, retention: retention[c.id] })),
          policies: found.policies.map((p) => ({ ...p, retention: retention[`policy:${p.policyNo}`] })),
          notifications: found.notifications,
        }),
      };
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/admin/personal-data/erasure',
      tag: 'Administration',
      summary: 'Erase or anonymise everything held about one person where retention allows (PIPL 第四十七条)',
      description:
        'Cases keep their status, clocks and figures; the person goes: the personal-data row and its search keys, free text on the timeline and in notices ([已删除]), delivered addresses, survey comments; a policy keeps number, product and term with holder and plate anonymised. A record still retained (an open case, or a closed one within 保险法 第八十七条: five years after a contract of up to one year ends, ten after a longer one) refuses the whole request with 409 and `retained: [{ record, reason, retainedUntil, ground }]`, nothing changed — unless `partial: true`, which erases the rest and names what stays. Audited (personal_data.erase per record, personal_data.erasure or personal_data.erase_refused per request).',
      access: 'admin',
      body: personalDataErasureBody,
      responses: { 200: { description: 'What was erased and what is retained', schema: personalDataErasureResponse } },
      problems: [403, 409],
    },
    async ({ principal, body, res }) => {
      const outcome = await eraseSubject(db, subjectOf(body), {
        actor: principal.sub,
        role: principal.role,
        reason: body.reason,
        searchKey,
        now: now(),
        partial: body.partial ?? false,
      });
      if (outcome.outcome === 'refused') {
        const instance = res.getHeader('x-request-id');
        return {
          status: 409,
          contentType: PROBLEM_CONTENT_TYPE,
          headers: NO_STORE,
          body: JSON.stringify({
            type: '/problems/retained',
            title: 'Conflict',
            status: 409,
            detail:
              'Retention forbids erasure of some records (保险法 第八十七条: five years after a contract of up to one year ends, ten after a longer one; an open case is still in use). Nothing was erased.',
            ...(typeof instance === 'string' ? { instance } : {}),
            subject: outcome.target,
            retained: outcome.retained,
          }),
        };
      }
      const { outcome: _o, target, ...rest } = outcome;
      return { status: 200, headers: NO_STORE, body: { subject: target, ...rest } };
    },
  );
}
