/**
 * Sign-ins in the audit log. Bearer tokens come from the identity provider (or the embedded mode's dev
 * sign-in), not from this API, so a sign-in is a token's first use: the first request an API process
 * sees with a token writes one `auth.sign_in` entry (staff id, role, team, who issued it and a digest
 * of the token, never the token). Each API process remembers the tokens it has seen until they
 * expire (at most `max` of them), so a token used on several processes is recorded once by each.
 */
import { createHash } from 'node:crypto';
import type { Request } from 'express';
import type { Kysely } from 'kysely';
import { appendAudit } from '../db/repositories/audit';
import type { Database } from '../db/schema';
import type { Principal } from './auth';

export type SignInRecorder = (principal: Principal, req: Request) => Promise<void>;

export function createSignInRecorder(
  db: Kysely<Database>,
  opts: { max?: number; issuer?: string } = {},
): SignInRecorder {
  const max = opts.max ?? 10_000;
  /** token digest → when to forget it (ms). */
  const seen = new Map<string, number>();
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
  };
}
