/** What the complaint's handlers and main flow share, and the two moves every action makes. */
import type { ComplaintStatus } from '../../domain/complaint';
import type { SurveySent } from '../../domain/survey';
import type { ClockKeeper } from '../shared/clocks';
import { type Journal, nowIso } from '../shared/journal';
import type { ComplaintView } from './contract';
import type { ComplaintState } from './state';

export interface ComplaintContext {
  state: ComplaintState;
  journal: Journal;
  clocks: ClockKeeper;
}

/** Records the transition and changes the status at once (before any await, so validators see it). */
export function moveTo(
  { state, journal }: ComplaintContext,
  to: ComplaintStatus,
  actor: string,
  detail: Record<string, unknown> = {},
): void {
  journal.record(actor, 'status.changed', { from: state.view.status, to, ...detail });
  state.view.status = to;
}

/** Stamps the change and writes it (case row, clocks, timeline, outbox) in one projection. */
export async function touched({ state, journal }: ComplaintContext): Promise<ComplaintView> {
  state.view.updatedAt = nowIso();
  await journal.flush();
  return state.view;
}

/** The survey as this complaint sends it: rates the assignee (else whoever resolved it). */
export function complaintSurvey(view: ComplaintView, resolvedBy: string): Omit<SurveySent, 'sentAt' | 'sentVia'> {
  return {
    caseId: view.id,
    caseType: 'complaint',
    team: view.team,
    agent: view.assignee ?? resolvedBy,
    channel: view.channel,
  };
}
