import { describe, expect, it } from 'vitest';
import { INQUIRY_STATUSES, inquiryActionAllowed, type InquiryAction, type InquiryPosition } from '../../domain/inquiry';
import { DeadlinePolicyTable } from '../../domain/deadline-policies';

const at = (status: InquiryPosition['status'], flags: Partial<InquiryPosition> = {}): InquiryPosition => ({
  status,
  awaitingCustomer: false,
  reviewed: false,
  ...flags,
});
const allowedIn = (action: InquiryAction) => INQUIRY_STATUSES.filter((s) => inquiryActionAllowed(at(s), action));

describe('inquiry transition table', () => {
  it('consults and answers only before the answer; replies only while consulting', () => {
    expect(allowedIn('consult')).toEqual(['open', 'consulting']);
    expect(allowedIn('answer')).toEqual(['open', 'consulting']);
    expect(allowedIn('consultationReply')).toEqual(['consulting']);
  });

  it('waits for the customer once at a time, and takes the reply only while waiting', () => {
    expect(inquiryActionAllowed(at('open'), 'awaitCustomer')).toBe(true);
    expect(inquiryActionAllowed(at('open', { awaitingCustomer: true }), 'awaitCustomer')).toBe(false);
    expect(inquiryActionAllowed(at('open'), 'customerReplied')).toBe(false);
    expect(inquiryActionAllowed(at('consulting', { awaitingCustomer: true }), 'customerReplied')).toBe(true);
    expect(inquiryActionAllowed(at('answered', { awaitingCustomer: true }), 'customerReplied')).toBe(false);
  });

  it('quality review needs an answer, is allowed on closed inquiries, and happens once', () => {
    expect(allowedIn('review')).toEqual(['answered', 'closed']);
    expect(inquiryActionAllowed(at('closed', { reviewed: true }), 'review')).toBe(false);
  });

  it('a closed inquiry takes only its review and notes', () => {
    const open = (
      ['consult', 'consultationReply', 'awaitCustomer', 'customerReplied', 'answer', 'assign'] as const
    ).filter((a) => inquiryActionAllowed(at('closed'), a));
    expect(open).toEqual([]);
    expect(inquiryActionAllowed(at('closed'), 'note')).toBe(true);
  });

  it('uses the policy table clocks: one working day to answer, four business hours per consultation', () => {
    const table = new DeadlinePolicyTable();
    expect(table.clock('inquiry.answer')).toMatchObject({ kind: 'internal', mode: 'working_days', duration: 'P1D' });
    expect(table.clock('inquiry.consultation')).toMatchObject({
      kind: 'internal',
      mode: 'business_hours',
      duration: 'PT4H',
    });
  });
});
