/**
 * The decision communicated, and its review (复核). The 2020 办法 asks for a decision made *and
 * communicated* within the period: complaint.decision is met when the notice of a proposed resolution
 * reaches the complainant (its delivery receipt), whatever the complainant then answers. From that
 * moment the complainant may ask for a review within complaint.reviewWindow; a manager decides it
 * within complaint.reviewDecision, which is met when the review's result reaches the complainant.
 */
import { setHandler } from '@temporalio/workflow';
import { COMPLAINT_CLOCKS, complaintActionAllowed, reviewRequestRefusal } from '../../domain/complaint';
import { caseActivities } from '../shared/activities';
import { notificationDelivered, receiptPurpose, REFUSAL } from '../shared/contract';
import { nowIso } from '../shared/journal';
import { refuse, requireRole } from '../shared/refuse';
import { sendSatisfactionSurvey } from '../shared/surveys';
import { type ComplaintContext, complaintSurvey, moveTo, touched } from './context';
import * as complaint from './contract';

export function registerReviewHandlers(
  ctx: ComplaintContext,
  allow: (action: 'requestReview' | 'decideReview') => void,
) {
  const { state, journal, clocks } = ctx;
  const view = state.view;
  const needText = (text: string, what: string) => {
    if (!text.trim()) refuse(REFUSAL.invalidInput, `${what} must not be blank`);
  };

  setHandler(
    complaint.requestReview,
    async ({ actor, reason }) => {
      const at = nowIso();
      const review: complaint.ComplaintReview = {
        reason,
        requestedBy: actor.id,
        requestedAt: at,
        dueAt: '',
        decision: null,
        communicatedAt: null,
      };
      view.review = review;
      moveTo(ctx, 'under_review', actor.id, { reason });
      // No longer waiting on the customer's answer to the proposal: paused internal clocks run again.
      await clocks.resumeAllPaused(actor.id);
      const [clock] = await clocks.start([COMPLAINT_CLOCKS.reviewDecision], at);
      review.dueAt = clock?.dueAt ?? '';
      journal.notify('reviewRequested', {
        channel: 'internal',
        template: 'complaint.reviewRequested',
        recipient: { kind: 'role', role: 'manager' },
        params: { caseId: view.id, reason, dueAt: review.dueAt },
      });
      return touched(ctx);
    },
    {
      validator: ({ reason }) => {
        allow('requestReview');
        const refusal = reviewRequestRefusal(view, Date.now());
        if (refusal) refuse(REFUSAL.invalidState, refusal);
        needText(reason, 'the reason for a review');
      },
    },
  );

  setHandler(
    complaint.decideReview,
    async ({ actor, upheld, detail }) => {
      const at = nowIso();
      const review = view.review;
      if (!review) throw new Error('validated review decision has no review');
      review.decision = { upheld, detail, decidedBy: actor.id, decidedAt: at };
      moveTo(ctx, 'resolved', actor.id, { review: upheld ? 'upheld' : 'changed' });
      view.resolvedAt = at;
      // The review's result goes to the complainant; its delivery meets complaint.reviewDecision.
      journal.notify('reviewDecision', {
        channel: 'sms',
        template: 'complaint.reviewDecision',
        recipient: { kind: 'customer' },
        params: { caseId: view.id, upheld, detail },
        receipt: true,
      });
      await clocks.start([COMPLAINT_CLOCKS.followUp], at);
      state.survey = await sendSatisfactionSurvey(journal, complaintSurvey(view, actor.id));
      view.surveySentAt = state.survey.sentAt;
      return touched(ctx);
    },
    {
      validator: ({ actor, detail }) => {
        allow('decideReview');
        requireRole(actor, 'manager', 'deciding a review (复核)');
        needText(detail, 'a review decision');
      },
    },
  );

  setHandler(notificationDelivered, async (receipt) => {
    const { sentAt } = receipt;
    const purpose = receiptPurpose(receipt);
    const proposal = /^proposal:(\d+)$/.exec(purpose);
    if (proposal) {
      if (!(await decisionCommunicated(ctx, Number(proposal[1]), sentAt))) return;
    } else if (purpose === 'reviewDecision' && view.review?.decision && !view.review.communicatedAt) {
      view.review.communicatedAt = sentAt;
      clocks.meet(COMPLAINT_CLOCKS.reviewDecision);
      journal.record('system', 'review.communicated', { at: sentAt });
    } else return;
    await touched(ctx);
  });
}

/**
 * A proposal's notice reached the complainant: the decision is communicated. The decision clock is met
 * (a breached one stays breached) and the review window runs from the latest communicated proposal.
 * Once the complainant has accepted, asked for a review or the case has closed, a receipt changes
 * nothing (the clock was met then): it is ignored, and the case records nothing. Returns whether it did.
 */
async function decisionCommunicated(
  { state, journal, clocks }: ComplaintContext,
  n: number,
  sentAt: string,
): Promise<boolean> {
  const { view } = state;
  if (view.review || !complaintActionAllowed(view.status, 'requestReview')) return false;
  const first = !view.decisionCommunicatedAt;
  clocks.meet(COMPLAINT_CLOCKS.decision);
  view.decisionCommunicatedAt = sentAt;
  const [window] = await caseActivities.scheduleClocks([{ policy: COMPLAINT_CLOCKS.reviewWindow, startedAt: sentAt }]);
  view.reviewWindowEndsAt = window?.dueAt ?? null;
  journal.record('system', 'decision.communicated', {
    proposal: n,
    at: sentAt,
    first,
    reviewWindowEndsAt: view.reviewWindowEndsAt,
  });
  return true;
}
