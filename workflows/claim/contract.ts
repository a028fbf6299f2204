/**
 * The claim workflow's public contract: the API imports these objects, never raw names.
 * Personal data (reporter, plate, accident text) is not part of any input here: it stays in
 * PostgreSQL (case_personal_data), so Temporal history and the Web UI never hold it.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { caseWorkflowId } from '../shared/contract';
import type { Actor, EscalationLevel } from '../../domain/case';
import type { Clock } from '../../domain/clock';
import type { ClaimStatus, Coverage, DocumentRequestCause, DocumentType } from '../../domain/claim';

export const claimWorkflowId = (claimNo: string): string => caseWorkflowId('claim', claimNo);

export interface ClaimInput {
  claimNo: string;
  team: string;
  assignee: string | null;
  policyNo: string;
  coverage: Coverage;
  injuries: boolean;
  reportedAt: string;
  openedBy: Actor;
}

export interface ClaimDecision {
  outcome: 'approve' | 'deny';
  amount: number | null;
  reason: string | null;
  decidedBy: string;
  decidedAt: string;
}

export interface ClaimPayment {
  amount: number;
  reference: string;
  paidAt: string;
  recordedBy: string;
}

/** A piece of work the workflow hands to people (call the customer, pay the determinable part). */
export interface CaseTask {
  kind: 'call_customer_for_documents' | 'advance_payment';
  createdAt: string;
  done: boolean;
}

/** What `GET /claims/{id}` shows (before personal data is merged in by the API). */
export interface ClaimView {
  id: string;
  claimNo: string;
  type: 'claim';
  status: ClaimStatus;
  team: string;
  assignee: string | null;
  escalationLevel: EscalationLevel;
  policyNo: string;
  coverage: Coverage;
  injuries: boolean;
  requiredDocuments: DocumentType[];
  receivedDocuments: DocumentType[];
  missingDocuments: DocumentType[];
  documentNoticeSentAt: string | null;
  documentReminders: number;
  firstContactAt: string | null;
  assessedAmount: number | null;
  decision: ClaimDecision | null;
  payment: ClaimPayment | null;
  withdrawal: { reason: string; at: string } | null;
  tasks: CaseTask[];
  /** Further notices after the first (POST /claims/{id}/document-request); absent on claims from before them. */
  documentRequests?: ClaimDocumentRequest[];
  /** 合规异常: further requests for documents the first notice should have listed. */
  complianceExceptions?: ComplianceException[];
  clocks: Clock[];
  createdAt: string;
  updatedAt: string;
}

export interface ClaimDocumentRequest {
  n: number;
  documents: DocumentType[];
  cause: DocumentRequestCause;
  /** The new fact, or what was omitted. */
  note: string;
  requestedBy: string;
  at: string;
}

export interface ComplianceException {
  at: string;
  /** The documents the first, consolidated notice should have listed. */
  documents: DocumentType[];
  cause: DocumentRequestCause;
  actor: string;
}

export interface ContactInput {
  actor: Actor;
  outcome: 'reached' | 'no_answer';
  note?: string;
}
export interface DocumentsInput {
  actor: Actor;
  documents: DocumentType[];
}
/**
 * `POST /claims/{id}/document-request` — agent+; statuses `awaiting_documents`, `under_review` (→ back
 * to `awaiting_documents`, the verification clocks cancelled). A further notice to the customer; with
 * `omitted`, or for a document the first notice should have listed, a compliance exception.
 */
export interface DocumentRequestInput {
  actor: Actor;
  documents: DocumentType[];
  cause: DocumentRequestCause;
  note: string;
}
export interface AssessmentInput {
  actor: Actor;
  amount: number;
  note?: string;
}
export interface DecisionInput {
  actor: Actor;
  outcome: 'approve' | 'deny';
  amount?: number;
  reason?: string;
}
export interface PaymentInput {
  actor: Actor;
  amount: number;
  reference: string;
  paidAt?: string;
}
export interface WithdrawInput {
  actor: Actor;
  reason: string;
}

export const recordContact = defineUpdate<ClaimView, [ContactInput]>('recordContact');
export const addDocuments = defineUpdate<ClaimView, [DocumentsInput]>('addDocuments');
export const requestDocuments = defineUpdate<ClaimView, [DocumentRequestInput]>('requestDocuments');
export const recordAssessment = defineUpdate<ClaimView, [AssessmentInput]>('recordAssessment');
export const recordDecision = defineUpdate<ClaimView, [DecisionInput]>('recordDecision');
export const recordPayment = defineUpdate<ClaimView, [PaymentInput]>('recordPayment');
export const withdrawClaim = defineUpdate<ClaimView, [WithdrawInput]>('withdrawClaim');
export const getClaim = defineQuery<ClaimView>('getClaim');
/**
 * Sent with the start (update-with-start): completes once the claim's first projection is in
 * PostgreSQL, so `POST /claims` answers with the case as the workflow sees it in one round trip.
 */
export const claimOpened = defineUpdate<ClaimView, []>('claimOpened');
