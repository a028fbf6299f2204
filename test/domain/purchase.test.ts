import { describe, expect, it } from 'vitest';
import { DeadlinePolicyTable } from '../../domain/deadline-policies';
import {
  type Coverage,
  paysQuote,
  policiesIssued,
  policyExpiry,
  purchaseActionAllowed,
  PURCHASE_STATUSES,
  quoteProblem,
  quoteTotal,
} from '../../domain/purchase';
import { renderNotification } from '../../notifications/templates';

const cover = (code: string, premium: number): Coverage => ({ code, sumInsured: null, deductible: null, premium });

describe('purchase rules', () => {
  it('allows each step only in its status, and abandoning only before the premium is paid', () => {
    expect(purchaseActionAllowed('quoting', 'quote')).toBe(true);
    expect(purchaseActionAllowed('quoted', 'quote')).toBe(true);
    expect(purchaseActionAllowed('quoting', 'application')).toBe(false);
    expect(purchaseActionAllowed('under_review', 'review')).toBe(true);
    expect(purchaseActionAllowed('needs_correction', 'correction')).toBe(true);
    expect(purchaseActionAllowed('needs_correction', 'payment')).toBe(false);
    expect(purchaseActionAllowed('awaiting_payment', 'payment')).toBe(true);
    expect(purchaseActionAllowed('paid', 'issue')).toBe(true);
    expect(purchaseActionAllowed('paid', 'abandon')).toBe(false);
    for (const ended of ['confirmed', 'abandoned', 'expired'] as const)
      for (const action of ['quote', 'application', 'review', 'payment', 'issue', 'abandon', 'assign'] as const)
        expect(purchaseActionAllowed(ended, action), `${ended} ${action}`).toBe(false);
    for (const status of PURCHASE_STATUSES) expect(purchaseActionAllowed(status, 'note')).toBe(true);
  });

  it('totals a plan in cents and takes only the exact total as payment', () => {
    const plan = [cover('vehicle_damage', 0.1), cover('third_party', 0.2)];
    expect(quoteTotal(plan)).toBe(0.3);
    expect(paysQuote(0.3, quoteTotal(plan))).toBe(true);
    expect(paysQuote(0.29, 0.3)).toBe(false);
  });

  it('refuses a plan that does not fit the product', () => {
    expect(quoteProblem('compulsory', [cover('compulsory', 950)])).toBeNull();
    expect(quoteProblem('compulsory', [cover('compulsory', 950), cover('glass', 100)])).toMatch(/only the compulsory/);
    expect(quoteProblem('commercial', [cover('compulsory', 950)])).toMatch(/no compulsory/);
    expect(quoteProblem('both', [cover('glass', 100)])).toMatch(/both/);
    expect(quoteProblem('commercial', [cover('glass', 100), cover('glass', 50)])).toMatch(/once/);
    expect(quoteProblem('commercial', [])).toMatch(/at least one/);
    expect(quoteProblem('commercial', [cover('glass', 10.005)])).toMatch(/2 decimals/);
  });

  it('issues one policy per product, each with its part of the premium, for a year', () => {
    const plan = [cover('compulsory', 950), cover('vehicle_damage', 2400.5)];
    expect(policiesIssued('both', { policyNo: 'PD1', compulsoryPolicyNo: 'PC1' }, plan)).toEqual([
      { policyNo: 'PD1', product: 'commercial', premium: 2400.5 },
      { policyNo: 'PC1', product: 'compulsory', premium: 950 },
    ]);
    expect(policyExpiry('2026-12-02T16:00:00.000Z')).toBe('2027-12-02T16:00:00.000Z');
  });

  it('has the four purchase clocks with their basis, internal', () => {
    const table = new DeadlinePolicyTable();
    expect(table.clock('purchase.quoteValidity')).toMatchObject({ duration: 'P15D', kind: 'internal' });
    expect(table.clock('purchase.review')).toMatchObject({ duration: 'P1D', mode: 'working_days' });
    expect(table.clock('purchase.payment')).toMatchObject({ duration: 'P3D', mode: 'calendar_days' });
    expect(table.clock('purchase.confirmation').basis).toMatch(/投保确认/);
  });

  it('tells the customer the plan and each field to correct in Chinese', () => {
    const quote = renderNotification('purchase.quote', {
      caseId: 'PU1',
      product: 'commercial',
      coverages: [{ code: 'vehicle_damage', sumInsured: 150000, deductible: 0, premium: 2400.5 }],
      total: 2400.5,
      validUntil: '2026-12-17T16:00:00.000Z',
    });
    expect(quote.body).toContain('车损险，保额 150000.00 元，免赔额 0.00 元，保费 2400.50 元');
    const fix = renderNotification('purchase.correctionNotice', {
      caseId: 'PU1',
      problems: [{ field: 'holder.idNumber', message: '校验位错误' }],
    });
    expect(fix.body).toContain('投保人身份证号：校验位错误');
  });
});
