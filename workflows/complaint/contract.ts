/**
 * The complaint workflow's public contract: the API imports these objects, never raw names.
 * Personal data (the customer's name and phone, the complaint's description) is not part of any input
 * here: the API keeps it in PostgreSQL (case_personal_data, under `customer`), so Temporal history
 * never holds it. Texts staff write (notes, reasons, proposals) do travel through the workflow.
 *
 * Every update refuses with an ApplicationFailure whose `type` is one of REFUSAL (shared contract):
 * `InvalidStateTransition` → 409, `ActionForbidden` → 403, `InvalidCaseInput` → 422.
 * Besides these, the case answers the shared `assignCase` (supervisor+) and `addNote` (agent+) updates,
 * and the `notificationDelivered` signal (the delivery of a proposal or a review decision communicates it).
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { caseWorkflowId } from '../shared/contract';
import type { Actor, EscalationLevel } from '../../domain/case';
import type { Clock } from '../../domain/clock';
import type { ComplaintChannel, ComplaintStatus, ResolutionKind } from '../../domain/complaint';

export const complaintWorkflowId = (complaintNo: string): string => caseWorkflowId('complaint', complaintNo);

export interface ComplaintInput {
  complaintNo: string;
  team: string;
  assignee: string | null;
  channel: ComplaintChannel;
  /** A category code (e.g. `claim_delay`, `service_attitude`); never free text. */
  category: string;
  policyNo: string | null;
  /** Another case this complaint is about (e.g. the claim id). */
  relatedCaseId: string | null;
  /** When the complaint was received: the statutory decision period counts from here. */
  receivedAt: string;
  openedBy: Actor;
}

export interface ComplaintProposal {
  /** 1, 2, ... in the order proposed. */
  n: number;
  resolution: ResolutionKind;
  detail: string;
  amount: number | null;
  proposedBy: string;
  proposedAt: string;
  response: { accepted: boolean; comment: string | null; recordedBy: string; at: string } | null;
}

export interface ComplaintExtension {
  /** 1 (total 30 days, supervisor+) or 2 (total 60 days, manager+). */
  n: number;
  reason: string;
  approvedBy: string;
  approverRole: Actor['role'];
  at: string;
  /** The decision clock's due instant after this extension. */
  dueAt: string;
}

/** The review (复核) the complainant asked for, and the manager's decision on it. */
export interface ComplaintReview {
  reason: string;
  requestedBy: string;
  requestedAt: string;
  /** The complaint.reviewDecision due instant. */
  dueAt: string;
  decision: { upheld: boolean; detail: string; decidedBy: string; decidedAt: string } | null;
  /** When the review decision's notice reached the complainant (meets complaint.reviewDecision). */
  communicatedAt: string | null;
}

/** What `GET /complaints/{id}` shows (before personal data is merged in by the API). */
export interface ComplaintView {
  id: string;
  complaintNo: string;
  type: 'complaint';
  status: ComplaintStatus;
  team: string;
  assignee: string | null;
  escalationLevel: EscalationLevel;
  channel: ComplaintChannel;
  category: string;
  policyNo: string | null;
  relatedCaseId: string | null;
  receivedAt: string;
  acknowledgement: { message: string | null; by: string; at: string } | null;
  investigation: { note: string; by: string; at: string }[];
  proposals: ComplaintProposal[];
  extensions: ComplaintExtension[];
  /** The statutory decision due instant in force (moves with each extension). */
  decisionDueAt: string | null;
  /**
   * When the notice of the (latest) proposed resolution reached the complainant: the decision is
   * made and communicated (作出处理决定并告知), which meets complaint.decision. Null until a delivery
   * receipt arrives (and for proposals made before receipts were asked for).
   */
  decisionCommunicatedAt: string | null;
  /** The end of the complainant's window to ask for a review: complaint.reviewWindow after the communication. */
  reviewWindowEndsAt: string | null;
  review: ComplaintReview | null;
  resolvedAt: string | null;
  surveySentAt: string | null;
  /** How the case closed: the customer's score, or no answer by the follow-up clock. */
  satisfaction:
    | { outcome: 'answered'; score: number; comment: string | null; at: string }
    | { outcome: 'unanswered'; at: string }
    | null;
  clocks: Clock[];
  createdAt: string;
  updatedAt: string;
}

