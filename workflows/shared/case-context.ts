/**
 * What every case workflow's handlers and main flow share — its state, journal and clocks — and the
 * two moves every action makes. Each case type names its own context (`PurchaseContext` ...) as this
 * shape over its own view, and adds what only it does on a move (e.g. stamping `endedAt`).
 */
import type { ClockKeeper } from './clocks';
import { type Journal, nowIso } from './journal';

/** The part of a case view the two moves read and write. */
export interface MovableView<Status extends string = string> {
  status: Status;
  updatedAt: string;
}

export interface CaseContext<View extends MovableView> {
  state: { view: View };
  journal: Journal;
  clocks: ClockKeeper;
}

/** Records the transition and changes the status at once (before any await, so validators see it). */
export function moveTo<View extends MovableView>(
  { state, journal }: Pick<CaseContext<View>, 'state' | 'journal'>,
  to: View['status'],
  actor: string,
  detail: Record<string, unknown> = {},
): void {
  journal.record(actor, 'status.changed', { from: state.view.status, to, ...detail });
  state.view.status = to;
}

/** Stamps the change and writes it (case row, clocks, timeline, outbox) in one projection. */
export async function touched<View extends MovableView>({
  state,
  journal,
}: Pick<CaseContext<View>, 'state' | 'journal'>): Promise<View> {
  state.view.updatedAt = nowIso();
  await journal.flush();
  return state.view;
}
