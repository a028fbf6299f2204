/**
 * Inquiries through the real API, the shared dev server, a worker running the real workflow, the
 * notification dispatcher (whose delivery receipt closes an answered inquiry) and the real PostgreSQL
 * read model: answered on the spot, answered after consulting departments, waiting on the customer,
 * the quality review, and the refusals on the way.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodedPayloadText, payloadText } from '../support/history';
import { tokenFor, uniqueTeam } from '../support/auth';
import { startApiHarness, type ApiHarness } from '../support/harness';
import { eventually, type TestResponse } from '../support/http';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(async () => {
  await h?.close();
});

const OFFSET_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+08:00$/;

interface Clock {
  id: string;
  policy: string;
  kind: string;
  state: string;
  dueAt: string;
}
const clocksOf = (res: TestResponse, policy: string): Clock[] =>
  (res.body.clocks as Clock[]).filter((c) => c.policy === policy);
const clock = (res: TestResponse, policy: string): Clock | undefined => clocksOf(res, policy)[0];

function inquiryBody(overrides: Record<string, unknown> = {}) {
  return {
    customer: { name: '王芳', phone: `137${String(randomInt(1e8)).padStart(8, '0')}` },
    channel: 'phone',
    topic: 'renewal',
    question: '车辆过户后原保单能否继续有效？需要办理什么手续？',
    ...overrides,
  };
}

async function openInquiry(team: string, agent = tokenFor('agent', team), overrides: Record<string, unknown> = {}) {
  const res = await h.api.request('POST', '/api/v1/inquiries', { token: agent, body: inquiryBody(overrides) });
  expect(res.status, res.text).toBe(201);
  return res;
}

const post = (path: string, token: string, body: unknown) =>
  h.api.request('POST', `/api/v1/inquiries${path}`, { token, body });

async function notificationTemplates(id: string, token: string): Promise<string[]> {
  const res = await h.api.request('GET', `/api/v1/notifications?caseId=${id}`, { token });
  expect(res.status).toBe(200);
  return res.body.items.map((n: { template: string }) => n.template);
}

describe('an inquiry answered on the spot', () => {
  it('is recorded and closed at once, sends the survey, and stays open for the quality review', async () => {
    const team = uniqueTeam();
    const agent = tokenFor('agent', team, `agent-${team}`);
    const body = inquiryBody({
      topic: 'claim_progress',
      question: '理赔款一般多久到账？',
      answer: '资料齐全后十日内支付',
    });
    const created = await h.api.request('POST', '/api/v1/inquiries', { token: agent, body });
    expect(created.status, created.text).toBe(201);
    const id: string = created.body.id;
    expect(id).toMatch(/^IQ\d{8}[0-9A-HJKMNP-TV-Z]{6}$/);
    expect(created.headers.get('location')).toBe(`/api/v1/inquiries/${id}`);
    expect(created.body).toMatchObject({
      type: 'inquiry',
      status: 'closed',
      team,
      assignee: `agent-${team}`,
      answeredOnTheSpot: true,
      topic: 'claim_progress',
      question: '理赔款一般多久到账？',
      answer: { text: '资料齐全后十日内支付', by: `agent-${team}` },
      promisedBy: null,
      review: null,
    });
    expect(created.body.closedAt).toMatch(OFFSET_TIME);
    expect(created.body.reviewOpenUntil).toMatch(OFFSET_TIME);
    expect(created.body.surveySentAt).toMatch(OFFSET_TIME);
    expect(clock(created, 'inquiry.answer')).toBeUndefined();
    expect(await notificationTemplates(id, agent)).toEqual(['survey.request']);

    const listed = await h.api.request('GET', `/api/v1/cases?type=inquiry&status=closed`, { token: agent });
    expect(listed.body.items.map((c: { id: string }) => c.id)).toEqual([id]);

    // The quality review: supervisors only, once.
    expect((await post(`/${id}/review`, agent, { correct: true })).status).toBe(403);
    const reviewed = await post(`/${id}/review`, tokenFor('supervisor', team, `sup-${team}`), {
      correct: true,
      note: '答复准确',
    });
    expect(reviewed.status, reviewed.text).toBe(200);
    expect(reviewed.body.review).toMatchObject({ correct: true, note: '答复准确', by: `sup-${team}` });
    const twice = await post(`/${id}/review`, tokenFor('manager'), { correct: false });
    expect(twice.status).toBe(409);
    const read = await h.api.request('GET', `/api/v1/inquiries/${id}`, { token: agent });
    expect(read.body.review).toMatchObject({ correct: true });
  });
});

describe('an inquiry answered after consulting departments', () => {
  it('walks open → consulting (two departments in parallel, each with its clock) → replies → answered → closed by the delivery receipt → reviewed', async () => {
    const team = uniqueTeam();
    const agent = tokenFor('agent', team, `agent-${team}`);
    const supervisor = tokenFor('supervisor', team, `sup-${team}`);

    const created = await openInquiry(team, agent);
    const id: string = created.body.id;
    expect(created.body).toMatchObject({ status: 'open', answeredOnTheSpot: false, answer: null, consultations: [] });
    // The customer is told the promised time: the answer clock's due instant.
    const answerClock = clock(created, 'inquiry.answer');
    expect(answerClock).toMatchObject({ kind: 'internal', state: 'pending' });
    expect(created.body.promisedBy).toMatch(OFFSET_TIME);
    expect(Date.parse(created.body.promisedBy)).toBe(Date.parse(answerClock?.dueAt ?? ''));
    expect(await notificationTemplates(id, agent)).toEqual(['inquiry.promisedTime']);

    const underwriting = await post(`/${id}/consultation`, agent, {
      department: `uw-${team}`,
      question: '过户后保单是否需要批改？',
    });
    expect(underwriting.status, underwriting.text).toBe(200);
    expect(underwriting.body.status).toBe('consulting');
    const claimsDept = await post(`/${id}/consultation`, agent, {
      department: `claims-${team}`,
      question: '过户前的未决赔案如何处理？',
    });
    expect(claimsDept.status, claimsDept.text).toBe(200);
    expect(claimsDept.body.consultations).toEqual([
      expect.objectContaining({
        id: 'c1',
        department: `uw-${team}`,
        state: 'pending',
        late: false,
        dueAt: expect.stringMatching(OFFSET_TIME),
      }),
      expect.objectContaining({
        id: 'c2',
        department: `claims-${team}`,
        state: 'pending',
        late: false,
        dueAt: expect.stringMatching(OFFSET_TIME),
      }),
    ]);
    expect(clocksOf(claimsDept, 'inquiry.consultation').filter((c) => c.state === 'pending')).toHaveLength(2);

    // One pending consultation per department.
    const duplicate = await post(`/${id}/consultation`, agent, { department: `uw-${team}`, question: '再问一次' });
    expect(duplicate.status).toBe(409);

    const reply1 = await post(`/${id}/consultations/c1/reply`, agent, { reply: '需要办理批改，提交过户证明' });
    expect(reply1.status, reply1.text).toBe(200);
    expect(reply1.body.consultations[0]).toMatchObject({
      state: 'replied',
      reply: { text: '需要办理批改，提交过户证明', recordedBy: `agent-${team}` },
    });
    expect(reply1.body.consultations[1].state).toBe('pending');
    expect((await post(`/${id}/consultations/c1/reply`, agent, { reply: '再回复' })).status).toBe(409);
    expect((await post(`/${id}/consultations/c9/reply`, agent, { reply: '不存在' })).status).toBe(422);
    const reply2 = await post(`/${id}/consultations/c2/reply`, agent, { reply: '未决赔案仍由原被保险人处理' });
    expect(reply2.status, reply2.text).toBe(200);
    const consultationClocks = clocksOf(reply2, 'inquiry.consultation');
    expect(consultationClocks.map((c) => c.state)).toEqual(['met', 'met']);

    // Quality review needs an answer first.
    expect((await post(`/${id}/review`, supervisor, { correct: true })).status).toBe(409);

    const answered = await post(`/${id}/answer`, agent, { answer: '过户后请提交过户证明办理批改，原保单继续有效' });
    expect(answered.status, answered.text).toBe(200);
    expect(answered.body.status).toBe('answered');
    expect(answered.body.answer).toMatchObject({
      text: '过户后请提交过户证明办理批改，原保单继续有效',
      by: `agent-${team}`,
    });

    // The dispatcher delivers the answer; its receipt meets the promise and closes the inquiry.
    const closed = await eventually(async () => {
      const r = await h.api.request('GET', `/api/v1/inquiries/${id}`, { token: agent });
      expect(r.body.status).toBe('closed');
      // The survey goes out after the close; its sent time is written when the dispatcher reports it.
      expect(r.body.surveySentAt).toMatch(OFFSET_TIME);
      return r;
    });
    expect(closed.body.answerDeliveredAt).toMatch(OFFSET_TIME);
    expect(clock(closed, 'inquiry.answer')?.state).toBe('met');
    expect(closed.body.surveySentAt).toMatch(OFFSET_TIME);
    expect(await notificationTemplates(id, agent)).toEqual(
      expect.arrayContaining([
        'inquiry.promisedTime',
        'inquiry.consultationRequest',
        'inquiry.answer',
        'survey.request',
      ]),
    );
    expect((await post(`/${id}/answer`, agent, { answer: '补充答复' })).status).toBe(409);

    // The supervisor reviews the closed inquiry (answer accuracy); an agent may not.
    expect((await post(`/${id}/review`, agent, { correct: true })).status).toBe(403);
    const reviewed = await post(`/${id}/review`, supervisor, { correct: false, note: '未说明批改时限' });
    expect(reviewed.status, reviewed.text).toBe(200);
    expect(reviewed.body.review).toMatchObject({ correct: false, note: '未说明批改时限', by: `sup-${team}` });

    const timeline = await h.api.request('GET', `/api/v1/cases/${id}/timeline`, { token: agent });
    const kinds = timeline.body.items.map((e: { kind: string }) => e.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(['case.opened', 'consultation.requested', 'consultation.replied', 'inquiry.reviewed']),
    );
    const transitions = timeline.body.items
      .filter((e: { kind: string }) => e.kind === 'status.changed')
      .map((e: { detail: { to: string } }) => e.detail.to);
    expect(transitions).toEqual(['consulting', 'answered', 'closed']);
  });

  it('cancels the consultations still pending when the answer goes out', async () => {
    const team = uniqueTeam();
    const agent = tokenFor('agent', team);
    const { body: inquiry } = await openInquiry(team, agent);
    await post(`/${inquiry.id}/consultation`, agent, { department: `legal-${team}`, question: '条款解释' });
    const answered = await post(`/${inquiry.id}/answer`, agent, { answer: '按条款第五条处理' });
    expect(answered.status, answered.text).toBe(200);
    expect(answered.body.consultations[0].state).toBe('cancelled');
    expect(clock(answered, 'inquiry.consultation')?.state).toBe('cancelled');
  });
});

describe('waiting on the customer', () => {
  it('pauses the answer clock while the customer owes information and resumes it when they reply', async () => {
    const team = uniqueTeam();
    const agent = tokenFor('agent', team);
    const { body: inquiry } = await openInquiry(team, agent);
    expect((await post(`/${inquiry.id}/customer-reply`, agent, {})).status).toBe(409);

    const waiting = await post(`/${inquiry.id}/awaiting-customer`, agent, { reason: '需客户提供行驶证照片' });
    expect(waiting.status, waiting.text).toBe(200);
    expect(waiting.body.awaitingCustomer).toMatchObject({
      reason: '需客户提供行驶证照片',
      since: expect.stringMatching(OFFSET_TIME),
    });
    expect(waiting.body.status).toBe('open');
    expect(clock(waiting, 'inquiry.answer')?.state).toBe('paused');
    expect((await post(`/${inquiry.id}/awaiting-customer`, agent, {})).status).toBe(409);

    const replied = await post(`/${inquiry.id}/customer-reply`, agent, { note: '客户已发送照片' });
    expect(replied.status, replied.text).toBe(200);
    expect(replied.body.awaitingCustomer).toBeNull();
    expect(clock(replied, 'inquiry.answer')?.state).toBe('pending');
    const kinds = (await h.api.request('GET', `/api/v1/cases/${inquiry.id}/timeline`, { token: agent })).body.items.map(
      (e: { kind: string }) => e.kind,
    );
    expect(kinds).toEqual(
      expect.arrayContaining(['customer.awaited', 'clock.paused', 'clock.resumed', 'customer.replied']),
    );
  });
});

describe('refusals', () => {
  it('answers 400 with paths for unknown fields and invalid values', async () => {
    const agent = tokenFor('agent', uniqueTeam());
    const unknown = await h.api.request('POST', '/api/v1/inquiries', {
      token: agent,
      body: { ...inquiryBody(), priority: 'high' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    expect(unknown.body.errors).toEqual([{ path: 'priority', message: 'Unknown field.' }]);

    const invalid = await h.api.request('POST', '/api/v1/inquiries', {
      token: agent,
      body: inquiryBody({ channel: 'regulator', question: '', customer: { name: '王芳', phone: '12345' } }),
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'channel',
      'customer.phone',
      'question',
    ]);

    const team = uniqueTeam();
    const member = tokenFor('agent', team);
    const { body: inquiry } = await openInquiry(team, member);
    const badId = await post(`/${inquiry.id}/consultations/first/reply`, member, { reply: '好' });
    expect(badId.status).toBe(400);
    expect(badId.body.errors).toEqual([{ path: 'consultationId', message: expect.any(String) }]);
    const noQuestion = await post(`/${inquiry.id}/consultation`, member, { department: 'underwriting' });
    expect(noQuestion.body.errors).toEqual([{ path: 'question', message: expect.any(String) }]);
    const review = await post(`/${inquiry.id}/review`, tokenFor('supervisor', team), { correct: 'yes' });
    expect(review.status).toBe(400);
  });

  it('answers 409 for an action the status does not allow, and changes nothing', async () => {
    const team = uniqueTeam();
    const agent = tokenFor('agent', team);
    const { body: inquiry } = await openInquiry(team, agent);
    const reply = await post(`/${inquiry.id}/consultations/c1/reply`, agent, { reply: '无' });
    expect(reply.status).toBe(409);
    expect(reply.body.detail).toMatch(/open/);
    const after = await h.api.request('GET', `/api/v1/inquiries/${inquiry.id}`, { token: agent });
    expect(after.body.updatedAt).toBe(inquiry.updatedAt);

    const { body: onTheSpot } = await openInquiry(team, agent, { answer: '可以' });
    expect(
      (await post(`/${onTheSpot.id}/consultation`, agent, { department: 'underwriting', question: '?' })).status,
    ).toBe(409);
    expect((await post(`/${onTheSpot.id}/awaiting-customer`, agent, {})).status).toBe(409);
  });

  it('answers 404 for an inquiry of another team, for agents and supervisors, on every route', async () => {
    const team = uniqueTeam();
    const { body: inquiry } = await openInquiry(team);
    for (const token of [tokenFor('agent', uniqueTeam()), tokenFor('supervisor', uniqueTeam())]) {
      expect((await h.api.request('GET', `/api/v1/inquiries/${inquiry.id}`, { token })).status).toBe(404);
      expect(
        (await post(`/${inquiry.id}/consultation`, token, { department: 'underwriting', question: '?' })).status,
      ).toBe(404);
      expect((await post(`/${inquiry.id}/answer`, token, { answer: '!' })).status).toBe(404);
      expect((await post(`/${inquiry.id}/consultations/c1/reply`, token, { reply: '!' })).status).toBe(404);
    }
    expect((await post(`/${inquiry.id}/review`, tokenFor('supervisor', uniqueTeam()), { correct: true })).status).toBe(
      404,
    );
    expect(
      (await h.api.request('GET', `/api/v1/complaints/${inquiry.id}`, { token: tokenFor('manager') })).status,
    ).toBe(404);
    expect((await h.api.request('GET', `/api/v1/inquiries/${inquiry.id}`, { token: tokenFor('manager') })).status).toBe(
      200,
    );
  });
});

describe('Idempotency-Key', () => {
  it('answers a repeated inquiry with the first response and opens one case; a lost response joins the same inquiry', async () => {
    const team = uniqueTeam();
    const agent = tokenFor('agent', team);
    const body = inquiryBody();
    const headers = { 'Idempotency-Key': `inquiry-${randomUUID()}` };
    const first = await h.api.request('POST', '/api/v1/inquiries', { token: agent, body, headers });
    expect(first.status, first.text).toBe(201);
    const again = await h.api.request('POST', '/api/v1/inquiries', { token: agent, body, headers });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(
      (await h.api.request('POST', '/api/v1/inquiries', { token: agent, body: { ...body, topic: 'other' }, headers }))
        .status,
    ).toBe(422);

    await h.database.db.deleteFrom('idempotency_keys').where('key', '=', headers['Idempotency-Key']).execute();
    const retry = await h.api.request('POST', '/api/v1/inquiries', { token: agent, body, headers });
    expect(retry.status, retry.text).toBe(201);
    expect(retry.body.id).toBe(first.body.id);
    const listed = await h.api.request('GET', '/api/v1/cases?type=inquiry', { token: agent });
    expect(listed.body.items.map((c: { id: string }) => c.id)).toEqual([first.body.id]);
  });
});

describe('personal data', () => {
  it('keeps the customer and the question in PostgreSQL only and masks the customer for every role', async () => {
    const team = uniqueTeam();
    const agent = tokenFor('agent', team);
    const body = inquiryBody({ customer: { name: '赵敏', phone: '13698765432' } });
    const created = await h.api.request('POST', '/api/v1/inquiries', { token: agent, body });
    expect(created.status, created.text).toBe(201);
    expect(created.body.customer).toEqual({ name: '赵*', phone: '136****5432' });
    expect(created.body.question).toBe(body.question);
    expect(created.text).not.toContain('13698765432');
    const asManager = await h.api.request('GET', `/api/v1/inquiries/${created.body.id}`, {
      token: tokenFor('manager'),
    });
    expect(asManager.body.customer).toEqual({ name: '赵*', phone: '136****5432' });

    const stored = await h.database.db
      .selectFrom('case_personal_data')
      .select('data')
      .where('case_id', '=', created.body.id)
      .executeTakeFirstOrThrow();
    expect(stored.data).toEqual({ customer: { name: '赵敏', phone: '13698765432' }, question: body.question });
    const start = await h.env.client.workflow.getHandle(`inquiry-${created.body.id}`).fetchHistory();
    const recorded = payloadText(start);
    expect(recorded).not.toContain('renewal');
    // Sealed by the payload codec; opened, it still holds no personal data either.
    const decoded = await decodedPayloadText(start);
    expect(decoded).toContain('renewal');
    for (const secret of ['13698765432', '赵敏', body.question]) expect(decoded).not.toContain(secret);
    for (const secret of ['13698765432', '赵敏', body.question]) expect(recorded).not.toContain(secret);
    expect(h.logs.join('\n')).not.toContain('13698765432');
  });
});

describe('OpenAPI', () => {
  it('documents every complaint and inquiry route, with the request and response components', async () => {
    const doc = (await h.api.request('GET', '/api/v1/openapi.json')).body;
    const operations = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations).toEqual(
      expect.arrayContaining([
        'POST /api/v1/complaints',
        'GET /api/v1/complaints/{id}',
        'POST /api/v1/complaints/{id}/acknowledge',
        'POST /api/v1/complaints/{id}/investigation',
        'POST /api/v1/complaints/{id}/proposal',
        'POST /api/v1/complaints/{id}/customer-response',
        'POST /api/v1/complaints/{id}/extension',
        'POST /api/v1/complaints/{id}/satisfaction',
        'POST /api/v1/inquiries',
        'GET /api/v1/inquiries/{id}',
        'POST /api/v1/inquiries/{id}/consultation',
        'POST /api/v1/inquiries/{id}/consultations/{consultationId}/reply',
        'POST /api/v1/inquiries/{id}/awaiting-customer',
        'POST /api/v1/inquiries/{id}/customer-reply',
        'POST /api/v1/inquiries/{id}/answer',
        'POST /api/v1/inquiries/{id}/review',
      ]),
    );
    const createComplaint = doc.paths['/api/v1/complaints'].post;
    expect(createComplaint.requestBody.content['application/json'].schema.$ref).toBe(
      '#/components/schemas/CreateComplaint',
    );
    expect(createComplaint.responses['201'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/Complaint',
    );
    expect(createComplaint.parameters.map((p: { name: string }) => p.name)).toContain('Idempotency-Key');
    expect(doc.paths['/api/v1/complaints/{id}/extension'].post.responses).toHaveProperty('403');
    expect(
      doc.paths['/api/v1/inquiries/{id}/consultations/{consultationId}/reply'].post.parameters.map(
        (p: { name: string }) => p.name,
      ),
    ).toEqual(expect.arrayContaining(['id', 'consultationId']));
    expect(doc.components.schemas.CreateInquiry.additionalProperties).toBe(false);
    expect(doc.components.schemas.Inquiry.properties).toHaveProperty('question');
  });
});
