/** The renewal rules without Temporal: the reminder ladder, quiet hours, the call window, the offer, a policy row. */
import { describe, expect, it } from 'vitest';
import {
  validateInsurancePolicyBody,
  validateInsurancePolicyRow,
  csvRecordToRow,
  csvHeaderProblems,
  CSV_COLUMNS,
} from '../../domain/insurance-policy';
import {
  callRefusal,
  nextOutreachMoment,
  planCallWindow,
  planReminders,
  renewalActionAllowed,
  renewalCaseId,
  statusAfterContact,
  type ContactAttempt,
} from '../../domain/renewal';
import { DEFAULT_OFFER_RULE, renewalOffer } from '../../domain/renewal-offer';
import { DEFAULT_CALL_WINDOW, DEFAULT_OUTREACH_HOURS, DEFAULT_RENEWAL_REMINDERS } from '../../domain/deadline-policies';

const HOURS = { start: DEFAULT_OUTREACH_HOURS.start, end: DEFAULT_OUTREACH_HOURS.end };
const at = (iso: string) => new Date(iso);

describe('quiet hours', () => {
  it('moves a reminder due at 21:00 Shanghai to 08:00 the next morning', () => {
    expect(nextOutreachMoment(at('2026-12-01T21:00:00+08:00'), HOURS).toISOString()).toBe(
      at('2026-12-02T08:00:00+08:00').toISOString(),
    );
  });
  it('moves one due at 06:30 to 08:00 the same day and leaves 08:00 and 19:59 alone', () => {
    expect(nextOutreachMoment(at('2026-12-01T06:30:00+08:00'), HOURS).toISOString()).toBe(
      at('2026-12-01T08:00:00+08:00').toISOString(),
    );
    expect(nextOutreachMoment(at('2026-12-01T08:00:00+08:00'), HOURS).toISOString()).toBe(
      at('2026-12-01T08:00:00+08:00').toISOString(),
    );
    expect(nextOutreachMoment(at('2026-12-01T19:59:00+08:00'), HOURS).toISOString()).toBe(
      at('2026-12-01T19:59:00+08:00').toISOString(),
    );
    expect(nextOutreachMoment(at('2026-12-01T20:00:00+08:00'), HOURS).toISOString()).toBe(
      at('2026-12-02T08:00:00+08:00').toISOString(),
    );
  });
  it('allows every moment with 00:00–24:00 (the quick-look configuration)', () => {
    expect(nextOutreachMoment(at('2026-12-01T03:00:00+08:00'), { start: '00:00', end: '24:00' }).toISOString()).toBe(
      at('2026-12-01T03:00:00+08:00').toISOString(),
    );
  });
});

describe('the reminder ladder', () => {
  const expiresAt = at('2027-01-15T00:00:00+08:00');

  it('plans SMS and e-mail at 30, 15, 7 and 1 days before expiry, inside outreach hours', () => {
    const reminders = planReminders(expiresAt, at('2026-12-01T08:00:00+08:00'), DEFAULT_RENEWAL_REMINDERS, HOURS);
    expect(reminders).toHaveLength(8);
    expect(reminders.map((r) => `${r.offset}/${r.channel}`)).toEqual([
      'P30D/sms',
      'P30D/email',
      'P15D/sms',
      'P15D/email',
      'P7D/sms',
      'P7D/email',
      'P1D/sms',
      'P1D/email',
    ]);
    // Expiry at 00:00: the nominal instants fall at midnight and move to 08:00.
    expect(reminders[0]!.dueAt).toBe(at('2026-12-16T08:00:00+08:00').toISOString());
    expect(reminders.at(-1)!.dueAt).toBe(at('2027-01-14T08:00:00+08:00').toISOString());
    expect(reminders.every((r) => r.state === 'scheduled')).toBe(true);
  });

  it('skips offsets already past when the case opens, except the latest, which goes out at once', () => {
    const opened = at('2027-01-03T10:00:00+08:00'); // 12 days before expiry: P30D and P15D are past
    const reminders = planReminders(expiresAt, opened, DEFAULT_RENEWAL_REMINDERS, HOURS);
    const byOffset = (o: string) => reminders.filter((r) => r.offset === o);
    expect(byOffset('P30D').every((r) => r.state === 'skipped')).toBe(true);
    expect(byOffset('P15D').every((r) => r.state === 'scheduled' && r.dueAt === opened.toISOString())).toBe(true);
    expect(byOffset('P7D').every((r) => r.state === 'scheduled')).toBe(true);
  });

  it('skips a reminder that quiet hours would push past expiry', () => {
    const late = at('2026-12-02T07:00:00+08:00');
    const reminders = planReminders(
      late,
      at('2026-12-01T07:00:00+08:00'),
      { offsets: ['PT2H'], channels: ['sms'] },
      HOURS,
    );
    expect(reminders[0]!.state).toBe('skipped');
  });
});

