/**
 * Every response carries the security headers; CORS answers the console's configured origin and no
 * other; a body above the limit is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenFor } from '../support/auth';
import { startApiHarness, type ApiHarness } from '../support/harness';

const CONSOLE = 'https://console.example.cn';
let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness({ worker: false, env: { CONSOLE_ORIGIN: CONSOLE } });
});
afterAll(async () => {
  await h?.close();
});

describe('headers and limits', () => {
  it('sends helmet security headers on API answers, problems and the docs', async () => {
    for (const path of ['/healthz', '/api/v1/cases', '/docs']) {
      const res = await h.api.request('GET', path);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('x-frame-options'), path).toBe('SAMEORIGIN');
      expect(res.headers.get('strict-transport-security'), path).toMatch(/max-age=/);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("default-src 'self'");
      expect(csp, path).not.toContain('upgrade-insecure-requests');
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
  });

  it("answers CORS for the console's origin only", async () => {
    const token = tokenFor('manager');
    const console = await h.api.request('GET', '/api/v1/cases', { token, headers: { origin: CONSOLE } });
    expect(console.headers.get('access-control-allow-origin')).toBe(CONSOLE);
    const preflight = await fetch(`${h.api.url}/api/v1/claims`, {
      method: 'OPTIONS',
      headers: { origin: CONSOLE, 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('idempotency-key');
    const other = await h.api.request('GET', '/api/v1/cases', { token, headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a body above 256 kB and a page above the cap', async () => {
    const big = await h.api.request('POST', '/api/v1/claims', {
      token: tokenFor('agent', 'east'),
      rawBody: JSON.stringify({ pad: 'x'.repeat(300 * 1024) }),
    });
    expect(big.status).toBe(413);
    const page = await h.api.request('GET', '/api/v1/cases?limit=201', { token: tokenFor('manager') });
    expect(page.status).toBe(400);
  });
});
