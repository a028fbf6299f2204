/** The inquiry's state inside the workflow: the view the API shows, plus what survives continue-as-new. */
import type { InquiryPosition } from '../../domain/inquiry';
import { caseSnapshot, type CaseSnapshot } from '../shared/journal';
import type { InquiryInput, InquiryView } from './contract';

export interface InquiryState {
  view: InquiryView;
  /** Journal sequence number: the last timeline event written. */
  seq: number;
  opened: boolean;
  /** The quality-review window has passed: the workflow ends and a review is refused. */
  reviewWindowEnded: boolean;
  /**
   * The answer's delivery receipt when it arrived before the answer clock was open (an answer
   * given while the opening still scheduled the clock): open() meets the clock and closes with it.
   * Optional: states carried over from before it existed lack it.
   */
  earlyAnswerDeliveredAt?: string | null;
}

export interface InquiryResume {
  state: InquiryState;
}

export function newInquiryState(input: InquiryInput): InquiryState {
  return {
    seq: 0,
    opened: false,
    reviewWindowEnded: false,
    view: {
      id: input.inquiryNo,
      inquiryNo: input.inquiryNo,
      type: 'inquiry',
      status: 'open',
      team: input.team,
      assignee: input.assignee,
      escalationLevel: 0,
      channel: input.channel,
      topic: input.topic,
      answeredOnTheSpot: input.answer !== null,
      receivedAt: input.receivedAt,
      promisedBy: null,
      awaitingCustomer: null,
      consultations: [],
      answer: null,
      answerDeliveredAt: null,
      closedAt: null,
      review: null,
      reviewOpenUntil: null,
      surveySentAt: null,
      clocks: [],
      createdAt: input.receivedAt,
      updatedAt: input.receivedAt,
    },
  };
}

export function inquiryPosition(state: InquiryState): InquiryPosition {
  return {
    status: state.view.status,
    awaitingCustomer: state.view.awaitingCustomer !== null,
    reviewed: state.view.review !== null,
  };
}

/** The workflow's work is done: closed, and reviewed or past the review window. */
export function isInquiryFinished(state: InquiryState): boolean {
  return state.view.status === 'closed' && (state.view.review !== null || state.reviewWindowEnded);
}

export function inquirySnapshot(view: InquiryView): CaseSnapshot {
  // Closed for lists and KPIs as soon as the status is; the workflow may still await the review.
  return caseSnapshot(view, view.status === 'closed');
}
