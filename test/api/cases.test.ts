/** The list of all cases: scope, filters and keyset paging over the PostgreSQL read model. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

async function openClaims(team: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await h.api.request('POST', '/api/v1/claims', { token: tokenFor('agent', team), body: claimReport() });
    expect(res.status, res.text).toBe(201);
    ids.push(res.body.id);
  }
  return ids;
}

describe('GET /cases', () => {
  it('pages newest first with an opaque cursor', async () => {
    const team = uniqueTeam();
    const ids = await openClaims(team, 3);
    const token = tokenFor('supervisor', team);
    const first = await h.api.request('GET', '/api/v1/cases?limit=2', { token });
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await h.api.request(
      'GET',
      `/api/v1/cases?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`,
      { token },
    );
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    const seen = [...first.body.items, ...second.body.items].map((c: { id: string }) => c.id);
    expect(seen.sort()).toEqual([...ids].sort());

    const item = first.body.items[0];
    expect(Object.keys(item).sort()).toEqual([
      'assignee',
      'escalationLevel',
      'id',
      'nextDueAt',
      'policyNo',
      'status',
      'team',
      'type',
    ]);
    expect(item.nextDueAt).toMatch(/\+08:00$/);
  });

  it("keeps agents and supervisors to their own team's cases, whatever they filter", async () => {
    const mine = uniqueTeam();
    const theirs = uniqueTeam();
    const [own] = await openClaims(mine, 1);
    await openClaims(theirs, 1);
    const agent = tokenFor('agent', mine);
    const all = await h.api.request('GET', '/api/v1/cases', { token: agent });
    expect(all.body.items.map((c: { id: string }) => c.id)).toEqual([own]);
    const peek = await h.api.request('GET', `/api/v1/cases?team=${theirs}`, { token: agent });
    expect(peek.status).toBe(200);
    expect(peek.body.items).toEqual([]);
    const manager = await h.api.request('GET', `/api/v1/cases?team=${theirs}`, { token: tokenFor('manager') });
    expect(manager.body.items).toHaveLength(1);
  });

  it('filters by status, type, breach and due date', async () => {
    const team = uniqueTeam();
    const [id] = await openClaims(team, 1);
    const token = tokenFor('supervisor', team);
    const q = (query: string) =>
      h.api
        .request('GET', `/api/v1/cases?${query}`, { token })
        .then((r) => r.body.items.map((c: { id: string }) => c.id));
    expect(await q('status=awaiting_documents&type=claim')).toEqual([id]);
    expect(await q('status=under_review')).toEqual([]);
    expect(await q('breached=false')).toEqual([id]);
    expect(await q('breached=true')).toEqual([]);
    expect(await q(`dueBefore=${encodeURIComponent(new Date(Date.now() + 2 * 3600_000).toISOString())}`)).toEqual([id]);
    expect(await q(`dueBefore=${encodeURIComponent(new Date(Date.now() - 3600_000).toISOString())}`)).toEqual([]);
  });

  it('refuses a cursor it did not give out', async () => {
    const res = await h.api.request('GET', '/api/v1/cases?cursor=bm90LWEtY3Vyc29y', { token: tokenFor('manager') });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'cursor', message: expect.any(String) }]);
  });
});
