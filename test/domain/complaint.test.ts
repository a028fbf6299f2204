import { describe, expect, it } from 'vitest';
import {
  afterCustomerResponse,
  COMPLAINT_CHANNELS,
  COMPLAINT_EXTENSION_STEPS,
  COMPLAINT_STATUSES,
  complaintActionAllowed,
  initialEscalationLevel,
  nextComplaintExtension,
  reviewRequestRefusal,
  WAITING_ON_CUSTOMER,
} from '../../domain/complaint';
import { durationToMillis } from '../../domain/duration';
import { DeadlinePolicyTable } from '../../domain/deadline-policies';
import {
  isSatisfied,
  satisfactionOfScores,
  satisfactionRate,
  SURVEY_STATUSES,
  surveyScoreProblem,
  surveyTransitionAllowed,
} from '../../domain/survey';

const allowedIn = (action: Parameters<typeof complaintActionAllowed>[1]) =>
  COMPLAINT_STATUSES.filter((s) => complaintActionAllowed(s, action));

describe('complaint transition table', () => {
  it('walks received → acknowledged → investigating → proposed → resolved → closed', () => {
    expect(allowedIn('acknowledge')).toEqual(['received']);
    expect(allowedIn('investigate')).toEqual(['acknowledged', 'investigating']);
    expect(allowedIn('propose')).toEqual(['investigating']);
    expect(allowedIn('customerResponse')).toEqual(['proposed']);
    expect(allowedIn('satisfaction')).toEqual(['resolved']);
  });

  it('a rejected proposal goes back to investigating, an accepted one resolves the complaint', () => {
    expect(afterCustomerResponse(false)).toBe('investigating');
    expect(afterCustomerResponse(true)).toBe('resolved');
    expect(complaintActionAllowed(afterCustomerResponse(false), 'propose')).toBe(true);
  });

  it('allows an extension only while the statutory decision is still open', () => {
    expect(allowedIn('extend')).toEqual(['received', 'acknowledged', 'investigating', 'proposed']);
  });

  it('a review (复核) is asked for while a communicated decision is not accepted, and decided under review only', () => {
    expect(allowedIn('requestReview')).toEqual(['investigating', 'proposed']);
    expect(allowedIn('decideReview')).toEqual(['under_review']);
    expect(allowedIn('extend')).not.toContain('under_review');
    expect(allowedIn('customerResponse')).not.toContain('under_review');
  });

  it('a review may be asked for only within complaint.reviewWindow after the decision was communicated, and once', () => {
    const communicated = {
      status: 'proposed' as const,
      decisionCommunicatedAt: '2026-03-02T02:00:00.000Z',
      reviewWindowEndsAt: '2026-04-01T16:00:00.000Z',
    };
    const within = Date.parse('2026-04-01T15:59:59.000Z');
    expect(reviewRequestRefusal(communicated, within)).toBeNull();
    expect(reviewRequestRefusal(communicated, Date.parse('2026-04-01T16:00:00.001Z'))).toMatch(/window ended/);
    expect(reviewRequestRefusal({ status: 'proposed', decisionCommunicatedAt: null }, within)).toMatch(
      /not been communicated/,
    );
    expect(reviewRequestRefusal({ ...communicated, status: 'resolved' }, within)).toMatch(/resolved/);
    expect(reviewRequestRefusal({ ...communicated, status: 'investigating', review: {} }, within)).toMatch(
      /reviewed .* already/,
    );
  });

  it('refuses every action but a note on a closed complaint', () => {
    for (const action of [
      'acknowledge',
      'investigate',
      'propose',
      'customerResponse',
      'extend',
      'satisfaction',
      'requestReview',
      'decideReview',
      'assign',
    ] as const) {
      expect(complaintActionAllowed('closed', action), action).toBe(false);
    }
    expect(complaintActionAllowed('closed', 'note')).toBe(true);
  });

  it('waits on the customer only while a proposal is out', () => {
    expect(WAITING_ON_CUSTOMER).toEqual(['proposed']);
  });

  it('starts regulator complaints at the supervisor level and every other channel at the agent level', () => {
    for (const channel of COMPLAINT_CHANNELS)
      expect(initialEscalationLevel(channel)).toBe(channel === 'regulator' ? 1 : 0);
  });
});

describe('complaint extensions', () => {
  it('a first extension needs a supervisor, a second a manager, and there is no third', () => {
    expect(nextComplaintExtension(0)).toMatchObject({ extension: 1, approver: 'supervisor' });
    expect(nextComplaintExtension(1)).toMatchObject({ extension: 2, approver: 'manager' });
    expect(nextComplaintExtension(2)).toBeNull();
  });

  it('extends to totals of 30 and then 60 days counted from receipt, statutory and in calendar days', () => {
    const table = new DeadlinePolicyTable();
    expect(durationToMillis(table.clock('complaint.decision').duration)).toBe(15 * 86_400_000);
    const totals = COMPLAINT_EXTENSION_STEPS.map((step) => {
      const policy = table.clock(step.totalPolicy);
      expect(policy).toMatchObject({ kind: 'statutory', mode: 'calendar_days' });
      expect(policy.basis).toContain('银行业保险业消费投诉处理管理办法');
      return durationToMillis(policy.duration) / 86_400_000;
    });
    expect(totals).toEqual([30, 60]);
  });
});

describe('satisfaction survey rules', () => {
  it('accepts whole scores from 1 to 5 only', () => {
    for (const score of [1, 2, 3, 4, 5]) expect(surveyScoreProblem(score)).toBeNull();
    for (const score of [0, 6, 3.5, Number.NaN]) expect(surveyScoreProblem(score)).not.toBeNull();
  });

  it('a survey is answered or left unanswered once, and never changes after', () => {
    expect(surveyTransitionAllowed('sent', 'answered')).toBe(true);
    expect(surveyTransitionAllowed('sent', 'unanswered')).toBe(true);
    for (const to of SURVEY_STATUSES) {
      expect(surveyTransitionAllowed('answered', to)).toBe(false);
      expect(surveyTransitionAllowed('unanswered', to)).toBe(false);
    }
  });

  it('satisfaction is surveys scoring 4–5 over surveys answered, and no figure without answers', () => {
    expect(isSatisfied(4)).toBe(true);
    expect(isSatisfied(3)).toBe(false);
    expect(satisfactionOfScores([5, 4, 3, 1])).toEqual({ value: 0.5, numerator: 2, denominator: 4 });
    expect(satisfactionRate({ satisfied: 0, answered: 0 })).toEqual({ value: null, numerator: 0, denominator: 0 });
  });
});
