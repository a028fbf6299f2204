/**
 * Bearer JWTs carrying the staff id, role and team, and the role ladder the routes ask. Two kinds of
 * token are verified: HS256 with `JWT_SECRET` (the embedded mode, service tokens) and, when
 * `OIDC_ISSUER` is set, the company identity provider's RS256/ES256 tokens, checked against its JWKS
 * (issuer, audience, expiry; the claims carrying staff id, role and team are configurable). The
 * token's header decides which check applies, and an HS256 token never reaches the JWKS check nor an
 * RS256 one the secret, so neither can be passed off as the other (algorithm confusion).
 * Scope: agents and supervisors see their own team's cases; a case of another team is answered as
 * if it did not exist (404), so ids cannot be probed across teams.
 */
import { createSecretKey, type KeyObject } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { createRemoteJWKSet, decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import type { OidcConfig } from '../config';
import { type Actor, atLeastRole, byRoleRankDescending, type Role, ROLES } from '../domain/case';
import { HttpProblem, problems, RETRY_AFTER_SECONDS } from './errors';

export interface Principal {
  sub: string;
  role: Role;
  team?: string;
  /** Who vouched for the token: `embedded` (HS256) or the identity provider's issuer. */
  issuer?: string;
  /** When the token expires (ms since the epoch). */
  expiresAt?: number;
}

const claimsSchema = z
  .object({
    sub: z.string().min(1).max(100),
    role: z.enum(ROLES),
    team: z.string().min(1).max(100).optional(),
    exp: z.number(),
  })
  .refine((c) => c.team !== undefined || (c.role !== 'agent' && c.role !== 'supervisor'), {
    message: 'team is required for agents and supervisors',
  });

/** Signs a token; the dev launcher prints these, tests use them. `expiresIn` in seconds or `'8h'`. */
export function signToken(
  principal: Principal,
  secret: string,
  expiresIn: number | `${number}${'s' | 'm' | 'h' | 'd'}` = '8h',
): string {
  const { sub, role, team } = principal;
  return jwt.sign(team === undefined ? { role } : { role, team }, secret, {
    algorithm: 'HS256',
    subject: sub,
    expiresIn,
  });
}

function verifyToken(token: string, secret: KeyObject): Principal | undefined {
  let payload: unknown;
  try {
    payload = jwt.verify(token, secret, { algorithms: ['HS256'] });
  } catch {
    return undefined;
  }
  const parsed = claimsSchema.safeParse(payload);
  if (!parsed.success) return undefined;
  const { sub, role, team, exp } = parsed.data;
  const principal: Principal = team === undefined ? { sub, role } : { sub, role, team };
  return Object.assign(principal, { issuer: 'embedded', expiresAt: exp * 1000 });
}

/** A bearer token → who it names, or undefined when it is not valid; throws HttpProblem 503 when the provider cannot be asked. */
export type TokenVerifier = (token: string) => Promise<Principal | undefined>;

/** The identity provider's signing algorithms we accept; never `none`, never HMAC. */
const PROVIDER_ALGORITHMS = ['RS256', 'ES256'];

export interface TokenVerifierOptions {
  /** HS256 secret; undefined: HS256 tokens are refused. */
  jwtSecret: string | undefined;
  oidc?: OidcConfig | undefined;
}

export function createTokenVerifier({ jwtSecret, oidc }: TokenVerifierOptions): TokenVerifier {
  const company = oidc ? providerVerifier(oidc) : undefined;
  // A key object made once: given the secret as a string, jsonwebtoken first tries to read it as a
  // public key on every request, and that failed attempt (an exception) was ~1.7 ms of CPU per call.
  const hsKey = jwtSecret === undefined ? undefined : createSecretKey(Buffer.from(jwtSecret));
  return async (token) => {
    let alg: unknown;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      return undefined;
    }
    if (alg === 'HS256') return hsKey === undefined ? undefined : verifyToken(token, hsKey);
    if (company && typeof alg === 'string' && PROVIDER_ALGORITHMS.includes(alg)) return company(token);
    return undefined;
  };
}

function providerVerifier(oidc: OidcConfig): TokenVerifier {
  let jwks: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;
  const keySet = () => {
    // Discovered once; a failed discovery is asked again by the next request.
    jwks ??= jwksUrlOf(oidc).then(
      (url) => createRemoteJWKSet(new URL(url), { timeoutDuration: 5_000, cooldownDuration: 30_000 }),
      (err: unknown) => {
        jwks = undefined;
        throw err;
      },
    );
    return jwks;
  };
  return async (token) => {
    let payload: JWTPayload;
    try {
      payload = (
        await jwtVerify(token, await keySet(), {
          issuer: oidc.issuer,
          audience: oidc.audience,
          algorithms: PROVIDER_ALGORITHMS,
          requiredClaims: ['exp'],
          clockTolerance: 5,
        })
      ).payload;
    } catch (err) {
      if (isProviderUnreachable(err)) throw identityProviderUnavailable();
      return undefined;
    }
    return principalFromClaims(payload, oidc);
  };
}

/** The JWKS could not be fetched (network, timeout, not JSON): the token is not judged, the caller retries. */
function isProviderUnreachable(err: unknown): boolean {
  if (err instanceof joseErrors.JWKSTimeout || err instanceof joseErrors.JWKSInvalid) return true;
  if (err instanceof ProviderDiscoveryError) return true;
  // fetch() itself: TypeError "fetch failed" (connection refused, DNS), or a non-200 from the JWKS.
  return err instanceof TypeError || (err instanceof joseErrors.JOSEError && err.code === 'ERR_JOSE_GENERIC');
}

