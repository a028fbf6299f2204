/**
 * The purchase workflow's public contract: the API imports these objects, never raw names.
 * Personal data — the customer's name and phone, the needs they describe, and the application form's
 * holder (ID number), VIN and engine number — is not part of any input here: the API keeps it in
 * PostgreSQL (case_personal_data). An application reaches the workflow as a `submissionId`, the key
 * under which the API stored that form; the workflow adopts a submission (an activity copies it to
 * the case's current `application` inside the database) only when its Update is accepted.
 *
 * Every update refuses with an ApplicationFailure whose `type` is one of REFUSAL (shared contract):
 * `InvalidStateTransition` → 409, `ActionForbidden` → 403, `InvalidCaseInput` → 422.
 * Besides these, the case answers the shared `assignCase` and `addNote` updates and the
 * `notificationDelivered` signal (the confirmation's delivery receipt confirms the purchase).
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor, EscalationLevel } from '../../domain/case';
import type { Clock } from '../../domain/clock';
import type { InsuranceProduct } from '../../domain/insurance-policy';
import type {
  ApplicationField,
  Coverage,
  DeliveryMethod,
  PaymentMethod,
  PurchaseProduct,
  PurchaseStatus,
} from '../../domain/purchase';
import { caseWorkflowId } from '../shared/contract';

export const purchaseWorkflowId = (purchaseNo: string): string => caseWorkflowId('purchase', purchaseNo);

/** The renewal (续保) a purchase was opened from: its issuance marks that renewal `renewed`. */
export interface RenewalLink {
  caseId: string;
  /** The expiring policy. */
  policyNo: string;
  product: InsuranceProduct;
  expiresAt: string;
  /** The renewal's offer (no-claim discount applied) when the purchase was opened. */
  offeredPremium: number | null;
}

export interface PurchaseInput {
  purchaseNo: string;
  team: string;
  assignee: string | null;
  product: PurchaseProduct;
  usage: 'private' | 'business' | null;
  renewalOf: RenewalLink | null;
  openedAt: string;
  openedBy: Actor;
}

export interface ReviewProblem {
  field: ApplicationField;
  message: string;
}

export interface PurchaseQuote {
  /** 1, 2, … : a new plan replaces the last one while the customer has not applied. */
  n: number;
  coverages: Coverage[];
  total: number;
  /** The purchase.quoteValidity due instant: unpaid by then, the purchase expires. */
  validUntil: string | null;
  by: string;
  at: string;
}

export interface PurchaseApplication {
  /** The stored form in force (case_personal_data); never the form itself. */
  submissionId: string;
  takenBy: string;
  at: string;
  /** When the customer wants cover to start (the issuance's effective time may differ). */
  startsAt: string;
  /** Everyone who keyed this form (the application and each correction): none of them may review it. */
  keyedBy: string[];
  corrections: number;
}

export interface PurchaseReview {
  n: number;
  approved: boolean;
  problems: ReviewProblem[];
  by: string;
  at: string;
}

export interface PurchasePayment {
  amount: number;
  method: PaymentMethod;
  /** The payment's reference (transaction or receipt number). */
  reference: string;
  invoiceNo: string | null;
  by: string;
  at: string;
}

export interface IssuedPolicy {
  policyNo: string;
  product: InsuranceProduct;
  premium: number;
  /** `written` into insurance_policies; `clash`: the number already belonged to another policy (left alone). */
  written: 'written' | 'clash' | null;
}

export interface PurchaseIssuance {
  policyNo: string;
  compulsoryPolicyNo: string | null;
  effectiveAt: string;
  expiresAt: string;
  delivery: DeliveryMethod;
  policies: IssuedPolicy[];
  by: string;
  at: string;
}

