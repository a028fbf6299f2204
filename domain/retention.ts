/**
 * How long a case's records must be kept before its personal data may be erased or anonymised
 * (PIPL 第四十七条: deletion once the retention period has passed; until then the data is kept and
 * only stored). Pure: dates in Asia/Shanghai, no clock of its own (the caller says when "now" is).
 *
 * The basis, 《中华人民共和国保险法》第八十七条:
 *   保险公司应当按照国务院保险监督管理机构的规定妥善保管业务经营活动的完整账簿、原始凭证和有关资料。
 *   前款规定的账簿、原始凭证和有关资料的保管期限，自保险合同终止之日起计算，保险期间在一年以下的不得
 *   少于五年，保险期间超过一年的不得少于十年。
 * Counting (《民法典》第二百零一条、第二百零三条): the day the period starts from is not counted; a
 * period of years ends on the corresponding day of its last year (the month's last day when there is
 * none: 02-29 → 02-28), and that whole day still belongs to it.
 *
 * A case's records are the contract's records, and they are complete only once the case is closed,
 * so the period runs from the later of the contract's end and the case's closing. Two company rules
 * (not the statute) fill what the article does not name: a case naming a policy this system does not
 * hold (its term unknown) keeps the longer ten years from its closing; a case about no contract at
 * all (an inquiry or complaint without a policy) keeps the shorter five years from its closing.
 */
import { addDays, type CivilDate, epochDay, shanghaiDate, shanghaiInstant } from './civil-time';

export const RETENTION_BASIS =
  '《保险法》第八十七条：账簿、原始凭证和有关资料的保管期限，自保险合同终止之日起计算，保险期间在一年以下的不得少于五年，保险期间超过一年的不得少于十年。';

/** Why a record is kept as long as it is. */
export type RetentionGround =
  /** A contract of up to one year: five years after it ends (保险法 第八十七条). */
  | 'contract_up_to_one_year'
  /** A contract longer than one year: ten years after it ends (保险法 第八十七条). */
  | 'contract_over_one_year'
  /** The case names a policy whose term is not known here: ten years after closing (company rule). */
  | 'contract_unknown'
  /** No contract concerned: five years after closing (company rule). */
  | 'no_contract';

export const RETENTION_YEARS: Record<RetentionGround, number> = {
  contract_up_to_one_year: 5,
  contract_over_one_year: 10,
  contract_unknown: 10,
  no_contract: 5,
};

export interface RetentionFacts {
  /** When the case was closed; null while it is open (retention has not begun). */
  closedAt: Date | null;
  /** The policy the case concerns, by number (null: none). */
  policyNo: string | null;
  /** That policy's term when this system holds it. */
  contract?: { startsAt: Date; expiresAt: Date } | null;
}

export type RetentionVerdict =
  | { erasable: false; reason: 'open'; basis: string }
  | {
      erasable: boolean;
      reason: 'retained' | 'expired';
      ground: RetentionGround;
      /** The period counts from the day after this date (the later of contract end and closing). */
      from: CivilDate;
      /** The last day the records must be kept (inclusive). */
      retainedUntil: CivilDate;
      /** The first day erasure is allowed. */
      erasableFrom: CivilDate;
      basis: string;
    };

/** The same month and day `years` later; a 02-29 without counterpart becomes 02-28 (民法典 第二百零三条). */
export function addYears(date: CivilDate, years: number): CivilDate {
  epochDay(date);
  const year = Number(date.slice(0, 4)) + years;
  const month = date.slice(5, 7);
  const day = Number(date.slice(8, 10));
  const lastOfMonth = Number(new Date(Date.UTC(year, Number(month), 0)).toISOString().slice(8, 10));
  return `${String(year).padStart(4, '0')}-${month}-${String(Math.min(day, lastOfMonth)).padStart(2, '0')}`;
}

/** Up to one year (保险期间在一年以下) when the term ends no later than the start's anniversary. */
export function groundOf(facts: Pick<RetentionFacts, 'policyNo' | 'contract'>): RetentionGround {
  if (facts.contract) {
    const start = shanghaiDate(facts.contract.startsAt);
    const end = shanghaiDate(facts.contract.expiresAt);
    return end <= addYears(start, 1) ? 'contract_up_to_one_year' : 'contract_over_one_year';
  }
  return facts.policyNo ? 'contract_unknown' : 'no_contract';
}

/** Whether a case's personal data may be erased at `now`, and until when it must be kept. */
export function retentionOf(facts: RetentionFacts, now: Date): RetentionVerdict {
  if (facts.closedAt === null) return { erasable: false, reason: 'open', basis: RETENTION_BASIS };
  const ground = groundOf(facts);
  const closed = shanghaiDate(facts.closedAt);
  const contractEnd = facts.contract ? shanghaiDate(facts.contract.expiresAt) : undefined;
  const from = contractEnd !== undefined && contractEnd > closed ? contractEnd : closed;
  const retainedUntil = addYears(from, RETENTION_YEARS[ground]);
  const erasable = shanghaiDate(now) > retainedUntil;
  return {
    erasable,
    reason: erasable ? 'expired' : 'retained',
    ground,
    from,
    retainedUntil,
    erasableFrom: addDays(retainedUntil, 1),
    basis: RETENTION_BASIS,
  };
}

/**
 * A bound on the closing of any case that can be erasable at `now`: cases closed at or after it are
 * surely still retained, so the retention sweep reads only cases closed before it (a cheap
 * pre-filter with two days' margin; `retentionOf` decides each one).
 */
export function closedBeforeBound(now: Date): Date {
  const shortest = Math.min(...Object.values(RETENTION_YEARS));
  return shanghaiInstant(addDays(addYears(shanghaiDate(now), -shortest), 2));
}
