/**
 * The agent actions on a complaint. Each validator is synchronous and asks the domain's transition
 * table, so a refused action leaves no trace in history; each handler changes the status before its
 * first await, so two concurrent actions can never both pass the same validator state.
 */
import { setHandler } from '@temporalio/workflow';
import {
  afterCustomerResponse,
  type ComplaintAction,
  complaintActionAllowed,
  COMPLAINT_CLOCKS,
  WAITING_ON_CUSTOMER,
} from '../../domain/complaint';
import { surveyScoreProblem } from '../../domain/survey';
import { registerCaseHandlers } from '../shared/case-handlers';
import { REFUSAL } from '../shared/contract';
import { nowIso } from '../shared/journal';
import { refuse, requireStatus } from '../shared/refuse';
import { sendSatisfactionSurvey, surveyActivities } from '../shared/surveys';
import { type ComplaintContext, complaintSurvey, moveTo, touched } from './context';
import * as complaint from './contract';
import { registerExtensionHandler } from './extension';
import { DECISION_MET_ON_DELIVERY } from '../shared/patches';
import { registerReviewHandlers } from './review';

export function registerComplaintHandlers(ctx: ComplaintContext): void {
  const { state, journal, clocks } = ctx;
  const view = state.view;
  const allow = (action: ComplaintAction) =>
    requireStatus(complaintActionAllowed(view.status, action), view.status, action);
  const needText = (text: string, what: string) => {
    if (!text.trim()) refuse(REFUSAL.invalidInput, `${what} must not be blank`);
  };

  setHandler(
    complaint.acknowledgeComplaint,
    async ({ actor, message }) => {
      view.acknowledgement = { message: message ?? null, by: actor.id, at: nowIso() };
      moveTo(ctx, 'acknowledged', actor.id);
      clocks.meet(COMPLAINT_CLOCKS.acknowledge, actor.id);
      // 道歉、安抚、承诺处理: the customer hears that the complaint is being handled, and by when.
      journal.notify('acknowledgement', {
        channel: 'sms',
        template: 'complaint.acknowledgement',
        recipient: { kind: 'customer' },
        params: { caseId: view.id, decisionDueAt: view.decisionDueAt },
      });
      return touched(ctx);
    },
    { validator: (_input) => allow('acknowledge') },
  );

  setHandler(
    complaint.recordInvestigation,
    async ({ actor, note }) => {
      view.investigation.push({ note, by: actor.id, at: nowIso() });
      journal.record(actor.id, 'investigation.noted', { note });
      if (view.status !== 'investigating') moveTo(ctx, 'investigating', actor.id);
      return touched(ctx);
    },
    {
      validator: ({ note }) => {
        allow('investigate');
        needText(note, 'an investigation note');
      },
    },
  );

  setHandler(
    complaint.proposeResolution,
    async ({ actor, resolution, detail, amount }) => {
      const n = view.proposals.length + 1;
      view.proposals.push({
        n,
        resolution,
        detail,
        amount: amount ?? null,
        proposedBy: actor.id,
        proposedAt: nowIso(),
        response: null,
      });
      moveTo(ctx, 'proposed', actor.id, { resolution, proposal: n });
      pauseWhileWaitingOnCustomer(ctx, actor.id);
      // The proposal is the decision (处理决定); its delivery receipt communicates it (review.ts).
      journal.notify(`proposal:${n}`, {
        channel: 'sms',
        template: 'complaint.proposal',
        recipient: { kind: 'customer' },
        params: { caseId: view.id, resolution, detail, amount: amount ?? null },
        ...(journal.patches.has(DECISION_MET_ON_DELIVERY) ? { receipt: true } : {}),
      });
      return touched(ctx);
    },
    {
      validator: ({ resolution, detail, amount }) => {
        allow('propose');
        needText(detail, 'a proposal');
        if (amount !== undefined && !(amount >= 0)) refuse(REFUSAL.invalidInput, 'amount must be zero or more');
        if ((resolution === 'compensation' || resolution === 'refund') && amount === undefined) {
          refuse(REFUSAL.invalidInput, `a ${resolution} proposal needs an amount`);
        }
      },
    },
  );

  setHandler(
    complaint.recordCustomerResponse,
    async ({ actor, accepted, comment }) => {
      const at = nowIso();
      const proposal = view.proposals[view.proposals.length - 1];
      if (proposal) proposal.response = { accepted, comment: comment ?? null, recordedBy: actor.id, at };
      moveTo(ctx, afterCustomerResponse(accepted), actor.id, { accepted, proposal: proposal?.n ?? null });
      await ctx.clocks.resumeAllPaused(actor.id);
      if (accepted) {
        view.resolvedAt = at;
        // The decision is met when its notice is delivered; an acceptance proves it arrived if the receipt
        // has not come yet (and meets it for proposals sent before receipts were asked for). A rejection
        // leaves a decision whose notice has not been delivered running.
        clocks.meet(COMPLAINT_CLOCKS.decision, actor.id);
        // 跟踪反馈: the survey goes out at resolution; the follow-up clock is the answer window.
        await clocks.start([COMPLAINT_CLOCKS.followUp], at);
        state.survey = await sendSatisfactionSurvey(journal, complaintSurvey(view, actor.id));
        view.surveySentAt = state.survey.sentAt;
      }
      return touched(ctx);
    },
    { validator: (_input) => allow('customerResponse') },
  );

  setHandler(
    complaint.recordSatisfaction,
    async ({ actor, score, comment }) => {
      const at = nowIso();
      view.satisfaction = { outcome: 'answered', score, comment: comment ?? null, at };
      clocks.meet(COMPLAINT_CLOCKS.followUp, actor.id);
      journal.record(actor.id, 'survey.answered', { score });
      moveTo(ctx, 'closed', actor.id, { satisfaction: 'answered' });
      const survey = state.survey ?? {
        ...complaintSurvey(view, actor.id),
        sentVia: 'sms' as const,
        sentAt: view.resolvedAt ?? at,
      };
      await surveyActivities.recordSurvey({
        kind: 'answered',
        survey,
        score,
        comment: comment ?? null,
        answeredAt: at,
      });
      state.surveyRecorded = true;
      return touched(ctx);
    },
    {
      validator: ({ score }) => {
        allow('satisfaction');
        const problem = surveyScoreProblem(score);
        if (problem) refuse(REFUSAL.invalidInput, problem);
      },
    },
  );

  registerExtensionHandler(ctx);
  registerReviewHandlers(ctx, allow);
  registerCaseHandlers({ view, journal, clocks, allow, touched: () => touched(ctx) });
}

/** Internal clocks pause while the case waits on the customer; statutory clocks never pause. */
function pauseWhileWaitingOnCustomer({ state, clocks }: ComplaintContext, actor: string): void {
  if (!WAITING_ON_CUSTOMER.includes(state.view.status)) return;
  const internal = new Set(state.view.clocks.filter((c) => c.kind === 'internal').map((c) => c.policy));
  for (const policy of internal) clocks.pause(policy, actor);
}