/** What `GET /purchases/{id}` shows (before personal data is merged in by the API). */
export interface PurchaseView {
  id: string;
  purchaseNo: string;
  type: 'purchase';
  status: PurchaseStatus;
  team: string;
  assignee: string | null;
  escalationLevel: EscalationLevel;
  /** The issued policy's number (the commercial one when both were bought); null until issued. */
  policyNo: string | null;
  product: PurchaseProduct;
  usage: 'private' | 'business' | null;
  renewalOf: RenewalLink | null;
  openedAt: string;
  quote: PurchaseQuote | null;
  application: PurchaseApplication | null;
  reviews: PurchaseReview[];
  /** What the last review asked the customer to correct; empty when nothing is outstanding. */
  reviewProblems: ReviewProblem[];
  payment: PurchasePayment | null;
  /** The quoted total, then the premium paid. */
  premium: number | null;
  issuance: PurchaseIssuance | null;
  confirmedAt: string | null;
  /** What issuance did to the renewal it came from. */
  renewalOutcome: { outcome: 'renewed' | 'refused'; reason: string | null; at: string } | null;
  abandonment: { reason: string; by: string; at: string } | null;
  endedAt: string | null;
  clocks: Clock[];
  createdAt: string;
  updatedAt: string;
}

/** `POST /purchases/{id}/quote` — agent+; `quoting`/`quoted` → `quoted`; the plan goes to the customer. */
export interface QuoteInput {
  actor: Actor;
  coverages: Coverage[];
  /** Shortens the quote's validity (never lengthens it past purchase.quoteValidity). */
  validUntil?: string;
}
/** `POST /purchases/{id}/application` — agent+; `quoted` → `under_review`; purchase.review starts. */
export interface ApplicationInput {
  actor: Actor;
  submissionId: string;
  startsAt: string;
}
/** `POST /purchases/{id}/review` — agent+, not anyone who keyed the form (four eyes: ActionForbidden). */
export interface ReviewInput {
  actor: Actor;
  approved: boolean;
  problems?: ReviewProblem[];
}
/** `POST /purchases/{id}/correction` — agent+; `needs_correction` → `under_review`; a new review clock. */
export interface CorrectionInput {
  actor: Actor;
  submissionId: string;
  startsAt?: string;
}
/** `POST /purchases/{id}/payment` — agent+; `awaiting_payment` → `paid`; the amount must equal the quoted total (else 409). */
export interface PaymentInput {
  actor: Actor;
  amount: number;
  method: PaymentMethod;
  reference: string;
  invoiceNo?: string;
}
/** `POST /purchases/{id}/issue` — supervisor+; `paid` → `issued`; the policy is written and the confirmation sent. */
export interface IssueInput {
  actor: Actor;
  policyNo: string;
  /** Required when both products were bought: the 交强险 policy's own number. */
  compulsoryPolicyNo?: string;
  effectiveAt: string;
  delivery: DeliveryMethod;
}
/** `POST /purchases/{id}/abandon` — agent+; before payment → `abandoned`. */
export interface AbandonInput {
  actor: Actor;
  reason: string;
}

export const quotePurchase = defineUpdate<PurchaseView, [QuoteInput]>('quotePurchase');
export const submitApplication = defineUpdate<PurchaseView, [ApplicationInput]>('submitApplication');
export const reviewApplication = defineUpdate<PurchaseView, [ReviewInput]>('reviewApplication');
export const submitCorrection = defineUpdate<PurchaseView, [CorrectionInput]>('submitCorrection');
export const recordPurchasePayment = defineUpdate<PurchaseView, [PaymentInput]>('recordPurchasePayment');
export const issuePolicy = defineUpdate<PurchaseView, [IssueInput]>('issuePolicy');
export const abandonPurchase = defineUpdate<PurchaseView, [AbandonInput]>('abandonPurchase');
export const getPurchase = defineQuery<PurchaseView>('getPurchase');
/** Completes once the purchase's first projection is in PostgreSQL (for update-with-start). */
export const purchaseOpened = defineUpdate<PurchaseView, []>('purchaseOpened');

/** A submission id: the API's key for one stored application form (no personal data). */
export const SUBMISSION_ID_PATTERN = /^s[0-9a-f]{16}$/;
