/** The claim's state inside the workflow: the view the API shows, plus what survives continue-as-new. */
import { requiredDocuments, TERMINAL_CLAIM_STATUSES } from '../../domain/claim';
import { caseSnapshot, type CaseSnapshot } from '../shared/journal';
import type { ClaimInput, ClaimView } from './contract';

export interface ClaimState {
  view: ClaimView;
  /** Journal sequence number: the last timeline event written. */
  seq: number;
  /** When the next document reminder is due while documents are missing. */
  nextReminderAt: string | null;
  opened: boolean;
  /**
   * The document notice's receipt when it arrived before the claim was open: after a worker crash
   * the opening is replayed while the dispatcher has already sent the notice. open() meets the clock
   * with it. Optional: states carried over from before it existed lack it.
   */
  earlyDocumentNoticeAt?: string | null;
}

/** Carried into the next run by continue-as-new. */
export interface ClaimResume {
  state: ClaimState;
}

export function newClaimState(input: ClaimInput): ClaimState {
  const required = requiredDocuments(input.coverage, input.injuries);
  return {
    seq: 0,
    nextReminderAt: null,
    opened: false,
    view: {
      id: input.claimNo,
      claimNo: input.claimNo,
      type: 'claim',
      status: 'reported',
      team: input.team,
      assignee: input.assignee,
      escalationLevel: 0,
      policyNo: input.policyNo,
      coverage: input.coverage,
      injuries: input.injuries,
      requiredDocuments: required,
      receivedDocuments: [],
      missingDocuments: required,
      documentNoticeSentAt: null,
      documentReminders: 0,
      firstContactAt: null,
      assessedAmount: null,
      decision: null,
      payment: null,
      withdrawal: null,
      tasks: [],
      clocks: [],
      createdAt: input.reportedAt,
      updatedAt: input.reportedAt,
    },
  };
}

export function isClaimFinished(view: ClaimView): boolean {
  return TERMINAL_CLAIM_STATUSES.includes(view.status);
}

export function claimSnapshot(view: ClaimView): CaseSnapshot {
  return caseSnapshot(view, isClaimFinished(view));
}
