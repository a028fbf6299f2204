/**
 * Claim numbers: `CL` + the Shanghai calendar day + six Crockford base-32 characters, e.g.
 * `CL20261125K7F3QX`. Short enough to read over the phone (no I, L, O or U to mishear), random so
 * numbers reveal nothing about volumes, and free of personal data since they name workflow ids.
 */
import { randomInt } from 'node:crypto';
import { shanghaiDateCompact } from './time';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CLAIM_NUMBER_PATTERN = /^CL\d{8}[0-9A-HJKMNP-TV-Z]{6}$/;

export function newClaimNumber(now: Date): string {
  let suffix = '';
  for (let i = 0; i < 6; i++) suffix += CROCKFORD[randomInt(CROCKFORD.length)];
  return `CL${shanghaiDateCompact(now)}${suffix}`;
}