describe('the call window', () => {
  const expiresAt = at('2027-01-15T00:00:00+08:00');
  const window = planCallWindow(expiresAt, at('2026-11-20T09:00:00+08:00'), DEFAULT_CALL_WINDOW, HOURS);
  const call = (iso: string, outcome: ContactAttempt['outcome'] = 'no_answer'): ContactAttempt => ({
    at: at(iso).toISOString(),
    channel: 'phone',
    outcome,
  });

  it('opens 40 days before expiry, at 08:00', () => {
    expect(window.opensAt).toBe(at('2026-12-06T08:00:00+08:00').toISOString());
  });

  it('refuses calls before the window, outside 08:00–20:00, and a fourth unanswered call the same Shanghai day', () => {
    expect(callRefusal({ outcome: 'reached' }, at('2026-12-05T10:00:00+08:00'), window, HOURS, [], false)).toMatch(
      /may start/,
    );
    expect(callRefusal({ outcome: 'reached' }, at('2026-12-10T20:30:00+08:00'), window, HOURS, [], false)).toMatch(
      /08:00 and 20:00/,
    );
    const three = [
      call('2026-12-10T09:00:00+08:00'),
      call('2026-12-10T11:00:00+08:00'),
      call('2026-12-10T15:00:00+08:00'),
    ];
    expect(callRefusal({ outcome: 'no_answer' }, at('2026-12-10T18:00:00+08:00'), window, HOURS, three, false)).toMatch(
      /at most 3 unanswered/,
    );
    expect(
      callRefusal({ outcome: 'reached' }, at('2026-12-10T18:00:00+08:00'), window, HOURS, three, false),
    ).toBeNull();
    expect(
      callRefusal({ outcome: 'no_answer' }, at('2026-12-11T08:30:00+08:00'), window, HOURS, three, false),
    ).toBeNull();
    expect(callRefusal({ outcome: 'reached' }, at('2026-12-10T10:00:00+08:00'), window, HOURS, [], true)).toMatch(
      /do-not-contact/,
    );
  });
});

describe('statuses', () => {
  it('moves scheduled → contacted on a reached customer and ends on declined; closed cases refuse actions', () => {
    expect(statusAfterContact('scheduled', 'reached')).toBe('contacted');
    expect(statusAfterContact('scheduled', 'no_answer')).toBeNull();
    expect(statusAfterContact('contacted', 'declined')).toBe('declined');
    expect(renewalActionAllowed('renewed', 'contact')).toBe(false);
    expect(renewalActionAllowed('lapsed', 'optOut')).toBe(false);
    expect(renewalActionAllowed('contacted', 'renewed')).toBe(true);
  });

  it('names a renewal case by policy number and the Shanghai date of expiry', () => {
    expect(renewalCaseId('PDAA2026000001', '2026-12-31T16:00:00Z')).toBe('PDAA2026000001-20270101');
  });
});

