/** The retention rule (保险法 第八十七条) at its edges: the last day kept and the first day erasable, in Asia/Shanghai. */
import { describe, expect, it } from 'vitest';
import {
  addYears,
  closedBeforeBound,
  groundOf,
  RETENTION_BASIS,
  retentionOf,
  type RetentionFacts,
} from '../../domain/retention';

/** An instant given as Shanghai wall time. */
const sh = (wall: string) => new Date(`${wall}+08:00`);

/** A one-year compulsory policy: 2026-01-01 00:00 to 2027-01-01 00:00 Shanghai. */
const ONE_YEAR = { startsAt: sh('2026-01-01T00:00:00'), expiresAt: sh('2027-01-01T00:00:00') };

describe('retention of a case', () => {
  it('keeps a closed case of a contract up to one year through the fifth anniversary of its end, and not a day more', () => {
    const facts: RetentionFacts = { closedAt: sh('2026-08-10T15:00:00'), policyNo: 'P1', contract: ONE_YEAR };
    const lastKeptDay = retentionOf(facts, sh('2032-01-01T23:59:59'));
    expect(lastKeptDay).toMatchObject({
      erasable: false,
      reason: 'retained',
      ground: 'contract_up_to_one_year',
      from: '2027-01-01',
      retainedUntil: '2032-01-01',
      erasableFrom: '2032-01-02',
    });
    expect(retentionOf(facts, sh('2031-12-31T12:00:00')).erasable).toBe(false);
    expect(retentionOf(facts, sh('2032-01-02T00:00:00'))).toMatchObject({ erasable: true, reason: 'expired' });
  });

  it('draws the day by the Shanghai calendar, not UTC', () => {
    const facts: RetentionFacts = { closedAt: sh('2026-08-10T15:00:00'), policyNo: 'P1', contract: ONE_YEAR };
    // 2032-01-01T16:00Z is already 01-02 in Shanghai; 15:59:59Z is still 01-01.
    expect(retentionOf(facts, new Date('2032-01-01T15:59:59Z')).erasable).toBe(false);
    expect(retentionOf(facts, new Date('2032-01-01T16:00:00Z')).erasable).toBe(true);
    // A closing late on a Shanghai evening is that Shanghai day, though UTC has the day before.
    const late = retentionOf({ closedAt: new Date('2026-03-01T16:30:00Z'), policyNo: null }, new Date(0));
    expect(late).toMatchObject({ from: '2026-03-02', retainedUntil: '2031-03-02' });
  });

  it('keeps ten years for a contract longer than one year; a year and a day is longer', () => {
    const threeYears = { startsAt: sh('2026-01-01T00:00:00'), expiresAt: sh('2029-01-01T00:00:00') };
    const facts: RetentionFacts = { closedAt: sh('2026-05-01T10:00:00'), policyNo: 'P3', contract: threeYears };
    expect(retentionOf(facts, sh('2039-01-01T23:59:59'))).toMatchObject({
      erasable: false,
      ground: 'contract_over_one_year',
      retainedUntil: '2039-01-01',
    });
    expect(retentionOf(facts, sh('2039-01-02T00:00:00')).erasable).toBe(true);

    expect(groundOf({ policyNo: 'P', contract: ONE_YEAR })).toBe('contract_up_to_one_year');
    const yearAndADay = { startsAt: ONE_YEAR.startsAt, expiresAt: sh('2027-01-02T00:00:00') };
    expect(groundOf({ policyNo: 'P', contract: yearAndADay })).toBe('contract_over_one_year');
    const shortTerm = { startsAt: sh('2026-01-01T00:00:00'), expiresAt: sh('2026-04-01T00:00:00') };
    expect(groundOf({ policyNo: 'P', contract: shortTerm })).toBe('contract_up_to_one_year');
  });

  it('counts from the closing when the case closed after the contract ended', () => {
    const facts: RetentionFacts = { closedAt: sh('2027-03-15T09:00:00'), policyNo: 'P1', contract: ONE_YEAR };
    const verdict = retentionOf(facts, sh('2032-03-15T23:00:00'));
    expect(verdict).toMatchObject({ erasable: false, from: '2027-03-15', retainedUntil: '2032-03-15' });
    expect(retentionOf(facts, sh('2032-03-16T00:00:00')).erasable).toBe(true);
  });

  it('never erases an open case', () => {
    expect(retentionOf({ closedAt: null, policyNo: 'P1', contract: ONE_YEAR }, sh('2099-01-01T00:00:00'))).toEqual({
      erasable: false,
      reason: 'open',
      basis: RETENTION_BASIS,
    });
  });

  it('keeps ten years when the policy is not known here, five when the case concerns no contract (company rules)', () => {
    const closedAt = sh('2026-06-30T18:00:00');
    expect(retentionOf({ closedAt, policyNo: 'PUNKNOWN', contract: null }, sh('2036-06-30T23:59:59'))).toMatchObject({
      erasable: false,
      ground: 'contract_unknown',
      retainedUntil: '2036-06-30',
    });
    expect(retentionOf({ closedAt, policyNo: 'PUNKNOWN' }, sh('2036-07-01T00:00:00')).erasable).toBe(true);
    expect(retentionOf({ closedAt, policyNo: null }, sh('2031-06-30T23:59:59'))).toMatchObject({
      erasable: false,
      ground: 'no_contract',
      retainedUntil: '2031-06-30',
    });
    expect(retentionOf({ closedAt, policyNo: null }, sh('2031-07-01T00:00:00')).erasable).toBe(true);
  });

  it('ends a period begun on 02-29 on 02-28 of a common year (民法典 第二百零三条)', () => {
    expect(addYears('2028-02-29', 5)).toBe('2033-02-28');
    expect(addYears('2028-02-29', 4)).toBe('2032-02-29');
    expect(addYears('2026-12-31', 10)).toBe('2036-12-31');
    const facts: RetentionFacts = { closedAt: sh('2028-02-29T12:00:00'), policyNo: null };
    expect(retentionOf(facts, sh('2033-02-28T23:59:59')).erasable).toBe(false);
    expect(retentionOf(facts, sh('2033-03-01T00:00:00')).erasable).toBe(true);
  });

  it('names its basis, the text of 保险法 第八十七条', () => {
    expect(RETENTION_BASIS).toContain('第八十七条');
    expect(RETENTION_BASIS).toContain('保险期间在一年以下的不得少于五年，保险期间超过一年的不得少于十年');
  });

  it('bounds the sweep: no case closed at or after the bound is erasable, one closed just before may be', () => {
    const now = sh('2032-01-02T03:00:00');
    const bound = closedBeforeBound(now);
    const atBound = retentionOf({ closedAt: bound, policyNo: null }, now);
    expect(atBound.erasable).toBe(false);
    const justBefore = new Date(bound.getTime() - 3 * 86_400_000);
    expect(retentionOf({ closedAt: justBefore, policyNo: null }, now).erasable).toBe(true);
  });
});
