/** The complaint's state inside the workflow: the view the API shows, plus what survives continue-as-new. */
import { initialEscalationLevel, TERMINAL_COMPLAINT_STATUSES } from '../../domain/complaint';
import type { SurveySent } from '../../domain/survey';
import { caseSnapshot, type CaseSnapshot } from '../shared/journal';
import type { ComplaintInput, ComplaintView } from './contract';

export interface ComplaintState {
  view: ComplaintView;
  /** Journal sequence number: the last timeline event written. */
  seq: number;
  opened: boolean;
  /** The survey as sent at resolution; every later survey write carries it. */
  survey: SurveySent | null;
  /** The survey's final outcome has been written to PostgreSQL. */
  surveyRecorded: boolean;
}

export interface ComplaintResume {
  state: ComplaintState;
}

export function newComplaintState(input: ComplaintInput): ComplaintState {
  return {
    seq: 0,
    opened: false,
    survey: null,
    surveyRecorded: false,
    view: {
      id: input.complaintNo,
      complaintNo: input.complaintNo,
      type: 'complaint',
      status: 'received',
      team: input.team,
      assignee: input.assignee,
      escalationLevel: initialEscalationLevel(input.channel),
      channel: input.channel,
      category: input.category,
      policyNo: input.policyNo,
      relatedCaseId: input.relatedCaseId,
      receivedAt: input.receivedAt,
      acknowledgement: null,
      investigation: [],
      proposals: [],
      extensions: [],
      decisionDueAt: null,
      decisionCommunicatedAt: null,
      reviewWindowEndsAt: null,
      review: null,
      resolvedAt: null,
      surveySentAt: null,
      satisfaction: null,
      clocks: [],
      createdAt: input.receivedAt,
      updatedAt: input.receivedAt,
    },
  };
}

export function isComplaintFinished(view: ComplaintView): boolean {
  return TERMINAL_COMPLAINT_STATUSES.includes(view.status);
}

export function complaintSnapshot(view: ComplaintView): CaseSnapshot {
  return caseSnapshot(view, isComplaintFinished(view));
}
