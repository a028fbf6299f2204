/** The list of all cases: scope, filters and keyset paging over the PostgreSQL read model. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyProjection } from '../../db/repositories/case-projection';
import type { Clock } from '../../domain/clock';
import { tokenFor, uniqueTeam } from '../support/auth';
import { ALL_DOCUMENTS, claimReport } from '../support/fixtures';
import { startApiHarness, type ApiHarness } from '../support/harness';
import { eventually } from '../support/http';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(async () => {
  await h?.close();
});

/** A claim whose first-contact clock breached and escalated twice, written as its workflow projects it. */
async function seedBreachedClaim(team: string, status: string, closed: boolean): Promise<string> {
  const id = `SEED${randomUUID().replaceAll('-', '').slice(0, 12).toUpperCase()}`;
  const dueAt = new Date(Date.now() - 3 * 3600_000).toISOString();
  const breached: Clock = {
    id: 'claim.firstContact#1',
    policy: 'claim.firstContact',
    kind: 'internal',
    startedAt: new Date(Date.parse(dueAt) - 30 * 60_000).toISOString(),
    dueAt,
    warnAt: dueAt,
    state: 'breached',
    provisional: false,
    escalations: 2,
    ...(closed ? { endedAt: new Date().toISOString(), endedAs: 'cancelled' as const } : {}),
  };
  const at = new Date().toISOString();
  await applyProjection(h.database.db, {
    summary: {
      id,
      type: 'claim',
      status,
      team,
      assignee: null,
      escalationLevel: 2,
      policyNo: null,
      clocks: [breached],
      createdAt: at,
      updatedAt: at,
    },
    data: {},
    version: 1,
    closed,
    events: [],
    notifications: [],
  });
  return id;
}

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

  it('an ended case has no next deadline, and open=true leaves ended cases out of every filter', async () => {
    const team = uniqueTeam();
    const supervisor = tokenFor('supervisor', team);
    const [denied] = await openClaims(team, 1);
    const docs = await h.api.request('POST', `/api/v1/claims/${denied}/documents`, {
      token: tokenFor('agent', team),
      body: { documents: ALL_DOCUMENTS },
    });
    expect(docs.status, docs.text).toBe(200);
    const decision = await h.api.request('POST', `/api/v1/claims/${denied}/decision`, {
      token: supervisor,
      body: { outcome: 'deny', reason: '不属于保险责任' },
    });
    expect(decision.status, decision.text).toBe(200);
    // The denial notice goes out, its receipt closes the claim; its first-contact clock was never met.
    // The read model follows the workflow: wait for the row, not the Query (the receipt's projection may lag).
    await eventually(async () => {
      const res = await h.api.request('GET', `/api/v1/cases?type=claim&open=false`, { token: supervisor });
      expect((res.body.items as { id: string }[]).map((c) => c.id)).toContain(denied);
    });
    const endedAndEscalated = await seedBreachedClaim(team, 'closed', true);
    const stillOpen = await seedBreachedClaim(team, 'under_review', false);

    const list = async (query: string) => {
      const res = await h.api.request('GET', `/api/v1/cases?${query}`, { token: supervisor });
      expect(res.status, res.text).toBe(200);
      return res.body.items as { id: string; nextDueAt: string | null }[];
    };
    const ids = async (query: string) => (await list(query)).map((c) => c.id).sort();
    const items = await list('');
    expect(items.find((c) => c.id === denied)?.nextDueAt).toBeNull();
    expect(items.find((c) => c.id === endedAndEscalated)?.nextDueAt).toBeNull();
    expect(items.find((c) => c.id === stillOpen)?.nextDueAt).toEqual(expect.any(String));

    const now = encodeURIComponent(new Date().toISOString());
    expect(await ids(`dueBefore=${now}`)).toEqual([stillOpen]);
    // A breach stays a fact of the ended case; open=true is how a work queue leaves it out.
    expect(await ids('breached=true')).toEqual([endedAndEscalated, stillOpen].sort());
    expect(await ids('breached=true&open=true')).toEqual([stillOpen]);
    expect(await ids('escalated=true&open=true')).toEqual([stillOpen]);
    expect(await ids('open=true')).toEqual([stillOpen]);
    expect(await ids('open=false')).toEqual([denied, endedAndEscalated].sort());
  });

  it('status takes several values separated by commas, any of them matching', async () => {
    const team = uniqueTeam();
    const [awaiting] = await openClaims(team, 1);
    const closed = await seedBreachedClaim(team, 'closed', true);
    const review = await seedBreachedClaim(team, 'under_review', false);
    const token = tokenFor('supervisor', team);
    const ids = async (query: string) => {
      const res = await h.api.request('GET', `/api/v1/cases?${query}`, { token });
      expect(res.status, res.text).toBe(200);
      return (res.body.items as { id: string }[]).map((c) => c.id).sort();
    };
    expect(await ids('status=closed,under_review')).toEqual([closed, review].sort());
    expect(await ids('status=awaiting_documents,closed')).toEqual([awaiting, closed].sort());
    expect(await ids('status=awaiting_documents')).toEqual([awaiting]);
    const bad = await h.api.request('GET', '/api/v1/cases?status=closed,', { token });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ path: 'status', message: expect.any(String) }]);
  });

  it('refuses a cursor it did not give out', async () => {
    const res = await h.api.request('GET', '/api/v1/cases?cursor=bm90LWEtY3Vyc29y', { token: tokenFor('manager') });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'cursor', message: expect.any(String) }]);
  });
});
