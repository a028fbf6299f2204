/**
 * The agent actions on a claim. Each validator is synchronous and asks the domain's transition
 * table, so a refused action leaves no trace in history; each handler changes the status before
 * its first await, so two concurrent actions can never both pass the same validator state.
 */
import { setHandler } from '@temporalio/workflow';
import { SYSTEM_ACTOR } from '../../domain/case';
import {
  claimActionAllowed,
  type ClaimAction,
  complianceExceptionDocuments,
  documentNoticePolicy,
  missingDocuments,
  requiredDocuments,
  verificationPolicy,
} from '../../domain/claim';
import { caseActivities } from '../shared/activities';
import { registerCaseHandlers } from '../shared/case-handlers';
import { notificationDelivered, receiptPurpose, REFUSAL } from '../shared/contract';
import { SURVEY_NOTIFICATION } from '../../domain/survey';
import { sendSatisfactionSurvey } from '../shared/surveys';
import { nowIso } from '../shared/journal';
import { CLAIM_EARLY_RECEIPT_KEPT, CLAIM_RECEIPT_MET_ONCE_CLOCK_OPEN, CLAIM_SURVEY_ROW } from '../shared/patches';
import { refuse, requireRole, requireStatus } from '../shared/refuse';
import * as claim from './contract';
import { remindAboutDocuments } from './reminders';
import { type ClaimContext, moveTo, touched } from './context';
import { CLAIM_CLOCKS } from '../../domain/claim';

