/**
 * The edge of the API without any case workflow involved: problem+json for every failure,
 * authentication, validation paths, the generated OpenAPI document, offline docs, health and metrics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { signToken } from '../../api/auth';
import { startApi } from '../../api/server';
import { tokenFor, uniqueTeam } from '../support/auth';
import { TEST_JWT_SECRET } from '../support/config';
import { claimReport } from '../support/fixtures';
import { startApiHarness, type ApiHarness } from '../support/harness';
import { listen } from '../support/http';
import { captureLogger } from '../support/logger';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness({ worker: false });
});
afterAll(async () => {
  await h?.close();
});

const PROBLEM = 'application/problem+json';

describe('errors are problem+json', () => {
  it('answers an unknown route with a 404 problem', async () => {
    const res = await h.api.request('GET', '/api/v1/no-such-thing');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain(PROBLEM);
    expect(res.body).toMatchObject({ type: '/problems/not-found', title: 'Not Found', status: 404 });
    expect(res.body.instance).toBe(res.headers.get('x-request-id'));
  });

  it('answers a request without a token, or with a bad one, with 401', async () => {
    const none = await h.api.request('GET', '/api/v1/cases');
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toContain(PROBLEM);
    expect(none.headers.get('www-authenticate')).toContain('Bearer');

    const forged = signToken({ sub: 'mallory', role: 'admin' }, 'another-secret-of-enough-length', '1h');
    const wrongKey = await h.api.request('GET', '/api/v1/cases', { token: forged });
    expect(wrongKey.status).toBe(401);

    const expired = signToken({ sub: 'a1', role: 'agent', team: 't' }, TEST_JWT_SECRET, -10);
    expect((await h.api.request('GET', '/api/v1/cases', { token: expired })).status).toBe(401);

    const agentWithoutTeam = signToken({ sub: 'a2', role: 'agent' }, TEST_JWT_SECRET, '1h');
    expect((await h.api.request('GET', '/api/v1/cases', { token: agentWithoutTeam })).status).toBe(401);

    expect((await h.api.request('GET', '/api/v1/cases', { token: 'not.a.jwt' })).status).toBe(401);
  });

  it('answers malformed JSON with a 400 problem', async () => {
    const res = await h.api.request('POST', '/api/v1/claims', {
      token: tokenFor('agent', uniqueTeam()),
      rawBody: '{"policyNo": ',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain(PROBLEM);
    expect(res.body.detail).toMatch(/JSON/);
  });

  it('lists each invalid field by path, and refuses unknown fields', async () => {
    const report = claimReport();
    const body = {
      ...report,
      reporter: { name: '张三', phone: '0755-86669999' },
      vehicle: { plate: 'QQ-777' },
      colour: 'red',
    };
    const res = await h.api.request('POST', '/api/v1/claims', { token: tokenFor('agent', uniqueTeam()), body });
    expect(res.status).toBe(400);
    const paths = (res.body.errors as { path: string }[]).map((e) => e.path).sort();
    expect(paths).toEqual(['colour', 'reporter.phone', 'vehicle.plate']);
    // The rejected values themselves are personal data: never echoed.
    expect(res.text).not.toContain('86669999');
    expect(res.text).not.toContain('QQ-777');
  });

  it('refuses an accident in the future and unknown query parameters', async () => {
    const future = claimReport({
      accident: { ...claimReport().accident, occurredAt: new Date(Date.now() + 86_400_000).toISOString() },
    });
    const res = await h.api.request('POST', '/api/v1/claims', { token: tokenFor('agent', uniqueTeam()), body: future });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'accident.occurredAt', message: expect.any(String) }]);

    const query = await h.api.request('GET', '/api/v1/cases?colour=red&limit=0', { token: tokenFor('manager') });
    expect(query.status).toBe(400);
    expect((query.body.errors as { path: string }[]).map((e) => e.path).sort()).toEqual(['colour', 'limit']);
  });

  it('answers 403 when the role may not act, before anything else happens', async () => {
    const decision = await h.api.request('POST', '/api/v1/claims/CL20260101ABCDEF/decision', {
      token: tokenFor('agent', uniqueTeam()),
      body: { outcome: 'approve', amount: 100 },
    });
    expect(decision.status).toBe(403);
    expect(decision.headers.get('content-type')).toContain(PROBLEM);

    const admin = await h.api.request('GET', '/api/v1/admin/deadline-policies', { token: tokenFor('manager') });
    expect(admin.status).toBe(403);
  });

  it('keeps agents to their own team when they open a claim', async () => {
    const res = await h.api.request('POST', '/api/v1/claims', {
      token: tokenFor('agent', uniqueTeam()),
      body: claimReport({ team: uniqueTeam() }),
    });
    expect(res.status).toBe(403);
  });

  it('answers 429 with Retry-After once a staff member spends the request budget', async () => {
    const limited = await listen(
      createApp({
        temporal: h.env.client,
        db: h.database.db,
        config: h.config,
        logger: captureLogger().logger,
        rateLimit: { max: 2 },
      }),
    );
    try {
      const token = tokenFor('manager');
      expect((await limited.request('GET', '/api/v1/cases?limit=1', { token })).status).toBe(200);
      expect((await limited.request('GET', '/api/v1/cases?limit=1', { token })).status).toBe(200);
      const third = await limited.request('GET', '/api/v1/cases?limit=1', { token });
      expect(third.status).toBe(429);
      expect(third.headers.get('content-type')).toContain(PROBLEM);
      expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await limited.request('GET', '/api/v1/cases?limit=1', { token: tokenFor('manager') })).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('requires managers to name the team of a claim they open', async () => {
    const res = await h.api.request('POST', '/api/v1/claims', { token: tokenFor('manager'), body: claimReport() });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'team', message: expect.any(String) }]);
  });

  it('answers 404 for a claim that does not exist', async () => {
    const res = await h.api.request('GET', '/api/v1/claims/CL20260101ZZZZZZ', { token: tokenFor('manager') });
    expect(res.status).toBe(404);
  });
});

describe('the API process', () => {
  it('listens, answers and drains on close', async () => {
    const running = await startApi({
      config: h.config,
      db: h.database.db,
      temporal: h.env.client,
      port: 0,
      host: '127.0.0.1',
      logger: captureLogger().logger,
    });
    const res = await fetch(`${running.url}/healthz`);
    expect(res.status).toBe(200);
    await running.close();
    await expect(fetch(`${running.url}/healthz`)).rejects.toThrow();
  });
});

describe('documentation and operations', () => {
  it('says in the OpenAPI document what the validators refuse (key pattern, team rule, date years, the document itself)', async () => {
    const doc = (await h.api.request('GET', '/openapi.json')).body;
    // What the validators refuse, the document says: a fuzzer built from it sends nothing they reject.
    const create = doc.paths['/api/v1/claims'].post;
    const key = create.parameters.find((p: { name: string }) => p.name === 'Idempotency-Key');
    expect(key.schema.pattern).toBe('^[\\x21-\\x7e]{1,255}$');
    expect(doc.components.schemas.CreateClaim.properties.team.description).toMatch(/Required for managers and admins/);
    const spec = doc.paths['/api/v1/openapi.json'].get.responses['200'].content['application/json'].schema;
    expect(spec.$ref).toBe('#/components/schemas/OpenApiDocument');
    const policy = JSON.stringify(doc.components.schemas.PolicyBody.properties.expiresAt);
    expect(policy).toContain('19[7-9]');
  });

  it('states the rules between fields (oneOf, anyOf, not, minProperties) and the refusals it cannot state', async () => {
    const doc = (await h.api.request('GET', '/openapi.json')).body;
    const schemas = doc.components.schemas;
    expect(schemas.PersonalDataAccessRequest.allOf).toEqual([
      { oneOf: [{ required: ['phone'] }, { required: ['idNumber'] }] },
    ]);
    expect(schemas.ClaimDecision.allOf).toEqual([
      { anyOf: [{ properties: { outcome: { enum: ['approve'] } } }, { required: ['reason'] }] },
      { anyOf: [{ properties: { outcome: { enum: ['approve'] } } }, { not: { required: ['amount'] } }] },
    ]);
    expect(JSON.stringify(schemas.ComplaintProposal.allOf)).toContain('"required":["amount"]');
    expect(JSON.stringify(schemas.StaffRecord.allOf)).toContain('"required":["team"]');
    expect(schemas.PurchaseCorrection.allOf).toEqual([
      { anyOf: [{ required: ['holder'] }, { required: ['vehicle'] }, { required: ['startsAt'] }] },
    ]);
    expect(schemas.KpiTargets.properties.targets.allOf).toEqual([{ minProperties: 1 }]);
    expect(JSON.stringify(schemas.TrainingPlanRequest.allOf)).toContain('"not":{"required":["staffIds","team"]}');
    // A period is a pattern now, not a check the document could not see.
    expect(schemas.AssessmentRunRequest.properties.period.pattern).toBe('^(19[7-9]\\d|2[01]\\d\\d)-(0[1-9]|1[0-2])$');
    // What JSON Schema cannot state (values compared), the operation says with its 400.
    expect(doc.paths['/api/v1/reports/kpis'].get.description).toMatch(/`to` must be after `from`.*400/);
    expect(doc.paths['/api/v1/policies/{policyNo}'].put.description).toMatch(/after `startsAt` \(400/);
    // A key reused with another body is 422 on every route that takes one.
    expect(Object.keys(doc.paths['/api/v1/facilities/repairs/{id}/done'].post.responses)).toContain('422');

    // The validator refuses what the document says it refuses, with the same field named.
    const admin = tokenFor('admin');
    const both = await h.api.request('POST', '/api/v1/admin/personal-data/access', {
      token: admin,
      body: { phone: '13800000000', idNumber: '110101199001011234', reason: 'a letter' },
    });
    expect(both.status).toBe(400);
    expect(both.body.errors).toEqual([{ path: 'phone', message: 'Give exactly one of phone and idNumber.' }]);
    const targets = await h.api.request('PUT', '/api/v1/admin/kpi-targets', {
      token: admin,
      body: { period: '2026-12', targets: {} },
    });
    expect(targets.status).toBe(400);
    expect(targets.body.errors).toEqual([{ path: 'targets', message: 'Name at least one KPI.' }]);
  });

  it('says that no string takes a control character, that an empty body may be left out, and when an opening is 404', async () => {
    const doc = (await h.api.request('GET', '/openapi.json')).body;
    // api/body.ts refuses control characters in every body, query and path: free text says so.
    const note = doc.paths['/api/v1/cases/{id}/notes'].post;
    const text = JSON.stringify(note.requestBody.content['application/json'].schema);
    const noteSchema = text.includes('$ref')
      ? doc.components.schemas[JSON.parse(text).$ref.split('/').pop()]
      : JSON.parse(text);
    const pattern = new RegExp(noteSchema.properties.text.pattern, 'u');
    expect(pattern.test('第一行\n第二行\t完')).toBe(true);
    for (const control of ['\u0000', '\u0013', '\u007f', '\u0086']) expect(pattern.test(`a${control}b`)).toBe(false);
    // Free text is trimmed before its minimum length: the pattern says a blank one is refused too.
    for (const blank of ['', ' ', ' \t\n', '\u3000', '\ufeff']) expect(pattern.test(blank)).toBe(false);
    expect(pattern.test(' 有字 ')).toBe(true);
    const id = doc.paths['/api/v1/cases/{id}/timeline'].get.parameters.find((p: { name: string }) => p.name === 'id');
    expect(id.schema.pattern ?? id.schema.format ?? id.schema.enum).toBeDefined();
    // No body is read as {}: a body {} satisfies is not required; one with required fields is.
    expect(doc.paths['/api/v1/renewals/sweep'].post.requestBody.required).toBe(false);
    expect(doc.paths['/api/v1/claims'].post.requestBody.required).toBe(true);
    // A purchase naming a renewal the caller cannot see is a 404, and the document says so.
    expect(Object.keys(doc.paths['/api/v1/purchases'].post.responses)).toContain('404');
    expect(Object.keys(doc.paths['/api/v1/renewals/{id}/purchase'].post.responses)).toContain('404');
  });

  it('serves an OpenAPI 3.1 document listing every route with security and problem responses', async () => {
    const res = await h.api.request('GET', '/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.openapi).toBe('3.1.0');
    const operations = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const expected = [
      'POST /api/v1/claims',
      'GET /api/v1/claims/{id}',
      'POST /api/v1/claims/{id}/contact',
      'POST /api/v1/claims/{id}/documents',
      'POST /api/v1/claims/{id}/assessment',
      'POST /api/v1/claims/{id}/decision',
      'POST /api/v1/claims/{id}/payment',
      'POST /api/v1/claims/{id}/withdraw',
      'POST /api/v1/claims/{id}/document-request',
      'POST /api/v1/complaints',
      'GET /api/v1/complaints/{id}',
      ...[
        'acknowledge',
        'investigation',
        'proposal',
        'customer-response',
        'extension',
        'review-request',
        'review-decision',
        'satisfaction',
      ].map((a) => `POST /api/v1/complaints/{id}/${a}`),
      'POST /api/v1/inquiries',
      'GET /api/v1/inquiries/{id}',
      ...[
        'consultation',
        'consultations/{consultationId}/reply',
        'awaiting-customer',
        'customer-reply',
        'answer',
        'review',
      ].map((a) => `POST /api/v1/inquiries/{id}/${a}`),
      'PUT /api/v1/policies/{policyNo}',
      'POST /api/v1/policies/import',
      'POST /api/v1/renewals/sweep',
      'GET /api/v1/renewals/{id}',
      ...['contact', 'renewed', 'opt-out', 'purchase'].map((a) => `POST /api/v1/renewals/{id}/${a}`),
      'POST /api/v1/purchases',
      'GET /api/v1/purchases/{id}',
      ...['quote', 'application', 'review', 'correction', 'payment', 'issue', 'abandon'].map(
        (a) => `POST /api/v1/purchases/{id}/${a}`,
      ),
      'GET /api/v1/cases',
      'GET /api/v1/cases/{id}/timeline',
      'POST /api/v1/cases/{id}/assign',
      'POST /api/v1/cases/{id}/notes',
      'POST /api/v1/cases/{id}/reveal',
      'POST /api/v1/cases/{id}/survey-response',
      'GET /api/v1/notifications',
      'GET /api/v1/reports/kpis',
      'GET /api/v1/admin/calendar',
      'GET /api/v1/admin/deadline-policies',
      'PUT /api/v1/admin/deadline-policies/{name}',
      'PUT /api/v1/admin/calendar/{year}',
      'POST /api/v1/admin/personal-data/access',
      'POST /api/v1/admin/personal-data/erasure',
      'PUT /api/v1/staff/{staffId}',
      'GET /api/v1/staff',
      'POST /api/v1/training/plans',
      'GET /api/v1/training/records',
      'POST /api/v1/training/{id}/attendance',
      'POST /api/v1/training/{id}/exam',
      'POST /api/v1/assessments/run',
      'GET /api/v1/assessments',
      'GET /api/v1/assessments/{id}',
      ...['self', 'supervisor-score', 'appeal', 'appeal-decision'].map((a) => `POST /api/v1/assessments/{id}/${a}`),
      'POST /api/v1/assessments/publish',
      'GET /api/v1/assessments/annual/{year}',
      'PUT /api/v1/facilities/equipment/{assetId}',
      'GET /api/v1/facilities/equipment',
      'GET /api/v1/facilities/equipment/{assetId}',
      'POST /api/v1/facilities/equipment/{assetId}/checks',
      'POST /api/v1/facilities/equipment/{assetId}/replacement',
      'POST /api/v1/facilities/repairs/{id}/done',
      'PUT /api/v1/admin/kpi-targets',
      'GET /api/v1/cases/export',
      'GET /api/v1/reports/breaches',
      'GET /api/v1/policies/{policyNo}',
      'GET /api/v1/audit',
      'GET /api/v1/auth/config',
      'GET /api/v1/auth/me',
      'POST /api/v1/quality-reviews',
      'GET /api/v1/healthz',
      'GET /api/v1/readyz',
      'GET /api/v1/metrics',
      'GET /api/v1/openapi.json',
      'GET /api/v1/docs',
    ];
    expect(operations.sort()).toEqual(expected.sort());

    const create = doc.paths['/api/v1/claims'].post;
    expect(create.security).toEqual([{ bearerAuth: [] }]);
    expect(create.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/CreateClaim');
    expect(create.responses['201'].content['application/json'].schema.$ref).toBe('#/components/schemas/Claim');
    expect(create.responses['400'].content['application/problem+json'].schema.$ref).toBe(
      '#/components/schemas/Problem',
    );
    expect(create.parameters.map((p: { name: string }) => p.name)).toContain('Idempotency-Key');
    expect(doc.components.schemas.CreateClaim.additionalProperties).toBe(false);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });

    const list = doc.paths['/api/v1/cases'].get;
    expect(list.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining([
        'type',
        'status',
        'team',
        'assignee',
        'breached',
        'escalated',
        'dueBefore',
        'policyNo',
        'limit',
        'cursor',
      ]),
    );
    expect(doc.paths['/api/v1/healthz'].get.security).toEqual([]);
  });

  it('serves Swagger UI from local files, pointing at the document', async () => {
    const page = await h.api.request('GET', '/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.text).toContain('data-spec="/openapi.json"');
    expect(page.text).not.toMatch(/https?:\/\//);
    const bundle = await h.api.request('GET', '/docs/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
    expect((await h.api.request('GET', '/docs/swagger-ui.css')).status).toBe(200);
    expect((await h.api.request('GET', '/docs/init.js')).text).toContain('SwaggerUIBundle');
    expect((await h.api.request('GET', '/api/v1/docs')).text).toContain('data-spec="/api/v1/openapi.json"');
  });

  it('says it is alive and ready when PostgreSQL and Temporal answer', async () => {
    expect((await h.api.request('GET', '/healthz')).body).toEqual({ status: 'ok' });
    const ready = await h.api.request('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', checks: { database: 'up', temporal: 'up' } });
  });

  it('exposes Prometheus metrics with request durations by route template', async () => {
    await h.api.request('GET', '/api/v1/claims/CL20260101QQQQQQ', { token: tokenFor('admin') });
    const res = await h.api.request('GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toContain('process_cpu_user_seconds_total');
    expect(res.text).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/claims\/\{id\}"[^}]*status="404"/);
    expect(res.text).toContain('motordesk_cases_opened_total');
  });
});
