/**
 * Facilities through the real API, dev server and PostgreSQL: managers register (PUT: 201, the same
 * body again 200 and nothing changes), agents check their team's items (another team's is 404),
 * a fault opens a repair record shown in the item's maintenance history, the manager closes it or
 * turns it into a replacement request; refusals are problem+json 400/403/404/409.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenFor, uniqueTeam } from '../support/auth';
import { startApiHarness, type ApiHarness } from '../support/harness';
import { eventually } from '../support/http';

const DAY = 86_400_000;
let h: ApiHarness;
/** The API's clock runs this far ahead: the register's "due today" moves with it. */
let ahead = 0;
beforeAll(async () => {
  h = await startApiHarness({ app: { now: () => new Date(Date.now() + ahead) } });
});
afterAll(async () => {
  await h?.close();
});

const assetId = () => `PC-${randomUUID().slice(0, 8).toUpperCase()}`;
const registration = (over: Record<string, unknown> = {}) => ({
  kind: 'computer',
  location: '三楼坐席区 A-12',
  purchasedAt: '2025-03-01',
  checkEveryDays: 7,
  ...over,
});

async function register(team: string, over: Record<string, unknown> = {}) {
  const id = assetId();
  const res = await h.api.request('PUT', `/api/v1/facilities/equipment/${id}`, {
    token: tokenFor('manager', team),
    body: registration(over),
  });
  expect(res.status, res.text).toBe(201);
  return { id, item: res.body };
}

const check = (id: string, token: string, body: Record<string, unknown>) =>
  h.api.request('POST', `/api/v1/facilities/equipment/${id}/checks`, { token, body });

