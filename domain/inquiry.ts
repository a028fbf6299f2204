/**
 * The inquiry (咨询) rules: answered on the spot → closed at once; otherwise open (answer clock) →
 * consulting (departments asked in parallel) → answered (the written answer is on its way) → closed
 * once it was delivered. The workflow's validators and the API ask `inquiryActionAllowed`.
 */
export const INQUIRY_CHANNELS = ['phone', 'email', 'letter', 'online', 'walk_in'] as const;
export type InquiryChannel = (typeof INQUIRY_CHANNELS)[number];

export const INQUIRY_STATUSES = ['open', 'consulting', 'answered', 'closed'] as const;
export type InquiryStatus = (typeof INQUIRY_STATUSES)[number];

/** Where an inquiry stands: its status plus the two facts the status word does not carry. */
export interface InquiryPosition {
  status: InquiryStatus;
  /** Waiting for information from the customer (the answer clock is paused). */
  awaitingCustomer: boolean;
  /** A supervisor has quality-reviewed the answer (once per inquiry). */
  reviewed: boolean;
}

export type InquiryAction =
  'consult' | 'consultationReply' | 'awaitCustomer' | 'customerReplied' | 'answer' | 'review' | 'assign' | 'note';

const BEFORE_ANSWER: readonly InquiryStatus[] = ['open', 'consulting'];

/** Which statuses allow which action. Anything not listed is refused (HTTP 409). */
const INQUIRY_ACTIONS: Record<InquiryAction, readonly InquiryStatus[]> = {
  consult: BEFORE_ANSWER,
  consultationReply: ['consulting'],
  awaitCustomer: BEFORE_ANSWER,
  customerReplied: BEFORE_ANSWER,
  answer: BEFORE_ANSWER,
  // Quality review needs an answer; it is allowed on closed inquiries (answer accuracy is judged later).
  review: ['answered', 'closed'],
  assign: ['open', 'consulting', 'answered'],
  note: INQUIRY_STATUSES,
};

export function inquiryActionAllowed(position: InquiryPosition, action: InquiryAction): boolean {
  if (!INQUIRY_ACTIONS[action].includes(position.status)) return false;
  switch (action) {
    case 'awaitCustomer':
      return !position.awaitingCustomer;
    case 'customerReplied':
      return position.awaitingCustomer;
    case 'review':
      return !position.reviewed;
    default:
      return true;
  }
}

/** The status a new consultation leads to. */
export const AFTER_CONSULT: InquiryStatus = 'consulting';

export const INQUIRY_CLOCKS = {
  answer: 'inquiry.answer',
  consultation: 'inquiry.consultation',
} as const;

/**
 * How long after closing an inquiry still accepts its quality review. The workflow stays open (and
 * costs nothing while it sleeps) for this window so the review is recorded like every other action;
 * a review after it is refused. A rulebook number: the monthly assessment reviews last month's answers.
 */
export const INQUIRY_REVIEW_WINDOW = 'P30D';
