/**
 * Complaints through the real API, the shared dev server, a worker running the real workflow and the
 * real PostgreSQL read model: the walk from receipt to the satisfaction score, the extension ladder,
 * the regulator channel, and the refusals on the way.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteDeadlinePolicyOverride } from '../../db/repositories/deadline-policies';
import { decodedPayloadText, payloadText } from '../support/history';
import { tokenFor, uniqueTeam } from '../support/auth';
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

const OFFSET_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+08:00$/;

interface Clock {
  policy: string;
  kind: string;
  state: string;
  dueAt: string;
}
const clock = (res: TestResponse, policy: string): Clock | undefined =>
  (res.body.clocks as Clock[]).find((c) => c.policy === policy);

function complaintBody(overrides: Record<string, unknown> = {}) {
  return {
    customer: { name: '李四', phone: `139${String(randomInt(1e8)).padStart(8, '0')}` },
    channel: 'phone',
    category: 'claim_delay',
    description: '理赔拖了两个月还没有结果，多次来电无人回复',
    policyNo: `PDAA2026${String(randomInt(1e8)).padStart(8, '0')}`,
    ...overrides,
  };
}

async function openComplaint(team: string, agent = tokenFor('agent', team), overrides: Record<string, unknown> = {}) {
  const res = await h.api.request('POST', '/api/v1/complaints', { token: agent, body: complaintBody(overrides) });
  expect(res.status, res.text).toBe(201);
  return res;
}

const post = (path: string, token: string, body: unknown) =>
  h.api.request('POST', `/api/v1/complaints${path}`, { token, body });

async function timeline(id: string, token: string): Promise<{ kind: string; detail: Record<string, unknown> }[]> {
  const res = await h.api.request('GET', `/api/v1/cases/${id}/timeline`, { token });
  expect(res.status).toBe(200);
  return res.body.items;
}

async function notificationTemplates(id: string, token: string): Promise<string[]> {
  const res = await h.api.request('GET', `/api/v1/notifications?caseId=${id}`, { token });
  expect(res.status).toBe(200);
  return res.body.items.map((n: { template: string }) => n.template);
}

describe('a complaint from receipt to the satisfaction score', () => {
  it('walks received → acknowledged → investigating → proposed → (rejected) investigating → proposed → resolved → closed, the statutory clock met when the first proposal is delivered', async () => {
    const team = uniqueTeam();
    const agent = tokenFor('agent', team, `agent-${team}`);
    const body = complaintBody();

    const created = await h.api.request('POST', '/api/v1/complaints', { token: agent, body });
    expect(created.status, created.text).toBe(201);
    const id: string = created.body.id;
    expect(id).toMatch(/^CP\d{8}[0-9A-HJKMNP-TV-Z]{6}$/);
    expect(created.headers.get('location')).toBe(`/api/v1/complaints/${id}`);
    expect(created.body).toMatchObject({
      type: 'complaint',
      status: 'received',
      team,
      assignee: `agent-${team}`,
      escalationLevel: 0,
      channel: 'phone',
      category: 'claim_delay',
      policyNo: body.policyNo,
      relatedCaseId: null,
      description: body.description,
      proposals: [],
      extensions: [],
      satisfaction: null,
    });
    expect(created.body.receivedAt).toMatch(OFFSET_TIME);
    expect(created.body.decisionDueAt).toMatch(OFFSET_TIME);
    expect(clock(created, 'complaint.acknowledge')).toMatchObject({ kind: 'internal', state: 'pending' });
    const decision = clock(created, 'complaint.decision');
    expect(decision).toMatchObject({ kind: 'statutory', state: 'pending', dueAt: created.body.decisionDueAt });

    // 道歉、安抚、承诺处理: the acknowledgement meets its clock and tells the customer.
    const acknowledged = await post(`/${id}/acknowledge`, agent, { message: '非常抱歉给您带来不便，我们将尽快处理' });
    expect(acknowledged.status, acknowledged.text).toBe(200);
    expect(acknowledged.body.status).toBe('acknowledged');
    expect(acknowledged.body.acknowledgement).toMatchObject({
      message: '非常抱歉给您带来不便，我们将尽快处理',
      by: `agent-${team}`,
    });
    expect(clock(acknowledged, 'complaint.acknowledge')?.state).toBe('met');

    const investigating = await post(`/${id}/investigation`, agent, { note: '已联系理赔部，案件卡在定损环节' });
    expect(investigating.status, investigating.text).toBe(200);
    expect(investigating.body.status).toBe('investigating');

    const proposed = await post(`/${id}/proposal`, agent, {
      resolution: 'compensation',
      detail: '补偿延误期间代步车费用',
      amount: 300,
    });
    expect(proposed.status, proposed.text).toBe(200);
    expect(proposed.body.status).toBe('proposed');
    expect(proposed.body.proposals).toEqual([
      expect.objectContaining({ n: 1, resolution: 'compensation', amount: 300, response: null }),
    ]);
    // Statutory clocks never pause, also while the customer thinks it over.
    expect(clock(proposed, 'complaint.decision')?.state).not.toBe('paused');

    // The decision is made and communicated once the proposal's notice is delivered (the dispatcher's receipt).
    const communicated = await eventually(async () => {
      const r = await h.api.request('GET', `/api/v1/complaints/${id}`, { token: agent });
      expect(clock(r, 'complaint.decision')?.state).toBe('met');
      return r;
    });
    expect(communicated.body.decisionCommunicatedAt).toMatch(OFFSET_TIME);
    expect(communicated.body.reviewWindowEndsAt).toMatch(OFFSET_TIME);

    // The customer rejects: back to investigating; the decision was communicated in time all the same.
    const rejected = await post(`/${id}/customer-response`, agent, { accepted: false, comment: '补偿太少' });
    expect(rejected.status, rejected.text).toBe(200);
    expect(rejected.body.status).toBe('investigating');
    expect(rejected.body.proposals[0].response).toMatchObject({ accepted: false, comment: '补偿太少' });
    expect(clock(rejected, 'complaint.decision')).toMatchObject({ state: 'met', dueAt: decision?.dueAt });
    expect(rejected.body.resolvedAt).toBeNull();

    const again = await post(`/${id}/investigation`, agent, { note: '与理赔部协商加快定损' });
    expect(again.status, again.text).toBe(200);
    expect(again.body.investigation).toHaveLength(2);
    const second = await post(`/${id}/proposal`, agent, {
      resolution: 'claim_review',
      detail: '理赔复核并三日内完成定损，补偿500元',
      amount: 500,
    });
    expect(second.status, second.text).toBe(200);
    expect(second.body.status).toBe('proposed');
    expect(second.body.proposals).toHaveLength(2);

    // Accepted: resolved; the decision is made, the survey goes out, the follow-up clock runs.
    const resolved = await post(`/${id}/customer-response`, agent, { accepted: true });
    expect(resolved.status, resolved.text).toBe(200);
    expect(resolved.body.status).toBe('resolved');
    expect(resolved.body.resolvedAt).toMatch(OFFSET_TIME);
    expect(resolved.body.surveySentAt).toMatch(OFFSET_TIME);
    expect(clock(resolved, 'complaint.decision')?.state).toBe('met');
    expect(clock(resolved, 'complaint.followUp')).toMatchObject({ kind: 'internal', state: 'pending' });

    const closed = await post(`/${id}/satisfaction`, agent, { score: 5, comment: '处理及时' });
    expect(closed.status, closed.text).toBe(200);
    expect(closed.body.status).toBe('closed');
    expect(closed.body.satisfaction).toMatchObject({ outcome: 'answered', score: 5, comment: '处理及时' });
    expect(clock(closed, 'complaint.followUp')?.state).toBe('met');

    // A closed complaint is read from its projection, and takes no more actions.
    const read = await eventually(async () => {
      const r = await h.api.request('GET', `/api/v1/complaints/${id}`, { token: agent });
      expect(r.status).toBe(200);
      expect(r.body.status).toBe('closed');
      return r;
    });
    expect(read.body.satisfaction).toMatchObject({ outcome: 'answered', score: 5 });
    expect(read.body.customer).toEqual({ name: '李*', phone: expect.stringMatching(/^139\*{4}\d{4}$/) });
    const late = await post(`/${id}/satisfaction`, agent, { score: 1 });
    expect(late.status).toBe(409);

    const events = await timeline(id, agent);
    const transitions = events.filter((e) => e.kind === 'status.changed').map((e) => e.detail.to);
    expect(transitions).toEqual([
      'acknowledged',
      'investigating',
      'proposed',
      'investigating',
      'proposed',
      'resolved',
      'closed',
    ]);
    expect(await notificationTemplates(id, agent)).toEqual(
      expect.arrayContaining(['complaint.acknowledgement', 'complaint.proposal', 'survey.request']),
    );
    const survey = await h.database.db
      .selectFrom('satisfaction_surveys')
      .selectAll()
      .where('case_id', '=', id)
      .executeTakeFirst();
    expect(survey).toMatchObject({ case_type: 'complaint', score: 5 });
  });
});

describe('extending the decision period', () => {
  it('needs a supervisor for the first, a manager for the second, and refuses a third; each moves the decision clock and notifies the customer', async () => {
    const team = uniqueTeam();
    const agent = tokenFor('agent', team);
    const supervisor = tokenFor('supervisor', team, `sup-${team}`);
    const manager = tokenFor('manager', undefined, `mgr-${team}`);
    const { body: complaint } = await openComplaint(team, agent);
    const id: string = complaint.id;
    const dueAt0 = Date.parse(complaint.decisionDueAt);

    const byAgent = await post(`/${id}/extension`, agent, { reason: '案情复杂' });
    expect(byAgent.status).toBe(403);
    expect(byAgent.headers.get('content-type')).toContain('application/problem+json');

    const first = await post(`/${id}/extension`, supervisor, { reason: '需调取第三方定损报告' });
    expect(first.status, first.text).toBe(200);
    expect(first.body.extensions).toEqual([
      expect.objectContaining({
        n: 1,
        approvedBy: `sup-${team}`,
        approverRole: 'supervisor',
        reason: '需调取第三方定损报告',
      }),
    ]);
    const dueAt1 = Date.parse(first.body.decisionDueAt);
    // Total 30 days from receipt instead of 15: about two weeks later (the civil-code end-of-period rule may add days).
    expect(dueAt1 - dueAt0).toBeGreaterThanOrEqual(13 * 86_400_000);
    expect(Date.parse(clock(first, 'complaint.decision')?.dueAt ?? '')).toBe(dueAt1);
    expect(clock(first, 'complaint.decision')?.state).toBe('pending');
    const notices = await h.database.db
      .selectFrom('notifications')
      .selectAll()
      .where('case_id', '=', id)
      .where('template', '=', 'complaint.extensionNotice')
      .execute();
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ channel: 'sms', recipient_kind: 'customer' });

    const secondBySupervisor = await post(`/${id}/extension`, supervisor, { reason: '仍需更多时间' });
    expect(secondBySupervisor.status).toBe(403);
    const unchanged = await h.api.request('GET', `/api/v1/complaints/${id}`, { token: agent });
    expect(unchanged.body.extensions).toHaveLength(1);

    const second = await post(`/${id}/extension`, manager, { reason: '涉及诉讼，特别复杂' });
    expect(second.status, second.text).toBe(200);
    expect(second.body.extensions).toHaveLength(2);
    expect(second.body.extensions[1]).toMatchObject({ n: 2, approverRole: 'manager' });
    expect(Date.parse(second.body.decisionDueAt)).toBeGreaterThan(dueAt1 + 25 * 86_400_000);

    const third = await post(`/${id}/extension`, tokenFor('admin'), { reason: '再延一次' });
    expect(third.status).toBe(409);
    expect(third.body.detail).toMatch(/twice/);

    await eventually(async () => {
      const rows = await h.database.db
        .selectFrom('notifications')
        .select('template')
        .where('case_id', '=', id)
        .where('template', '=', 'complaint.extensionNotice')
        .execute();
      expect(rows).toHaveLength(2);
    });
    const kinds = (await timeline(id, agent)).map((e) => e.kind);
    expect(kinds.filter((k) => k === 'clock.extended')).toHaveLength(2);
  });

  it('refuses an extension without a reason at the edge (400) and once the complaint is resolved (409)', async () => {
    const team = uniqueTeam();
    const agent = tokenFor('agent', team);
    const supervisor = tokenFor('supervisor', team);
    const { body: complaint } = await openComplaint(team, agent);
    const blank = await post(`/${complaint.id}/extension`, supervisor, { reason: '   ' });
    expect(blank.status).toBe(400);
    expect(blank.body.errors).toEqual([{ path: 'reason', message: expect.any(String) }]);

    await post(`/${complaint.id}/acknowledge`, agent, {});
    await post(`/${complaint.id}/investigation`, agent, { note: '核实' });
    await post(`/${complaint.id}/proposal`, agent, { resolution: 'apology', detail: '书面致歉' });
    const resolved = await post(`/${complaint.id}/customer-response`, agent, { accepted: true });
    expect(resolved.body.status).toBe('resolved');
    const late = await post(`/${complaint.id}/extension`, supervisor, { reason: '案情复杂' });
    expect(late.status).toBe(409);
  });
});

describe('the review (复核) of a communicated decision', () => {
  /** Acknowledged, investigated, proposed, and the proposal's notice delivered by the dispatcher. */
  async function openCommunicated(team: string, agent: string) {
    const { body: complaint } = await openComplaint(team, agent);
    await post(`/${complaint.id}/acknowledge`, agent, {});
    await post(`/${complaint.id}/investigation`, agent, { note: '核实理赔进度' });
    const proposed = await post(`/${complaint.id}/proposal`, agent, { resolution: 'apology', detail: '书面致歉' });
    expect(proposed.status, proposed.text).toBe(200);
    return eventually(async () => {
      const r = await h.api.request('GET', `/api/v1/complaints/${complaint.id}`, { token: agent });
      expect(r.body.reviewWindowEndsAt).toMatch(OFFSET_TIME);
      return r;
    });
  }

  it('a review asked for within the window goes under review with complaint.reviewDecision; an agent may not decide it (403), a manager does → resolved', async () => {
    const team = uniqueTeam();
    const agent = tokenFor('agent', team);
    const supervisor = tokenFor('supervisor', team);
    const manager = tokenFor('manager', undefined, `mgr-${team}`);
    const communicated = await openCommunicated(team, agent);
    const id: string = communicated.body.id;
    expect(communicated.body.allowedActions).toContain('review-request');
    expect(communicated.body.allowedActions).not.toContain('review-decision');

    const blank = await post(`/${id}/review-request`, agent, { reason: ' ' });
    expect(blank.status).toBe(400);
    const under = await post(`/${id}/review-request`, agent, { reason: '客户不认可处理决定，申请复核' });
    expect(under.status, under.text).toBe(200);
    expect(under.body.status).toBe('under_review');
    expect(under.body.review).toMatchObject({ reason: '客户不认可处理决定，申请复核', decision: null });
    expect(under.body.review.dueAt).toMatch(OFFSET_TIME);
    const reviewClock = clock(under, 'complaint.reviewDecision');
    expect(reviewClock).toMatchObject({ kind: 'statutory', state: 'pending', dueAt: under.body.review.dueAt });
    expect(under.body.allowedActions).not.toContain('review-request');
    expect(under.body.allowedActions).not.toContain('review-decision');
    const again = await post(`/${id}/review-request`, agent, { reason: '再次申请' });
    expect(again.status).toBe(409);

    for (const token of [agent, supervisor]) {
      const forbidden = await post(`/${id}/review-decision`, token, { upheld: true, detail: '维持原决定' });
      expect(forbidden.status, forbidden.text).toBe(403);
    }
    const seenByManager = await h.api.request('GET', `/api/v1/complaints/${id}`, { token: manager });
    expect(seenByManager.body.allowedActions).toContain('review-decision');
    const decided = await post(`/${id}/review-decision`, manager, { upheld: false, detail: '改为补偿 300 元' });
    expect(decided.status, decided.text).toBe(200);
    expect(decided.body.status).toBe('resolved');
    expect(decided.body.review.decision).toMatchObject({
      upheld: false,
      detail: '改为补偿 300 元',
      decidedBy: `mgr-${team}`,
    });
    expect(clock(decided, 'complaint.followUp')?.state).toBe('pending');

    // Its result reaches the complainant: the review clock is met.
    const delivered = await eventually(async () => {
      const r = await h.api.request('GET', `/api/v1/complaints/${id}`, { token: agent });
      expect(clock(r, 'complaint.reviewDecision')?.state).toBe('met');
      return r;
    });
    expect(delivered.body.review.communicatedAt).toMatch(OFFSET_TIME);
    const kinds = (await timeline(id, agent)).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['decision.communicated', 'review.communicated']));
    const transitions = (await timeline(id, agent)).filter((e) => e.kind === 'status.changed').map((e) => e.detail.to);
    expect(transitions).toEqual(['acknowledged', 'investigating', 'proposed', 'under_review', 'resolved']);
    expect(await notificationTemplates(id, agent)).toEqual(
      expect.arrayContaining(['complaint.reviewRequested', 'complaint.reviewDecision', 'survey.request']),
    );
  });

  it('answers 409 to a review asked for before the decision is communicated, or after complaint.reviewWindow', async () => {
    const team = uniqueTeam();
    const agent = tokenFor('agent', team);
    const { body: complaint } = await openComplaint(team, agent);
    await post(`/${complaint.id}/acknowledge`, agent, {});
    const early = await post(`/${complaint.id}/review-request`, agent, { reason: '申请复核' });
    expect(early.status).toBe(409);

    // The window made seconds long (only this test's complaints reach it meanwhile).
    const admin = tokenFor('admin', undefined, 'admin-ops');
    const put = await h.api.request('PUT', '/api/v1/admin/deadline-policies/complaint.reviewWindow', {
      token: admin,
      body: { duration: 'PT2S', mode: 'elapsed' },
    });
    expect(put.status, put.text).toBe(200);
    try {
      const communicated = await openCommunicated(team, agent);
      const endsAt = Date.parse(communicated.body.reviewWindowEndsAt);
      expect(endsAt - Date.parse(communicated.body.decisionCommunicatedAt)).toBe(2_000);
      await new Promise((r) => setTimeout(r, Math.max(0, endsAt - Date.now()) + 500));
      const read = await h.api.request('GET', `/api/v1/complaints/${communicated.body.id}`, { token: agent });
      expect(read.body.allowedActions).not.toContain('review-request');
      const late = await post(`/${communicated.body.id}/review-request`, agent, { reason: '申请复核' });
      expect(late.status, late.text).toBe(409);
      expect(late.body.detail).toMatch(/review window ended/);
      const after = await h.api.request('GET', `/api/v1/complaints/${communicated.body.id}`, { token: agent });
      expect(after.body.status).toBe('proposed');
    } finally {
      await deleteDeadlinePolicyOverride(h.database.db, 'complaint.reviewWindow');
    }
  });
});

