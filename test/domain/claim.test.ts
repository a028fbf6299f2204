import { describe, it, expect } from 'vitest';
import {
  CLAIM_STATUSES,
  claimActionAllowed,
  complianceExceptionDocuments,
  documentNoticePolicy,
  missingDocuments,
  requiredDocuments,
  verificationPolicy,
} from '../../domain/claim';
import { DeadlinePolicyTable } from '../../domain/deadline-policies';

describe('claim transition table', () => {
  it('allows payment only once the claim is approved', () => {
    const allowed = CLAIM_STATUSES.filter((status) => claimActionAllowed(status, 'payment'));
    expect(allowed).toEqual(['approved']);
  });

  it('allows a decision only under review', () => {
    expect(CLAIM_STATUSES.filter((status) => claimActionAllowed(status, 'decision'))).toEqual(['under_review']);
  });

  it('refuses every action but a note on a closed or withdrawn claim', () => {
    for (const status of ['closed', 'withdrawn'] as const) {
      expect(claimActionAllowed(status, 'note')).toBe(true);
      for (const action of [
        'contact',
        'documents',
        'assessment',
        'decision',
        'payment',
        'withdraw',
        'assign',
      ] as const) {
        expect(claimActionAllowed(status, action), `${action} on ${status}`).toBe(false);
      }
    }
  });

  it('allows withdrawal only before a decision', () => {
    expect(claimActionAllowed('under_review', 'withdraw')).toBe(true);
    expect(claimActionAllowed('approved', 'withdraw')).toBe(false);
    expect(claimActionAllowed('denied', 'withdraw')).toBe(false);
  });
});

describe('claim documents', () => {
  it('the missing list names everything not yet received, in checklist order', () => {
    const required = requiredDocuments('compulsory', false);
    expect(missingDocuments(required, ['id_card', 'driving_licence'])).toEqual([
      'accident_certificate',
      'vehicle_licence',
      'loss_assessment',
      'repair_invoice',
      'bank_account',
    ]);
    expect(missingDocuments(required, required)).toEqual([]);
  });

  it('injury claims also need medical records, other claims do not', () => {
    expect(requiredDocuments('commercial', true)).toContain('medical_records');
    expect(requiredDocuments('commercial', false)).not.toContain('medical_records');
    expect(requiredDocuments('compulsory', true)).toContain('medical_records');
  });

  it('the coverage picks a policy name that exists in the policy table', () => {
    const table = new DeadlinePolicyTable();
    for (const coverage of ['compulsory', 'commercial'] as const) {
      expect(table.has(documentNoticePolicy(coverage))).toBe(true);
      expect(table.has(verificationPolicy(coverage))).toBe(true);
    }
    expect(table.clock(documentNoticePolicy('compulsory')).kind).toBe('statutory');
  });
});

describe('further document requests (保险法 第二十二条: one consolidated notice)', () => {
  const atReport = requiredDocuments('commercial', false);
  it('a request caused by omission is a compliance exception for every document it names', () => {
    expect(
      complianceExceptionDocuments({
        documents: ['id_card'],
        cause: 'omitted',
        requiredAtReport: atReport,
        firstNotice: atReport,
      }),
    ).toEqual(['id_card']);
  });

  it('a request caused by new facts is no exception, unless it names a document the first notice should have listed', () => {
    const base = { cause: 'new_facts' as const, requiredAtReport: atReport };
    expect(complianceExceptionDocuments({ ...base, documents: ['medical_records'], firstNotice: atReport })).toEqual(
      [],
    );
    expect(complianceExceptionDocuments({ ...base, documents: ['id_card'], firstNotice: atReport })).toEqual([]);
    const shortNotice = atReport.filter((d) => d !== 'loss_assessment');
    expect(
      complianceExceptionDocuments({
        ...base,
        documents: ['loss_assessment', 'medical_records'],
        firstNotice: shortNotice,
      }),
    ).toEqual(['loss_assessment']);
  });

  it('is allowed while documents are collected or under review, never before the first notice or after the decision', () => {
    expect(CLAIM_STATUSES.filter((s) => claimActionAllowed(s, 'documentRequest'))).toEqual([
      'awaiting_documents',
      'under_review',
    ]);
  });
});
