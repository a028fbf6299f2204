/**
 * Claims through the real API, the shared dev server, a worker running the real workflow and the
 * real PostgreSQL read model: the whole walk from report to payment, and the refusals on the way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenFor, uniqueTeam } from '../support/auth';
import { ALL_DOCUMENTS, claimReport } from '../support/fixtures';
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
  startedAt: string;
  dueAt: string;
  provisional: boolean;
}
const clock = (res: TestResponse, policy: string): Clock | undefined =>
  (res.body.clocks as Clock[]).find((c) => c.policy === policy);

async function openClaim(team: string, agent = tokenFor('agent', team), overrides = {}) {
  const res = await h.api.request('POST', '/api/v1/claims', { token: agent, body: claimReport(overrides) });
  expect(res.status, res.text).toBe(201);
  return res;
}

async function timelineKinds(id: string, token: string): Promise<{ kind: string; detail: Record<string, unknown> }[]> {
  const res = await h.api.request('GET', `/api/v1/cases/${id}/timeline`, { token });
  expect(res.status).toBe(200);
  return res.body.items;
}

describe('a claim from report to payment', () => {
  it('walks reported → awaiting_documents → under_review → approved → paid with clocks, timeline and notifications at each step', async () => {
    const team = uniqueTeam();
    const agent = tokenFor('agent', team, `agent-${team}`);
    const supervisor = tokenFor('supervisor', team);
    const report = claimReport();

    // Report: the workflow starts, projects itself and answers in the same round trip.
    const created = await h.api.request('POST', '/api/v1/claims', { token: agent, body: report });
    expect(created.status, created.text).toBe(201);
    const id: string = created.body.id;
    expect(id).toMatch(/^CL\d{8}[0-9A-HJKMNP-TV-Z]{6}$/);
    expect(created.headers.get('location')).toBe(`/api/v1/claims/${id}`);
    expect(created.body).toMatchObject({
      type: 'claim',
      status: 'awaiting_documents',
      team,
      assignee: `agent-${team}`,
      escalationLevel: 0,
      policyNo: report.policyNo,
      coverage: 'commercial',
      missingDocuments: expect.arrayContaining([...ALL_DOCUMENTS]),
      assessedAmount: null,
      decision: null,
    });
    expect(created.body.createdAt).toMatch(OFFSET_TIME);
    expect(clock(created, 'claim.firstContact')).toMatchObject({
      kind: 'internal',
      state: 'pending',
      provisional: false,
    });
    expect(clock(created, 'claim.firstContact')?.dueAt).toMatch(OFFSET_TIME);
    expect(clock(created, 'claim.documentNotice.commercial')).toMatchObject({ state: 'pending' });
    const notificationsAfterReport = await h.api.request('GET', `/api/v1/notifications?caseId=${id}`, { token: agent });
    expect(notificationsAfterReport.body.items).toEqual([
      expect.objectContaining({
        caseId: id,
        template: 'claim.documentNotice',
        channel: 'sms',
        status: expect.stringMatching(/queued|sent/),
      }),
    ]);

    // The call-back reaches the reporter: the first-contact promise is met.
    const contacted = await h.api.request('POST', `/api/v1/claims/${id}/contact`, {
      token: agent,
      body: { outcome: 'reached', note: '已电话联系，指导现场处理' },
    });
    expect(contacted.status, contacted.text).toBe(200);
    expect(contacted.body.firstContactAt).toMatch(OFFSET_TIME);
    expect(clock(contacted, 'claim.firstContact')?.state).toBe('met');

    // Some documents: still waiting for the rest.
    const partial = await h.api.request('POST', `/api/v1/claims/${id}/documents`, {
      token: agent,
      body: { documents: ['accident_certificate', 'id_card'] },
    });
    expect(partial.status, partial.text).toBe(200);
    expect(partial.body.status).toBe('awaiting_documents');
    expect(partial.body.missingDocuments).not.toContain('id_card');
    expect(partial.body.missingDocuments).toContain('repair_invoice');

    // The rest: under review, the statutory verification clock runs.
    const complete = await h.api.request('POST', `/api/v1/claims/${id}/documents`, {
      token: agent,
      body: { documents: [...ALL_DOCUMENTS] },
    });
    expect(complete.status, complete.text).toBe(200);
    expect(complete.body.status).toBe('under_review');
    expect(complete.body.missingDocuments).toEqual([]);
    expect(clock(complete, 'claim.verification.commercial')).toMatchObject({ kind: 'statutory', state: 'pending' });

    const assessed = await h.api.request('POST', `/api/v1/claims/${id}/assessment`, {
      token: agent,
      body: { amount: 5234.5, note: '定损完成' },
    });
    expect(assessed.status, assessed.text).toBe(200);
    expect(assessed.body.assessedAmount).toBe(5234.5);

    // An agent may not decide; a supervisor approves and the payment clock starts.
    const byAgent = await h.api.request('POST', `/api/v1/claims/${id}/decision`, {
      token: agent,
      body: { outcome: 'approve' },
    });
    expect(byAgent.status).toBe(403);
    const approved = await h.api.request('POST', `/api/v1/claims/${id}/decision`, {
      token: supervisor,
      body: { outcome: 'approve' },
    });
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body.status).toBe('approved');
    expect(approved.body.decision).toMatchObject({ outcome: 'approve', amount: 5234.5 });
    expect(clock(approved, 'claim.verification.commercial')?.state).toBe('met');
    expect(clock(approved, 'claim.payment')).toMatchObject({ kind: 'statutory', state: 'pending' });

    const paid = await h.api.request('POST', `/api/v1/claims/${id}/payment`, {
      token: supervisor,
      body: { amount: 5234.5, reference: 'PAY-0001' },
    });
    expect(paid.status, paid.text).toBe(200);
    expect(paid.body.status).toBe('paid');
    expect(paid.body.payment).toMatchObject({ amount: 5234.5, reference: 'PAY-0001' });
    expect(clock(paid, 'claim.payment')?.state).toBe('met');

    const events = await timelineKinds(id, agent);
    const transitions = events.filter((e) => e.kind === 'status.changed').map((e) => e.detail.to);
    expect(transitions).toEqual(expect.arrayContaining(['awaiting_documents', 'under_review', 'approved', 'paid']));
    expect(events.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['case.opened', 'contact.recorded', 'documents.received', 'assessment.recorded']),
    );

    const notifications = await h.api.request('GET', `/api/v1/notifications?caseId=${id}`, { token: supervisor });
    expect(notifications.body.items.map((n: { template: string }) => n.template)).toEqual(
      expect.arrayContaining(['claim.documentNotice', 'survey.request']),
    );

    // The dispatcher delivers the survey; its receipt closes the claim. The statutory document
    // notice was met the same way, when its delivery was confirmed.
    const read = await eventually(async () => {
      const r = await h.api.request('GET', `/api/v1/claims/${id}`, { token: agent });
      expect(r.body.status).toBe('closed');
      return r;
    });
    expect(clock(read, 'claim.documentNotice.commercial')?.state).toBe('met');
    expect(read.body.documentNoticeSentAt).not.toBeNull();

    // The customer answers the survey (SMS reply, keyed in by the agent): it lands for the satisfaction KPI, once.
    const answer = await h.api.request('POST', `/api/v1/cases/${id}/survey-response`, {
      token: agent,
      body: { score: 5, comment: '处理很快' },
    });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body).toMatchObject({ caseId: id, caseType: 'claim', score: 5 });
    const again = await h.api.request('POST', `/api/v1/cases/${id}/survey-response`, {
      token: agent,
      body: { score: 1 },
    });
    expect(again.status).toBe(409);
    const row = await h.database.db
      .selectFrom('satisfaction_surveys')
      .selectAll()
      .where('case_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'answered', score: 5, case_type: 'claim' });
    expect(read.body.payment).toMatchObject({ reference: 'PAY-0001' });
    const listed = await h.api.request('GET', `/api/v1/cases?team=${team}`, { token: supervisor });
    expect(listed.body.items).toEqual([
      expect.objectContaining({ id, type: 'claim', status: read.body.status, policyNo: report.policyNo }),
    ]);
  });
});

describe('refusals', () => {
  it('refuses a payment before approval with 409 and leaves the claim unchanged', async () => {
    const team = uniqueTeam();
    const agent = tokenFor('agent', team);
    const supervisor = tokenFor('supervisor', team);
    const { body: claim } = await openClaim(team, agent);
    await h.api.request('POST', `/api/v1/claims/${claim.id}/documents`, {
      token: agent,
      body: { documents: [...ALL_DOCUMENTS] },
    });
    // Let the outbox settle first: the document notice's delivery (and its receipt) change the case too.
    const before = await eventually(async () => {
      const r = await h.api.request('GET', `/api/v1/claims/${claim.id}`, { token: agent });
      expect(r.body.documentNoticeSentAt).not.toBeNull();
      const events = await timelineKinds(claim.id, agent);
      expect(events.map((e) => e.kind)).toContain('notification.sent');
      // The receipt's own projection (the notice clock met) follows the query's answer.
      expect(events).toContainEqual(
        expect.objectContaining({
          kind: 'clock.met',
          detail: expect.objectContaining({ policy: expect.stringMatching(/^claim\.documentNotice\./) }),
        }),
      );
      return r;
    });
    const eventsBefore = await timelineKinds(claim.id, agent);

    const res = await h.api.request('POST', `/api/v1/claims/${claim.id}/payment`, {
      token: supervisor,
      body: { amount: 100, reference: 'PAY-X' },
    });
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.detail).toMatch(/under_review/);

    const after = await h.api.request('GET', `/api/v1/claims/${claim.id}`, { token: agent });
    expect(after.body.status).toBe('under_review');
    expect(after.body.payment).toBeNull();
    expect(after.body.updatedAt).toBe(before.body.updatedAt);
    expect(await timelineKinds(claim.id, agent)).toHaveLength(eventsBefore.length);
  });

  it('answers 404 for a claim of another team, on every route, for agents and supervisors', async () => {
    const team = uniqueTeam();
    const { body: claim } = await openClaim(team);
    for (const token of [tokenFor('agent', uniqueTeam()), tokenFor('supervisor', uniqueTeam())]) {
      expect((await h.api.request('GET', `/api/v1/claims/${claim.id}`, { token })).status).toBe(404);
      expect((await h.api.request('GET', `/api/v1/cases/${claim.id}/timeline`, { token })).status).toBe(404);
      expect((await h.api.request('GET', `/api/v1/notifications?caseId=${claim.id}`, { token })).status).toBe(404);
      const contact = await h.api.request('POST', `/api/v1/claims/${claim.id}/contact`, {
        token,
        body: { outcome: 'no_answer' },
      });
      expect(contact.status).toBe(404);
    }
    // Managers see every team.
    expect((await h.api.request('GET', `/api/v1/claims/${claim.id}`, { token: tokenFor('manager') })).status).toBe(200);
  });

  it('refuses a denial without a reason at the edge (400) and documents for a withdrawn claim (409)', async () => {
    const team = uniqueTeam();
    const agent = tokenFor('agent', team);
    const { body: claim } = await openClaim(team, agent);
    const deny = await h.api.request('POST', `/api/v1/claims/${claim.id}/decision`, {
      token: tokenFor('supervisor', team),
      body: { outcome: 'deny' },
    });
    expect(deny.status).toBe(400);
    expect(deny.body.errors).toEqual([{ path: 'reason', message: expect.any(String) }]);

    const withdrawn = await h.api.request('POST', `/api/v1/claims/${claim.id}/withdraw`, {
      token: agent,
      body: { reason: '客户自行协商解决' },
    });
    expect(withdrawn.status, withdrawn.text).toBe(200);
    expect(withdrawn.body.status).toBe('withdrawn');
    const late = await h.api.request('POST', `/api/v1/claims/${claim.id}/documents`, {
      token: agent,
      body: { documents: ['id_card'] },
    });
    expect(late.status).toBe(409);
    // A note is still welcome on an ended case: it goes straight onto the timeline.
    await eventually(async () =>
      expect(
        (await h.api.request('GET', `/api/v1/cases?team=${team}`, { token: tokenFor('supervisor', team) })).body
          .items[0]?.status,
      ).toBe('withdrawn'),
    );
    const note = await h.api.request('POST', `/api/v1/cases/${claim.id}/notes`, {
      token: agent,
      body: { text: '客户来电确认已撤案' },
    });
    expect(note.status, note.text).toBe(200);
    const notes = (await timelineKinds(claim.id, agent)).filter((e) => e.kind === 'note.added');
    expect(notes).toEqual([expect.objectContaining({ detail: { text: '客户来电确认已撤案' } })]);
  });
});

describe('further document requests', () => {
  it('a request for an omitted document records a compliance exception on the claim, its timeline and compliance_exceptions; one for new facts does not', async () => {
    const team = uniqueTeam();
    const agent = tokenFor('agent', team, `agent-${team}`);
    const { body: opened } = await openClaim(team, agent);
    const id: string = opened.id;
    const post = (body: unknown) =>
      h.api.request('POST', `/api/v1/claims/${id}/document-request`, { token: agent, body });

    const invalid = await post({ documents: ['passport'], cause: 'forgot', note: '' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['cause', 'documents[0]', 'note']);

    const newFacts = await post({ documents: ['medical_records'], cause: 'new_facts', note: '报案后得知乘客受伤' });
    expect(newFacts.status, newFacts.text).toBe(200);
    expect(newFacts.body.missingDocuments).toContain('medical_records');
    expect(newFacts.body.complianceExceptions ?? []).toEqual([]);

    const omitted = await post({ documents: ['loss_assessment'], cause: 'omitted', note: '首次告知漏列定损单' });
    expect(omitted.status, omitted.text).toBe(200);
    expect(omitted.body.complianceExceptions).toEqual([
      {
        at: expect.stringMatching(OFFSET_TIME),
        documents: ['loss_assessment'],
        cause: 'omitted',
        actor: `agent-${team}`,
      },
    ]);
    expect(omitted.body.documentRequests).toHaveLength(2);
    const events = await timelineKinds(id, agent);
    expect(events.filter((e) => e.kind === 'compliance.exception').map((e) => e.detail)).toEqual([
      expect.objectContaining({ cause: 'omitted', documents: ['loss_assessment'] }),
    ]);
    const rows = await h.database.db
      .selectFrom('compliance_exceptions')
      .selectAll()
      .where('case_id', '=', id)
      .execute();
    expect(rows).toEqual([
      expect.objectContaining({
        case_type: 'claim',
        team,
        cause: 'omitted',
        documents: ['loss_assessment'],
        actor: `agent-${team}`,
      }),
    ]);

    // Counted in the breach report, statutory only, for the team's supervisor.
    const supervisor = tokenFor('supervisor', team, `sup-${team}`);
    const period = `from=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`;
    const report = await h.api.request('GET', `/api/v1/reports/breaches?${period}`, { token: supervisor });
    expect(report.status, report.text).toBe(200);
    expect(report.body.totals.complianceExceptions).toBe(1);
    expect(report.body.complianceExceptions).toEqual([
      expect.objectContaining({
        caseId: id,
        caseType: 'claim',
        team,
        cause: 'omitted',
        documents: ['loss_assessment'],
      }),
    ]);
    const internalOnly = await h.api.request('GET', `/api/v1/reports/breaches?${period}&kind=internal`, {
      token: supervisor,
    });
    expect(internalOnly.body.complianceExceptions).toEqual([]);

    // The documents arriving for the requests move the claim on as before.
    const complete = await h.api.request('POST', `/api/v1/claims/${id}/documents`, {
      token: agent,
      body: { documents: [...ALL_DOCUMENTS, 'medical_records'] },
    });
    expect(complete.body.status).toBe('under_review');
    const withdrawn = await h.api.request('POST', `/api/v1/claims/${id}/withdraw`, {
      token: agent,
      body: { reason: '撤案' },
    });
    expect(withdrawn.status).toBe(200);
    const late = await post({ documents: ['id_card'], cause: 'omitted', note: '漏列' });
    expect(late.status).toBe(409);
  });
});

describe('Idempotency-Key', () => {
  it('answers a repeated report with the first response and opens one claim; a different body is 422', async () => {
    const team = uniqueTeam();
    const agent = tokenFor('agent', team, `agent-${team}`);
    const body = claimReport();
    const headers = { 'Idempotency-Key': `report-${team}` };
    const first = await h.api.request('POST', '/api/v1/claims', { token: agent, body, headers });
    expect(first.status, first.text).toBe(201);
    const again = await h.api.request('POST', '/api/v1/claims', { token: agent, body, headers });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect(again.headers.get('idempotent-replayed')).toBe('true');

    const listed = await h.api.request('GET', '/api/v1/cases', { token: agent });
    expect(listed.body.items.map((c: { id: string }) => c.id)).toEqual([first.body.id]);

    const changed = await h.api.request('POST', '/api/v1/claims', {
      token: agent,
      body: { ...body, policyNo: 'OTHER-0001' },
      headers,
    });
    expect(changed.status).toBe(422);
    expect(changed.headers.get('content-type')).toContain('application/problem+json');

    // Keys are per staff member: a colleague's same key is a request of its own.
    const colleague = await h.api.request('POST', '/api/v1/claims', { token: tokenFor('agent', team), body, headers });
    expect(colleague.status).toBe(201);
    expect(colleague.body.id).not.toBe(first.body.id);
  });

  it('joins the same claim when a retry follows a response that was lost after the claim was opened', async () => {
    const team = uniqueTeam();
    const agent = tokenFor('agent', team, `agent-${team}`);
    const body = claimReport();
    const headers = { 'Idempotency-Key': `lost-${team}` };
    const first = await h.api.request('POST', '/api/v1/claims', { token: agent, body, headers });
    expect(first.status, first.text).toBe(201);
    // As if the API died after the workflow opened the claim but before the answer was stored.
    await h.database.db.deleteFrom('idempotency_keys').where('key', '=', headers['Idempotency-Key']).execute();
    const retry = await h.api.request('POST', '/api/v1/claims', { token: agent, body, headers });
    expect(retry.status, retry.text).toBe(201);
    expect(retry.body.id).toBe(first.body.id);
    const listed = await h.api.request('GET', '/api/v1/cases', { token: agent });
    expect(listed.body.items).toHaveLength(1);
  });

  it("never opens a closed claim's number again: a retry whose answer was lost after it closed is 409", async () => {
    const team = uniqueTeam();
    const agent = tokenFor('agent', team, `agent-${team}`);
    const body = claimReport();
    const headers = { 'Idempotency-Key': `closed-${team}` };
    const first = await h.api.request('POST', '/api/v1/claims', { token: agent, body, headers });
    expect(first.status, first.text).toBe(201);
    const handle = h.env.client.workflow.getHandle(`claim-${first.body.id}`);
    await handle.terminate('the test closes the claim');
    await h.database.db.deleteFrom('idempotency_keys').where('key', '=', headers['Idempotency-Key']).execute();

    const retry = await h.api.request('POST', '/api/v1/claims', { token: agent, body, headers });
    expect(retry.status, retry.text).toBe(409);
    expect(retry.headers.get('content-type')).toContain('application/problem+json');
    // No second run under the number, and the claim's personal data stays with it.
    const runs = [];
    for await (const run of h.env.client.workflow.list({ query: `WorkflowId = 'claim-${first.body.id}'` }))
      runs.push(run);
    expect(runs.map((r) => r.status.name)).toEqual(['TERMINATED']);
    const personal = await h.database.db
      .selectFrom('case_personal_data')
      .select('case_id')
      .where('case_id', '=', first.body.id)
      .execute();
    expect(personal).toHaveLength(1);
  });
});

describe('personal data', () => {
  it('is masked in responses for agents, and revealed in full only through an audited reveal', async () => {
    const team = uniqueTeam();
    const agent = tokenFor('agent', team, `agent-${team}`);
    const report = claimReport({ reporter: { name: '张三丰', phone: '13812341234' }, vehicle: { plate: '粤B12345' } });
    const created = await h.api.request('POST', '/api/v1/claims', { token: agent, body: report });
    expect(created.status, created.text).toBe(201);
    expect(created.body.reporter).toEqual({ name: '张**', phone: '138****1234' });
    expect(created.body.vehicle).toEqual({ plate: '粤B***45' });
    expect(created.text).not.toContain('13812341234');

    const read = await h.api.request('GET', `/api/v1/claims/${created.body.id}`, { token: agent });
    expect(read.body.reporter).toEqual({ name: '张**', phone: '138****1234' });
    const asManager = await h.api.request('GET', `/api/v1/claims/${created.body.id}`, { token: tokenFor('manager') });
    expect(asManager.body.reporter.phone).toBe('138****1234');

    const noReason = await h.api.request('POST', `/api/v1/cases/${created.body.id}/reveal`, { token: agent, body: {} });
    expect(noReason.status).toBe(400);
    const revealed = await h.api.request('POST', `/api/v1/cases/${created.body.id}/reveal`, {
      token: agent,
      body: { reason: '回访报案人', fields: ['reporter'] },
    });
    expect(revealed.status, revealed.text).toBe(200);
    expect(revealed.body.personalData).toEqual({ reporter: { name: '张三丰', phone: '13812341234' } });
    expect(revealed.headers.get('cache-control')).toBe('no-store');

    const audit = await h.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('target', '=', created.body.id)
      .execute();
    expect(audit).toEqual([
      expect.objectContaining({
        actor: `agent-${team}`,
        action: 'personal_data.reveal',
        detail: { role: 'agent', fields: ['reporter'], reason: '回访报案人' },
      }),
    ]);

    // Nothing personal in any log line the API wrote.
    const logs = h.logs.join('\n');
    for (const secret of ['13812341234', '张三丰', '粤B12345']) expect(logs).not.toContain(secret);
  });
});

describe('assignment and notes', () => {
  it('lets a supervisor assign and anyone in the team add a note, both on the timeline', async () => {
    const team = uniqueTeam();
    const agent = tokenFor('agent', team);
    const { body: claim } = await openClaim(team, agent);
    await hire(h.database.db, 'agent-007', team);

    expect(
      (await h.api.request('POST', `/api/v1/cases/${claim.id}/assign`, { token: agent, body: { assignee: 'someone' } }))
        .status,
    ).toBe(403);
    const assigned = await h.api.request('POST', `/api/v1/cases/${claim.id}/assign`, {
      token: tokenFor('supervisor', team),
      body: { assignee: 'agent-007' },
    });
    expect(assigned.status, assigned.text).toBe(200);
    expect(assigned.body.assignee).toBe('agent-007');

    const noted = await h.api.request('POST', `/api/v1/cases/${claim.id}/notes`, {
      token: agent,
      body: { text: '客户要求下午回电' },
    });
    expect(noted.status, noted.text).toBe(200);

    const events = await timelineKinds(claim.id, agent);
    expect(events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'case.assigned', detail: expect.objectContaining({ to: 'agent-007' }) }),
        expect.objectContaining({ kind: 'note.added', detail: { text: '客户要求下午回电' } }),
      ]),
    );
    const byAssignee = await h.api.request('GET', `/api/v1/cases?assignee=agent-007&team=${team}`, {
      token: tokenFor('manager'),
    });
    expect(byAssignee.body.items.map((c: { id: string }) => c.id)).toEqual([claim.id]);
  });
});