describe('shared case actions', () => {
  it('takes notes and assignments on a complaint through /cases, both on the timeline', async () => {
    const team = uniqueTeam();
    const agent = tokenFor('agent', team);
    const { body: complaint } = await openComplaint(team, agent);
    const note = await h.api.request('POST', `/api/v1/cases/${complaint.id}/notes`, {
      token: agent,
      body: { text: '客户来电补充情况' },
    });
    expect(note.status, note.text).toBe(200);
    await hire(h.database.db, `agent-2-${team}`, team);
    const assigned = await h.api.request('POST', `/api/v1/cases/${complaint.id}/assign`, {
      token: tokenFor('supervisor', team),
      body: { assignee: `agent-2-${team}` },
    });
    expect(assigned.status, assigned.text).toBe(200);
    const kinds = (await timeline(complaint.id, agent)).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['note.added', 'case.assigned']));
  });
});

describe('the regulator channel', () => {
  it('starts at escalation level 1 and notifies the supervisor at once', async () => {
    const team = uniqueTeam();
    const agent = tokenFor('agent', team);
    const { body: complaint } = await openComplaint(team, agent, {
      channel: 'regulator',
      category: 'regulator_referral',
    });
    expect(complaint).toMatchObject({ status: 'received', channel: 'regulator', escalationLevel: 1 });

    const notices = await h.api.request('GET', `/api/v1/notifications?caseId=${complaint.id}`, { token: agent });
    expect(notices.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          template: 'complaint.regulator',
          channel: 'internal',
          status: expect.stringMatching(/queued|sent/),
        }),
      ]),
    );
    const escalated = (await timeline(complaint.id, agent)).find((e) => e.kind === 'case.escalated');
    expect(escalated?.detail).toMatchObject({ from: 0, to: 1, reason: 'regulator_channel' });
    const listed = await h.api.request('GET', `/api/v1/cases?team=${team}&escalated=true`, {
      token: tokenFor('supervisor', team),
    });
    expect(listed.body.items.map((c: { id: string }) => c.id)).toEqual([complaint.id]);
  });
});

