/**
 * The person's rights against the real app, dev server and PostgreSQL: POST /admin/personal-data/access
 * gathers every datum held for a phone or ID number; POST /admin/personal-data/erasure erases it where
 * retention allows and answers 409 naming what retention keeps; both land in the audit chain, which
 * never holds the number itself.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../db/repositories/audit';
import { upsertInsurancePolicies } from '../../db/repositories/insurance-policies';
import { tokenFor, uniqueTeam } from '../support/auth';
import { claimReport } from '../support/fixtures';
import { startApiHarness, type ApiHarness } from '../support/harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(async () => {
  await h?.close();
});

const admin = () => tokenFor('admin', undefined, 'admin-rights');
const randomPhone = () => `139${String(randomInt(1e8)).padStart(8, '0')}`;
const randomIdNumber = () => `4403051990${String(randomInt(1e7)).padStart(7, '0')}X`;

/** A claim closed long ago (2018), with a note and a delivered notice, written as the projection would have. */
async function seedOldClaim(phone: string, team: string, extra: Record<string, unknown> = {}): Promise<string> {
  const id = `CL20180301${randomUUID().slice(0, 6).toUpperCase()}`;
  const db = h.database.db;
  await db
    .insertInto('cases')
    .values({
      id,
      type: 'claim',
      status: 'paid',
      team,
      assignee: null,
      escalation_level: 0,
      policy_no: null,
      next_due_at: null,
      sla_breached: false,
      data: sql`'{}'::jsonb`,
      version: 9,
      created_at: new Date('2018-03-01T02:00:00Z'),
      updated_at: new Date('2018-04-01T02:00:00Z'),
      closed_at: new Date('2018-04-01T02:00:00Z'),
    })
    .execute();
  await db
    .insertInto('case_personal_data')
    .values({
      case_id: id,
      data: sql`${JSON.stringify({ reporter: { name: '欧阳娜', phone }, vehicle: { plate: '粤B7F331' }, ...extra })}::jsonb`,
    })
    .execute();
  await db
    .insertInto('timeline_events')
    .values({
      case_id: id,
      event_key: `${id}:1`,
      at: new Date('2018-03-02T02:00:00Z'),
      actor: 'agent-old',
      kind: 'note.added',
      detail: sql`${JSON.stringify({ text: '旧案备注 OLD-NOTE-MARK' })}::jsonb`,
    })
    .execute();
  await db
    .insertInto('notifications')
    .values({
      case_id: id,
      idempotency_key: `${id}:notice`,
      channel: 'sms',
      template: 'claim.received',
      params: sql`${JSON.stringify({ caseId: id })}::jsonb`,
      recipient_kind: 'customer',
      recipient_ref: 'customer',
      recipient: phone,
      status: 'sent',
      sent_at: new Date('2018-03-01T02:01:00Z'),
    })
    .execute();
  return id;
}

async function auditRows(target: string) {
  return h.database.db
    .selectFrom('audit_log')
    .select(['actor', 'action', 'target', 'detail'])
    .where('target', '=', target)
    .orderBy('seq')
    .execute();
}

