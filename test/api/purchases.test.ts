/**
 * Purchases (投保) through the real API, the shared dev server, a worker and PostgreSQL: the walk-
 * through from quote to confirmation with the application masked and revealed only with an audit
 * row, four eyes on the review (403), a payment that differs from the quote (409, nothing changed),
 * the correction loop, and a renewal that becomes a purchase and ends `renewed` at issuance.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renewalCaseId } from '../../domain/renewal';
import { tokenFor, uniqueTeam } from '../support/auth';
import { startApiHarness, type ApiHarness } from '../support/harness';
import { eventually } from '../support/http';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(async () => {
  await h?.close();
});

const DAY = 86_400_000;
const ID_NUMBER = '110101199003071234';
const VIN = 'LSVAU2180N2183294';
const phone = () => `138${String(randomInt(1e8)).padStart(8, '0')}`;
const policyNo = (prefix = 'PD') => `${prefix}${randomUUID().slice(0, 10).toUpperCase().replaceAll('-', '')}`;
const tomorrow = () => new Date(Date.now() + DAY).toISOString();
const coverages = [
  { code: 'vehicle_damage', sumInsured: 150000, deductible: 0, premium: 2400.5 },
  { code: 'third_party', sumInsured: 1000000, premium: 1100 },
];

function crew(team = uniqueTeam('buy')) {
  return {
    team,
    agent: tokenFor('agent', team, `agent-taker-${randomUUID().slice(0, 6)}`),
    reviewer: tokenFor('agent', team, `agent-reviewer-${randomUUID().slice(0, 6)}`),
    supervisor: tokenFor('supervisor', team),
  };
}
type Crew = ReturnType<typeof crew>;

const post = (path: string, token: string, body: unknown) => h.api.request('POST', `/api/v1${path}`, { token, body });

async function openPurchase(c: Crew, product = 'commercial') {
  const res = await post('/purchases', c.agent, {
    customer: { name: '王小明', phone: phone() },
    vehicle: { plate: '粤B12345', usage: 'private' },
    product,
    needs: '新车首年投保，想要车损和三者',
  });
  expect(res.status, res.text).toBe(201);
  return res.body.id as string;
}

async function apply(c: Crew, id: string) {
  expect((await post(`/purchases/${id}/quote`, c.agent, { coverages })).status).toBe(200);
  const res = await post(`/purchases/${id}/application`, c.agent, {
    holder: { name: '王小明', phone: '13812341234', idNumber: ID_NUMBER },
    vehicle: { plate: '粤B12345', vin: VIN, engineNo: 'EA2118827361' },
    startsAt: tomorrow(),
  });
  expect(res.status, res.text).toBe(200);
  return res;
}

describe('purchases', () => {
  it('walks a purchase from quote to confirmation; the application is masked and revealed only with an audit row', async () => {
    const c = crew();
    const id = await openPurchase(c);
    const opened = await h.api.request('GET', `/api/v1/purchases/${id}`, { token: c.agent });
    expect(opened.body).toMatchObject({
      type: 'purchase',
      status: 'quoting',
      customer: { name: '王**' },
      vehicle: { plate: '粤B***45' },
    });
    expect(opened.body.allowedActions).toEqual(expect.arrayContaining(['quote', 'abandon', 'notes', 'reveal']));

    const quoted = await post(`/purchases/${id}/quote`, c.agent, { coverages });
    expect(quoted.status, quoted.text).toBe(200);
    expect(quoted.body).toMatchObject({ status: 'quoted', quote: { total: 3500.5 }, premium: 3500.5 });
    expect(quoted.body.quote.validUntil).toMatch(/\+08:00$/);
    const bad = await post(`/purchases/${id}/quote`, c.agent, {
      coverages: [{ code: 'compulsory', premium: 950 }],
    });
    expect(bad.status, bad.text).toBe(422);

    const applied = await post(`/purchases/${id}/application`, c.agent, {
      holder: { name: '王小明', phone: '13812341234', idNumber: ID_NUMBER },
      vehicle: { plate: '粤B12345', vin: VIN },
      startsAt: tomorrow(),
    });
    expect(applied.status, applied.text).toBe(200);
    expect(applied.body.status).toBe('under_review');
    expect(applied.body.application).toMatchObject({
      holder: { name: '王**', phone: '138****1234', idNumber: '110101********1234' },
      vehicle: { vin: 'LSV**********3294' },
    });
    expect(applied.text).not.toContain(ID_NUMBER);
    expect(applied.text).not.toContain(VIN);
    // Four eyes: the agent who took it is not offered the review, and is refused it.
    expect(applied.body.allowedActions).not.toContain('review');
    const own = await post(`/purchases/${id}/review`, c.agent, { approved: true });
    expect(own.status, own.text).toBe(403);
    const seenByReviewer = await h.api.request('GET', `/api/v1/purchases/${id}`, { token: c.reviewer });
    expect(seenByReviewer.body.allowedActions).toContain('review');
    const approved = await post(`/purchases/${id}/review`, c.reviewer, { approved: true });
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body.status).toBe('awaiting_payment');

    // The premium must equal the quoted total: 409, and nothing changed.
    const short = await post(`/purchases/${id}/payment`, c.agent, { amount: 3500, method: 'card', reference: 'POS-1' });
    expect(short.status, short.text).toBe(409);
    expect(short.body.detail).toContain('3500.50');
    expect((await h.api.request('GET', `/api/v1/purchases/${id}`, { token: c.agent })).body.status).toBe(
      'awaiting_payment',
    );
    const paid = await post(`/purchases/${id}/payment`, c.agent, {
      amount: 3500.5,
      method: 'wechat',
      reference: 'WX20261202001',
      invoiceNo: 'FP0001',
    });
    expect(paid.status, paid.text).toBe(200);
    expect(paid.body.payment).toMatchObject({ reference: 'WX20261202001', invoiceNo: 'FP0001' });

    const number = policyNo();
    const byAgent = await post(`/purchases/${id}/issue`, c.agent, {
      policyNo: number,
      effectiveAt: tomorrow(),
      delivery: 'electronic',
    });
    expect(byAgent.status).toBe(403);
    const issued = await post(`/purchases/${id}/issue`, c.supervisor, {
      policyNo: number,
      effectiveAt: tomorrow(),
      delivery: 'electronic',
    });
    expect(issued.status, issued.text).toBe(200);
    expect(issued.body).toMatchObject({ status: 'issued', policyNo: number });
    const row = await h.database.db
      .selectFrom('insurance_policies')
      .selectAll()
      .where('policy_no', '=', number)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ product: 'commercial', plate: '粤B12345', premium: '3500.50' });
    expect(row.holder).toMatchObject({ name: '王小明', phone: '13812341234' });
    expect(row.expires_at.getTime() - row.starts_at.getTime()).toBeGreaterThanOrEqual(365 * DAY);

    // The confirmation's delivery confirms the purchase.
    const confirmed = await eventually(async () => {
      const res = await h.api.request('GET', `/api/v1/purchases/${id}`, { token: c.agent });
      expect(res.body.status).toBe('confirmed');
      return res;
    });
    expect(confirmed.body.clocks.map((k: { policy: string; state: string }) => [k.policy, k.state])).toEqual([
      ['purchase.quoteValidity', 'met'],
      ['purchase.review', 'met'],
      ['purchase.payment', 'met'],
      ['purchase.confirmation', 'met'],
    ]);
    const notes = await h.api.request('GET', `/api/v1/notifications?caseId=${id}`, { token: c.agent });
    expect(notes.body.items.map((n: { template: string }) => n.template)).toEqual(
      expect.arrayContaining([
        'purchase.quote',
        'purchase.approved',
        'purchase.paymentReceipt',
        'purchase.confirmation',
      ]),
    );

    const revealed = await post(`/cases/${id}/reveal`, c.agent, { reason: '核对投保人身份', fields: ['application'] });
    expect(revealed.status, revealed.text).toBe(200);
    expect(revealed.body.personalData.application).toMatchObject({
      holder: { idNumber: ID_NUMBER },
      vehicle: { vin: VIN },
    });
    const audit = await h.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('target', '=', id)
      .where('action', '=', 'personal_data.reveal')
      .execute();
    expect(audit).toHaveLength(1);

    // 投保成功率: purchases issued ÷ purchases opened in the period; one more opened, not issued.
    await openPurchase(c);
    const from = new Date(Date.now() - DAY).toISOString();
    const to = new Date(Date.now() + DAY).toISOString();
    const kpis = await h.api.request('GET', `/api/v1/reports/kpis?from=${from}&to=${to}`, { token: c.supervisor });
    expect(kpis.status, kpis.text).toBe(200);
    expect(kpis.body.kpis.find((k: { key: string }) => k.key === 'purchase_conversion')).toMatchObject({
      numerator: 1,
      denominator: 2,
      value: 0.5,
    });
  });

  it('the review names each field to correct; the correction changes only those, and is reviewed again', async () => {
    const c = crew();
    const id = await openPurchase(c);
    await apply(c, id);
    const unnamed = await post(`/purchases/${id}/review`, c.reviewer, { approved: false });
    expect(unnamed.status).toBe(422);
    const sentBack = await post(`/purchases/${id}/review`, c.reviewer, {
      approved: false,
      problems: [{ field: 'vehicle.vin', message: '车架号与行驶证不符' }],
    });
    expect(sentBack.status, sentBack.text).toBe(200);
    expect(sentBack.body).toMatchObject({
      status: 'needs_correction',
      reviewProblems: [{ field: 'vehicle.vin', message: '车架号与行驶证不符' }],
    });
    expect(sentBack.body.allowedActions).toContain('correction');
    const early = await post(`/purchases/${id}/payment`, c.agent, { amount: 3500.5, method: 'cash', reference: 'R' });
    expect(early.status).toBe(409);

    const corrected = await post(`/purchases/${id}/correction`, c.agent, { vehicle: { vin: 'LSVAU2180N2180000' } });
    expect(corrected.status, corrected.text).toBe(200);
    expect(corrected.body).toMatchObject({
      status: 'under_review',
      reviewProblems: [],
      application: {
        corrections: 1,
        vehicle: { vin: 'LSV**********0000' },
        holder: { idNumber: '110101********1234' },
      },
    });
    const timeline = await h.api.request('GET', `/api/v1/cases/${id}/timeline`, { token: c.agent });
    expect(
      timeline.body.items
        .filter((e: { kind: string }) => e.kind === 'clock.started')
        .map((e: { detail: { clock: string } }) => e.detail.clock),
    ).toEqual(expect.arrayContaining(['purchase.review#1', 'purchase.review#2']));
    const approved = await post(`/purchases/${id}/review`, c.reviewer, { approved: true });
    expect(approved.body.status).toBe('awaiting_payment');
    const abandoned = await post(`/purchases/${id}/abandon`, c.agent, { reason: '客户改投他司' });
    expect(abandoned.body).toMatchObject({ status: 'abandoned', allowedActions: ['notes', 'reveal'] });
  });

  it('a renewal becomes a purchase prefilled from the expiring policy, and its issuance marks the renewal renewed', async () => {
    const manager = tokenFor('manager');
    const expiring = policyNo('PR');
    const expiresAt = new Date(Date.now() + 20 * DAY).toISOString();
    const put = await h.api.request('PUT', `/api/v1/policies/${expiring}`, {
      token: manager,
      body: {
        holder: { name: '陈静', phone: phone() },
        vehicle: { plate: '浙A12345' },
        product: 'commercial',
        startsAt: new Date(Date.parse(expiresAt) - 365 * DAY).toISOString(),
        expiresAt,
        premium: 3000,
      },
    });
    expect(put.status, put.text).toBe(201);
    expect((await post('/renewals/sweep', manager, {})).status).toBe(200);
    const renewalId = renewalCaseId(expiring, expiresAt);
    const c = crew('renewals');
    const renewal = await eventually(async () => {
      const res = await h.api.request('GET', `/api/v1/renewals/${renewalId}`, { token: c.agent });
      expect(res.status, res.text).toBe(200);
      expect(res.body.offer).not.toBeNull();
      return res;
    });
    expect(renewal.body.allowedActions).toContain('purchase');

    const opened = await post(`/renewals/${renewalId}/purchase`, c.agent, {});
    expect(opened.status, opened.text).toBe(201);
    expect(opened.headers.get('location')).toBe(`/api/v1/purchases/${opened.body.id}`);
    expect(opened.body).toMatchObject({
      type: 'purchase',
      status: 'quoting',
      team: 'renewals',
      product: 'commercial',
      customer: { name: '陈*' },
      vehicle: { plate: '浙A***45' },
      renewalOf: { caseId: renewalId, policyNo: expiring, offeredPremium: renewal.body.offer.premium },
    });
    const again = await post(`/renewals/${renewalId}/purchase`, c.agent, {});
    expect(again.status, again.text).toBe(409);

    const id = opened.body.id as string;
    await apply(c, id);
    await post(`/purchases/${id}/review`, c.reviewer, { approved: true });
    await post(`/purchases/${id}/payment`, c.agent, { amount: 3500.5, method: 'transfer', reference: 'TR-1' });
    const renewedNo = policyNo();
    const sameNo = await post(`/purchases/${id}/issue`, c.supervisor, {
      policyNo: expiring,
      effectiveAt: expiresAt,
      delivery: 'post',
    });
    expect(sameNo.status, sameNo.text).toBe(409);
    const issued = await post(`/purchases/${id}/issue`, c.supervisor, {
      policyNo: renewedNo,
      effectiveAt: expiresAt,
      delivery: 'post',
    });
    expect(issued.status, issued.text).toBe(200);
    expect(issued.body.renewalOutcome).toMatchObject({ outcome: 'renewed' });
    const after = await h.api.request('GET', `/api/v1/renewals/${renewalId}`, { token: c.agent });
    expect(after.body).toMatchObject({ status: 'renewed', renewal: { newPolicyNo: renewedNo, premium: 3500.5 } });
    // Next year's sweep finds the new term.
    const next = await h.database.db
      .selectFrom('insurance_policies')
      .select(['starts_at', 'expires_at', 'claim_free_years'])
      .where('policy_no', '=', renewedNo)
      .executeTakeFirstOrThrow();
    expect(next.starts_at.toISOString()).toBe(expiresAt);
    // No claim in the expiring term: one more claim-free year for next year's offer.
    expect(next.claim_free_years).toBe(1);
  });
});
