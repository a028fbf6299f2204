/**
 * The inquiry workflow's public contract: the API imports these objects, never raw names.
 * The customer's name, phone and question are personal data and stay in PostgreSQL
 * (case_personal_data, under `customer`); texts staff write (answers, consultation questions and
 * replies, notes) travel through the workflow — the answer is sent to the customer from here.
 *
 * Every update refuses with an ApplicationFailure whose `type` is one of REFUSAL (shared contract):
 * `InvalidStateTransition` → 409, `ActionForbidden` → 403, `InvalidCaseInput` → 422.
 * Besides these, the case answers the shared `assignCase` (supervisor+) and `addNote` (agent+)
 * updates and the `notificationDelivered` signal (the answer's delivery receipt closes the inquiry).
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { caseWorkflowId } from '../shared/contract';
import type { Actor, EscalationLevel } from '../../domain/case';
import type { Clock } from '../../domain/clock';
import type { InquiryChannel, InquiryStatus } from '../../domain/inquiry';

export const inquiryWorkflowId = (inquiryNo: string): string => caseWorkflowId('inquiry', inquiryNo);

export interface InquiryInput {
  inquiryNo: string;
  team: string;
  assignee: string | null;
  channel: InquiryChannel;
  /** A topic code (e.g. `renewal`, `claim_progress`); the question itself is personal data. */
  topic: string;
  /** Given when the question was answered on the spot: the inquiry is recorded and closed at once. */
  answer: string | null;
  receivedAt: string;
  openedBy: Actor;
}

export interface Consultation {
  /** `c1`, `c2`, ... unique within the inquiry: the id `recordConsultationReply` names. */
  id: string;
  department: string;
  question: string;
  requestedBy: string;
  requestedAt: string;
  /** The department's inquiry.consultation clock (4 business hours). */
  clockId: string | null;
  dueAt: string | null;
  state: 'pending' | 'replied' | 'cancelled';
  /** The department missed its clock (escalated); stays true once set. */
  late: boolean;
  reply: { text: string; recordedBy: string; at: string } | null;
}

/** What `GET /inquiries/{id}` shows (before personal data is merged in by the API). */
export interface InquiryView {
  id: string;
  inquiryNo: string;
  type: 'inquiry';
  status: InquiryStatus;
  team: string;
  assignee: string | null;
  escalationLevel: EscalationLevel;
  channel: InquiryChannel;
  topic: string;
  answeredOnTheSpot: boolean;
  receivedAt: string;
  /** The answer time promised to the customer (the inquiry.answer clock's due instant when opened). */
  promisedBy: string | null;
  /** While waiting for information from the customer the answer clock is paused. */
  awaitingCustomer: { since: string; reason: string | null } | null;
  consultations: Consultation[];
  answer: { text: string; by: string; at: string } | null;
  answerDeliveredAt: string | null;
  closedAt: string | null;
  /** Quality review (answer accuracy): once, by a supervisor+, until `reviewOpenUntil`. */
  review: { correct: boolean; note: string | null; by: string; at: string } | null;
  reviewOpenUntil: string | null;
  surveySentAt: string | null;
  clocks: Clock[];
  createdAt: string;
  updatedAt: string;
}

/** `POST /inquiries/{id}/consultation` — agent+; `open`/`consulting` → `consulting`; one pending consultation per department. */
export interface ConsultationInput {
  actor: Actor;
  department: string;
  question: string;
}
/** A department's reply, recorded by staff — agent+; status `consulting`; the consultation must be pending. */
export interface ConsultationReplyInput {
  actor: Actor;
  consultationId: string;
  reply: string;
}
/** Waiting for the customer's information — agent+; `open`/`consulting`, not already waiting. Pauses inquiry.answer. */
export interface AwaitCustomerInput {
  actor: Actor;
  reason?: string;
}
/** The customer's information came in — agent+; only while waiting. Resumes inquiry.answer (paused time excluded). */
export interface CustomerRepliedInput {
  actor: Actor;
  note?: string;
}
/** `POST /inquiries/{id}/answer` — agent+; `open`/`consulting` → `answered`; the delivery receipt closes it. */
export interface AnswerInput {
  actor: Actor;
  answer: string;
}
/** `POST /inquiries/{id}/review` — supervisor+; `answered` or `closed`, once, within the review window. */
export interface ReviewInput {
  actor: Actor;
  correct: boolean;
  note?: string;
}

export const requestConsultation = defineUpdate<InquiryView, [ConsultationInput]>('requestConsultation');
export const recordConsultationReply = defineUpdate<InquiryView, [ConsultationReplyInput]>('recordConsultationReply');
export const awaitCustomer = defineUpdate<InquiryView, [AwaitCustomerInput]>('awaitCustomer');
export const customerReplied = defineUpdate<InquiryView, [CustomerRepliedInput]>('customerReplied');
export const answerInquiry = defineUpdate<InquiryView, [AnswerInput]>('answerInquiry');
export const reviewInquiry = defineUpdate<InquiryView, [ReviewInput]>('reviewInquiry');
export const getInquiry = defineQuery<InquiryView>('getInquiry');
/**
 * Sent with the start (update-with-start): completes once the inquiry's first projection is in
 * PostgreSQL, so `POST /inquiries` answers with the case as the workflow sees it in one round trip.
 */
export const inquiryOpened = defineUpdate<InquiryView, []>('inquiryOpened');
