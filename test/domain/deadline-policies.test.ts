import { describe, it, expect } from 'vitest';
import { WorkCalendar } from '../../domain/calendar';
import { computeDeadline } from '../../domain/deadline';
import {
  CLOCK_POLICY_NAMES,
  DEFAULT_CLOCK_POLICIES,
  DEFAULT_DOCUMENT_REMINDER,
  DeadlinePolicyTable,
  UnknownDeadlinePolicyError,
  clockPolicyOverrideSchema,
  deadlinePolicyFileSchema,
} from '../../domain/deadline-policies';

const DOMAIN_TABLE = [
  'claim.firstContact',
  'claim.documentNotice.compulsory',
  'claim.documentNotice.commercial',
  'claim.documentReminder',
  'claim.verification.compulsory',
  'claim.verification.commercial',
  'claim.payment',
  'claim.denialNotice',
  'claim.advancePayment',
  'complaint.acknowledge',
  'complaint.decision',
  'complaint.followUp',
  'complaint.reviewWindow',
  'complaint.reviewDecision',
  'inquiry.answer',
  'inquiry.consultation',
  'renewal.window',
  'purchase.quoteValidity',
  'purchase.review',
  'purchase.payment',
  'purchase.confirmation',
];

describe('policy table defaults', () => {
  it('has every clock policy of DOMAIN.md, each with its basis text', () => {
    const table = new DeadlinePolicyTable();
    for (const name of DOMAIN_TABLE) {
      const policy = table.clock(name);
      expect(policy.basis.trim(), name).not.toBe('');
      expect(policy.warnAt, name).toBeGreaterThan(0);
    }
  });

  it('keeps the statutory numbers of the table', () => {
    const table = new DeadlinePolicyTable();
    expect(table.clock('claim.payment')).toMatchObject({ kind: 'statutory', mode: 'calendar_days', duration: 'P10D' });
    expect(table.clock('complaint.decision')).toMatchObject({
      kind: 'statutory',
      mode: 'calendar_days',
      duration: 'P15D',
    });
    expect(table.clock('claim.firstContact')).toMatchObject({ kind: 'internal', mode: 'elapsed', duration: 'PT30M' });
    expect(table.documentReminder.maxReminders).toBe(3);
    for (const name of ['complaint.reviewWindow', 'complaint.reviewDecision']) {
      expect(table.clock(name), name).toMatchObject({ kind: 'statutory', mode: 'calendar_days', duration: 'P30D' });
      expect(table.clock(name).basis, name).toMatch(/复核/);
    }
    expect(table.clock('claim.payment').basis).toMatch(/保险法 第二十三条/);
  });
});

describe('policy overrides', () => {
  it('a file override changes duration and mode but keeps the basis', () => {
    const table = new DeadlinePolicyTable({ 'inquiry.answer': { duration: 'PT5M', mode: 'elapsed' } });
    const policy = table.clock('inquiry.answer');
    expect(policy).toMatchObject({ duration: 'PT5M', mode: 'elapsed', basis: 'rulebook: 在规定时间内给予答复' });
    const startedAt = new Date('2026-03-04T02:00:00Z');
    expect(computeDeadline(policy, startedAt, new WorkCalendar()).dueAt.toISOString()).toBe('2026-03-04T02:05:00.000Z');
  });

  it('an admin override wins over the file', () => {
    const table = new DeadlinePolicyTable(
      { 'complaint.decision': { duration: 'P20D', mode: 'calendar_days' } },
      { 'complaint.decision': { duration: 'P30D', mode: 'calendar_days', warnAt: 0.5 } },
    );
    expect(table.clock('complaint.decision')).toMatchObject({ duration: 'P30D', warnAt: 0.5 });
  });

  it('an unknown policy name is rejected, in overrides and in lookups', () => {
    expect(() => new DeadlinePolicyTable({ 'claim.nonsense': { duration: 'P1D', mode: 'calendar_days' } })).toThrow(
      UnknownDeadlinePolicyError,
    );
    expect(() => new DeadlinePolicyTable().clock('claim.nonsense')).toThrow(/unknown deadline policy: claim.nonsense/);
  });

  it('the override schema refuses malformed durations, unknown modes and extra fields', () => {
    expect(clockPolicyOverrideSchema.safeParse({ duration: '15 days', mode: 'calendar_days' }).success).toBe(false);
    expect(clockPolicyOverrideSchema.safeParse({ duration: 'P15D', mode: 'lunar_days' }).success).toBe(false);
    expect(
      clockPolicyOverrideSchema.safeParse({ duration: 'P15D', mode: 'calendar_days', basis: 'mine' }).success,
    ).toBe(false);
    expect(
      deadlinePolicyFileSchema.safeParse({ 'claim.payment': { duration: 'P5D', mode: 'calendar_days' } }).success,
    ).toBe(true);
  });

  it('takes the renewal offer rule from the policy file, and refuses a malformed one', () => {
    const offer = {
      commercial: { claimFree: [0.9, 0.8], claims: [1, 1.3] },
      compulsory: { claimFree: [0.9], claims: [1] },
    };
    const parsed = deadlinePolicyFileSchema.safeParse({ 'renewal.offer': offer });
    expect(parsed.success && parsed.data['renewal.offer']).toEqual(offer);
    expect(() => new DeadlinePolicyTable(parsed.success ? parsed.data : {})).not.toThrow();
    expect(
      deadlinePolicyFileSchema.safeParse({ 'renewal.offer': { commercial: { claimFree: [], claims: [1] } } }).success,
    ).toBe(false);
  });
});

describe('clock policy names', () => {
  it('every name of the ClockPolicyName union has one row in the table, and every row a name and a Chinese title', () => {
    const rows = [...DEFAULT_CLOCK_POLICIES, DEFAULT_DOCUMENT_REMINDER];
    expect(rows.map((p) => p.name).sort()).toEqual([...CLOCK_POLICY_NAMES].sort());
    for (const row of rows) expect(row.title, row.name).toMatch(/\p{Script=Han}/u);
  });
});
