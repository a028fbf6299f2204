/** Claim numbers (`CL` + Shanghai day + six Crockford base-32 characters): the claim's case-number scheme. */
import { caseNumberForKey, caseNumberPattern, newCaseNumber } from './case-number';

export const CLAIM_NUMBER_PATTERN = caseNumberPattern('claim');

export const newClaimNumber = (now: Date): string => newCaseNumber('claim', now);

/** See `caseNumberForKey`: a retry after a lost response joins the same claim. */
export const claimNumberForKey = (now: Date, actor: string, key: string): string =>
  caseNumberForKey('claim', now, actor, key);
