/**
 * Every route × every role, generated from the served /openapi.json: each operation is called
 * with no token, a forged token and a token of each role, and the answer is held against ONE table
 * kept here (not read from the code, which is what is being checked). A refused role must get 403
 * exactly, a missing or bad token 401 exactly, and a role the table allows must not be refused
 * (whatever else its empty request earns: 400, 404, 409 …). An operation missing from the table, or
 * a row naming an operation that no longer exists, fails the test: a new route needs its row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../api/auth';
import type { Role } from '../../domain/case';
import { tokenFor, uniqueTeam } from '../support/auth';
import { startApiHarness, type ApiHarness } from '../support/harness';

const ROLES = ['agent', 'supervisor', 'manager', 'hr', 'admin'] as const satisfies readonly Role[];
type Rule = 'public' | readonly Role[];

const AGENT_UP: Rule = ['agent', 'supervisor', 'manager', 'admin'];
const SUPERVISOR_UP: Rule = ['supervisor', 'manager', 'admin'];
const MANAGER_UP: Rule = ['manager', 'admin'];
const ADMIN: Rule = ['admin'];
const EVERY_ROLE: Rule = ROLES;

/** Who may call what (API.md). Paths as in /openapi.json, below /api/v1. */
const EXPECTED: Record<string, Rule> = {
  'POST /claims': AGENT_UP,
  'GET /claims/{id}': AGENT_UP,
  'POST /claims/{id}/contact': AGENT_UP,
  'POST /claims/{id}/documents': AGENT_UP,
  'POST /claims/{id}/document-request': AGENT_UP,
  'POST /claims/{id}/assessment': AGENT_UP,
  'POST /claims/{id}/decision': SUPERVISOR_UP,
  'POST /claims/{id}/payment': SUPERVISOR_UP,
  'POST /claims/{id}/withdraw': AGENT_UP,
  'POST /complaints': AGENT_UP,
  'GET /complaints/{id}': AGENT_UP,
  'POST /complaints/{id}/acknowledge': AGENT_UP,
  'POST /complaints/{id}/investigation': AGENT_UP,
  'POST /complaints/{id}/proposal': AGENT_UP,
  'POST /complaints/{id}/customer-response': AGENT_UP,
  'POST /complaints/{id}/extension': SUPERVISOR_UP,
  'POST /complaints/{id}/review-request': AGENT_UP,
  'POST /complaints/{id}/review-decision': MANAGER_UP,
  'POST /complaints/{id}/satisfaction': AGENT_UP,
  'POST /inquiries': AGENT_UP,
  'GET /inquiries/{id}': AGENT_UP,
  'POST /inquiries/{id}/consultation': AGENT_UP,
  'POST /inquiries/{id}/consultations/{consultationId}/reply': AGENT_UP,
  'POST /inquiries/{id}/awaiting-customer': AGENT_UP,
  'POST /inquiries/{id}/customer-reply': AGENT_UP,
  'POST /inquiries/{id}/answer': AGENT_UP,
  'POST /inquiries/{id}/review': SUPERVISOR_UP,
  'GET /policies/{policyNo}': AGENT_UP,
  'PUT /policies/{policyNo}': MANAGER_UP,
  'POST /policies/import': MANAGER_UP,
  'POST /renewals/sweep': MANAGER_UP,
  'GET /renewals/{id}': AGENT_UP,
  'POST /renewals/{id}/contact': AGENT_UP,
  'POST /renewals/{id}/renewed': AGENT_UP,
  'POST /renewals/{id}/opt-out': AGENT_UP,
  'POST /renewals/{id}/purchase': AGENT_UP,
  'POST /purchases': AGENT_UP,
  'GET /purchases/{id}': AGENT_UP,
  'POST /purchases/{id}/quote': AGENT_UP,
  'POST /purchases/{id}/application': AGENT_UP,
  'POST /purchases/{id}/review': AGENT_UP,
  'POST /purchases/{id}/correction': AGENT_UP,
  'POST /purchases/{id}/payment': AGENT_UP,
  'POST /purchases/{id}/issue': SUPERVISOR_UP,
  'POST /purchases/{id}/abandon': AGENT_UP,
  'GET /cases': AGENT_UP,
  'GET /cases/export': SUPERVISOR_UP,
  'GET /cases/{id}/timeline': AGENT_UP,
  'POST /cases/{id}/assign': SUPERVISOR_UP,
  'POST /cases/{id}/notes': AGENT_UP,
  'POST /cases/{id}/reveal': AGENT_UP,
  'POST /cases/{id}/survey-response': AGENT_UP,
  'GET /notifications': AGENT_UP,
  'GET /reports/kpis': SUPERVISOR_UP,
  'GET /reports/breaches': SUPERVISOR_UP,
  'GET /admin/deadline-policies': ADMIN,
  'PUT /admin/deadline-policies/{name}': ADMIN,
  'GET /admin/calendar': ADMIN,
  'PUT /admin/calendar/{year}': ADMIN,
  'POST /admin/personal-data/access': ADMIN,
  'POST /admin/personal-data/erasure': ADMIN,
  'PUT /admin/kpi-targets': ['manager', 'admin'],
  'GET /audit': ADMIN,
  'PUT /staff/{staffId}': ['admin', 'hr'],
  'GET /staff': ['supervisor', 'manager', 'admin', 'hr'],
  'POST /quality-reviews': SUPERVISOR_UP,
  'POST /training/plans': ['hr', 'manager', 'admin'],
  'GET /training/records': [...AGENT_UP, 'hr'],
  'POST /training/{id}/attendance': [...SUPERVISOR_UP, 'hr'],
  'POST /training/{id}/exam': [...SUPERVISOR_UP, 'hr'],
  'POST /assessments/run': ['hr', 'admin'],
  'GET /assessments': [...AGENT_UP, 'hr'],
  'GET /assessments/{id}': [...AGENT_UP, 'hr'],
  'POST /assessments/{id}/self': ['agent'],
  'POST /assessments/{id}/supervisor-score': SUPERVISOR_UP,
  'POST /assessments/publish': ['hr'],
  'POST /assessments/{id}/appeal': ['agent'],
  'POST /assessments/{id}/appeal-decision': ['hr'],
  'GET /assessments/annual/{year}': [...SUPERVISOR_UP, 'hr'],
  'PUT /facilities/equipment/{assetId}': MANAGER_UP,
  'GET /facilities/equipment': AGENT_UP,
  'GET /facilities/equipment/{assetId}': AGENT_UP,
  'POST /facilities/equipment/{assetId}/checks': AGENT_UP,
  'POST /facilities/equipment/{assetId}/replacement': MANAGER_UP,
  'POST /facilities/repairs/{id}/done': MANAGER_UP,
  'GET /auth/config': 'public',
  'GET /auth/me': EVERY_ROLE,
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /metrics': 'public',
  'GET /openapi.json': 'public',
  'GET /docs': 'public',
};

