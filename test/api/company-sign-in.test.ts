/**
 * Company sign-in: the identity provider's RS256 and ES256 tokens are verified through its JWKS
 * (found by discovery), with issuer, audience and expiry checked and role, team and staff id read
 * from configurable claims; HS256 tokens of the embedded mode work beside them, and neither kind can
 * pass for the other. The provider here is the test's own, on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import jwt from 'jsonwebtoken';
import { createApp } from '../../api/app';
import { tokenFor } from '../support/auth';
import { testConfig } from '../support/config';
import { startApiHarness, type ApiHarness } from '../support/harness';
import { listen } from '../support/http';
import { startTestIdentityProvider, type TestIdentityProvider } from '../support/identity-provider';
import { captureLogger } from '../support/logger';
import { uniqueTeam } from '../support/auth';

const AUDIENCE = 'motordesk-api';
let idp: TestIdentityProvider;
let h: ApiHarness;

beforeAll(async () => {
  idp = await startTestIdentityProvider(AUDIENCE);
  h = await startApiHarness({
    worker: false,
    env: {
      OIDC_ISSUER: idp.issuer,
      OIDC_AUDIENCE: AUDIENCE,
      OIDC_STAFF_ID_CLAIM: 'employee_no',
      OIDC_ROLE_CLAIM: 'realm_access.roles',
      OIDC_TEAM_CLAIM: 'dept',
      OIDC_ROLE_MAP: 'cs-agent=agent,cs-lead=supervisor,cs-manager=manager,cs-admin=admin,people=hr',
      OIDC_CLIENT_ID: 'motordesk-console',
    },
  });
});
afterAll(async () => {
  await h?.close();
  await idp?.close();
});

const me = (token: string) => h.api.request('GET', '/api/v1/auth/me', { token });

describe('tokens of the company identity provider', () => {
  it('are verified through its JWKS (RS256 and ES256), with staff id, role and team read from the configured claims', async () => {
    const team = uniqueTeam();
    for (const alg of ['RS256', 'ES256'] as const) {
      const token = await idp.sign(
        {
          sub: 'f3a1-uuid',
          employee_no: `E-${alg}`,
          realm_access: { roles: ['offline_access', 'cs-agent'] },
          dept: team,
        },
        { alg },
      );
      const res = await me(token);
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ sub: `E-${alg}`, role: 'agent', team, issuer: idp.issuer });
      expect(res.body.expiresAt).toMatch(/\+08:00$/);
      const cases = await h.api.request('GET', '/api/v1/cases', { token });
      expect(cases.status, cases.text).toBe(200);
    }
    // Several roles: the highest on the ladder wins; hr only alone.
    const lead = await idp.sign({ employee_no: 'E-2', realm_access: { roles: ['cs-agent', 'cs-lead'] }, dept: team });
    expect((await me(lead)).body.role).toBe('supervisor');
    const people = await idp.sign({ employee_no: 'E-3', realm_access: { roles: ['people'] } });
    expect((await me(people)).body).toMatchObject({ role: 'hr', team: null });
    const manager = await idp.sign({ employee_no: 'E-4', realm_access: { roles: ['people', 'cs-manager'] } });
    expect((await me(manager)).body.role).toBe('manager');
    // The JWKS is fetched once and kept, not per request.
    expect(idp.jwksRequests()).toBe(1);
  });

  it('refuse a wrong issuer or audience, an expired token, a key or kid the JWKS does not hold, and claims we cannot map', async () => {
    const claims = { employee_no: 'E-9', realm_access: { roles: ['cs-admin'] } };
    expect((await me(await idp.sign(claims))).status).toBe(200);
    const refused = [
      await idp.sign(claims, { audience: 'another-app' }),
      await idp.sign(claims, { issuer: 'https://login.elsewhere.example' }),
      await idp.sign(claims, { expiresIn: -60 }),
      await idp.sign(claims, { foreignKey: true }),
      await idp.sign(claims, { foreignKey: true, alg: 'ES256' }),
      await idp.sign(claims, { kid: 'no-such-kid' }),
      await idp.sign({ employee_no: 'E-9', realm_access: { roles: ['janitor'] } }),
      await idp.sign({ employee_no: 'E-9', realm_access: { roles: ['cs-agent'] } }), // an agent without a team
      await idp.sign({ realm_access: { roles: ['cs-admin'] } }), // no staff id
    ];
    for (const token of refused) {
      const res = await me(token);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('Bearer');
    }
  });

  it('cannot be forged as HS256 with the public key, nor unsigned', async () => {
    const claims = { sub: 'mallory', role: 'admin', employee_no: 'mallory', realm_access: { roles: ['cs-admin'] } };
    const publicKeyAsSecret = JSON.stringify(idp.publicJwks[0]);
    const confused = jwt.sign(claims, publicKeyAsSecret, {
      algorithm: 'HS256',
      issuer: idp.issuer,
      audience: AUDIENCE,
      expiresIn: 600,
    });
    expect((await me(confused)).status).toBe(401);
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, iss: idp.issuer, aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 600 })}.`;
    expect((await me(unsigned)).status).toBe(401);
  });

  it('sit beside the embedded HS256 tokens, and a sign-in names the issuer in the audit log', async () => {
    const embedded = await me(tokenFor('admin', undefined, 'embedded-admin'));
    expect(embedded.body).toMatchObject({ sub: 'embedded-admin', issuer: 'embedded' });
    const staffId = `E-audit-${Date.now()}`;
    await me(await idp.sign({ employee_no: staffId, realm_access: { roles: ['cs-admin'] } }));
    const rows = await h.database.db.selectFrom('audit_log').selectAll().where('actor', '=', staffId).execute();
    expect(rows.map((r) => [r.action, (r.detail as { issuer: string }).issuer])).toEqual([
      ['auth.sign_in', idp.issuer],
    ]);
  });

  it('GET /auth/config names the provider and the console client for the OpenID Connect sign-in', async () => {
    const res = await h.api.request('GET', '/api/v1/auth/config');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      embedded: true,
      oidc: { issuer: idp.issuer, clientId: 'motordesk-console', scopes: 'openid profile' },
    });
    // The console calls the provider's discovery and token endpoints from the browser: CSP lets it.
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(new RegExp(`connect-src 'self' ${idp.issuer.replace(/[.]/g, '\\.')}`));
  });
});

describe('when HS256 is turned off, or the provider cannot be reached', () => {
  it('refuses HS256 tokens (AUTH_HS256=false), and answers 503 with Retry-After while the JWKS cannot be fetched', async () => {
    const down = await startTestIdentityProvider(AUDIENCE);
    const config = testConfig({ OIDC_ISSUER: down.issuer, OIDC_AUDIENCE: AUDIENCE, AUTH_HS256: 'false' });
    const token = await down.sign({ sub: 'admin-1', role: 'admin' });
    await down.close();
    const app = await listen(
      createApp({
        temporal: h.env.client,
        db: h.database.db,
        config,
        logger: captureLogger().logger,
        rateLimit: false,
      }),
    );
    try {
      expect((await app.request('GET', '/api/v1/auth/me', { token: tokenFor('admin') })).status).toBe(401);
      const unreachable = await app.request('GET', '/api/v1/auth/me', { token });
      expect(unreachable.status).toBe(503);
      expect(unreachable.headers.get('retry-after')).toBeTruthy();
      expect((await app.request('GET', '/api/v1/auth/config')).body).toEqual({ embedded: false, oidc: null });
    } finally {
      await app.close();
    }
  });
});
