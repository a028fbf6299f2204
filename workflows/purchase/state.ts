/** The purchase's state inside the workflow: the view the API shows, plus what survives continue-as-new. */
import { isPurchaseFinished } from '../../domain/purchase';
import { caseSnapshot, type CaseSnapshot } from '../shared/journal';
import type { PurchaseInput, PurchaseView } from './contract';

export interface PurchaseState {
  view: PurchaseView;
  /** Journal sequence number: the last timeline event written. */
  seq: number;
  opened: boolean;
}

export interface PurchaseResume {
  state: PurchaseState;
}

export function newPurchaseState(input: PurchaseInput): PurchaseState {
  return {
    seq: 0,
    opened: false,
    view: {
      id: input.purchaseNo,
      purchaseNo: input.purchaseNo,
      type: 'purchase',
      status: 'quoting',
      team: input.team,
      assignee: input.assignee,
      escalationLevel: 0,
      policyNo: null,
      product: input.product,
      usage: input.usage,
      renewalOf: input.renewalOf,
      openedAt: input.openedAt,
      quote: null,
      application: null,
      reviews: [],
      reviewProblems: [],
      payment: null,
      premium: null,
      issuance: null,
      confirmedAt: null,
      renewalOutcome: null,
      abandonment: null,
      endedAt: null,
      clocks: [],
      createdAt: input.openedAt,
      updatedAt: input.openedAt,
    },
  };
}

export function isFinished(view: PurchaseView): boolean {
  return isPurchaseFinished(view.status);
}

export function purchaseSnapshot(view: PurchaseView): CaseSnapshot {
  return caseSnapshot(view, isFinished(view));
}
