/**
 * GET /reports/kpis over the real app: the read model is seeded directly (projections and surveys, as
 * the workflows would write them) for a team of this test's own, in March 2025 (Asia/Shanghai).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyProjection } from '../../db/repositories/case-projection';
import { recordSurveyAnswer, recordSurveySent } from '../../db/repositories/surveys';
import type { CaseType } from '../../domain/case';
import type { Clock, ClockState } from '../../domain/clock';
import type { ClockPolicyName } from '../../domain/deadline-policies';
import { tokenFor, uniqueTeam } from '../support/auth';
import { startApiHarness, type ApiHarness } from '../support/harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness({ worker: false });
});
afterAll(async () => {
  await h?.close();
});

const MARCH = 'from=2025-03-01&to=2025-04-01';
const IN_MARCH = '2025-03-10T02:00:00.000Z';
const LATER_IN_MARCH = '2025-03-20T02:00:00.000Z';

function clock(policy: ClockPolicyName, state: ClockState, at: { dueAt: string; endedAt?: string }): Clock {
  return {
    id: `${policy}#${randomUUID().slice(0, 6)}`,
    policy,
    kind: 'internal',
    startedAt: '2025-03-01T00:00:00.000Z',
    dueAt: at.dueAt,
    warnAt: at.dueAt,
    state,
    provisional: false,
    escalations: 0,
    ...(at.endedAt ? { endedAt: at.endedAt } : {}),
  };
}

interface Seed {
  type: CaseType;
  status: string;
  createdAt?: string;
  updatedAt?: string;
  closed?: boolean;
  assignee?: string;
  clocks?: Clock[];
  data?: Record<string, unknown>;
}

async function seedCase(team: string, seed: Seed): Promise<string> {
  const id = `KPI${randomUUID().replaceAll('-', '').slice(0, 12).toUpperCase()}`;
  const createdAt = seed.createdAt ?? IN_MARCH;
  await applyProjection(h.database.db, {
    summary: {
      id,
      type: seed.type,
      status: seed.status,
      team,
      assignee: seed.assignee ?? null,
      escalationLevel: 0,
      policyNo: null,
      clocks: seed.clocks ?? [],
      createdAt,
      updatedAt: seed.updatedAt ?? createdAt,
    },
    data: seed.data ?? {},
    version: 1,
    closed: seed.closed ?? false,
    events: [],
    notifications: [],
  });
  return id;
}

async function answeredSurvey(team: string, caseId: string, agent: string, score: number | null): Promise<void> {
  await recordSurveySent(h.database.db, {
    caseId,
    caseType: 'claim',
    team,
    agent,
    channel: null,
    sentVia: 'sms',
    sentAt: IN_MARCH,
  });
  if (score !== null)
    await recordSurveyAnswer(h.database.db, { caseId, score, comment: null, answeredAt: LATER_IN_MARCH });
}

/** One team's March: 9 cases opened (1 a complaint), clocks met and breached, reviews, renewals, surveys. */
async function seedTeam(team: string, agent: string): Promise<void> {
  const claim1 = await seedCase(team, {
    type: 'claim',
    status: 'paid',
    assignee: agent,
    clocks: [
      clock('claim.firstContact', 'met', { dueAt: IN_MARCH, endedAt: IN_MARCH }),
      clock('claim.payment', 'met', { dueAt: LATER_IN_MARCH, endedAt: LATER_IN_MARCH }),
    ],
  });
  const claim2 = await seedCase(team, {
    type: 'claim',
    status: 'awaiting_documents',
    clocks: [
      // Breached in March, ended in April: a promise not kept, counted in March.
      clock('claim.firstContact', 'breached', { dueAt: IN_MARCH, endedAt: '2025-04-02T00:00:00.000Z' }),
      clock('claim.documentNotice.commercial', 'pending', { dueAt: '2025-04-10T00:00:00.000Z' }),
    ],
  });
  const claim3 = await seedCase(team, {
    type: 'claim',
    status: 'withdrawn',
    clocks: [clock('claim.verification.compulsory', 'cancelled', { dueAt: IN_MARCH, endedAt: IN_MARCH })],
  });
  await seedCase(team, {
    type: 'complaint',
    status: 'acknowledged',
    clocks: [clock('complaint.acknowledge', 'met', { dueAt: IN_MARCH, endedAt: IN_MARCH })],
  });
  await seedCase(team, { type: 'complaint', status: 'received', createdAt: '2025-02-20T00:00:00.000Z' });
  await seedCase(team, {
    type: 'inquiry',
    status: 'closed',
    clocks: [clock('inquiry.answer', 'met', { dueAt: IN_MARCH, endedAt: IN_MARCH })],
    data: { review: { correct: true, note: null, by: 'sup', at: LATER_IN_MARCH } },
  });
  await seedCase(team, {
    type: 'inquiry',
    status: 'closed',
    clocks: [clock('inquiry.answer', 'met', { dueAt: IN_MARCH, endedAt: IN_MARCH })],
    data: { review: { correct: false, note: 'wrong deductible', by: 'sup', at: LATER_IN_MARCH } },
  });
  await seedCase(team, { type: 'renewal', status: 'renewed', closed: true, updatedAt: LATER_IN_MARCH });
  await seedCase(team, { type: 'renewal', status: 'lapsed', closed: true, updatedAt: LATER_IN_MARCH });
  await seedCase(team, { type: 'renewal', status: 'renewed', closed: true, updatedAt: '2025-04-05T00:00:00.000Z' });

  await answeredSurvey(team, claim1, agent, 5);
  await answeredSurvey(team, claim2, 'someone-else', 4);
  await answeredSurvey(team, claim3, 'someone-else', 2);
}

