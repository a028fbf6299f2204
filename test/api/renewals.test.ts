/**
 * Renewals through the real API, the shared dev server, a worker running the real renewal and sweep
 * workflows and the real PostgreSQL: the sweep opens one renewal per due policy term and never a
 * second, the renewal as agents read it, contact outcomes, renewed, declined and opted out.
 *
 * The sweep is global: it also starts renewals for other tests' due policies, so counts are only
 * bounded here; what is asserted exactly is the fate of this file's own policies.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOnDoNotContact } from '../../db/repositories/do-not-contact';
import { renewalCaseId } from '../../domain/renewal';
import { tokenFor } from '../support/auth';
import { startApiHarness, type ApiHarness } from '../support/harness';
import { eventually, type TestResponse } from '../support/http';
import { hire } from '../support/staff';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(async () => {
  await h?.close();
});

const DAY = 86_400_000;
const PROBLEM = 'application/problem+json';
const OFFSET_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+08:00$/;
/** The sweep gives renewals to this team (activities/renewal-activities.ts). */
const TEAM = 'renewals';
const manager = tokenFor('manager');
const agent = tokenFor('agent', TEAM, `agent-renewals-${randomUUID().slice(0, 6)}`);

interface Policy {
  policyNo: string;
  phone: string;
  expiresAt: string;
  caseId: string;
}

/** A policy with a number and a phone no other test uses, expiring `days` from now. */
async function putPolicy(days: number): Promise<Policy> {
  const policyNo = `PR${randomUUID().slice(0, 8).toUpperCase()}`;
  const phone = `139${String(randomInt(1e8)).padStart(8, '0')}`;
  const expiresAt = new Date(Date.now() + days * DAY).toISOString();
  const res = await h.api.request('PUT', `/api/v1/policies/${policyNo}`, {
    token: manager,
    body: {
      holder: { name: '陈静', phone, email: `${policyNo.toLowerCase()}@example.com` },
      vehicle: { plate: `浙A${String(randomInt(1e5)).padStart(5, '0')}` },
      product: 'commercial',
      startsAt: new Date(Date.now() + days * DAY - 365 * DAY).toISOString(),
      expiresAt,
      premium: 3000,
      claimFreeYears: 1,
    },
  });
  expect(res.status, res.text).toBe(201);
  return { policyNo, phone, expiresAt, caseId: renewalCaseId(policyNo, expiresAt) };
}

const sweep = async () => {
  const res = await h.api.request('POST', '/api/v1/renewals/sweep', { token: manager });
  expect(res.status, res.text).toBe(200);
  return res.body as { started: number; existing: number };
};

const getRenewal = (id: string, token = agent) => h.api.request('GET', `/api/v1/renewals/${id}`, { token });

/** The renewal once its workflow has written its first projection (the sweep only starts it). */
const opened = (id: string): Promise<TestResponse> =>
  eventually(async () => {
    const res = await getRenewal(id);
    expect(res.status, res.text).toBe(200);
    expect(res.body.offer).not.toBeNull();
    return res;
  });

/** A due policy with its renewal open. */
async function openRenewal(days = 20): Promise<Policy> {
  const policy = await putPolicy(days);
  await sweep();
  await opened(policy.caseId);
  return policy;
}

const act = (id: string, action: string, body: unknown, token = agent) =>
  h.api.request('POST', `/api/v1/renewals/${id}/${action}`, { token, body });

async function timelineKinds(id: string): Promise<string[]> {
  const res = await h.api.request('GET', `/api/v1/cases/${id}/timeline`, { token: agent });
  expect(res.status).toBe(200);
  return res.body.items.map((e: { kind: string }) => e.kind);
}