function identityProviderUnavailable(): HttpProblem {
  return new HttpProblem(
    503,
    'dependency-unavailable',
    'The identity provider cannot be reached to verify the token; retry later.',
    undefined,
    { 'Retry-After': String(RETRY_AFTER_SECONDS) },
  );
}

class ProviderDiscoveryError extends Error {
  override name = 'ProviderDiscoveryError';
}

/** OIDC_JWKS_URL, or the `jwks_uri` of `<issuer>/.well-known/openid-configuration` (whose `issuer` must match). */
export async function jwksUrlOf(oidc: Pick<OidcConfig, 'issuer' | 'jwksUrl'>): Promise<string> {
  if (oidc.jwksUrl) return oidc.jwksUrl;
  const discovery = `${oidc.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  let doc: { issuer?: unknown; jwks_uri?: unknown };
  try {
    const res = await fetch(discovery, { signal: AbortSignal.timeout(5_000), redirect: 'error' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    doc = (await res.json()) as typeof doc;
  } catch (err) {
    throw new ProviderDiscoveryError(`OIDC discovery failed: ${(err as Error).message}`);
  }
  if (doc.issuer !== oidc.issuer || typeof doc.jwks_uri !== 'string')
    throw new ProviderDiscoveryError('OIDC discovery: issuer mismatch or no jwks_uri');
  return doc.jwks_uri;
}

/** A dot path into the claims: `realm_access.roles`; a claim name containing dots is found whole first. */
function claimAt(payload: JWTPayload, path: string): unknown {
  if (path in payload) return payload[path];
  let at: unknown = payload;
  for (const part of path.split('.')) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}

/**
 * Our principal from the provider's claims. The role claim may hold one name or a list (groups,
 * realm roles): each is mapped through OIDC_ROLE_MAP (or taken as ours when no map is set), names we
 * do not know are ignored, and of several the highest on the ladder wins (hr only when nothing else).
 */
export function principalFromClaims(payload: JWTPayload, oidc: OidcConfig): Principal | undefined {
  const sub = claimAt(payload, oidc.staffIdClaim);
  const rawRoles = claimAt(payload, oidc.roleClaim);
  const names = Array.isArray(rawRoles) ? rawRoles : [rawRoles];
  const mapped = Object.keys(oidc.roleMap).length ? oidc.roleMap : undefined;
  const roles = names
    .filter((n): n is string => typeof n === 'string')
    .map((n) => (mapped ? mapped[n] : (ROLES as readonly string[]).includes(n) ? (n as Role) : undefined))
    .filter((r): r is Role => r !== undefined)
    .sort(byRoleRankDescending);
  const rawTeam = claimAt(payload, oidc.teamClaim);
  const team = Array.isArray(rawTeam) && rawTeam.length === 1 ? rawTeam[0] : rawTeam;
  const parsed = claimsSchema.safeParse({
    sub,
    role: roles[0],
    ...(typeof team === 'string' ? { team } : {}),
    exp: payload.exp,
  });
  if (!parsed.success) return undefined;
  const { role, exp } = parsed.data;
  const principal: Principal =
    parsed.data.team === undefined
      ? { sub: parsed.data.sub, role }
      : { sub: parsed.data.sub, role, team: parsed.data.team };
  return Object.assign(principal, { issuer: oidc.issuer, expiresAt: exp * 1000 });
}

export function authenticate(verify: TokenVerifier): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization;
    const token = header ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
    if (!token) {
      next(problems.unauthorized());
      return;
    }
    verify(token).then(
      (principal) => {
        if (!principal) {
          next(problems.unauthorized());
          return;
        }
        res.locals.principal = principal;
        next();
      },
      (err: unknown) => next(err),
    );
  };
}

export function principalOf(res: Response): Principal {
  const principal = res.locals.principal as Principal | undefined;
  if (!principal) throw problems.unauthorized();
  return principal;
}

/** A route's rule: one role "or higher" on the ladder, or exactly the roles listed. */
export type RoleRule = Role | readonly Role[];

export function hasRole(principal: Principal, rule: RoleRule): boolean {
  if (typeof rule !== 'string') return rule.includes(principal.role);
  return atLeastRole(principal.role, rule);
}

export function requireRole(principal: Principal, rule: RoleRule): void {
  if (hasRole(principal, rule)) return;
  throw problems.forbidden(
    typeof rule === 'string'
      ? `This needs the ${rule} role or higher.`
      : `This needs one of the roles ${rule.join(', ')}.`,
  );
}

export function actorOf(principal: Principal): Actor {
  return principal.team === undefined
    ? { id: principal.sub, role: principal.role }
    : { id: principal.sub, role: principal.role, team: principal.team };
}

/** The team a principal is confined to, or undefined for managers and admins (all teams). */
export function scopeTeam(principal: Principal): string | undefined {
  return principal.role === 'agent' || principal.role === 'supervisor' ? principal.team : undefined;
}

export function inScope(principal: Principal, caseTeam: string): boolean {
  const team = scopeTeam(principal);
  return team === undefined || team === caseTeam;
}