export function registerClaimHandlers(ctx: ClaimContext): void {
  const { state, journal, clocks } = ctx;
  const view = state.view;
  const allow = (action: ClaimAction) => requireStatus(claimActionAllowed(view.status, action), view.status, action);

  setHandler(
    claim.recordContact,
    async ({ actor, outcome, note }) => {
      journal.record(actor.id, 'contact.recorded', { outcome, note: note ?? null });
      if (outcome === 'reached' && view.firstContactAt === null) {
        view.firstContactAt = nowIso();
        clocks.meet(CLAIM_CLOCKS.firstContact, actor.id);
      }
      return touched(ctx);
    },
    { validator: (_input) => allow('contact') },
  );

  setHandler(
    claim.addDocuments,
    async ({ actor, documents }) => {
      const fresh = documents.filter((d) => !view.receivedDocuments.includes(d));
      view.receivedDocuments = [...view.receivedDocuments, ...fresh];
      view.missingDocuments = missingDocuments(view.requiredDocuments, view.receivedDocuments);
      journal.record(actor.id, 'documents.received', { documents: fresh, missing: view.missingDocuments });
      if (view.missingDocuments.length === 0) {
        moveTo(ctx, 'under_review', actor.id);
        state.nextReminderAt = null;
        for (const task of view.tasks) if (task.kind === 'call_customer_for_documents') task.done = true;
        await clocks.start([verificationPolicy(view.coverage), CLAIM_CLOCKS.advancePayment]);
      }
      return touched(ctx);
    },
    {
      validator: ({ documents }) => {
        allow('documents');
        if (documents.length === 0) refuse(REFUSAL.invalidInput, 'documents must name at least one document');
      },
    },
  );

  setHandler(
    claim.requestDocuments,
    async ({ actor, documents, cause, note }) => {
      const at = nowIso();
      const requested = [...new Set(documents)];
      const n = (view.documentRequests?.length ?? 0) + 1;
      view.documentRequests = [
        ...(view.documentRequests ?? []),
        { n, documents: requested, cause, note, requestedBy: actor.id, at },
      ];
      // Asked for (again): required from now on, and a copy received before (illegible) no longer counts.
      view.requiredDocuments = [
        ...view.requiredDocuments,
        ...requested.filter((d) => !view.requiredDocuments.includes(d)),
      ];
      view.receivedDocuments = view.receivedDocuments.filter((d) => !requested.includes(d));
      view.missingDocuments = missingDocuments(view.requiredDocuments, view.receivedDocuments);
      journal.record(actor.id, 'documents.requested', { request: n, documents: requested, cause, note });
      // The first notice listed everything the reported facts required (open() in workflow.ts).
      const atReport = requiredDocuments(view.coverage, view.injuries);
      const exception = complianceExceptionDocuments({
        documents: requested,
        cause,
        requiredAtReport: atReport,
        firstNotice: atReport,
      });
      if (exception.length > 0) {
        view.complianceExceptions = [
          ...(view.complianceExceptions ?? []),
          { at, documents: exception, cause, actor: actor.id },
        ];
        journal.record(actor.id, 'compliance.exception', {
          kind: 'document_request',
          request: n,
          documents: exception,
          cause,
        });
      }
      journal.notify(`documentRequest:${n}`, {
        channel: 'sms',
        template: 'claim.documentRequest',
        recipient: { kind: 'customer' },
        params: { caseId: view.id, documents: requested, fact: cause === 'new_facts' ? note : null },
      });
      if (view.status === 'under_review') {
        // Back to collecting: the verification period runs again once the documents are complete.
        moveTo(ctx, 'awaiting_documents', actor.id, { documentRequest: n });
        clocks.cancel(verificationPolicy(view.coverage), actor.id);
        clocks.cancel(CLAIM_CLOCKS.advancePayment, actor.id);
        const [reminder] = await caseActivities.scheduleClocks([
          { policy: CLAIM_CLOCKS.documentReminder, startedAt: at },
        ]);
        state.nextReminderAt = reminder?.dueAt ?? null;
        void remindAboutDocuments(ctx);
      }
      return touched(ctx);
    },
    {
      validator: ({ documents, note }) => {
        allow('documentRequest');
        if (documents.length === 0) refuse(REFUSAL.invalidInput, 'a document request must name at least one document');
        if (!note.trim())
          refuse(REFUSAL.invalidInput, 'a document request needs a note (the new fact, or what was omitted)');
      },
    },
  );

  setHandler(
    claim.recordAssessment,
    async ({ actor, amount, note }) => {
      view.assessedAmount = amount;
      journal.record(actor.id, 'assessment.recorded', { amount, note: note ?? null });
      // The amount is determined: no advance payment of a determinable part is needed any more.
      clocks.meet(CLAIM_CLOCKS.advancePayment, actor.id);
      for (const task of view.tasks) if (task.kind === 'advance_payment') task.done = true;
      return touched(ctx);
    },
    {
      validator: ({ amount }) => {
        allow('assessment');
        if (!(amount >= 0)) refuse(REFUSAL.invalidInput, 'amount must be zero or more');
      },
    },
  );

  setHandler(
    claim.recordDecision,
    async ({ actor, outcome, amount, reason }) => {
      const decidedAt = nowIso();
      view.decision = {
        outcome,
        amount: outcome === 'approve' ? (amount ?? view.assessedAmount) : null,
        reason: reason ?? null,
        decidedBy: actor.id,
        decidedAt,
      };
      moveTo(ctx, outcome === 'approve' ? 'approved' : 'denied', actor.id);
      clocks.meet(verificationPolicy(view.coverage), actor.id);
      if (outcome === 'approve') {
        clocks.meet(CLAIM_CLOCKS.advancePayment, actor.id);
        await clocks.start([CLAIM_CLOCKS.payment], decidedAt);
      } else {
        clocks.cancel(CLAIM_CLOCKS.advancePayment, actor.id);
        // 保险法 第二十四条: the notice with reasons; the clock is met when the dispatcher confirms it went out.
        journal.notify('denialNotice', {
          channel: 'sms',
          template: 'claim.denialNotice',
          recipient: { kind: 'customer' },
          params: { caseId: view.id, reason: reason ?? '' },
          receipt: true,
        });
        await clocks.start([CLAIM_CLOCKS.denialNotice], decidedAt);
      }
      return touched(ctx);
    },
    {
      validator: ({ actor, outcome, amount, reason }) => {
        allow('decision');
        requireRole(actor, 'supervisor', 'a claim decision');
        if (outcome === 'approve' && (amount ?? view.assessedAmount) === null) {
          refuse(REFUSAL.invalidInput, 'an approval needs an amount (or a recorded assessment)');
        }
        if (outcome === 'deny' && !reason?.trim()) refuse(REFUSAL.invalidInput, 'a denial needs a reason');
      },
    },
  );

  setHandler(
    claim.recordPayment,
    async ({ actor, amount, reference, paidAt }) => {
      view.payment = { amount, reference, paidAt: paidAt ?? nowIso(), recordedBy: actor.id };
      moveTo(ctx, 'paid', actor.id, { amount, reference });
      clocks.meet(CLAIM_CLOCKS.payment, actor.id);
      // The claim closes once the satisfaction survey has gone out (its delivery receipt).
      if (journal.patches.has(CLAIM_SURVEY_ROW)) {
        await sendSatisfactionSurvey(
          journal,
          { caseId: view.id, caseType: 'claim', team: view.team, agent: view.assignee ?? actor.id, channel: null },
          { receipt: true },
        );
      } else {
        // Claims paid before surveys were recorded in PostgreSQL replay this branch.
        journal.notify('satisfactionSurvey', {
          channel: 'sms',
          template: 'survey.request',
          recipient: { kind: 'customer' },
          params: { caseId: view.id, caseType: 'claim' },
          receipt: true,
        });
      }
      return touched(ctx);
    },
    {
      validator: ({ actor, amount }) => {
        allow('payment');
        requireRole(actor, 'supervisor', 'recording a payment');
        const approved = view.decision?.amount ?? null;
        if (!(amount > 0)) refuse(REFUSAL.invalidInput, 'amount must be more than zero');
        if (approved !== null && amount > approved) refuse(REFUSAL.invalidInput, 'amount exceeds the approved amount');
      },
    },
  );

  setHandler(
    claim.withdrawClaim,
    async ({ actor, reason }) => {
      view.withdrawal = { reason, at: nowIso() };
      moveTo(ctx, 'withdrawn', actor.id, { reason });
      state.nextReminderAt = null;
      clocks.cancelAll(actor.id);
      return touched(ctx);
    },
    { validator: (_input) => allow('withdraw') },
  );

  registerCaseHandlers({ view, journal, clocks, allow, touched: () => touched(ctx) });

  setHandler(notificationDelivered, (receipt) => {
    const { sentAt } = receipt;
    const purpose = receiptPurpose(receipt);
    // A receipt must never be lost: one that overtook the opening is kept for open() to meet the clock.
    if (
      purpose === 'documentNotice' &&
      !state.opened &&
      journal.patches.has(CLAIM_EARLY_RECEIPT_KEPT) &&
      !(clocks.isOpen(documentNoticePolicy(view.coverage)) && journal.patches.has(CLAIM_RECEIPT_MET_ONCE_CLOCK_OPEN))
    ) {
      state.earlyDocumentNoticeAt = sentAt;
      return;
    }
    if (purpose === 'documentNotice' && clocks.isOpen(documentNoticePolicy(view.coverage))) {
      view.documentNoticeSentAt = sentAt;
      clocks.meet(documentNoticePolicy(view.coverage));
    } else if (purpose === 'denialNotice' && view.status === 'denied') {
      clocks.meet(CLAIM_CLOCKS.denialNotice);
      moveTo(ctx, 'closed', SYSTEM_ACTOR.id, { denialNoticeSentAt: sentAt });
    } else if (purpose === SURVEY_NOTIFICATION.purpose && view.status === 'paid') {
      moveTo(ctx, 'closed', SYSTEM_ACTOR.id, { surveySentAt: sentAt });
    } else {
      return;
    }
    void touched(ctx);
  });
}