describe('refusals', () => {
  it('answers 400 with paths for unknown fields and invalid values', async () => {
    const agent = tokenFor('agent', uniqueTeam());
    const unknown = await h.api.request('POST', '/api/v1/complaints', {
      token: agent,
      body: {
        ...complaintBody(),
        customer: { name: '王五', phone: '13700001111', idNumber: '110101199003071234' },
        urgent: true,
      },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    expect(unknown.body.errors).toEqual(
      expect.arrayContaining([
        { path: 'customer.idNumber', message: 'Unknown field.' },
        { path: 'urgent', message: 'Unknown field.' },
      ]),
    );
    expect(unknown.text).not.toContain('110101199003071234');

    const invalid = await h.api.request('POST', '/api/v1/complaints', {
      token: agent,
      body: complaintBody({ channel: 'fax', category: 'Free text!' }),
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['category', 'channel']);

    const team = uniqueTeam();
    const member = tokenFor('agent', team);
    const { body: complaint } = await openComplaint(team, member);
    const noAmount = await post(`/${complaint.id}/proposal`, member, { resolution: 'refund', detail: '退还保费差额' });
    expect(noAmount.status).toBe(400);
    expect(noAmount.body.errors).toEqual([{ path: 'amount', message: expect.any(String) }]);
    const score = await post(`/${complaint.id}/satisfaction`, member, { score: 6 });
    expect(score.status).toBe(400);
    expect(score.body.errors).toEqual([{ path: 'score', message: expect.any(String) }]);
  });

  it('answers 409 for an action the status does not allow, and changes nothing', async () => {
    const team = uniqueTeam();
    const agent = tokenFor('agent', team);
    const { body: complaint } = await openComplaint(team, agent);
    const eventsBefore = await timeline(complaint.id, agent);

    const proposal = await post(`/${complaint.id}/proposal`, agent, { resolution: 'apology', detail: '致歉' });
    expect(proposal.status).toBe(409);
    expect(proposal.body.detail).toMatch(/received/);
    expect((await post(`/${complaint.id}/customer-response`, agent, { accepted: true })).status).toBe(409);
    expect((await post(`/${complaint.id}/satisfaction`, agent, { score: 4 })).status).toBe(409);

    const after = await h.api.request('GET', `/api/v1/complaints/${complaint.id}`, { token: agent });
    expect(after.body.status).toBe('received');
    expect(after.body.updatedAt).toBe(complaint.updatedAt);
    expect(await timeline(complaint.id, agent)).toHaveLength(eventsBefore.length);
  });

  it('answers 404 for a complaint of another team, for agents and supervisors, on every route', async () => {
    const team = uniqueTeam();
    const { body: complaint } = await openComplaint(team);
    for (const token of [tokenFor('agent', uniqueTeam()), tokenFor('supervisor', uniqueTeam())]) {
      expect((await h.api.request('GET', `/api/v1/complaints/${complaint.id}`, { token })).status).toBe(404);
      expect((await post(`/${complaint.id}/acknowledge`, token, {})).status).toBe(404);
      expect((await post(`/${complaint.id}/investigation`, token, { note: '看看' })).status).toBe(404);
    }
    expect(
      (await post(`/${complaint.id}/extension`, tokenFor('supervisor', uniqueTeam()), { reason: '复杂' })).status,
    ).toBe(404);
    expect(
      (await h.api.request('GET', '/api/v1/complaints/CP20260101AAAAAA', { token: tokenFor('manager') })).status,
    ).toBe(404);
    // A claim is not a complaint.
    const claimLike = await h.api.request('GET', `/api/v1/claims/${complaint.id}`, { token: tokenFor('manager') });
    expect(claimLike.status).toBe(404);
    expect(
      (await h.api.request('GET', `/api/v1/complaints/${complaint.id}`, { token: tokenFor('manager') })).status,
    ).toBe(200);
  });

  it('refuses a related case the caller cannot see (422) and keeps one it can', async () => {
    const team = uniqueTeam();
    const agent = tokenFor('agent', team);
    const { body: own } = await openComplaint(team, agent);
    const { body: foreign } = await openComplaint(uniqueTeam());
    const refused = await h.api.request('POST', '/api/v1/complaints', {
      token: agent,
      body: complaintBody({ relatedCaseId: foreign.id }),
    });
    expect(refused.status).toBe(422);
    const related = await openComplaint(team, agent, { relatedCaseId: own.id });
    expect(related.body.relatedCaseId).toBe(own.id);
  });

  it('lets agents and supervisors open complaints for their own team only; managers name the team', async () => {
    const team = uniqueTeam();
    const other = await h.api.request('POST', '/api/v1/complaints', {
      token: tokenFor('agent', team),
      body: complaintBody({ team: uniqueTeam() }),
    });
    expect(other.status).toBe(403);
    const noTeam = await h.api.request('POST', '/api/v1/complaints', {
      token: tokenFor('manager'),
      body: complaintBody(),
    });
    expect(noTeam.status).toBe(400);
    expect(noTeam.body.errors).toEqual([{ path: 'team', message: expect.any(String) }]);
    const byManager = await h.api.request('POST', '/api/v1/complaints', {
      token: tokenFor('manager'),
      body: complaintBody({ team }),
    });
    expect(byManager.status, byManager.text).toBe(201);
    expect(byManager.body).toMatchObject({ team, assignee: null });
  });
});

describe('Idempotency-Key', () => {
  it('answers a repeated complaint with the first response and opens one case; a different body is 422', async () => {
    const team = uniqueTeam();
    const agent = tokenFor('agent', team, `agent-${team}`);
    const body = complaintBody();
    const headers = { 'Idempotency-Key': `complaint-${randomUUID()}` };
    const first = await h.api.request('POST', '/api/v1/complaints', { token: agent, body, headers });
    expect(first.status, first.text).toBe(201);
    const again = await h.api.request('POST', '/api/v1/complaints', { token: agent, body, headers });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const changed = await h.api.request('POST', '/api/v1/complaints', {
      token: agent,
      body: { ...body, category: 'other' },
      headers,
    });
    expect(changed.status).toBe(422);

    // As if the API died after the workflow opened the complaint but before the answer was stored.
    await h.database.db.deleteFrom('idempotency_keys').where('key', '=', headers['Idempotency-Key']).execute();
    const retry = await h.api.request('POST', '/api/v1/complaints', { token: agent, body, headers });
    expect(retry.status, retry.text).toBe(201);
    expect(retry.body.id).toBe(first.body.id);
    const listed = await h.api.request('GET', '/api/v1/cases?type=complaint', { token: agent });
    expect(listed.body.items.map((c: { id: string }) => c.id)).toEqual([first.body.id]);
  });
});

describe('personal data', () => {
  it('keeps the customer and the description out of Temporal, masks the customer for every role, reveals only through the audit', async () => {
    const team = uniqueTeam();
    const agent = tokenFor('agent', team);
    const body = complaintBody({ customer: { name: '欧阳娜娜', phone: '13812345678' } });
    const created = await h.api.request('POST', '/api/v1/complaints', { token: agent, body });
    expect(created.status, created.text).toBe(201);
    expect(created.body.customer).toEqual({ name: '欧***', phone: '138****5678' });
    expect(created.text).not.toContain('13812345678');
    expect(created.text).not.toContain('欧阳娜娜');
    const asManager = await h.api.request('GET', `/api/v1/complaints/${created.body.id}`, {
      token: tokenFor('manager'),
    });
    expect(asManager.body.customer).toEqual({ name: '欧***', phone: '138****5678' });
    expect(asManager.body.description).toBe(body.description);

    const stored = await h.database.db
      .selectFrom('case_personal_data')
      .select('data')
      .where('case_id', '=', created.body.id)
      .executeTakeFirstOrThrow();
    expect(stored.data).toEqual({
      customer: { name: '欧阳娜娜', phone: '13812345678' },
      description: body.description,
    });
    const history = await h.env.client.workflow.getHandle(`complaint-${created.body.id}`).fetchHistory();
    const recorded = payloadText(history);
    expect(recorded).not.toContain('claim_delay');
    // Sealed by the payload codec; opened, it still holds no personal data either.
    const decoded = await decodedPayloadText(history);
    expect(decoded).toContain('claim_delay');
    for (const secret of ['13812345678', '欧阳娜娜', body.description]) expect(decoded).not.toContain(secret);
    for (const secret of ['13812345678', '欧阳娜娜', body.description]) expect(recorded).not.toContain(secret);

    const revealed = await h.api.request('POST', `/api/v1/cases/${created.body.id}/reveal`, {
      token: agent,
      body: { reason: '回访投诉人', fields: ['customer'] },
    });
    expect(revealed.status, revealed.text).toBe(200);
    expect(revealed.body.personalData).toEqual({ customer: { name: '欧阳娜娜', phone: '13812345678' } });
    expect(h.logs.join('\n')).not.toContain('13812345678');
  });
});
