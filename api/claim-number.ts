/**
 * Claim numbers: `CL` + the Shanghai calendar day + six Crockford base-32 characters, e.g.
 * `CL20261125K7F3QX`. Short enough to read over the phone (no I, L, O or U to mishear), random so
 * numbers reveal nothing about volumes, and free of personal data since they name workflow ids.
 */
import { createHash, randomInt } from 'node:crypto';
import { shanghaiDateCompact } from './time';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CLAIM_NUMBER_PATTERN = /^CL\d{8}[0-9A-HJKMNP-TV-Z]{6}$/;

export function newClaimNumber(now: Date): string {
  let suffix = '';
  for (let i = 0; i < 6; i++) suffix += CROCKFORD[randomInt(CROCKFORD.length)];
  return `CL${shanghaiDateCompact(now)}${suffix}`;
}

/**
 * The number for a request that carries an Idempotency-Key: derived from the caller and the key, so
 * a client retrying after a lost response (the claim was opened, the answer never arrived) reaches
 * the same claim instead of opening a second one. A retry on another Shanghai day gets another
 * number: idempotency keys are meant for retries within minutes.
 */
export function claimNumberForKey(now: Date, actor: string, key: string): string {
  const digest = createHash('sha256').update(`${actor}\u0000${key}`).digest();
  let suffix = '';
  for (let i = 0; i < 6; i++) suffix += CROCKFORD[digest[i]! % CROCKFORD.length];
  return `CL${shanghaiDateCompact(now)}${suffix}`;
}
