/**
 * The renewal (续保) of one policy term, on paper: opened by the sweep → plan the reminder ladder
 * and the call window (an activity, with the policies and offer in force then) → reminders by SMS
 * and e-mail before expiry, never in quiet hours → agents call inside the call window → the customer
 * renews, declines or opts out; without renewal the case lapses at expiry. Agent actions arrive as
 * Updates (handlers.ts); every reminder, call, outcome and end is a timeline event.
 */
import { condition, continueAsNew } from '@temporalio/workflow';
import { historyTooLong, serveView, settleRun } from '../shared/case-run';
import { caseActivities } from '../shared/activities';
import { ClockKeeper } from '../shared/clocks';
import { Journal, nowIso } from '../shared/journal';
import { renewalActivities } from './activities';
import type { RenewalContext } from './context';
import { getRenewal, renewalOpened, type RenewalInput, type RenewalView } from './contract';
import { registerRenewalHandlers } from './handlers';
import { lapseAtExpiry, openCallWindow, remindBeforeExpiry, sendLapseNotice } from './outreach';
import { isFinished, newRenewalState, renewalSnapshot, type RenewalResume } from './state';

export async function renewalWorkflow(input: RenewalInput, resume?: RenewalResume): Promise<RenewalView> {
  const state = resume?.state ?? newRenewalState(input);
  const journal = new Journal(() => renewalSnapshot(state.view), caseActivities, state.seq);
  const clocks = new ClockKeeper(state.view, journal, caseActivities);
  const ctx: RenewalContext = { state, journal, clocks };

  serveView(state, getRenewal, renewalOpened);
  registerRenewalHandlers(ctx);

  if (!resume) await open(ctx, input);
  void remindBeforeExpiry(ctx);
  void openCallWindow(ctx);
  void lapseAtExpiry(ctx);

  await condition(() => isFinished(state.view) || historyTooLong());
  await settleRun(state, journal, async () => {
    if (isFinished(state.view)) await sendLapseNotice(ctx);
  });
  if (!isFinished(state.view)) {
    return continueAsNew<typeof renewalWorkflow>(input, { state });
  }
  return state.view;
}

async function open({ state, journal }: RenewalContext, input: RenewalInput): Promise<void> {
  const { view } = state;
  journal.record('system', 'case.opened', {
    type: 'renewal',
    policyNo: view.policyNo,
    product: view.product,
    expiresAt: view.expiresAt,
    team: view.team,
  });
  const plan = await renewalActivities.planRenewal({
    policyNo: input.policyNo,
    product: input.product,
    startsAt: input.startsAt,
    expiresAt: input.expiresAt,
    openedAt: input.openedAt,
  });
  view.reminders = plan.reminders;
  view.callWindow = plan.callWindow;
  view.outreachHours = plan.outreachHours;
  view.offer = plan.offer;
  view.doNotContact = plan.doNotContact;
  journal.record('system', 'renewal.planned', {
    reminders: plan.reminders.map(({ offset, channel, dueAt, state: s }) => ({ offset, channel, dueAt, state: s })),
    callWindowOpensAt: plan.callWindow.opensAt,
    premium: plan.offer.premium,
    discount: plan.offer.discount,
    doNotContact: plan.doNotContact,
  });
  view.updatedAt = nowIso();
  await journal.flush();
  state.opened = true;
}
