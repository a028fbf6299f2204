/** What the renewal's handlers and main flow share, and the moves every action makes. */
import type { RenewalStatus } from '../../domain/renewal';
import type { ClockKeeper } from '../shared/clocks';
import { type Journal, nowIso } from '../shared/journal';
import type { RenewalView } from './contract';
import type { RenewalState } from './state';

export interface RenewalContext {
  state: RenewalState;
  journal: Journal;
  /** Renewals run no clocks; the keeper is what the shared assign/note/calendar handlers expect. */
  clocks: ClockKeeper;
}

/** Records the transition and changes the status at once (before any await, so validators see it). */
export function moveTo(
  { state, journal }: RenewalContext,
  to: RenewalStatus,
  actor: string,
  detail: Record<string, unknown> = {},
): void {
  journal.record(actor, 'status.changed', { from: state.view.status, to, ...detail });
  state.view.status = to;
  if (to === 'renewed' || to === 'declined' || to === 'lapsed' || to === 'opted_out') state.view.endedAt = nowIso();
}

/** No more reminders or call tasks: what is still scheduled is cancelled, open tasks are done. */
export function stopOutreach({ state, journal }: RenewalContext, actor: string, reason: string): void {
  const cancelled = state.view.reminders.filter((r) => r.state === 'scheduled');
  for (const reminder of cancelled) reminder.state = 'cancelled';
  for (const task of state.view.tasks) task.done = true;
  journal.record(actor, 'outreach.stopped', { reason, remindersCancelled: cancelled.length });
}

/** Stamps the change and writes it (case row, timeline, outbox) in one projection. */
export async function touched({ state, journal }: RenewalContext): Promise<RenewalView> {
  state.view.updatedAt = nowIso();
  await journal.flush();
  return state.view;
}