describe('the equipment register', () => {
  it('a manager registers an item (201) with its first check due; the same PUT again is 200 and changes nothing', async () => {
    const team = uniqueTeam();
    const { id, item } = await register(team);
    expect(item).toMatchObject({ assetId: id, team, status: 'in_service', checkEveryDays: 7, checks: [], repairs: [] });
    expect(item.clocks).toEqual([expect.objectContaining({ policy: 'facilities.check', state: 'pending' })]);
    expect(Date.parse(item.nextCheckDueAt) - Date.parse(item.registeredAt)).toBeGreaterThanOrEqual(7 * DAY);
    expect(item.nextCheckDueAt).toMatch(/\+08:00$/);

    const again = await h.api.request('PUT', `/api/v1/facilities/equipment/${id}`, {
      token: tokenFor('admin', 'ops'),
      body: registration(),
    });
    expect(again.status, again.text).toBe(200);
    expect(again.body.nextCheckDueAt).toBe(item.nextCheckDueAt);
    expect(again.body.clocks).toEqual(item.clocks);

    const moved = await h.api.request('PUT', `/api/v1/facilities/equipment/${id}`, {
      token: tokenFor('manager', 'elsewhere'),
      body: registration({ location: '四楼培训室', checkEveryDays: 3 }),
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ location: '四楼培训室', checkEveryDays: 3, team });
    expect(Date.parse(moved.body.nextCheckDueAt)).toBeLessThan(Date.parse(item.nextCheckDueAt));
    const timeline = await eventually(async () => {
      const rows = await h.database.db
        .selectFrom('timeline_events')
        .select('kind')
        .where('case_id', '=', `EQ-${id}`)
        .execute();
      expect(rows.map((r) => r.kind)).toContain('equipment.updated');
      return rows.map((r) => r.kind);
    });
    expect(timeline.filter((k) => k === 'equipment.updated')).toHaveLength(1);
  });

  it('refuses agents and supervisors (403), unknown fields, a future purchase and a bad tag (400, problem+json)', async () => {
    const team = uniqueTeam();
    for (const role of ['agent', 'supervisor'] as const) {
      const res = await h.api.request('PUT', `/api/v1/facilities/equipment/${assetId()}`, {
        token: tokenFor(role, team),
        body: registration(),
      });
      expect(res.status, role).toBe(403);
    }
    const token = tokenFor('manager', team);
    const cases = [
      [assetId(), registration({ colour: 'grey' })],
      [assetId(), registration({ purchasedAt: '2999-01-01' })],
      [assetId(), registration({ checkEveryDays: 0 })],
      ['pc 12', registration()],
    ] as const;
    for (const [id, body] of cases) {
      const res = await h.api.request('PUT', `/api/v1/facilities/equipment/${encodeURIComponent(id)}`, { token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(res.body.errors.length).toBeGreaterThan(0);
    }
  });

  it("lists a team's register to its agents; due=true holds the items due by the end of today, overdue included", async () => {
    const team = uniqueTeam();
    const soon = await register(team, { checkEveryDays: 1 });
    const later = await register(team, { checkEveryDays: 30 });
    const agent = tokenFor('agent', team);
    const all = await h.api.request('GET', '/api/v1/facilities/equipment', { token: agent });
    expect(all.status).toBe(200);
    expect(all.body.items.map((i: { assetId: string }) => i.assetId).sort()).toEqual([soon.id, later.id].sort());
    expect(
      await h.api.request('GET', `/api/v1/facilities/equipment?team=${uniqueTeam()}`, { token: agent }),
    ).toMatchObject({
      status: 404,
    });
    // Past the daily check's due instant whatever today is: one working day after the eve of a week of
    // holidays (National Day, the Spring Festival) falls up to nine calendar days later, and after a
    // Friday three, which a shorter step missed on a Friday night in Shanghai. The monthly item's
    // 30 working days are still weeks away.
    ahead = 12 * DAY;
    try {
      const due = await h.api.request('GET', '/api/v1/facilities/equipment?due=true', { token: agent });
      expect(due.body.items).toEqual([expect.objectContaining({ assetId: soon.id, due: true, overdue: true })]);
      const page = await h.api.request('GET', `/api/v1/facilities/equipment?team=${team}&limit=1`, {
        token: tokenFor('manager', 'hq'),
      });
      expect(page.body.items).toHaveLength(1);
      expect(page.body.nextCursor).toBe(page.body.items[0].assetId);
    } finally {
      ahead = 0;
    }
  });
});

describe('checks and repairs', () => {
  it("an agent checks their team's item (201); another team's agent gets 404 and HR 403", async () => {
    const team = uniqueTeam();
    const { id, item } = await register(team);
    expect((await check(id, tokenFor('agent', uniqueTeam()), { result: 'ok' })).status).toBe(404);
    expect((await check(id, tokenFor('hr'), { result: 'ok' })).status).toBe(403);
    expect((await check(id, tokenFor('agent', team), { result: 'fine' })).status).toBe(400);
    const ok = await check(id, tokenFor('agent', team), { result: 'ok', note: '运行正常' });
    expect(ok.status, ok.text).toBe(201);
    expect(ok.body.checks).toEqual([expect.objectContaining({ n: 1, result: 'ok', note: '运行正常', repairId: null })]);
    expect(Date.parse(ok.body.nextCheckDueAt)).toBeGreaterThan(Date.parse(item.nextCheckDueAt) - 1);
    expect(ok.body.lastCheckedAt).not.toBeNull();
  });

  it('a fault opens a repair in the maintenance history; no check until done; done closes it repaired', async () => {
    const team = uniqueTeam();
    const { id } = await register(team);
    const faulty = await check(id, tokenFor('agent', team), { result: 'fault', note: '耳机无声' });
    expect(faulty.status, faulty.text).toBe(201);
    const repairId = `RP-${id}-1`;
    expect(faulty.body).toMatchObject({ status: 'under_repair', openRepairId: repairId, nextCheckDueAt: null });
    expect(faulty.body.repairs).toEqual([expect.objectContaining({ repairId, status: 'open', fault: '耳机无声' })]);

    const again = await check(id, tokenFor('agent', team), { result: 'ok' });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toMatch(/application\/problem\+json/);

    const done = (token: string) =>
      h.api.request('POST', `/api/v1/facilities/repairs/${repairId}/done`, { token, body: { note: '更换耳机线' } });
    expect((await done(tokenFor('supervisor', team))).status).toBe(403);
    const closed = await done(tokenFor('manager', 'hq'));
    expect(closed.status, closed.text).toBe(200);
    expect(closed.body).toMatchObject({ id: repairId, status: 'closed', outcome: 'repaired', doneNote: '更换耳机线' });
    expect(closed.body.clocks).toEqual([expect.objectContaining({ policy: 'facilities.repair', state: 'met' })]);
    expect((await done(tokenFor('manager', 'hq'))).status).toBe(409);

    const back = await eventually(async () => {
      const res = await h.api.request('GET', `/api/v1/facilities/equipment/${id}`, { token: tokenFor('agent', team) });
      expect(res.body.status).toBe('in_service');
      return res.body;
    });
    expect(back.repairs).toEqual([expect.objectContaining({ repairId, status: 'closed', outcome: 'repaired' })]);
    expect(back.nextCheckDueAt).not.toBeNull();
  });

  it('beyond repair: the replacement request (manager+, 409 without an open repair), then done closes it replaced', async () => {
    const team = uniqueTeam();
    const { id } = await register(team);
    const replacement = (token: string, reason = '主板损坏，无法修复') =>
      h.api.request('POST', `/api/v1/facilities/equipment/${id}/replacement`, { token, body: { reason } });
    const manager = tokenFor('manager', team);
    expect((await replacement(manager)).status).toBe(409);
    await check(id, tokenFor('agent', team), { result: 'fault', note: '无法开机' });
    expect((await replacement(tokenFor('agent', team))).status).toBe(403);
    const requested = await replacement(manager);
    expect(requested.status, requested.text).toBe(200);
    expect(requested.body).toMatchObject({
      status: 'replacement_requested',
      replacement: { reason: '主板损坏，无法修复' },
    });
    expect(requested.body.clocks.map((c: { policy: string; state: string }) => [c.policy, c.state])).toEqual([
      ['facilities.repair', 'met'],
      ['facilities.replacement', 'pending'],
    ]);
    await eventually(async () => {
      expect((await replacement(manager)).status).toBe(409);
    });
    const closed = await h.api.request('POST', `/api/v1/facilities/repairs/RP-${id}-1/done`, {
      token: manager,
      body: {},
    });
    expect(closed.body).toMatchObject({ status: 'closed', outcome: 'replaced' });
    await eventually(async () => {
      const res = await h.api.request('GET', `/api/v1/facilities/equipment/${id}`, { token: manager });
      expect(res.body).toMatchObject({ status: 'in_service', openRepairId: null });
    });
  });

  it('an unknown item or repair is 404', async () => {
    const token = tokenFor('manager', 'hq');
    expect((await h.api.request('GET', `/api/v1/facilities/equipment/${assetId()}`, { token })).status).toBe(404);
    expect(
      (await h.api.request('POST', `/api/v1/facilities/repairs/RP-${assetId()}-1/done`, { token, body: {} })).status,
    ).toBe(404);
  });
});
