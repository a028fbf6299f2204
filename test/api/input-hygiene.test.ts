/**
 * What the edge lets in: only UTF-8 JSON that says it is JSON, and text without control characters
 * (a NUL cannot be stored by PostgreSQL and would wedge the case's projection). Each refusal is a
 * 4xx problem naming the field, never a 500 and never a request that hangs.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { tokenFor, uniqueTeam } from '../support/auth';
import { testConfig } from '../support/config';
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

async function raw(path: string, init: { method?: string; headers?: Record<string, string>; body?: Uint8Array }) {
  const res = await fetch(`${h.api.url}${path}`, {
    method: init.method ?? 'POST',
    headers: init.headers,
    body: init.body,
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    text,
    body: text ? JSON.parse(text) : {},
  };
}

describe('control characters', () => {
  it('refuses a NUL in a note with 400 naming the field, before the case is looked up', async () => {
    const res = await h.api.request('POST', '/api/v1/cases/CL20260101ABCDEF/notes', {
      token: tokenFor('agent', uniqueTeam()),
      body: { text: 'a\u0000b' },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain(PROBLEM);
    expect(res.body.errors).toEqual([{ path: 'text', message: expect.stringMatching(/control characters/i) }]);
  });

  it('refuses a NUL in reporter.name with 400 naming reporter.name, and echoes nothing of it', async () => {
    const report = claimReport();
    const res = await h.api.request('POST', '/api/v1/claims', {
      token: tokenFor('agent', uniqueTeam()),
      body: { ...report, reporter: { ...report.reporter, name: '张\u0000三' } },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'reporter.name', message: expect.any(String) }]);
    expect(res.text).not.toContain('张');
  });

  it('refuses other C0 and C1 controls, lone surrogates and controls in query parameters', async () => {
    const token = tokenFor('agent', uniqueTeam());
    for (const text of ['bell\u0007', 'esc\u001b[0m', 'c1\u0085', 'lone\ud800']) {
      const res = await h.api.request('POST', '/api/v1/cases/CL20260101ABCDEF/notes', { token, body: { text } });
      expect(res.status, JSON.stringify(text)).toBe(400);
    }
    const query = await h.api.request('GET', '/api/v1/cases?assignee=a%00b', { token });
    expect(query.status).toBe(400);
    expect(query.body.errors).toEqual([{ path: 'assignee', message: expect.any(String) }]);
  });

  it('lets tabs and line breaks through (the unknown case then answers 404)', async () => {
    const res = await h.api.request('POST', '/api/v1/cases/CL20260101ABCDEF/notes', {
      token: tokenFor('agent', uniqueTeam()),
      body: { text: '第一行\r\n第二行\t完' },
    });
    expect(res.status).toBe(404);
  });
});

describe('encodings and media types', () => {
  it('answers a gzip Content-Encoding over bytes that are not gzip with 400, and real gzip is read', async () => {
    const token = tokenFor('agent', uniqueTeam());
    const headers = {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    };
    const bad = await raw('/api/v1/cases/CL20260101ABCDEF/notes', {
      headers,
      body: new TextEncoder().encode('{"text":"x"}'),
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain(PROBLEM);

    const good = await raw('/api/v1/cases/CL20260101ABCDEF/notes', {
      headers,
      body: gzipSync('{"text":"x"}'),
    });
    expect(good.status).toBe(404);
  });

  it('refuses a body that is not valid UTF-8 with 400 instead of storing U+FFFD', async () => {
    const res = await raw('/api/v1/cases/CL20260101ABCDEF/notes', {
      headers: { authorization: `Bearer ${tokenFor('agent', uniqueTeam())}`, 'content-type': 'application/json' },
      body: Uint8Array.from([...Buffer.from('{"text":"'), 0xc3, 0x28, ...Buffer.from('"}')]),
    });
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/UTF-8/);
  });

  it('answers 415 for a body sent without Content-Type, or as text/plain', async () => {
    const auth = { authorization: `Bearer ${tokenFor('agent', uniqueTeam())}` };
    const body = new TextEncoder().encode('{"score":5}');
    const none = await raw('/api/v1/cases/CL20260101ABCDEF/survey-response', { headers: auth, body });
    expect(none.status).toBe(415);
    expect(none.headers.get('content-type')).toContain(PROBLEM);
    const plain = await raw('/api/v1/cases/CL20260101ABCDEF/survey-response', {
      headers: { ...auth, 'content-type': 'text/plain' },
      body,
    });
    expect(plain.status).toBe(415);
  });

  it('answers 405 with Allow for a method a known path does not answer', async () => {
    const res = await raw('/api/v1/claims', { method: 'DELETE', headers: {} });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    const ops = await raw('/healthz', { method: 'POST', headers: {} });
    expect(ops.status).toBe(405);
    expect(ops.headers.get('allow')).toBe('GET, HEAD');
  });

  it('reads a literal path as itself, not as an id of the templated path beside it', async () => {
    const auth = { authorization: `Bearer ${tokenFor('admin')}`, 'content-type': 'application/json' };
    // PUT /policies/{policyNo} would have refused "import" as a policy number (400).
    const put = await raw('/api/v1/policies/import', { method: 'PUT', headers: auth, body: Buffer.from('[]') });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('POST');
    expect(put.headers.get('content-type')).toContain(PROBLEM);
    // GET /assessments/{id} and GET /renewals/{id} used to answer for these.
    const get = await raw('/api/v1/assessments/publish', { method: 'GET', headers: auth });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    for (const path of ['/api/v1/assessments/publish', '/api/v1/assessments/run', '/api/v1/renewals/sweep']) {
      const options = await fetch(`${h.api.url}${path}`, { method: 'OPTIONS' });
      expect(options.status, path).toBe(200);
      expect(options.headers.get('allow'), path).toBe('POST');
    }
    // The templated path is unchanged for real ids, and OPTIONS there lists its own methods.
    const templated = await fetch(`${h.api.url}/api/v1/policies/PD-0001`, { method: 'OPTIONS' });
    expect(templated.headers.get('allow')).toBe('GET, HEAD, PUT');
  });
});

describe('the per-actor rate limit', () => {
  it('comes from RATE_LIMIT_PER_MINUTE, and 0 turns it off', async () => {
    const token = tokenFor('manager');
    for (const [limit, expected] of [
      ['2', [200, 200, 429]],
      ['0', [200, 200, 200]],
    ] as const) {
      const app = await listen(
        createApp({
          temporal: h.env.client,
          db: h.database.db,
          config: testConfig({ RATE_LIMIT_PER_MINUTE: limit }),
          logger: captureLogger().logger,
        }),
      );
      try {
        const statuses = [];
        for (let i = 0; i < 3; i++)
          statuses.push((await app.request('GET', '/api/v1/cases?limit=1', { token })).status);
        expect(statuses, `RATE_LIMIT_PER_MINUTE=${limit}`).toEqual(expected);
      } finally {
        await app.close();
      }
    }
  });
});
