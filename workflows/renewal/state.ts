/** The renewal's state inside the workflow: the view the API shows, plus what survives continue-as-new. */
import { isRenewalFinished } from '../../domain/renewal';
import { caseSnapshot, type CaseSnapshot } from '../shared/journal';
import type { RenewalInput, RenewalView } from './contract';

export interface RenewalState {
  view: RenewalView;
  /** Journal sequence number: the last timeline event written. */
  seq: number;
  opened: boolean;
  /** The call window has opened (and its task was created, or skipped for a do-not-contact number). */
  callWindowOpened: boolean;
  /** After a lapse in quiet hours: when the lapse notice may go out. */
  lapseNoticeAt: string | null;
}

/** Carried into the next run by continue-as-new. */
export interface RenewalResume {
  state: RenewalState;
}

export function newRenewalState(input: RenewalInput): RenewalState {
  return {
    seq: 0,
    opened: false,
    callWindowOpened: false,
    lapseNoticeAt: null,
    view: {
      id: input.caseId,
      type: 'renewal',
      status: 'scheduled',
      team: input.team,
      assignee: null,
      escalationLevel: 0,
      policyNo: input.policyNo,
      product: input.product,
      startsAt: input.startsAt,
      expiresAt: input.expiresAt,
      offer: null,
      reminders: [],
      callWindow: null,
      outreachHours: null,
      calls: [],
      tasks: [],
      doNotContact: false,
      renewal: null,
      endedAt: null,
      clocks: [],
      createdAt: input.openedAt,
      updatedAt: input.openedAt,
    },
  };
}

export function isFinished(view: RenewalView): boolean {
  return isRenewalFinished(view.status);
}

export function renewalSnapshot(view: RenewalView): CaseSnapshot {
  return caseSnapshot(view, isFinished(view));
}