/** `POST /complaints/{id}/acknowledge` — agent+; status `received`. Meets complaint.acknowledge; tells the customer. */
export interface AcknowledgeInput {
  actor: Actor;
  message?: string;
}
/** `POST /complaints/{id}/investigation` — agent+; status `acknowledged` (→ investigating) or `investigating`. */
export interface InvestigationInput {
  actor: Actor;
  note: string;
}
/** `POST /complaints/{id}/proposal` — agent+; status `investigating` → `proposed`. `amount` ≥ 0, required for compensation and refund. */
export interface ProposalInput {
  actor: Actor;
  resolution: ResolutionKind;
  detail: string;
  amount?: number;
}
/** `POST /complaints/{id}/customer-response` — agent+; status `proposed` → `resolved` (accepted) or `investigating`. */
export interface CustomerResponseInput {
  actor: Actor;
  accepted: boolean;
  comment?: string;
}
/**
 * `POST /complaints/{id}/extension` — the first needs supervisor+, the second manager+ (else
 * ActionForbidden); a third, or any once the decision period has run out, InvalidStateTransition;
 * a blank reason InvalidCaseInput. Statuses received … proposed.
 */
export interface ExtensionInput {
  actor: Actor;
  reason: string;
}
/**
 * `POST /complaints/{id}/review-request` — agent+ (recording the complainant's request, 复核); status
 * `proposed` or `investigating`, only while complaint.reviewWindow after the decision was communicated
 * runs, once per complaint (else InvalidStateTransition) → `under_review` with complaint.reviewDecision.
 */
export interface ReviewRequestInput {
  actor: Actor;
  reason: string;
}
/**
 * `POST /complaints/{id}/review-decision` — manager+ (else ActionForbidden); status `under_review` →
 * `resolved`: the result is sent to the complainant (its delivery meets complaint.reviewDecision), the
 * survey goes out and complaint.followUp starts. `upheld`: the original decision stands.
 */
export interface ReviewDecisionInput {
  actor: Actor;
  upheld: boolean;
  detail: string;
}
/** `POST /complaints/{id}/satisfaction` — agent+; status `resolved` → `closed`. Score 1–5 (whole). */
export interface SatisfactionInput {
  actor: Actor;
  score: number;
  comment?: string;
}

export const acknowledgeComplaint = defineUpdate<ComplaintView, [AcknowledgeInput]>('acknowledgeComplaint');
export const recordInvestigation = defineUpdate<ComplaintView, [InvestigationInput]>('recordInvestigation');
export const proposeResolution = defineUpdate<ComplaintView, [ProposalInput]>('proposeResolution');
export const recordCustomerResponse = defineUpdate<ComplaintView, [CustomerResponseInput]>('recordCustomerResponse');
export const extendDecision = defineUpdate<ComplaintView, [ExtensionInput]>('extendDecision');
export const recordSatisfaction = defineUpdate<ComplaintView, [SatisfactionInput]>('recordSatisfaction');
export const requestReview = defineUpdate<ComplaintView, [ReviewRequestInput]>('requestReview');
export const decideReview = defineUpdate<ComplaintView, [ReviewDecisionInput]>('decideReview');
export const getComplaint = defineQuery<ComplaintView>('getComplaint');
/**
 * Sent with the start (update-with-start): completes once the complaint's first projection is in
 * PostgreSQL, so `POST /complaints` answers with the case as the workflow sees it in one round trip.
 */
export const complaintOpened = defineUpdate<ComplaintView, []>('complaintOpened');
