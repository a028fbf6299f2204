/**
 * The renewal workflows' public contract: the API, the CLI and the sweep activity import these
 * objects, never raw names. Nothing here carries personal data: the holder's name, phone, e-mail and
 * plate stay in PostgreSQL (insurance_policies, case_personal_data); the notifier resolves them at delivery.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor, EscalationLevel } from '../../domain/case';
import type { Clock } from '../../domain/clock';
import type { InsuranceProduct } from '../../domain/insurance-policy';
import {
  renewalCaseId,
  type CallWindow,
  type ContactChannel,
  type ContactOutcome,
  type OutreachHours,
  type Reminder,
  type RenewalStatus,
} from '../../domain/renewal';
import type { RenewalOffer } from '../../domain/renewal-offer';
import { caseWorkflowId } from '../shared/contract';

/** `renewal-<policyNo>-<yyyymmdd of expiry, Asia/Shanghai>`: one workflow per policy term. */
export const renewalWorkflowId = (policyNo: string, expiresAt: string | Date): string =>
  caseWorkflowId('renewal', renewalCaseId(policyNo, expiresAt));

export interface RenewalInput {
  /** `<policyNo>-<yyyymmdd>`. */
  caseId: string;
  policyNo: string;
  product: InsuranceProduct;
  startsAt: string;
  expiresAt: string;
  team: string;
  openedAt: string;
}

/** What the renewal needs to run, computed once by an activity (policies and offer in force then). */
export interface RenewalPlan {
  reminders: Reminder[];
  callWindow: CallWindow;
  outreachHours: OutreachHours;
  offer: RenewalOffer;
  /** The holder's number or address is on the do-not-contact list already. */
  doNotContact: boolean;
}

export interface RenewalCall {
  at: string;
  channel: ContactChannel;
  outcome: ContactOutcome;
  note: string | null;
  by: string;
}

export interface RenewalTask {
  kind: 'call_for_renewal' | 'callback';
  createdAt: string;
  done: boolean;
}

/** What `GET /renewals/{id}` shows. */
export interface RenewalView {
  id: string;
  type: 'renewal';
  status: RenewalStatus;
  team: string;
  assignee: string | null;
  escalationLevel: EscalationLevel;
  policyNo: string;
  product: InsuranceProduct;
  startsAt: string;
  expiresAt: string;
  offer: RenewalOffer | null;
  reminders: Reminder[];
  callWindow: CallWindow | null;
  outreachHours: OutreachHours | null;
  calls: RenewalCall[];
  tasks: RenewalTask[];
  doNotContact: boolean;
  renewal: { newPolicyNo: string; premium: number; at: string; by: string } | null;
  endedAt: string | null;
  /** Renewals run no SLA clocks (the lapse at expiry is the case's own end); kept for the common case shape. */
  clocks: Clock[];
  createdAt: string;
  updatedAt: string;
}

export interface ContactInput {
  actor: Actor;
  channel: ContactChannel;
  outcome: ContactOutcome;
  note?: string;
}
export interface RenewedInput {
  actor: Actor;
  newPolicyNo: string;
  premium: number;
}
export interface OptOutInput {
  actor: Actor;
  reason?: string;
}

/** agent+. A phone attempt is refused (InvalidStateTransition) before the call window, outside outreach hours, to a do-not-contact number, or as the 4th unanswered call of a Shanghai day. */
export const recordContact = defineUpdate<RenewalView, [ContactInput]>('recordContact');
/** agent+: the customer renewed; reminders stop. */
export const recordRenewal = defineUpdate<RenewalView, [RenewedInput]>('recordRenewal');
/** agent+: the customer wants no more contact; outreach stops and the number goes on the do-not-contact list. */
export const optOut = defineUpdate<RenewalView, [OptOutInput]>('optOut');
export const getRenewal = defineQuery<RenewalView>('getRenewal');
/** Completes once the renewal's first projection is in PostgreSQL (for update-with-start). */
export const renewalOpened = defineUpdate<RenewalView, []>('renewalOpened');

// ---- the sweep ----------------------------------------------------------------------------------

export interface SweepCounts {
  started: number;
  existing: number;
}

export interface SweepInput {
  /** Policies per activity call (default 500). */
  pageSize?: number;
  /** Pages per run before continuing as new (default 50). */
  pagesPerRun?: number;
  /** Carried by continue-as-new. */
  progress?: SweepProgress;
}

export interface SweepProgress extends SweepCounts {
  /** The window, fixed when the sweep began: policies expiring in (from, until]. */
  from: string;
  until: string;
  cursor: { expiresAt: string; policyNo: string } | null;
}

export interface SweepPageInput {
  from: string | null;
  until: string | null;
  cursor: SweepProgress['cursor'];
  limit: number;
}

export interface SweepPageResult extends SweepCounts {
  from: string;
  until: string;
  /** Null when this was the last page. */
  cursor: SweepProgress['cursor'];
}
