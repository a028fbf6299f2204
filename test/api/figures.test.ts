/**
 * Figures a manager can act on: KPI targets per period, team and agent (the most specific wins, the
 * defaults last), and the KPI report as CSV, parsed back to the same numbers as the JSON.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyProjection } from '../../db/repositories/case-projection';
import { DEFAULT_KPI_TARGETS } from '../../domain/kpis';
import { tokenFor, uniqueTeam } from '../support/auth';
import { startApiHarness, type ApiHarness } from '../support/harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness({ worker: false });
});
afterAll(async () => {
  await h?.close();
});

async function seedCase(team: string, type: string, assignee: string, createdAt: string): Promise<string> {
  const id = `FIG${randomUUID().replaceAll('-', '').slice(0, 12).toUpperCase()}`;
  await applyProjection(h.database.db, {
    summary: {
      id,
      type,
      status: 'received',
      team,
      assignee,
      escalationLevel: 0,
      policyNo: null,
      clocks: [],
      createdAt,
      updatedAt: createdAt,
    },
    data: {},
    version: 1,
    closed: false,
    events: [],
    notifications: [],
  } as never);
  return id;
}

/** A period no other test file sets targets for (targets are per month, shared by the database). */
function freshPeriod(): { period: string; query: string } {
  const year = 2030 + Math.floor(Math.random() * 60);
  const month = String(1 + Math.floor(Math.random() * 12)).padStart(2, '0');
  const next = month === '12' ? `${year + 1}-01` : `${year}-${String(Number(month) + 1).padStart(2, '0')}`;
  return { period: `${year}-${month}`, query: `from=${year}-${month}-01&to=${next}-01` };
}

const targetsOf = (body: { kpis: { key: string; target: number }[] }) =>
  Object.fromEntries(body.kpis.map((k) => [k.key, k.target]));

