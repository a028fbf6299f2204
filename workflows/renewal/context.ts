/** What the renewal's handlers and main flow share, and the moves every action makes. */
import type { RenewalStatus } from '../../domain/renewal';
import { type CaseContext, moveTo as moveCase, touched } from '../shared/case-context';
import { nowIso } from '../shared/journal';
import type { RenewalView } from './contract';
import type { RenewalState } from './state';

export interface RenewalContext extends CaseContext<RenewalView> {
  state: RenewalState;
  // Renewals run no clocks; the keeper is what the shared assign/note/calendar handlers expect.
}

export { touched };

/** The shared move, and a renewal that ended is stamped with when it ended. */
export function moveTo(
  ctx: RenewalContext,
  to: RenewalStatus,
  actor: string,
  detail: Record<string, unknown> = {},
): void {
  moveCase(ctx, to, actor, detail);
  if (to === 'renewed' || to === 'declined' || to === 'lapsed' || to === 'opted_out') ctx.state.view.endedAt = nowIso();
}

/** No more reminders or call tasks: what is still scheduled is cancelled, open tasks are done. */
export function stopOutreach({ state, journal }: RenewalContext, actor: string, reason: string): void {
  const cancelled = state.view.reminders.filter((r) => r.state === 'scheduled');
  for (const reminder of cancelled) reminder.state = 'cancelled';
  for (const task of state.view.tasks) task.done = true;
  journal.record(actor, 'outreach.stopped', { reason, remindersCancelled: cancelled.length });
}
