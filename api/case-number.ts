/**
 * Case numbers: a two-letter prefix for the case type (`CL` claim, `CP` complaint, `IQ` inquiry, `PU` purchase), the
 * Shanghai calendar day and six Crockford base-32 characters, e.g. `CP20261125K7F3QX`. Short enough to
 * read over the phone (no I, L, O or U to mishear), random so numbers reveal nothing about volumes,
 * and free of personal data since they name workflow ids.
 */
import { createHash, randomInt } from 'node:crypto';
import { reservePersonalData } from '../db/repositories/personal-data';
import type { Executor } from '../db/repositories/support';
import { shanghaiDateCompact } from './time';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const SUFFIX_LENGTH = 6;

const CASE_NUMBER_PREFIXES = { claim: 'CL', complaint: 'CP', inquiry: 'IQ', purchase: 'PU' } as const;
export type NumberedCaseType = keyof typeof CASE_NUMBER_PREFIXES;

export function caseNumberPattern(type: NumberedCaseType): RegExp {
  return new RegExp(`^${CASE_NUMBER_PREFIXES[type]}\\d{8}[0-9A-HJKMNP-TV-Z]{${SUFFIX_LENGTH}}$`);
}

export function newCaseNumber(type: NumberedCaseType, now: Date): string {
  let suffix = '';
  for (let i = 0; i < SUFFIX_LENGTH; i++) suffix += CROCKFORD[randomInt(CROCKFORD.length)];
  return `${CASE_NUMBER_PREFIXES[type]}${shanghaiDateCompact(now)}${suffix}`;
}

/**
 * The number for a request that carries an Idempotency-Key: derived from the caller and the key, so
 * a client retrying after a lost response (the case was opened, the answer never arrived) reaches
 * the same case instead of opening a second one. A retry on another Shanghai day gets another
 * number: idempotency keys are meant for retries within minutes. The prefix keeps a claim and a
 * complaint opened with the same key apart.
 */
export function caseNumberForKey(type: NumberedCaseType, now: Date, actor: string, key: string): string {
  const digest = createHash('sha256').update(`${actor}\u0000${key}`).digest();
  let suffix = '';
  for (let i = 0; i < SUFFIX_LENGTH; i++) suffix += CROCKFORD[digest[i]! % CROCKFORD.length];
  return `${CASE_NUMBER_PREFIXES[type]}${shanghaiDateCompact(now)}${suffix}`;
}

/**
 * Reserves a number for a new case by inserting its personal data, before the workflow exists (the
 * case never runs without the data its notices need). With an Idempotency-Key the number is derived
 * from it and an existing row is that same request's data (a retry); without one, a random number is
 * drawn until one is free: 32^6 numbers a day make a clash rare, and the start joins an existing
 * workflow (USE_EXISTING), so a number already holding personal data is never reused.
 */
export async function reserveCaseNumber(
  db: Executor,
  type: NumberedCaseType,
  at: Date,
  personal: Record<string, unknown>,
  idempotency: { actor: string; key: string } | undefined,
): Promise<string> {
  if (idempotency) {
    const caseNo = caseNumberForKey(type, at, idempotency.actor, idempotency.key);
    await reservePersonalData(db, caseNo, personal);
    return caseNo;
  }
  for (let attempt = 0; attempt < 5; attempt++) {
    const caseNo = newCaseNumber(type, at);
    if (await reservePersonalData(db, caseNo, personal)) return caseNo;
  }
  throw new Error(`no unused ${type} number after 5 attempts`);
}