describe('the renewal offer (no-claim discount)', () => {
  it('gives 0.85 after one claim-free year, 0.6 after three or more, and loads a term with claims', () => {
    expect(
      renewalOffer({ product: 'commercial', premium: 4000, claimFreeYearsBefore: 0, claimsThisTerm: 0 }),
    ).toMatchObject({ premium: 3400, discount: 600, coefficient: 0.85, claimFreeYears: 1 });
    expect(
      renewalOffer({ product: 'commercial', premium: 4000, claimFreeYearsBefore: 5, claimsThisTerm: 0 }),
    ).toMatchObject({ premium: 2400, coefficient: 0.6 });
    expect(
      renewalOffer({ product: 'commercial', premium: 4000, claimFreeYearsBefore: 5, claimsThisTerm: 2 }),
    ).toMatchObject({ premium: 5000, discount: 0, coefficient: 1.25, claimFreeYears: 0 });
    expect(
      renewalOffer({ product: 'compulsory', premium: 950, claimFreeYearsBefore: 1, claimsThisTerm: 0 }),
    ).toMatchObject({ premium: 760, coefficient: 0.8 });
  });
  it('takes another rule as data', () => {
    const flat = { ...DEFAULT_OFFER_RULE, commercial: { claimFree: [0.5], claims: [3] } };
    expect(
      renewalOffer({ product: 'commercial', premium: 1000.01, claimFreeYearsBefore: 0, claimsThisTerm: 0 }, flat)
        .premium,
    ).toBe(500.01);
  });
});

describe('a policy row', () => {
  const body = {
    holder: { name: '张伟', phone: '13812341234', email: 'zhang@example.com' },
    vehicle: { plate: '粤B12345' },
    product: 'commercial',
    startsAt: '2026-01-15',
    expiresAt: '2027-01-15T00:00:00+08:00',
    premium: 4321.5,
  };

  it('accepts a valid policy and normalises its instants (a date is 00:00 Shanghai)', () => {
    const v = validateInsurancePolicyBody('PDAA2026000001', body);
    expect(v.ok && v.record).toMatchObject({
      policyNo: 'PDAA2026000001',
      plate: '粤B12345',
      startsAt: '2026-01-14T16:00:00.000Z',
      claimFreeYears: 0,
    });
  });

  it('names every field in error, never the values', () => {
    const v = validateInsurancePolicyRow({
      policyNo: 'bad no',
      ...body,
      holder: { name: '', phone: '1000999' },
      vehicle: { plate: 'XYZ' },
      product: 'life',
      premium: 1.234,
      startsAt: '2027-02-01',
      color: 'red',
    });
    expect(v.ok).toBe(false);
    const paths = v.ok ? [] : v.errors.map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining(['policyNo', 'holder.name', 'holder.phone', 'vehicle.plate', 'product', 'premium']),
    );
    expect(JSON.stringify(v)).not.toContain('1000999');
    expect(JSON.stringify(v)).toContain('color');
  });

  it('refuses a term that ends before it starts', () => {
    const v = validateInsurancePolicyBody('PDAA2026000001', { ...body, startsAt: '2027-02-01' });
    expect(v.ok ? [] : v.errors.map((e) => e.path)).toEqual(['expiresAt']);
  });

  it('reads a CSV record into the same shape (dotted header names)', () => {
    expect(csvHeaderProblems([...CSV_COLUMNS])).toEqual([]);
    expect(csvHeaderProblems(['policyNo', 'colour'])).toEqual(
      expect.arrayContaining(['unknown column "colour"', 'missing column holder.name']),
    );
    const row = csvRecordToRow(
      [
        'policyNo',
        'holder.name',
        'holder.phone',
        'holder.email',
        'vehicle.plate',
        'product',
        'startsAt',
        'expiresAt',
        'premium',
      ],
      ['PDAA2026000001', '张伟', '13812341234', '', '粤B12345', 'commercial', '2026-01-15', '2027-01-15', '4321.50'],
    );
    expect(validateInsurancePolicyRow(row).ok).toBe(true);
  });
});
