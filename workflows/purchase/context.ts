/** What the purchase's handlers and main flow share, and the moves every action makes. */
import { isPurchaseFinished, type PurchaseStatus } from '../../domain/purchase';
import { type CaseContext, moveTo as moveCase, touched } from '../shared/case-context';
import { nowIso } from '../shared/journal';
import type { PurchaseView } from './contract';
import type { PurchaseState } from './state';

export interface PurchaseContext extends CaseContext<PurchaseView> {
  state: PurchaseState;
}

export { touched };

/** The shared move, and a finished purchase is stamped with when it ended. */
export function moveTo(
  ctx: PurchaseContext,
  to: PurchaseStatus,
  actor: string,
  detail: Record<string, unknown> = {},
): void {
  moveCase(ctx, to, actor, detail);
  if (isPurchaseFinished(to)) ctx.state.view.endedAt = nowIso();
}

/** A warning instant at the same fraction of a shortened span as the clock's own (calendar time). */
export function warnAtFraction(clock: { startedAt: string; dueAt: string; warnAt: string }, dueAt: string): string {
  const start = Date.parse(clock.startedAt);
  const span = Date.parse(clock.dueAt) - start;
  const fraction = span > 0 ? (Date.parse(clock.warnAt) - start) / span : 0.8;
  return new Date(start + Math.round((Date.parse(dueAt) - start) * fraction)).toISOString();
}