/** A small RFC 4180 reader: enough for the report's own output (quotes, commas, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}

describe('KPI targets', () => {
  it('resolve per KPI: the agent’s over the team’s over the period’s over the default', async () => {
    const team = uniqueTeam();
    const agent = `agent-${randomUUID().slice(0, 6)}`;
    const { period, query } = freshPeriod();
    const manager = tokenFor('manager');
    const put = (body: object, token = manager) =>
      h.api.request('PUT', '/api/v1/admin/kpi-targets', { token, body: { period, ...body } });

    const periodLevel = await put({ targets: { complaint_rate: 0.04, renewal_rate: 0.6, claim_timeliness: 0.9 } });
    expect(periodLevel.status, periodLevel.text).toBe(200);
    expect(periodLevel.body).toMatchObject({ period, team: null, staffId: null });
    expect((await put({ team, targets: { renewal_rate: 0.65, claim_timeliness: 0.85 } })).status).toBe(200);
    const agentLevel = await put({ staffId: agent, targets: { claim_timeliness: 0.8 } }, tokenFor('admin'));
    expect(agentLevel.body).toMatchObject({ staffId: agent, team: null, targets: { claim_timeliness: 0.8 } });
    // A second PUT of a level changes only the KPIs it names.
    const merged = await put({ team, targets: { answer_accuracy: 0.97 } });
    expect(merged.body.targets).toEqual({ renewal_rate: 0.65, claim_timeliness: 0.85, answer_accuracy: 0.97 });

    const report = async (scope: string) => {
      const res = await h.api.request('GET', `/api/v1/reports/kpis?${query}${scope}`, { token: manager });
      expect(res.status, res.text).toBe(200);
      return targetsOf(res.body);
    };
    const forAgent = await report(`&team=${team}&agent=${agent}`);
    expect(forAgent).toMatchObject({
      claim_timeliness: 0.8, // agent
      renewal_rate: 0.65, // team
      answer_accuracy: 0.97, // team
      complaint_rate: 0.04, // period
      customer_satisfaction: DEFAULT_KPI_TARGETS.customer_satisfaction.value, // default
    });
    expect(await report(`&team=${team}`)).toMatchObject({ claim_timeliness: 0.85, renewal_rate: 0.65 });
    expect(await report(`&team=${uniqueTeam()}`)).toMatchObject({ claim_timeliness: 0.9, renewal_rate: 0.6 });
    expect(await report('')).toMatchObject({ complaint_rate: 0.04, answer_accuracy: 0.95 });
    // Another month falls back to the defaults.
    const other = await h.api.request('GET', `/api/v1/reports/kpis?from=2029-01-01&to=2029-02-01&agent=${agent}`, {
      token: manager,
    });
    expect(targetsOf(other.body).claim_timeliness).toBe(DEFAULT_KPI_TARGETS.claim_timeliness.value);
  });

  it('are set by managers and admins only, with known KPI keys and ratios', async () => {
    const body = { period: '2031-01', targets: { complaint_rate: 0.05 } };
    for (const token of [tokenFor('supervisor', uniqueTeam()), tokenFor('hr'), tokenFor('agent', uniqueTeam())])
      expect((await h.api.request('PUT', '/api/v1/admin/kpi-targets', { token, body })).status).toBe(403);
    const bad = await h.api.request('PUT', '/api/v1/admin/kpi-targets', {
      token: tokenFor('manager'),
      body: { period: '2031-13', targets: { complaint_rate: 5, speed: 1 } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(
      ['period', 'targets.complaint_rate', 'targets.speed'].sort(),
    );
  });
});

describe('the KPI report as CSV', () => {
  it('parses back to the same numbers as the JSON, with a BOM for Excel, by format=csv or Accept', async () => {
    const team = uniqueTeam();
    const agent = `agent-${randomUUID().slice(0, 6)}`;
    await seedCase(team, 'complaint', agent, '2025-05-10T02:00:00.000Z');
    await seedCase(team, 'claim', agent, '2025-05-11T02:00:00.000Z');
    await seedCase(team, 'inquiry', agent, '2025-05-12T02:00:00.000Z');
    const query = `from=2025-05-01&to=2025-06-01&team=${team}`;
    const token = tokenFor('supervisor', team);
    const json = await h.api.request('GET', `/api/v1/reports/kpis?${query}`, { token });
    expect(json.status, json.text).toBe(200);

    const csv = await h.api.request('GET', `/api/v1/reports/kpis?${query}&format=csv`, { token });
    expect(csv.status, csv.text).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    // fetch's text() drops a BOM: read the bytes.
    const raw = await fetch(`${h.api.url}/api/v1/reports/kpis?${query}&format=csv`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect([...new Uint8Array(await raw.arrayBuffer()).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const byAccept = await h.api.request('GET', `/api/v1/reports/kpis?${query}`, {
      token,
      headers: { accept: 'text/csv' },
    });
    expect(byAccept.text).toBe(csv.text);

    const [header, ...rows] = parseCsv(csv.text.replace(/^\uFEFF/, ''));
    expect(header).toEqual([
      'key',
      '指标',
      'value',
      'numerator',
      'denominator',
      'target',
      'met',
      'from',
      'to',
      'team',
      'agent',
    ]);
    const parsed = rows.map((r) => ({
      key: r[0],
      value: r[2] === '' ? null : Number(r[2]),
      numerator: Number(r[3]),
      denominator: Number(r[4]),
      target: Number(r[5]),
      met: r[6] === '' ? null : r[6] === 'true',
    }));
    expect(parsed).toEqual(json.body.kpis);
    expect(rows.find((r) => r[0] === 'complaint_rate')!.slice(1, 5)).toEqual(['投诉率', '0.3333', '1', '3']);
    expect(new Set(rows.map((r) => `${r[7]}|${r[8]}|${r[9]}`))).toEqual(
      new Set([`${json.body.from}|${json.body.to}|${team}`]),
    );
  });
});

describe('GET /reports/breaches', () => {
  it('counts breaches by clock policy, statutory and internal apart, with the cases, in scope', async () => {
    const team = uniqueTeam();
    const clock = (policy: string, kind: string, state: string, dueAt: string) => ({
      id: `${policy}#${randomUUID().slice(0, 6)}`,
      policy,
      kind,
      startedAt: '2025-07-01T00:00:00.000Z',
      dueAt,
      warnAt: dueAt,
      state,
      provisional: false,
      escalations: 0,
    });
    const seed = async (clocks: object[]) => {
      const id = `BR${randomUUID().replaceAll('-', '').slice(0, 12).toUpperCase()}`;
      await applyProjection(h.database.db, {
        summary: {
          id,
          type: 'claim',
          status: 'withdrawn',
          team,
          assignee: null,
          escalationLevel: 1,
          policyNo: null,
          clocks,
          createdAt: '2025-07-01T00:00:00.000Z',
          updatedAt: '2025-07-20T00:00:00.000Z',
        },
        data: {},
        version: 1,
        closed: true,
        events: [],
        notifications: [],
      } as never);
      return id;
    };
    const a = await seed([
      clock('claim.verification.compulsory', 'statutory', 'breached', '2025-07-10T00:00:00.000Z'),
      clock('claim.firstContact', 'internal', 'breached', '2025-07-02T00:00:00.000Z'),
    ]);
    const b = await seed([
      clock('claim.firstContact', 'internal', 'breached', '2025-07-03T00:00:00.000Z'),
      clock('claim.payment', 'statutory', 'met', '2025-07-05T00:00:00.000Z'),
    ]);
    await seed([clock('claim.firstContact', 'internal', 'breached', '2025-08-03T00:00:00.000Z')]);

    const res = await h.api.request('GET', `/api/v1/reports/breaches?from=2025-07-01&to=2025-08-01`, {
      token: tokenFor('supervisor', team),
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.totals).toEqual({ statutory: 1, internal: 2, complianceExceptions: 0 });
    expect(res.body.statutory).toEqual([
      expect.objectContaining({
        policy: 'claim.verification.compulsory',
        count: 1,
        cases: [expect.objectContaining({ id: a })],
      }),
    ]);
    expect(res.body.internal[0]).toMatchObject({ policy: 'claim.firstContact', kind: 'internal', count: 2 });
    expect(res.body.internal[0].cases.map((c: { id: string }) => c.id)).toEqual([a, b]);

    const internalOnly = await h.api.request(
      'GET',
      `/api/v1/reports/breaches?from=2025-07-01&to=2025-08-01&team=${team}&kind=internal`,
      {
        token: tokenFor('manager'),
      },
    );
    expect(internalOnly.body.statutory).toEqual([]);
    expect(internalOnly.body.totals.internal).toBe(2);
    const other = await h.api.request('GET', `/api/v1/reports/breaches?from=2025-07-01&to=2025-08-01&team=${team}`, {
      token: tokenFor('supervisor', uniqueTeam()),
    });
    expect(other.status).toBe(404);
    expect(
      (
        await h.api.request('GET', '/api/v1/reports/breaches?from=2025-07-01&to=2025-08-01', {
          token: tokenFor('agent', team),
        })
      ).status,
    ).toBe(403);
  });
});

describe('GET /policies/{policyNo}', () => {
  it('reads a policy back with the holder masked, 404 for an unknown number', async () => {
    const policyNo = `PDAA${randomUUID().replaceAll('-', '').slice(0, 12).toUpperCase()}`;
    const put = await h.api.request('PUT', `/api/v1/policies/${policyNo}`, {
      token: tokenFor('manager'),
      body: {
        holder: { name: '张三丰', phone: '13812341234' },
        vehicle: { plate: '粤B12345' },
        product: 'commercial',
        startsAt: '2026-01-01T00:00:00+08:00',
        expiresAt: '2027-01-01T00:00:00+08:00',
        premium: 3200.5,
      },
    });
    expect(put.status, put.text).toBe(201);
    const got = await h.api.request('GET', `/api/v1/policies/${policyNo}`, { token: tokenFor('agent', uniqueTeam()) });
    expect(got.status, got.text).toBe(200);
    expect(got.body).toEqual(put.body);
    expect(got.text).not.toContain('13812341234');
    expect((await h.api.request('GET', '/api/v1/policies/PDAA0000NOPE', { token: tokenFor('manager') })).status).toBe(
      404,
    );
  });
});
