/**
 * What the renewal does on its own while it waits for the customer: the reminder ladder (提前提醒,
 * each reminder carrying the offer), the agents' call task when the call window opens, and the lapse
 * at expiry. Each loop reads only the case state, so after continue-as-new it picks up where it stood;
 * they wait on the case's one timer (`clocks.sleepUntil`).
 */
import { sleep } from '@temporalio/workflow';
import { nextOutreachMoment, nextReminders, type Reminder } from '../../domain/renewal';
import type { RenewalOffer } from '../../domain/renewal-offer';
import { untilInstant } from '../shared/clocks';
import { nowIso } from '../shared/journal';
import { renewalActivities } from './activities';
import { moveTo, type RenewalContext, stopOutreach, touched } from './context';
import { isFinished } from './state';

export async function remindBeforeExpiry(ctx: RenewalContext): Promise<void> {
  const { view } = ctx.state;
  for (;;) {
    const due = nextReminders(view.reminders);
    const first = due[0];
    if (!first || isFinished(view)) return;
    const stopped = await ctx.clocks.sleepUntil(Date.parse(first.dueAt), () => isFinished(view));
    if (stopped) return;
    // The offer is computed again (a claim this term changes it) and the list asked again, at sending time.
    const policy = {
      policyNo: view.policyNo,
      product: view.product,
      startsAt: view.startsAt,
      expiresAt: view.expiresAt,
    };
    const [offer, blocked] = await Promise.all([
      renewalActivities.renewalOffer(policy),
      renewalActivities.isDoNotContact({ policyNo: view.policyNo }),
    ]);
    if (isFinished(view)) return;
    view.offer = offer;
    view.doNotContact = view.doNotContact || blocked;
    for (const reminder of due) sendReminder(ctx, reminder, offer);
    await touched(ctx);
  }
}

function sendReminder({ state, journal }: RenewalContext, reminder: Reminder, offer: RenewalOffer): void {
  const { view } = state;
  if (reminder.state !== 'scheduled') return;
  const detail = { offset: reminder.offset, channel: reminder.channel, dueAt: reminder.dueAt };
  if (view.doNotContact) {
    reminder.state = 'suppressed';
    journal.record('system', 'reminder.suppressed', { ...detail, reason: 'do_not_contact' });
    return;
  }
  reminder.state = 'sent';
  reminder.sentAt = nowIso();
  journal.notify(`reminder:${reminder.offset}:${reminder.channel}`, {
    channel: reminder.channel,
    template: 'renewal.reminder',
    recipient: { kind: 'customer' },
    params: {
      caseId: view.id,
      policyNo: view.policyNo,
      product: view.product,
      expiresAt: view.expiresAt,
      premium: offer.premium,
      basePremium: offer.basePremium,
      discount: offer.discount,
      coefficient: offer.coefficient,
      claimFreeYears: offer.claimFreeYears,
    },
  });
  journal.record('system', 'reminder.sent', { ...detail, premium: offer.premium, discount: offer.discount });
}

/** 40 days before expiry (inside outreach hours) the agents get a task to call the holder. */
export async function openCallWindow(ctx: RenewalContext): Promise<void> {
  const { state, journal } = ctx;
  const { view } = state;
  const window = view.callWindow;
  if (!window || state.callWindowOpened || isFinished(view)) return;
  if (Date.parse(window.opensAt) > Date.now()) {
    const stopped = await ctx.clocks.sleepUntil(Date.parse(window.opensAt), () => isFinished(view));
    if (stopped) return;
  }
  state.callWindowOpened = true;
  if (view.doNotContact) {
    journal.record('system', 'task.skipped', { task: 'call_for_renewal', reason: 'do_not_contact' });
  } else {
    view.tasks.push({ kind: 'call_for_renewal', createdAt: nowIso(), done: false });
    journal.record('system', 'task.created', {
      task: 'call_for_renewal',
      opensAt: window.opensAt,
      maxUnansweredPerDay: window.maxUnansweredPerDay,
    });
    journal.notify('task:call_for_renewal', {
      channel: 'internal',
      template: 'renewal.callTask',
      recipient: view.assignee
        ? { kind: 'staff', staffId: view.assignee }
        : { kind: 'role', role: 'agent', team: view.team },
      params: {
        caseId: view.id,
        policyNo: view.policyNo,
        expiresAt: view.expiresAt,
        premium: view.offer?.premium ?? null,
      },
    });
  }
  await touched(ctx);
}

/** renewal.lapse: at expiry without renewal the case ends `lapsed`. */
export async function lapseAtExpiry(ctx: RenewalContext): Promise<void> {
  const { view } = ctx.state;
  const stopped = await ctx.clocks.sleepUntil(Date.parse(view.expiresAt), () => isFinished(view));
  if (stopped) return;
  moveTo(ctx, 'lapsed', 'system', { expiresAt: view.expiresAt });
  stopOutreach(ctx, 'system', 'lapsed');
  // The notice to the holder waits for outreach hours like every other message (see sendLapseNotice).
  if (!view.doNotContact && view.outreachHours)
    ctx.state.lapseNoticeAt = nextOutreachMoment(new Date(), view.outreachHours).toISOString();
  await touched(ctx);
}

/** After a lapse: the notice that the policy has expired goes out at the next allowed moment, then the case may end. */
export async function sendLapseNotice(ctx: RenewalContext): Promise<void> {
  const { state, journal } = ctx;
  const { view, lapseNoticeAt } = state;
  if (!lapseNoticeAt) return;
  // Once the case has ended, so the only timer it has: nothing else waits on the case's one timer.
  if (Date.parse(lapseNoticeAt) > Date.now()) await sleep(untilInstant(Date.parse(lapseNoticeAt)));
  journal.notify('lapsed', {
    channel: 'sms',
    template: 'renewal.lapsed',
    recipient: { kind: 'customer' },
    params: { caseId: view.id, policyNo: view.policyNo, product: view.product, expiresAt: view.expiresAt },
  });
  state.lapseNoticeAt = null;
  await journal.flush();
}
