/**
 * Bearer JWTs (HS256, `JWT_SECRET`) carrying the staff id, role and team, and the role ladder the
 * routes ask. Scope: agents and supervisors see their own team's cases; a case of another team is
 * answered as if it did not exist (404), so ids cannot be probed across teams.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import type { Actor, Role } from '../domain/case';
import { problems } from './errors';

const ROLES = ['agent', 'supervisor', 'manager', 'hr', 'admin'] as const satisfies readonly Role[];
/** hr is below the ladder: "agent or higher" never lets it in; routes for hr name it (routing.ts). */
const RANK: Record<Role, number> = { agent: 0, supervisor: 1, manager: 2, admin: 3, hr: -1 };

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

function verifyToken(token: string, secret: string): Principal | undefined {
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

export function authenticate(secret: string): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    const principal = match?.[1] ? verifyToken(match[1], secret) : undefined;
    if (!principal) {
      next(problems.unauthorized());
      return;
    }
    res.locals.principal = principal;
    next();
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
  return RANK[principal.role] >= RANK[rule];
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