describe('the person’s rights', () => {
  it('gathers every case, note, notice and policy held for a phone number, unmasked, and audits it without the number', async () => {
    const phone = randomPhone();
    const team = uniqueTeam();
    const agent = tokenFor('agent', team);
    const opened = await h.api.request('POST', '/api/v1/claims', {
      token: agent,
      body: claimReport({ reporter: { name: '司马光', phone } }),
    });
    expect(opened.status, opened.text).toBe(201);
    const note = await h.api.request('POST', `/api/v1/cases/${opened.body.id}/notes`, {
      token: agent,
      body: { text: '客户要求回电 LIVE-NOTE-MARK' },
    });
    expect(note.status, note.text).toBe(200);
    const old = await seedOldClaim(phone, team);
    const policyNo = `PRIGHTS${randomInt(1e8)}`;
    await upsertInsurancePolicies(h.database.db, [
      {
        policyNo,
        holder: { name: '司马光', phone, email: null },
        plate: '粤B9K123',
        product: 'compulsory',
        startsAt: '2025-01-01T00:00:00.000Z',
        expiresAt: '2026-01-01T00:00:00.000Z',
        premium: 950,
        claimFreeYears: 0,
      },
    ]);
    // Someone else's case is not theirs.
    const other = await h.api.request('POST', '/api/v1/claims', { token: agent, body: claimReport() });
    expect(other.status).toBe(201);

    const res = await h.api.request('POST', '/api/v1/admin/personal-data/access', {
      token: admin(),
      body: { phone, reason: '工单 PIPL-2026-001：本人查阅' },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body.cases.map((c: { id: string }) => c.id).sort()).toEqual([opened.body.id, old].sort());
    expect(res.text).not.toContain(other.body.id);
    const live = res.body.cases.find((c: { id: string }) => c.id === opened.body.id);
    expect(live.personalData.reporter).toEqual({ name: '司马光', phone });
    expect(live.timeline).toEqual([
      expect.objectContaining({ kind: 'note.added', detail: { text: '客户要求回电 LIVE-NOTE-MARK' } }),
    ]);
    expect(live.retention).toMatchObject({ erasable: false, reason: 'open' });
    const past = res.body.cases.find((c: { id: string }) => c.id === old);
    expect(past.retention).toMatchObject({ erasable: true, ground: 'no_contract', retainedUntil: '2023-04-01' });
    expect(res.body.policies).toEqual([
      expect.objectContaining({
        policyNo,
        holder: { name: '司马光', phone, email: null },
        plate: '粤B9K123',
        retention: expect.objectContaining({
          erasable: false,
          ground: 'contract_up_to_one_year',
          retainedUntil: '2031-01-01',
        }),
      }),
    ]);
    expect(res.body.notifications).toEqual(
      expect.arrayContaining([expect.objectContaining({ caseId: old, recipient: phone, template: 'claim.received' })]),
    );

    const audit = await auditRows(res.body.subject);
    expect(audit).toEqual([
      expect.objectContaining({
        actor: 'admin-rights',
        action: 'personal_data.access',
        detail: expect.objectContaining({
          kind: 'phone',
          reason: '工单 PIPL-2026-001：本人查阅',
          policies: [policyNo],
        }),
      }),
    ]);
    expect(JSON.stringify(audit)).not.toContain(phone);
  });

  it('finds a purchase by the holder’s ID number, in the application and in a submission', async () => {
    const idNumber = randomIdNumber();
    const team = uniqueTeam();
    const holder = { name: '诸葛亮', phone: randomPhone(), idNumber };
    const id = await seedOldClaim(randomPhone(), team, {
      submissions: { s1: { holder, vehicle: { plate: '粤B5N820', vin: 'LSVAU2180N2183294' } } },
    });
    const res = await h.api.request('POST', '/api/v1/admin/personal-data/access', {
      token: admin(),
      body: { idNumber: idNumber.toLowerCase(), reason: '工单 PIPL-2026-002' },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.cases.map((c: { id: string }) => c.id)).toEqual([id]);
    expect(res.body.cases[0].personalData.submissions.s1.holder.idNumber).toBe(idNumber);
    expect(await auditRows(res.body.subject)).toHaveLength(1);
  });

  it('refuses erasure with 409 while a record is retained, changing nothing; partial erases the rest', async () => {
    const phone = randomPhone();
    const team = uniqueTeam();
    const agent = tokenFor('agent', team);
    const opened = await h.api.request('POST', '/api/v1/claims', {
      token: agent,
      body: claimReport({ reporter: { name: '上官婉', phone } }),
    });
    expect(opened.status, opened.text).toBe(201);
    const old = await seedOldClaim(phone, team);

    const refused = await h.api.request('POST', '/api/v1/admin/personal-data/erasure', {
      token: admin(),
      body: { phone, reason: '工单 PIPL-2026-003：本人要求删除' },
    });
    expect(refused.status, refused.text).toBe(409);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ type: '/problems/retained', status: 409 });
    expect(refused.body.detail).toContain('保险法 第八十七条');
    expect(refused.body.retained).toEqual([
      { record: opened.body.id, reason: 'open', retainedUntil: null, ground: null },
    ]);
    expect(refused.text).not.toContain(phone);
    const db = h.database.db;
    expect(
      await db.selectFrom('case_personal_data').select('case_id').where('case_id', '=', old).execute(),
    ).toHaveLength(1);
    expect((await auditRows(refused.body.subject)).map((r) => r.action)).toEqual(['personal_data.erase_refused']);

    const erased = await h.api.request('POST', '/api/v1/admin/personal-data/erasure', {
      token: admin(),
      body: { phone, reason: '工单 PIPL-2026-003：本人要求删除', partial: true },
    });
    expect(erased.status, erased.text).toBe(200);
    expect(erased.body).toMatchObject({ erasedCases: [old], timelineEvents: 1, notifications: 1 });
    expect(erased.body.retained).toEqual([expect.objectContaining({ record: opened.body.id, reason: 'open' })]);

    // The old case stays (its facts), the person is gone from it.
    expect(await db.selectFrom('cases').select('id').where('id', '=', old).execute()).toHaveLength(1);
    expect(await db.selectFrom('case_personal_data').select('case_id').where('case_id', '=', old).execute()).toEqual(
      [],
    );
    expect(await db.selectFrom('case_search_keys').select('case_id').where('case_id', '=', old).execute()).toEqual([]);
    const notes = await db.selectFrom('timeline_events').select('detail').where('case_id', '=', old).execute();
    expect(notes.map((n) => n.detail)).toEqual([{ text: '[已删除]' }]);
    const notices = await db.selectFrom('notifications').select('recipient').where('case_id', '=', old).execute();
    expect(notices).toEqual([{ recipient: null }]);
    // The open case keeps its data.
    const still = await h.api.request('POST', '/api/v1/admin/personal-data/access', {
      token: admin(),
      body: { phone, reason: '复核' },
    });
    expect(still.body.cases.map((c: { id: string }) => c.id)).toEqual([opened.body.id]);

    const actions = (await auditRows(erased.body.subject)).map((r) => r.action);
    expect(actions).toEqual(['personal_data.erase_refused', 'personal_data.erasure', 'personal_data.access']);
    expect((await auditRows(old)).map((r) => r.action)).toEqual(['personal_data.erase']);
    expect(JSON.stringify(await auditRows(erased.body.subject))).not.toContain(phone);
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });

  it('refuses both numbers at once, or none, without echoing either', async () => {
    const phone = randomPhone();
    const both = await h.api.request('POST', '/api/v1/admin/personal-data/access', {
      token: admin(),
      body: { phone, idNumber: randomIdNumber(), reason: 'x' },
    });
    expect(both.status).toBe(400);
    expect(both.text).not.toContain(phone);
    const none = await h.api.request('POST', '/api/v1/admin/personal-data/erasure', {
      token: admin(),
      body: { reason: 'x' },
    });
    expect(none.status).toBe(400);
    const manager = await h.api.request('POST', '/api/v1/admin/personal-data/access', {
      token: tokenFor('manager'),
      body: { phone, reason: 'x' },
    });
    expect(manager.status).toBe(403);
  });
});
