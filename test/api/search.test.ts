/**
 * GET /cases?q= finds a case by case number, policy number, plate or phone — the personal data
 * matched through keyed hashes, never stored in clear for search — and GET /cases/export streams the
 * same selection as CSV.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexUnindexedCases, searchHash } from '../../db/repositories/search-keys';
import { searchKeyOf } from '../../config';
import { tokenFor, uniqueTeam } from '../support/auth';
import { claimReport } from '../support/fixtures';
import { startApiHarness, type ApiHarness } from '../support/harness';
import { eventually } from '../support/http';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('GET /cases?q=', () => {
  it('finds a claim by phone (however it is written), plate, case number and policy number, in scope only', async () => {
    const team = uniqueTeam();
    const agent = tokenFor('agent', team);
    const report = claimReport();
    const phone = report.reporter.phone;
    const plate = report.vehicle.plate;
    const opened = await h.api.request('POST', '/api/v1/claims', { token: agent, body: report });
    expect(opened.status, opened.text).toBe(201);
    const id: string = opened.body.id;
    // A second claim of the same team that must not match.
    expect((await h.api.request('POST', '/api/v1/claims', { token: agent, body: claimReport() })).status).toBe(201);

    const find = async (q: string, token = agent) => {
      const res = await h.api.request('GET', `/api/v1/cases?q=${encodeURIComponent(q)}`, { token });
      expect(res.status, res.text).toBe(200);
      return res.body.items.map((c: { id: string }) => c.id) as string[];
    };
    await eventually(async () => expect(await find(phone)).toEqual([id]));
    expect(await find(`+86 ${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`)).toEqual([id]);
    expect(await find(plate.toLowerCase().replace(/^(..)/, '$1·'))).toEqual([id]);
    expect(await find(id.toLowerCase())).toEqual([id]);
    expect(await find(report.policyNo)).toEqual([id]);
    expect(await find('13900000000')).toEqual([]);
    expect(await find(phone, tokenFor('agent', uniqueTeam()))).toEqual([]);

    // The index holds keyed hashes only: neither the phone nor its plain digits are in it.
    const { rows } = await sql<{ hash: string; kind: string }>`
      select hash, kind from case_search_keys where case_id = ${id}`.execute(h.database.db);
    expect(rows.map((r) => r.kind).sort()).toEqual(['phone', 'plate']);
    expect(rows.map((r) => r.hash)).toContain(searchHash(searchKeyOf(h.config), 'phone', phone));
    for (const r of rows) {
      expect(r.hash).not.toContain(phone);
      expect(r.hash).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('indexes cases opened before the index existed', async () => {
    const team = uniqueTeam();
    const report = claimReport();
    const opened = await h.api.request('POST', '/api/v1/claims', { token: tokenFor('agent', team), body: report });
    const id: string = opened.body.id;
    await eventually(async () => {
      const { rows } = await sql`select 1 from case_search_keys where case_id = ${id}`.execute(h.database.db);
      expect(rows.length).toBe(2);
    });
    await sql`delete from case_search_keys where case_id = ${id}`.execute(h.database.db);
    expect(await indexUnindexedCases(h.database.db, searchKeyOf(h.config))).toBeGreaterThanOrEqual(1);
    const found = await h.api.request('GET', `/api/v1/cases?q=${report.reporter.phone}`, {
      token: tokenFor('supervisor', team),
    });
    expect(found.body.items.map((c: { id: string }) => c.id)).toEqual([id]);
  });
});

describe('GET /cases/export', () => {
  it('streams every page of the same filters as CSV with a BOM, for supervisors and up', async () => {
    const team = uniqueTeam();
    const agent = tokenFor('agent', team);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await h.api.request('POST', '/api/v1/claims', { token: agent, body: claimReport() });
      ids.push(res.body.id);
    }
    const supervisor = tokenFor('supervisor', team);
    const res = await fetch(`${h.api.url}/api/v1/cases/export?type=claim`, {
      headers: { authorization: `Bearer ${supervisor}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).trim().split('\r\n');
    expect(lines[0]).toBe('id,type,status,team,assignee,escalationLevel,nextDueAt,policyNo,breached,createdAt');
    expect(
      lines
        .slice(1)
        .map((l) => l.split(',')[0])
        .sort(),
    ).toEqual([...ids].sort());
    for (const line of lines.slice(1)) expect(line.split(',')[3]).toBe(team);

    expect((await h.api.request('GET', '/api/v1/cases/export', { token: agent })).status).toBe(403);
    expect((await h.api.request('GET', '/api/v1/cases/export?limit=5', { token: supervisor })).status).toBe(400);
  });
});

describe('GET /cases/export row cap', () => {
  it('refuses filters that select more than EXPORT_MAX_ROWS cases with 400 before any row, and exports up to it', async () => {
    const capped = await startApiHarness({ worker: false, env: { EXPORT_MAX_ROWS: '2' } });
    try {
      const team = uniqueTeam();
      const agent = tokenFor('agent', team);
      for (let i = 0; i < 3; i++) {
        const res = await h.api.request('POST', '/api/v1/claims', { token: agent, body: claimReport() });
        expect(res.status, res.text).toBe(201);
      }
      const supervisor = tokenFor('supervisor', team);
      const refused = await capped.api.request('GET', '/api/v1/cases/export?type=claim', { token: supervisor });
      expect(refused.status).toBe(400);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(JSON.stringify(refused.body)).toContain('more than 2 cases');
      // Narrowed to what the cap allows (a status none of them has yet): exported.
      const narrowed = await capped.api.request('GET', '/api/v1/cases/export?type=claim&status=paid', {
        token: supervisor,
      });
      expect(narrowed.status).toBe(200);
    } finally {
      await capped.close();
    }
  });
});
