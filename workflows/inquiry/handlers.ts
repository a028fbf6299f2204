/**
 * The agent actions on an inquiry. Each validator is synchronous and asks the domain's transition
 * table, so a refused action leaves no trace in history; each handler changes the state its
 * validator reads before its first await.
 */
import { setHandler } from '@temporalio/workflow';
import { type InquiryAction, inquiryActionAllowed, INQUIRY_CLOCKS } from '../../domain/inquiry';
import { registerCaseHandlers } from '../shared/case-handlers';
import { notificationDelivered, receiptPurpose, REFUSAL } from '../shared/contract';
import { nowIso } from '../shared/journal';
import { INQUIRY_EARLY_RECEIPT_KEPT } from '../shared/patches';
import { refuse, requireRole, requireStatus } from '../shared/refuse';
import { cancelPendingConsultations, registerConsultationHandlers } from './consultations';
import { closeInquiry, type InquiryContext, moveTo, touched } from './context';
import * as inquiry from './contract';
import { inquiryPosition } from './state';

export function registerInquiryHandlers(ctx: InquiryContext): void {
  const { state, journal, clocks } = ctx;
  const view = state.view;
  const allow = (action: InquiryAction) => {
    const waiting = view.awaitingCustomer ? ' (waiting for the customer)' : '';
    requireStatus(inquiryActionAllowed(inquiryPosition(state), action), `${view.status}${waiting}`, action);
  };
  const needText = (text: string, what: string) => {
    if (!text.trim()) refuse(REFUSAL.invalidInput, `${what} must not be blank`);
  };

  setHandler(
    inquiry.awaitCustomer,
    async ({ actor, reason }) => {
      view.awaitingCustomer = { since: nowIso(), reason: reason ?? null };
      journal.record(actor.id, 'customer.awaited', { reason: reason ?? null });
      clocks.pause(INQUIRY_CLOCKS.answer, actor.id);
      return touched(ctx);
    },
    { validator: (_input) => allow('awaitCustomer') },
  );

  setHandler(
    inquiry.customerReplied,
    async ({ actor, note }) => {
      await resumeAnswerClock(ctx, actor.id, note ?? null);
      return touched(ctx);
    },
    { validator: (_input) => allow('customerReplied') },
  );

  setHandler(
    inquiry.answerInquiry,
    async ({ actor, answer }) => {
      const resumed = view.awaitingCustomer ? resumeAnswerClock(ctx, actor.id, null) : undefined;
      view.answer = { text: answer, by: actor.id, at: nowIso() };
      moveTo(ctx, 'answered', actor.id);
      cancelPendingConsultations(ctx, actor.id);
      // The promise is kept when the customer has the answer: the clock is met on the delivery receipt.
      journal.notify('answer', {
        channel: 'sms',
        template: 'inquiry.answer',
        recipient: { kind: 'customer' },
        params: { caseId: view.id, answer },
        receipt: true,
      });
      await resumed;
      return touched(ctx);
    },
    {
      validator: ({ answer }) => {
        allow('answer');
        needText(answer, 'an answer');
      },
    },
  );

  setHandler(
    inquiry.reviewInquiry,
    async ({ actor, correct, note }) => {
      view.review = { correct, note: note ?? null, by: actor.id, at: nowIso() };
      journal.record(actor.id, 'inquiry.reviewed', { correct, note: note ?? null });
      return touched(ctx);
    },
    {
      validator: ({ actor }) => {
        requireRole(actor, 'supervisor', 'a quality review');
        allow('review');
        if (state.reviewWindowEnded)
          refuse(REFUSAL.invalidState, 'the quality-review window of this inquiry has ended');
      },
    },
  );

  setHandler(notificationDelivered, async (receipt) => {
    const { sentAt } = receipt;
    if (receiptPurpose(receipt) !== 'answer' || view.status !== 'answered') return;
    // A receipt must never be lost: one for an answer given before the answer clock was open is
    // kept for open() to meet the clock with (meeting a clock that does not exist yet does nothing).
    if (!state.opened && !clocks.isOpen(INQUIRY_CLOCKS.answer) && journal.patches.has(INQUIRY_EARLY_RECEIPT_KEPT)) {
      state.earlyAnswerDeliveredAt = sentAt;
      return;
    }
    view.answerDeliveredAt = sentAt;
    clocks.meet(INQUIRY_CLOCKS.answer);
    await closeInquiry(ctx, 'system', { answerDeliveredAt: sentAt });
    await touched(ctx);
  });

  registerConsultationHandlers(ctx, allow);
  registerCaseHandlers({ view, journal, clocks, allow, touched: () => touched(ctx) });
}

/** The customer is back: the answer clock runs again (its instants move once the calendar has said how far). */
function resumeAnswerClock(ctx: InquiryContext, actor: string, note: string | null): Promise<void> {
  const { view } = ctx.state;
  const since = view.awaitingCustomer?.since ?? nowIso();
  view.awaitingCustomer = null;
  const resumed = ctx.clocks.resumePaused(INQUIRY_CLOCKS.answer, actor);
  ctx.journal.record(actor, 'customer.replied', { note, waitedMs: Date.parse(nowIso()) - Date.parse(since) });
  return resumed;
}