describe('the renewal sweep', () => {
  it('starts one renewal per policy term expiring within renewal.window, and a second sweep starts none of them again', async () => {
    const soon = await putPolicy(10);
    const late = await putPolicy(44);
    const notYet = await putPolicy(60);
    expect((await getRenewal(soon.caseId)).status).toBe(404);

    const first = await sweep();
    // Normally this sweep starts both. Another sweep over the same database (the daily schedule, a
    // sweep test running alongside) may get there first: then they count as existing, never twice.
    expect(first.started + first.existing).toBeGreaterThanOrEqual(2);
    const [a, b] = await Promise.all([opened(soon.caseId), opened(late.caseId)]);
    expect(a.body).toMatchObject({
      id: soon.caseId,
      type: 'renewal',
      team: TEAM,
      policyNo: soon.policyNo,
      status: 'scheduled',
    });
    expect(b.body).toMatchObject({ id: late.caseId, policyNo: late.policyNo, status: 'scheduled' });
    expect((await getRenewal(notYet.caseId)).status).toBe(404);

    const second = await sweep();
    expect(second.existing).toBeGreaterThanOrEqual(2);
    for (const [policy, before] of [
      [soon, a],
      [late, b],
    ] as const) {
      const after = await getRenewal(policy.caseId);
      expect(after.body.createdAt).toBe(before.body.createdAt);
      expect((await timelineKinds(policy.caseId)).filter((k) => k === 'case.opened')).toHaveLength(1);
    }
    expect((await getRenewal(notYet.caseId)).status).toBe(404);
  });

  it('is for managers and admins', async () => {
    const res = await h.api.request('POST', '/api/v1/renewals/sweep', { token: tokenFor('supervisor', TEAM) });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toContain(PROBLEM);
    expect(
      (await h.api.request('POST', '/api/v1/renewals/sweep', { token: manager, body: { now: true } })).status,
    ).toBe(400);
  });
});

describe('GET /renewals/{id}', () => {
  it('shows the policy term, the reminder ladder and the offer, with the holder masked, to the renewals team only', async () => {
    const policy = await openRenewal(20);
    const res = await getRenewal(policy.caseId);
    expect(res.body).toMatchObject({
      id: policy.caseId,
      policyNo: policy.policyNo,
      product: 'commercial',
      status: 'scheduled',
      assignee: null,
      escalationLevel: 0,
      calls: [],
      renewal: null,
      doNotContact: false,
      // 3000 with one claim-free year before this term: two claim-free years, coefficient 0.7.
      offer: { basePremium: 3000, premium: 2100, discount: 900, claimFreeYears: 2, claimsThisTerm: 0 },
      holder: {
        name: '陈*',
        phone: `139****${policy.phone.slice(-4)}`,
        email: `${policy.policyNo.toLowerCase()[0]}***@example.com`,
      },
    });
    expect(res.body.expiresAt).toMatch(OFFSET_TIME);
    expect(Date.parse(res.body.expiresAt)).toBe(Date.parse(policy.expiresAt));
    expect(res.text).not.toContain(policy.phone);
    // Offsets 30, 15, 7 and 1 days, by SMS and e-mail; 30 days is already past when a 20-day policy is swept.
    const reminders = res.body.reminders as { channel: string; dueAt: string; state: string; offset: string }[];
    expect(reminders).toHaveLength(8);
    expect(new Set(reminders.map((r) => r.channel))).toEqual(new Set(['sms', 'email']));
    for (const r of reminders) expect(r.dueAt).toMatch(OFFSET_TIME);
    expect(reminders.filter((r) => r.offset === 'P1D').map((r) => r.state)).toEqual(['scheduled', 'scheduled']);
    expect(res.body.callWindow.opensAt).toMatch(OFFSET_TIME);

    expect((await getRenewal(policy.caseId, tokenFor('agent', 'claims-team'))).status).toBe(404);
    expect((await getRenewal(policy.caseId, tokenFor('supervisor', TEAM))).status).toBe(200);
    expect((await getRenewal(policy.caseId, manager)).status).toBe(200);
    expect((await getRenewal(`${policy.policyNo}-19990101`)).status).toBe(404);
  });
});

