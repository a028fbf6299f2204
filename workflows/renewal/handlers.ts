/**
 * The agent actions on a renewal. Validators are synchronous and ask the domain (the transition
 * table, the call-window rules), so a refused action leaves no trace in history; handlers change
 * the status before their first await.
 */
import { setHandler } from '@temporalio/workflow';
import {
  CONTACT_CHANNELS,
  CONTACT_OUTCOMES,
  callRefusal,
  isMoney,
  POLICY_NO_PATTERN,
  type RenewalAction,
  renewalActionAllowed,
  statusAfterContact,
} from '../../domain/renewal';
import { registerCaseHandlers } from '../shared/case-handlers';
import { REFUSAL } from '../shared/contract';
import { nowIso } from '../shared/journal';
import { refuse, requireStatus } from '../shared/refuse';
import { renewalActivities } from './activities';
import { moveTo, type RenewalContext, stopOutreach, touched } from './context';
import { optOut, recordContact, recordRenewal } from './contract';

const MAX_NOTE = 2_000;

export function registerRenewalHandlers(ctx: RenewalContext): void {
  const { state, journal, clocks } = ctx;
  const view = state.view;
  const allow = (action: RenewalAction) =>
    requireStatus(renewalActionAllowed(view.status, action), view.status, action);

  /** Outreach ends for good: the holder's number and address go on the do-not-contact list. */
  const blockContact = async (actor: string, reason: string) => {
    view.doNotContact = true;
    await renewalActivities.addDoNotContact({ policyNo: view.policyNo, caseId: view.id, reason, actor });
    journal.record(actor, 'do_not_contact.added', { reason });
  };

  setHandler(
    recordContact,
    async ({ actor, channel, outcome, note }) => {
      view.calls.push({ at: nowIso(), channel, outcome, note: note ?? null, by: actor.id });
      journal.record(actor.id, 'contact.recorded', { channel, outcome, note: note ?? null });
      const to = statusAfterContact(view.status, outcome);
      if (to) moveTo(ctx, to, actor.id, { outcome });
      if (outcome === 'reached' || outcome === 'interested') {
        for (const task of view.tasks) task.done = true;
      }
      if (outcome === 'callback') {
        view.tasks.push({ kind: 'callback', createdAt: nowIso(), done: false });
        journal.record(actor.id, 'task.created', { task: 'callback' });
        journal.notify(`task:callback:${journal.seq}`, {
          channel: 'internal',
          template: 'renewal.callTask',
          recipient: { kind: 'staff', staffId: actor.id },
          params: {
            caseId: view.id,
            policyNo: view.policyNo,
            expiresAt: view.expiresAt,
            premium: view.offer?.premium ?? null,
          },
        });
      }
      if (to === 'declined') {
        stopOutreach(ctx, actor.id, 'declined');
        await blockContact(actor.id, 'declined');
      }
      return touched(ctx);
    },
    {
      validator: ({ channel, outcome, note }) => {
        allow('contact');
        if (!CONTACT_CHANNELS.includes(channel))
          refuse(REFUSAL.invalidInput, `channel must be one of ${CONTACT_CHANNELS.join(', ')}`);
        if (!CONTACT_OUTCOMES.includes(outcome))
          refuse(REFUSAL.invalidInput, `outcome must be one of ${CONTACT_OUTCOMES.join(', ')}`);
        if (note !== undefined && note.length > MAX_NOTE)
          refuse(REFUSAL.invalidInput, `a note has at most ${MAX_NOTE} characters`);
        if (channel !== 'phone') return;
        if (!view.callWindow || !view.outreachHours) refuse(REFUSAL.invalidState, 'the renewal is still being planned');
        const refusal = callRefusal(
          { outcome },
          new Date(),
          view.callWindow,
          view.outreachHours,
          view.calls,
          view.doNotContact,
        );
        if (refusal) refuse(REFUSAL.invalidState, refusal);
      },
    },
  );

  setHandler(
    recordRenewal,
    async ({ actor, newPolicyNo, premium }) => {
      view.renewal = { newPolicyNo, premium, at: nowIso(), by: actor.id };
      moveTo(ctx, 'renewed', actor.id, { newPolicyNo, premium });
      stopOutreach(ctx, actor.id, 'renewed');
      if (!view.doNotContact) {
        journal.notify('renewed', {
          channel: 'sms',
          template: 'renewal.renewed',
          recipient: { kind: 'customer' },
          params: { caseId: view.id, policyNo: view.policyNo, newPolicyNo, premium },
        });
      }
      return touched(ctx);
    },
    {
      validator: ({ newPolicyNo, premium }) => {
        allow('renewed');
        if (!POLICY_NO_PATTERN.test(newPolicyNo)) refuse(REFUSAL.invalidInput, 'newPolicyNo is not a policy number');
        if (newPolicyNo === view.policyNo)
          refuse(REFUSAL.invalidInput, 'newPolicyNo must differ from the expiring policy');
        if (!isMoney(premium)) refuse(REFUSAL.invalidInput, 'premium must be zero or more, with at most 2 decimals');
      },
    },
  );

  setHandler(
    optOut,
    async ({ actor, reason }) => {
      moveTo(ctx, 'opted_out', actor.id, { reason: reason ?? null });
      stopOutreach(ctx, actor.id, 'opted_out');
      await blockContact(actor.id, reason?.trim() ? `opt_out: ${reason.trim()}` : 'opt_out');
      return touched(ctx);
    },
    {
      validator: ({ reason }) => {
        allow('optOut');
        if (reason !== undefined && reason.length > 200)
          refuse(REFUSAL.invalidInput, 'a reason has at most 200 characters');
      },
    },
  );

  registerCaseHandlers({ view, journal, clocks, allow, touched: () => touched(ctx) });
}
