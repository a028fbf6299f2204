/**
 * The purchase (投保), on paper: opened with the customer's needs (quoting) → the plan is quoted and
 * sent (quoted; purchase.quoteValidity, 15 days) → the application form is taken (under_review;
 * purchase.review, 1 working day) → a second person reviews it: approved (awaiting_payment;
 * purchase.payment, 3 days and never past the quote) or sent back with each field to correct
 * (needs_correction → under_review again) → the premium, equal to the quoted total (paid) → the
 * policy is issued and written for next year's renewal sweep, the confirmation goes out (issued;
 * purchase.confirmation, 1 working day) → delivered (confirmed). Before payment the customer may
 * walk away (abandoned); a quote that runs out unpaid ends the purchase (expired).
 */
import { condition, continueAsNew } from '@temporalio/workflow';
import type { Clock } from '../../domain/clock';
import { PURCHASE_CLOCKS } from '../../domain/purchase';
import { historyTooLong, serveView, settleRun } from '../shared/case-run';
import { caseActivities } from '../shared/activities';
import { ClockKeeper } from '../shared/clocks';
import { Journal, nowIso } from '../shared/journal';
import { moveTo, type PurchaseContext, touched } from './context';
import { getPurchase, purchaseOpened, type PurchaseInput, type PurchaseView } from './contract';
import { registerPurchaseHandlers } from './handlers';
import { isFinished, newPurchaseState, purchaseSnapshot, type PurchaseResume } from './state';

export async function purchaseWorkflow(input: PurchaseInput, resume?: PurchaseResume): Promise<PurchaseView> {
  const state = resume?.state ?? newPurchaseState(input);
  const journal = new Journal(() => purchaseSnapshot(state.view), caseActivities, state.seq);
  const clocks: ClockKeeper = new ClockKeeper(state.view, journal, caseActivities, {
    onDue: (clock) => expireUnpaid(ctx, clock),
  });
  const ctx: PurchaseContext = { state, journal, clocks };

  serveView(state, getPurchase, purchaseOpened);
  registerPurchaseHandlers(ctx);

  if (resume) clocks.resume();
  else await open(ctx, input);

  await condition(() => isFinished(state.view) || historyTooLong());
  await settleRun(state, journal);
  if (!isFinished(state.view)) {
    return continueAsNew<typeof purchaseWorkflow>(input, { state });
  }
  return state.view;
}

async function open(ctx: PurchaseContext, input: PurchaseInput): Promise<void> {
  const { state, journal } = ctx;
  const { view } = state;
  journal.record(input.openedBy.id, 'case.opened', {
    type: 'purchase',
    product: view.product,
    team: view.team,
    renewalOf: view.renewalOf?.caseId ?? null,
  });
  view.updatedAt = nowIso();
  await touched(ctx);
  state.opened = true;
}

/**
 * The quote ran out before the premium was paid: the purchase expires (the plan's price no longer
 * holds) and its clocks end. The supervisor was warned at the quote's warning; the end itself is the
 * customer's choice as much as the desk's, so it is recorded as an expiry, not a breach.
 */
function expireUnpaid(ctx: PurchaseContext, clock: Clock): void {
  const { view } = ctx.state;
  if (clock.policy !== PURCHASE_CLOCKS.quoteValidity || view.payment !== null || isFinished(view)) return;
  ctx.clocks.cancelAll('system');
  ctx.journal.record('system', 'quote.expired', { clock: clock.id, validUntil: clock.dueAt });
  moveTo(ctx, 'expired', 'system', { reason: 'quote_expired' });
  ctx.journal.notify('expired', {
    channel: 'sms',
    template: 'purchase.expired',
    recipient: { kind: 'customer' },
    params: { caseId: view.id, validUntil: clock.dueAt },
  });
  view.updatedAt = nowIso();
}