describe('agents working a renewal', () => {
  it('records contact outcomes: no answer keeps the status, interest moves it to contacted, a call-back asks for a task', async () => {
    const { caseId } = await openRenewal(20);
    const noAnswer = await act(caseId, 'contact', { channel: 'sms', outcome: 'no_answer' });
    expect(noAnswer.status, noAnswer.text).toBe(200);
    expect(noAnswer.body.status).toBe('scheduled');

    const interested = await act(caseId, 'contact', {
      channel: 'email',
      outcome: 'interested',
      note: '客户想比较几家报价',
    });
    expect(interested.status, interested.text).toBe(200);
    expect(interested.body.status).toBe('contacted');

    const callback = await act(caseId, 'contact', { channel: 'sms', outcome: 'callback' });
    expect(callback.status, callback.text).toBe(200);
    expect(callback.body.calls.map((c: { outcome: string }) => c.outcome)).toEqual([
      'no_answer',
      'interested',
      'callback',
    ]);
    expect(callback.body.calls[1]).toMatchObject({
      channel: 'email',
      note: '客户想比较几家报价',
      by: expect.stringMatching(/^agent-renewals-/),
    });
    expect(callback.body.calls[0].at).toMatch(OFFSET_TIME);
    // Between 08:00 and 20:00 (Asia/Shanghai) the already-open call window also gives a call_for_renewal task.
    expect(callback.body.tasks).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'callback', done: false })]),
    );
    expect(callback.body.tasks.filter((t: { kind: string }) => t.kind === 'callback')).toHaveLength(1);
    expect(await timelineKinds(caseId)).toEqual(
      expect.arrayContaining(['contact.recorded', 'status.changed', 'task.created']),
    );
  });

  it('refuses a phone call before the call window opens (409, nothing recorded) and bad input (400)', async () => {
    // Expiring in 44 days: calls may start 40 days before expiry, 4 days from now.
    const { caseId } = await openRenewal(44);
    const early = await act(caseId, 'contact', { channel: 'phone', outcome: 'reached' });
    expect(early.status).toBe(409);
    expect(early.headers.get('content-type')).toContain(PROBLEM);
    expect((await getRenewal(caseId)).body.calls).toEqual([]);

    const bad = await act(caseId, 'contact', { channel: 'fax', outcome: 'maybe', extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['channel', 'extra', 'outcome']);
    expect((await act(caseId, 'renewed', { newPolicyNo: 'x', premium: 1.234 })).status).toBe(400);
  });

  it('renewed: the new policy is recorded, scheduled reminders are cancelled, and the case takes no more outreach', async () => {
    const { caseId, policyNo } = await openRenewal(20);
    const same = await act(caseId, 'renewed', { newPolicyNo: policyNo, premium: 2100 });
    expect(same.status).toBe(422);

    const res = await act(caseId, 'renewed', { newPolicyNo: `${policyNo}-N`, premium: 2100 });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ status: 'renewed', renewal: { newPolicyNo: `${policyNo}-N`, premium: 2100 } });
    expect(res.body.endedAt).toMatch(OFFSET_TIME);
    const states = (res.body.reminders as { state: string }[]).map((r) => r.state);
    expect(states).not.toContain('scheduled');
    expect(states).toContain('cancelled');

    const later = await act(caseId, 'contact', { channel: 'sms', outcome: 'reached' });
    expect(later.status).toBe(409);
    expect((await getRenewal(caseId)).body.status).toBe('renewed');
  });

  it('declined on contact: the renewal ends declined and the holder goes on the do-not-contact list', async () => {
    const { caseId, phone } = await openRenewal(20);
    const res = await act(caseId, 'contact', { channel: 'email', outcome: 'declined' });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ status: 'declined', doNotContact: true });
    expect(await isOnDoNotContact(h.database.db, { phone })).toBe(true);
  });

  it('opt-out: opted_out, outreach stops, the number is on the do-not-contact list, and a second opt-out is 409', async () => {
    const { caseId, phone } = await openRenewal(20);
    expect(await isOnDoNotContact(h.database.db, { phone })).toBe(false);
    expect((await act(caseId, 'opt-out', { unsubscribe: true })).status).toBe(400);

    const res = await act(caseId, 'opt-out', {});
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ status: 'opted_out', doNotContact: true });
    expect((res.body.reminders as { state: string }[]).map((r) => r.state)).not.toContain('scheduled');
    expect(await isOnDoNotContact(h.database.db, { phone })).toBe(true);
    expect(await timelineKinds(caseId)).toEqual(expect.arrayContaining(['outreach.stopped', 'do_not_contact.added']));

    const again = await act(caseId, 'opt-out', {});
    expect(again.status).toBe(409);
  });

  it('takes notes and assignment through /cases like every case type', async () => {
    const { caseId } = await openRenewal(20);
    const note = await h.api.request('POST', `/api/v1/cases/${caseId}/notes`, {
      token: agent,
      body: { text: '客户下周出差，回来再联系' },
    });
    expect(note.status, note.text).toBe(200);
    await hire(h.database.db, 'agent-renewals-7', TEAM);
    const assigned = await h.api.request('POST', `/api/v1/cases/${caseId}/assign`, {
      token: tokenFor('supervisor', TEAM),
      body: { assignee: 'agent-renewals-7' },
    });
    expect(assigned.status, assigned.text).toBe(200);
    expect((await getRenewal(caseId)).body.assignee).toBe('agent-renewals-7');
    expect(assigned.body.holder.phone).toMatch(/^139\*{4}\d{4}$/);
  });
});
