/** What the purchase's handlers and main flow share, and the moves every action makes. */
import { isPurchaseFinished, type PurchaseStatus } from '../../domain/purchase';
import type { ClockKeeper } from '../shared/clocks';
import { type Journal, nowIso } from '../shared/journal';
import type { PurchaseView } from './contract';
import type { PurchaseState } from './state';

export interface PurchaseContext {
  state: PurchaseState;
  journal: Journal;
  clocks: ClockKeeper;
}

/** Records the transition and changes the status at once (before any await, so validators see it). */
export function moveTo(
  { state, journal }: PurchaseContext,
  to: PurchaseStatus,
  actor: string,
  detail: Record<string, unknown> = {},
): void {
  journal.record(actor, 'status.changed', { from: state.view.status, to, ...detail });
  state.view.status = to;
  if (isPurchaseFinished(to)) state.view.endedAt = nowIso();
}

/** Stamps the change and writes it (case row, clocks, timeline, outbox) in one projection. */
export async function touched({ state, journal }: PurchaseContext): Promise<PurchaseView> {
  state.view.updatedAt = nowIso();
  await journal.flush();
  return state.view;
}

/** A warning instant at the same fraction of a shortened span as the clock's own (calendar time). */
export function warnAtFraction(clock: { startedAt: string; dueAt: string; warnAt: string }, dueAt: string): string {
  const start = Date.parse(clock.startedAt);
  const span = Date.parse(clock.dueAt) - start;
  const fraction = span > 0 ? (Date.parse(clock.warnAt) - start) / span : 0.8;
  return new Date(start + Math.round((Date.parse(dueAt) - start) * fraction)).toISOString();
}
