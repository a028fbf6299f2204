/**
 * Sign-ins in the audit log. Bearer tokens come from the identity provider (or the embedded mode's dev
 * sign-in), not from this API, so a sign-in is a token's first use: the first request an API process
 * sees with a token writes one `auth.sign_in` entry (staff id, role, team, who issued it and a digest
 * of the token, never the token). Each API process remembers the tokens it has seen until they
 * expire (at most `max` of them), so a token used on several processes is recorded once by each.
 *
 * A valid token is enough to act (the identity provider vouches for it), but the directory decides
 * who can be assigned, scored and counted: a signed-in subject the directory does not know is logged
 * once per process as unknown staff, so an operator sees a missing or mistyped directory entry.
 */
import { createHash } from 'node:crypto';
import type { Request } from 'express';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { getStaffMember } from '../db/repositories/staff';
import { appendAudit } from '../db/repositories/audit';
import type { Database } from '../db/schema';
import type { Principal } from './auth';

export type SignInRecorder = (principal: Principal, req: Request) => Promise<void>;

export function createSignInRecorder(
  db: Kysely<Database>,
  opts: { max?: number; issuer?: string; logger?: Logger } = {},
): SignInRecorder {
  const max = opts.max ?? 10_000;
  /** token digest → when to forget it (ms). */
  const seen = new Map<string, number>();
  /** Subjects already logged as unknown staff (bounded like `seen`). */
  const unknown = new Set<string>();
  const checkDirectory = async (principal: Principal) => {
    if (!opts.logger || unknown.has(principal.sub)) return;
    if (await getStaffMember(db, principal.sub)) return;
    if (unknown.size >= max) unknown.delete(unknown.values().next().value as string);
    unknown.add(principal.sub);
    opts.logger.warn(
      { staffId: principal.sub, role: principal.role, issuer: principal.issuer ?? opts.issuer ?? 'embedded' },
      'unknown staff: a valid token whose subject is not in the staff directory (it cannot be assigned or counted)',
    );
  };
  return async (principal, req) => {
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!token) return;
    const digest = createHash('sha256').update(token).digest('hex').slice(0, 32);
    const now = Date.now();
    const forgetAt = seen.get(digest);
    if (forgetAt !== undefined && forgetAt > now) return;
    await appendAudit(db, {
      actor: principal.sub,
      action: 'auth.sign_in',
      target: `staff:${principal.sub}`,
      detail: {
        role: principal.role,
        team: principal.team ?? null,
        issuer: principal.issuer ?? opts.issuer ?? 'embedded',
        token: digest,
      },
    });
    if (seen.size >= max) {
      for (const [key, at] of seen) if (at <= now) seen.delete(key);
      // Still full of live tokens: forget the oldest (it may be recorded once more).
      if (seen.size >= max) seen.delete(seen.keys().next().value as string);
    }
    seen.set(digest, principal.expiresAt ?? now + 12 * 3600_000);
    await checkDirectory(principal);
  };
}
