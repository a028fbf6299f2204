/**
 * The audit trail through the API: a token's first use is a sign-in entry, a reveal and an admin
 * change each leave theirs, `GET /audit` shows them to admins only, filtered and paged, and the
 * chain behind them verifies.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyAuditChain } from '../../db/repositories/audit';
import { tokenFor, uniqueTeam } from '../support/auth';
import { claimReport } from '../support/fixtures';
import { startApiHarness, type ApiHarness } from '../support/harness';
import { hire } from '../support/staff';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('GET /audit', () => {
  it('shows sign-ins, reveals and admin changes to admins, newest first, with filters and pages', async () => {
    const team = uniqueTeam();
    const agentId = `agent-${team}`;
    const agent = tokenFor('agent', team, agentId);
    const adminId = `admin-${team}`;
    const admin = tokenFor('admin', undefined, adminId);

    const created = await h.api.request('POST', '/api/v1/claims', { token: agent, body: claimReport() });
    expect(created.status, created.text).toBe(201);
    // The same token again is the same sign-in.
    await h.api.request('GET', `/api/v1/claims/${created.body.id}`, { token: agent });
    const revealed = await h.api.request('POST', `/api/v1/cases/${created.body.id}/reveal`, {
      token: agent,
      body: { reason: '回访报案人', fields: ['reporter'] },
    });
    expect(revealed.status).toBe(200);
    const year = await h.api.request('GET', '/api/v1/admin/calendar', { token: admin });
    expect(year.status).toBe(200);

    const byAgent = await h.api.request('GET', `/api/v1/audit?actor=${agentId}`, { token: admin });
    expect(byAgent.status, byAgent.text).toBe(200);
    expect(byAgent.body.items.map((e: { action: string }) => e.action)).toEqual([
      'personal_data.reveal',
      'auth.sign_in',
    ]);
    expect(byAgent.body.items[1]).toMatchObject({
      target: `staff:${agentId}`,
      detail: { role: 'agent', team, issuer: 'embedded', token: expect.stringMatching(/^[0-9a-f]{32}$/) },
      at: expect.stringMatching(/\+08:00$/),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(byAgent.text).not.toContain(agent);

    const byCase = await h.api.request('GET', `/api/v1/audit?caseId=${created.body.id}`, { token: admin });
    expect(byCase.body.items).toEqual([
      expect.objectContaining({ actor: agentId, action: 'personal_data.reveal', detail: expect.anything() }),
    ]);

    const first = await h.api.request('GET', `/api/v1/audit?actor=${agentId}&limit=1`, { token: admin });
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).toBe(first.body.items[0].seq);
    const second = await h.api.request(
      'GET',
      `/api/v1/audit?actor=${agentId}&limit=1&cursor=${first.body.nextCursor}`,
      {
        token: admin,
      },
    );
    expect(second.body.items.map((e: { action: string }) => e.action)).toEqual(['auth.sign_in']);
    // Past a bigint (PostgreSQL 22003): a cursor this API never gave out is 400, not 500.
    const huge = await h.api.request('GET', '/api/v1/audit?cursor=9480025168875804280', { token: admin });
    expect(huge.status).toBe(400);

    const future = await h.api.request('GET', `/api/v1/audit?actor=${agentId}&from=2099-01-01T00:00:00%2B08:00`, {
      token: admin,
    });
    expect(future.body).toEqual({ items: [], nextCursor: null });

    const supervisorId = `sup-${team}`;
    const exported = await h.api.request('GET', '/api/v1/cases/export?q=13800001111', {
      token: tokenFor('supervisor', team, supervisorId),
    });
    expect(exported.status).toBe(200);
    const exports = await h.api.request('GET', `/api/v1/audit?actor=${supervisorId}`, { token: admin });
    expect(exports.body.items).toContainEqual(
      expect.objectContaining({
        action: 'cases.export',
        detail: expect.objectContaining({ filters: expect.arrayContaining(['q']) }),
      }),
    );
    expect(exports.text).not.toContain('13800001111');

    for (const role of ['agent', 'supervisor', 'manager'] as const) {
      const refused = await h.api.request('GET', '/api/v1/audit', { token: tokenFor(role, team) });
      expect(refused.status).toBe(403);
    }
    expect((await verifyAuditChain(h.database.db)).ok).toBe(true);
  });
});

describe('unknown staff', () => {
  const unknownLines = (sub: string) =>
    h.logs.filter((line) => line.includes('unknown staff') && line.includes(`"staffId":"${sub}"`));

  it('a signed-in subject the directory does not know is logged once per process; a directory member never', async () => {
    const team = uniqueTeam();
    const stranger = `nobody-${team}`;
    // Two tokens of the same stranger, each used twice: one line.
    for (const token of [tokenFor('agent', team, stranger), tokenFor('agent', team, stranger)]) {
      for (let i = 0; i < 2; i++) expect((await h.api.request('GET', '/api/v1/cases', { token })).status).toBe(200);
    }
    await vi.waitFor(() => expect(unknownLines(stranger)).toHaveLength(1));
    expect(JSON.parse(unknownLines(stranger)[0]!)).toMatchObject({ level: 40, role: 'agent' });

    const member = await hire(h.database.db, `agent-${team}`, team);
    expect((await h.api.request('GET', '/api/v1/cases', { token: tokenFor('agent', team, member) })).status).toBe(200);
    expect(unknownLines(member)).toEqual([]);
  });
});