const PARAM_VALUES: Record<string, string> = { year: '2026', name: 'claim.firstContact' };

let h: ApiHarness;
let operations: { key: string; method: string; url: string }[];

beforeAll(async () => {
  h = await startApiHarness({ worker: false });
  const doc = (await h.api.request('GET', '/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
  operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((method) => {
      const relative = path.replace(/^\/api\/v1/, '');
      return {
        key: `${method.toUpperCase()} ${relative}`,
        method: method.toUpperCase(),
        url: path.replace(/\{(\w+)\}/g, (_m, name: string) => PARAM_VALUES[name] ?? `authz-${name}`),
      };
    }),
  );
});
afterAll(async () => {
  await h?.close();
});

describe('every route × every role', () => {
  it('lists every operation of /openapi.json in the table, and nothing else', () => {
    const served = operations.map((o) => o.key).sort();
    expect(
      served.filter((k) => !(k in EXPECTED)),
      'operations without a row in EXPECTED',
    ).toEqual([]);
    expect(
      Object.keys(EXPECTED).filter((k) => !served.includes(k)),
      'rows naming no operation',
    ).toEqual([]);
  });

  it('answers 401 without a token or with a bad one, 403 to a refused role, and never refuses an allowed role', async () => {
    const team = uniqueTeam('authz');
    const tokens: [string, string | undefined][] = [
      ['no token', undefined],
      ['bad token', signToken({ sub: 'mallory', role: 'admin' }, 'not-the-secret-of-this-api-0000', '1h')],
      ...ROLES.map((role): [string, string] => [
        role,
        tokenFor(role, role === 'agent' || role === 'supervisor' ? team : undefined, `authz-${role}`),
      ]),
    ];
    const mismatches: string[] = [];
    for (const op of operations) {
      const rule = EXPECTED[op.key];
      if (!rule) continue;
      // The seven callers of one operation at once: some allowed calls wait on Temporal.
      await Promise.all(
        tokens.map(async ([who, token]) => {
          const res = await h.api.request(op.method, op.url, {
            token,
            ...(op.method === 'GET' ? {} : { body: {} }),
          });
          const allowed =
            rule === 'public' || ((ROLES as readonly string[]).includes(who) && rule.includes(who as Role));
          let expected: string;
          let ok: boolean;
          if (rule === 'public') {
            expected = 'not 401/403';
            ok = res.status !== 401 && res.status !== 403;
          } else if (token === undefined || who === 'bad token') {
            expected = '401';
            ok = res.status === 401;
          } else if (!allowed) {
            expected = '403';
            ok = res.status === 403;
          } else {
            expected = 'not 401/403/500';
            ok = res.status !== 401 && res.status !== 403 && res.status !== 500;
          }
          if (ok && res.status >= 400)
            expect(res.headers.get('content-type'), `${op.key} ${who}`).toContain('problem+json');
          if (!ok) mismatches.push(`${op.key} as ${who}: ${res.status}, expected ${expected}`);
        }),
      );
    }
    expect(mismatches).toEqual([]);
  }, 240_000);
});