function byKey(body: {
  kpis: { key: string }[];
}): Record<
  string,
  { value: number | null; numerator: number; denominator: number; target: number; met: boolean | null }
> {
  return Object.fromEntries(body.kpis.map((k) => [k.key, k])) as never;
}

describe('GET /reports/kpis', () => {
  it("gives a supervisor their team's figures for the period, from the read model", async () => {
    const team = uniqueTeam();
    await seedTeam(team, `agent-${randomUUID().slice(0, 6)}`);
    const res = await h.api.request('GET', `/api/v1/reports/kpis?${MARCH}`, { token: tokenFor('supervisor', team) });
    expect(res.status, res.text).toBe(200);
    expect(res.body.from).toBe('2025-03-01T00:00:00.000+08:00');
    expect(res.body.to).toBe('2025-04-01T00:00:00.000+08:00');
    expect(res.body.scope).toEqual({ team, agent: null });
    const k = byKey(res.body);
    expect(k.customer_satisfaction).toMatchObject({
      value: 0.6667,
      numerator: 2,
      denominator: 3,
      target: 0.9,
      met: false,
    });
    // The February complaint is outside the period; 9 cases were opened in March, 1 of them a complaint.
    expect(k.complaint_rate).toMatchObject({ value: 0.1111, numerator: 1, denominator: 9, met: false });
    // firstContact met + breached, acknowledge met, two inquiry answers met.
    expect(k.response_timeliness).toMatchObject({ value: 0.8, numerator: 4, denominator: 5 });
    expect(k.answer_accuracy).toMatchObject({ value: 0.5, numerator: 1, denominator: 2 });
    expect(k.purchase_conversion).toMatchObject({ value: null, numerator: 0, denominator: 0, met: null });
    // Renewed + lapsed closed in March; the April renewal is outside the period.
    expect(k.renewal_rate).toMatchObject({ value: 0.5, numerator: 1, denominator: 2, met: false });
    // Met: firstContact and payment of claim 1; breached: firstContact of claim 2; pending and cancelled left out.
    expect(k.claim_timeliness).toMatchObject({ value: 0.6667, numerator: 2, denominator: 3 });
  });

  it("narrows to one agent's cases and surveys", async () => {
    const team = uniqueTeam();
    const agent = `agent-${randomUUID().slice(0, 6)}`;
    await seedTeam(team, agent);
    const res = await h.api.request('GET', `/api/v1/reports/kpis?${MARCH}&team=${team}&agent=${agent}`, {
      token: tokenFor('manager'),
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.scope).toEqual({ team, agent });
    const k = byKey(res.body);
    expect(k.customer_satisfaction).toMatchObject({ value: 1, numerator: 1, denominator: 1, met: true });
    expect(k.claim_timeliness).toMatchObject({ value: 1, numerator: 2, denominator: 2, met: true });
    expect(k.complaint_rate).toMatchObject({ value: 0, numerator: 0, denominator: 1, met: true });
  });

  it('gives a period with no data no values rather than zeros', async () => {
    const team = uniqueTeam();
    const res = await h.api.request(
      'GET',
      `/api/v1/reports/kpis?from=2025-03-01T00:00:00Z&to=2025-03-02T00:00:00Z&team=${team}`,
      { token: tokenFor('admin') },
    );
    expect(res.status, res.text).toBe(200);
    expect(res.body.kpis).toHaveLength(7);
    for (const figure of res.body.kpis) expect(figure).toMatchObject({ value: null, met: null, denominator: 0 });
  });

  it("answers a supervisor asking for another team's figures as if the team did not exist", async () => {
    const team = uniqueTeam();
    const res = await h.api.request('GET', `/api/v1/reports/kpis?${MARCH}&team=${team}`, {
      token: tokenFor('supervisor', uniqueTeam()),
    });
    expect(res.status).toBe(404);
    const own = await h.api.request('GET', `/api/v1/reports/kpis?${MARCH}&team=${team}`, {
      token: tokenFor('supervisor', team),
    });
    expect(own.status).toBe(200);
  });

  it('refuses agents', async () => {
    const res = await h.api.request('GET', `/api/v1/reports/kpis?${MARCH}`, { token: tokenFor('agent', uniqueTeam()) });
    expect(res.status).toBe(403);
  });

  it('refuses a bad period or an unknown parameter, naming each field', async () => {
    const token = tokenFor('manager');
    const ask = (query: string) => h.api.request('GET', `/api/v1/reports/kpis?${query}`, { token });
    const paths = (res: { body: { errors: { path: string }[] } }) => res.body.errors.map((e) => e.path).sort();

    const missing = await ask('from=2025-03-01');
    expect(missing.status).toBe(400);
    expect(paths(missing)).toEqual(['to']);

    const garbled = await ask('from=March&to=2025-04-01&colour=red');
    expect(garbled.status).toBe(400);
    expect(paths(garbled)).toEqual(['colour', 'from']);

    const backwards = await ask('from=2025-04-01&to=2025-03-01');
    expect(backwards.status).toBe(400);
    expect(paths(backwards)).toEqual(['to']);

    const tooLong = await ask('from=2024-01-01&to=2025-01-03');
    expect(tooLong.status).toBe(400);
    expect(paths(tooLong)).toEqual(['to']);

    const leapYear = await ask('from=2024-01-01&to=2025-01-01');
    expect(leapYear.status).toBe(200);
  });
});
