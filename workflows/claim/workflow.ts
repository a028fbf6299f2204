/**
 * The motor claim (理赔), on paper: reported → the consolidated notice of missing documents →
 * reminders while documents are missing → under review (verification clock) → approved (payment
 * clock) or denied (denial notice clock) → paid → closed. Agent actions arrive as Updates
 * (handlers.ts); every deadline is a clock watched by the ClockKeeper.
 */
import { condition, continueAsNew } from '@temporalio/workflow';
import { documentNoticePolicy } from '../../domain/claim';
import { historyTooLong, serveView, settleRun } from '../shared/case-run';
import { caseActivities } from '../shared/activities';
import { ClockKeeper } from '../shared/clocks';
import { Journal, nowIso } from '../shared/journal';
import type { ClaimContext } from './context';
import { claimOpened, getClaim, type ClaimInput, type ClaimView } from './contract';
import { registerClaimHandlers } from './handlers';
import { remindAboutDocuments } from './reminders';
import { claimSnapshot, isClaimFinished, newClaimState, type ClaimResume } from './state';
import { CLAIM_CLOCKS } from '../../domain/claim';

export async function claimWorkflow(input: ClaimInput, resume?: ClaimResume): Promise<ClaimView> {
  const state = resume?.state ?? newClaimState(input);
  const journal = new Journal(() => claimSnapshot(state.view), caseActivities, state.seq);
  const clocks = new ClockKeeper(state.view, journal, caseActivities, {
    onWarned: (clock) => {
      if (clock.policy === CLAIM_CLOCKS.advancePayment) createAdvancePaymentTask({ state, journal, clocks });
    },
  });
  const ctx: ClaimContext = { state, journal, clocks };

  serveView(state, getClaim, claimOpened);
  registerClaimHandlers(ctx);

  if (resume) clocks.resume();
  else await open(ctx, input);
  void remindAboutDocuments(ctx);

  await condition(() => isClaimFinished(state.view) || historyTooLong());
  await settleRun(state, journal);
  if (!isClaimFinished(state.view)) {
    return continueAsNew<typeof claimWorkflow>(input, { state });
  }
  return state.view;
}

async function open({ state, journal, clocks }: ClaimContext, input: ClaimInput): Promise<void> {
  const { view } = state;
  const noticePolicy = documentNoticePolicy(view.coverage);
  journal.record(input.openedBy.id, 'case.opened', {
    type: 'claim',
    coverage: view.coverage,
    injuries: view.injuries,
    team: view.team,
  });
  const [firstContact, notice, reminder] = await caseActivities.scheduleClocks([
    { policy: CLAIM_CLOCKS.firstContact, startedAt: view.createdAt },
    { policy: noticePolicy, startedAt: view.createdAt },
    { policy: CLAIM_CLOCKS.documentReminder, startedAt: view.createdAt },
  ]);
  if (!firstContact || !notice || !reminder) throw new Error('scheduleClocks returned fewer schedules than asked');
  clocks.adopt([firstContact, notice]);
  state.nextReminderAt = reminder.dueAt;
  // One consolidated notice of everything missing (保险法 第二十二条); the clock is met on the receipt.
  journal.notify('documentNotice', {
    channel: 'sms',
    template: 'claim.documentNotice',
    recipient: { kind: 'customer' },
    params: { caseId: view.id, missing: view.missingDocuments },
    receipt: true,
  });
  journal.record('system', 'status.changed', { from: view.status, to: 'awaiting_documents' });
  view.status = 'awaiting_documents';
  if (state.earlyDocumentNoticeAt) {
    view.documentNoticeSentAt = state.earlyDocumentNoticeAt;
    clocks.meet(noticePolicy);
  }
  view.updatedAt = nowIso();
  await journal.flush();
  state.opened = true;
}

function createAdvancePaymentTask({ state, journal }: ClaimContext): void {
  const { view } = state;
  if (view.assessedAmount !== null) return;
  view.tasks.push({ kind: 'advance_payment', createdAt: nowIso(), done: false });
  journal.record('system', 'task.created', { task: 'advance_payment' });
  journal.notify('task:advance_payment', {
    channel: 'internal',
    template: 'claim.advancePaymentTask',
    recipient: view.assignee
      ? { kind: 'staff', staffId: view.assignee }
      : { kind: 'role', role: 'supervisor', team: view.team },
    params: { caseId: view.id },
  });
}
