/**
 * The complaint (投诉) rules: statuses, which action each status allows, the extension ladder and the
 * regulator channel. The workflow's update validators and the API both ask `complaintActionAllowed`,
 * so a 409 from the API and a refusal inside the workflow can never disagree.
 */
import type { EscalationLevel, Role } from './case';
import type { ClockPolicyName } from './deadline-policies';

export const COMPLAINT_STATUSES = [
  'received',
  'acknowledged',
  'investigating',
  'proposed',
  // 复核: the complainant disputes the communicated decision; a manager decides the review.
  'under_review',
  'resolved',
  'closed',
] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];

/** How the complaint reached the department; `regulator`: forwarded by the regulator (监管转办). */
export const COMPLAINT_CHANNELS = ['phone', 'email', 'letter', 'online', 'walk_in', 'regulator'] as const;
export type ComplaintChannel = (typeof COMPLAINT_CHANNELS)[number];

export const RESOLUTION_KINDS = [
  'compensation',
  'refund',
  'apology',
  'service_improvement',
  'claim_review',
  'other',
] as const;
export type ResolutionKind = (typeof RESOLUTION_KINDS)[number];

export type ComplaintAction =
  | 'acknowledge'
  | 'investigate'
  | 'propose'
  | 'customerResponse'
  | 'extend'
  | 'satisfaction'
  | 'requestReview'
  | 'decideReview'
  | 'assign'
  | 'note';

/** Before the customer has accepted a resolution: the statutory decision period is still running. */
const UNDECIDED: readonly ComplaintStatus[] = ['received', 'acknowledged', 'investigating', 'proposed'];

/** Which statuses allow which action. Anything not listed is refused (HTTP 409). */
const COMPLAINT_ACTIONS: Record<ComplaintAction, readonly ComplaintStatus[]> = {
  acknowledge: ['received'],
  // The first note moves an acknowledged complaint into investigation; later notes add to it.
  investigate: ['acknowledged', 'investigating'],
  propose: ['investigating'],
  customerResponse: ['proposed'],
  extend: UNDECIDED,
  satisfaction: ['resolved'],
  // A decision that has been communicated can be disputed while the customer has not accepted it:
  // instead of answering the proposal, or after rejecting it (see reviewRequestRefusal for the window).
  requestReview: ['proposed', 'investigating'],
  decideReview: ['under_review'],
  assign: ['received', 'acknowledged', 'investigating', 'proposed', 'under_review', 'resolved'],
  note: COMPLAINT_STATUSES,
};

export function complaintActionAllowed(status: ComplaintStatus, action: ComplaintAction): boolean {
  return COMPLAINT_ACTIONS[action].includes(status);
}

export const TERMINAL_COMPLAINT_STATUSES: readonly ComplaintStatus[] = ['closed'];

/** Accepted → resolved (follow-up starts); rejected → back to investigating (the statutory clock keeps running). */
export function afterCustomerResponse(accepted: boolean): ComplaintStatus {
  return accepted ? 'resolved' : 'investigating';
}

/** Statuses in which the case waits on the customer: its internal clocks pause (statutory ones never do). */
export const WAITING_ON_CUSTOMER: readonly ComplaintStatus[] = ['proposed'];

/**
 * The clock policies a complaint runs. `reviewWindow` is not a clock of its own: the end of the
 * complainant's window to ask for a review, counted from when the decision was communicated.
 */
export const COMPLAINT_CLOCKS = {
  acknowledge: 'complaint.acknowledge',
  decision: 'complaint.decision',
  followUp: 'complaint.followUp',
  reviewWindow: 'complaint.reviewWindow',
  reviewDecision: 'complaint.reviewDecision',
} as const satisfies Record<string, ClockPolicyName>;

/** What the review rule reads of a complaint. */
export interface ReviewFacts {
  status: ComplaintStatus;
  /** When the (latest) proposed resolution's notice reached the complainant; null: not yet. */
  decisionCommunicatedAt?: string | null;
  /** The end of the review window (complaint.reviewWindow counted from the communication). */
  reviewWindowEndsAt?: string | null;
  /** A review already asked for: there is one review (复核) per complaint. */
  review?: unknown;
}

/**
 * Why a review (复核) may not be asked for now, or null when it may: the decision must have been
 * communicated, the window (complaint.reviewWindow after the communication) must still run, and the
 * complaint may have had no review yet. Every refusal is a 409: the case's state does not allow it.
 */
export function reviewRequestRefusal(facts: ReviewFacts, nowMs: number): string | null {
  if (facts.review != null) return 'this complaint has been reviewed (复核) already';
  if (!complaintActionAllowed(facts.status, 'requestReview'))
    return `a review cannot be asked for while the complaint is ${facts.status}`;
  if (!facts.decisionCommunicatedAt || !facts.reviewWindowEndsAt)
    return 'the decision has not been communicated to the complainant yet';
  if (nowMs > Date.parse(facts.reviewWindowEndsAt))
    return `the review window ended at ${facts.reviewWindowEndsAt} (complaint.reviewWindow after the decision was communicated)`;
  return null;
}

/**
 * The extension ladder (银行业保险业消费投诉处理管理办法 2020: complex / particularly complex cases).
 * Each step names who may approve it and the policy whose duration is the new TOTAL period counted
 * from receipt (`complaint.decision.extended30` / `.extended60` in the policy table): the new due
 * instant is computed by the deadline engine from the receipt, not by adding days to the old due date,
 * so the civil-code rule for the period's last day applies to the extended period too. This is the one
 * ladder: the periods are the two policies' durations (30 and 60 days in the policy table), nothing else.
 */
export interface ComplaintExtensionStep {
  /** 1 for the first extension, 2 for the second. */
  extension: number;
  approver: Extract<Role, 'supervisor' | 'manager'>;
  totalPolicy: ClockPolicyName;
}

export const COMPLAINT_EXTENSION_STEPS: readonly ComplaintExtensionStep[] = [
  { extension: 1, approver: 'supervisor', totalPolicy: 'complaint.decision.extended30' },
  { extension: 2, approver: 'manager', totalPolicy: 'complaint.decision.extended60' },
];

/** The next extension after `granted` extensions, or null when none is left (a third is never allowed). */
export function nextComplaintExtension(granted: number): ComplaintExtensionStep | null {
  return COMPLAINT_EXTENSION_STEPS[granted] ?? null;
}

/** Complaints forwarded by the regulator start at the supervisor's level. */
export function initialEscalationLevel(channel: ComplaintChannel): EscalationLevel {
  return channel === 'regulator' ? 1 : 0;
}
