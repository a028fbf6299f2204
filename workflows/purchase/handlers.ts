/**
 * The purchase up to the premium: the plan (投保方案) sent to the customer, the application form, the
 * review (four eyes: nobody who keyed the form reviews it) and the correction loop. Each validator is
 * synchronous and asks the domain's transition table; each handler changes the status before its
 * first await.
 */
import { setHandler } from '@temporalio/workflow';
import {
  APPLICATION_FIELDS,
  PURCHASE_CLOCKS,
  purchaseActionAllowed,
  type PurchaseAction,
  quoteProblem,
  quoteTotal,
} from '../../domain/purchase';
import { registerCaseHandlers } from '../shared/case-handlers';
import { REFUSAL } from '../shared/contract';
import { nowIso } from '../shared/journal';
import { refuse, requireStatus } from '../shared/refuse';
import { purchaseActivities } from './activities';
import { moveTo, type PurchaseContext, touched, warnAtFraction } from './context';
import * as purchase from './contract';
import { registerSettlementHandlers } from './settlement';

export function registerPurchaseHandlers(ctx: PurchaseContext): void {
  const { state, journal, clocks } = ctx;
  const view = state.view;
  const allow = (action: PurchaseAction) =>
    requireStatus(purchaseActionAllowed(view.status, action), view.status, action);
  const checkStartsAt = (startsAt: string) => {
    const at = Date.parse(startsAt);
    if (Number.isNaN(at)) refuse(REFUSAL.invalidInput, 'startsAt is not an instant');
    // Cover never starts in the past (no backdating, 倒签); a minute's grace for the clerk's clock.
    if (at < Date.now() - 60_000) refuse(REFUSAL.invalidInput, 'startsAt must not be in the past');
  };
  const checkSubmission = (submissionId: string) => {
    if (!purchase.SUBMISSION_ID_PATTERN.test(submissionId)) refuse(REFUSAL.invalidInput, 'unknown submission');
  };
  /** The stored form becomes the case's current application (inside the database: no personal data here). */
  const adopt = (submissionId: string) => purchaseActivities.adoptApplication({ caseId: view.id, submissionId });

  setHandler(
    purchase.quotePurchase,
    async ({ actor, coverages, validUntil }) => {
      const at = nowIso();
      const n = (view.quote?.n ?? 0) + 1;
      const total = quoteTotal(coverages);
      view.quote = { n, coverages, total, validUntil: null, by: actor.id, at };
      view.premium = total;
      if (view.status !== 'quoted') moveTo(ctx, 'quoted', actor.id, { quote: n, total });
      else journal.record(actor.id, 'quote.replaced', { quote: n, total });
      clocks.cancel(PURCHASE_CLOCKS.quoteValidity, actor.id);
      const [clock] = await clocks.start([PURCHASE_CLOCKS.quoteValidity], at);
      let dueAt = clock?.dueAt ?? null;
      if (clock && validUntil && Date.parse(validUntil) < Date.parse(clock.dueAt)) {
        dueAt = new Date(validUntil).toISOString();
        clocks.extend(PURCHASE_CLOCKS.quoteValidity, dueAt, warnAtFraction(clock, dueAt), actor.id, {
          reason: 'validUntil',
        });
      }
      view.quote.validUntil = dueAt;
      journal.notify(`quote:${n}`, {
        channel: 'sms',
        template: 'purchase.quote',
        recipient: { kind: 'customer' },
        params: {
          caseId: view.id,
          product: view.product,
          coverages: coverages.map(({ code, sumInsured, deductible, premium }) => ({
            code,
            sumInsured,
            deductible,
            premium,
          })),
          total,
          validUntil: dueAt,
        },
      });
      return touched(ctx);
    },
    {
      validator: ({ coverages, validUntil }) => {
        allow('quote');
        const problem = quoteProblem(view.product, coverages);
        if (problem) refuse(REFUSAL.invalidInput, problem);
        if (validUntil !== undefined && !(Date.parse(validUntil) > Date.now()))
          refuse(REFUSAL.invalidInput, 'validUntil must be in the future');
      },
    },
  );

  setHandler(
    purchase.submitApplication,
    async ({ actor, submissionId, startsAt }) => {
      const at = nowIso();
      view.application = { submissionId, takenBy: actor.id, at, startsAt, keyedBy: [actor.id], corrections: 0 };
      moveTo(ctx, 'under_review', actor.id, { application: 'submitted' });
      await adopt(submissionId);
      await clocks.start([PURCHASE_CLOCKS.review], at);
      return touched(ctx);
    },
    {
      validator: ({ submissionId, startsAt }) => {
        allow('application');
        checkSubmission(submissionId);
        checkStartsAt(startsAt);
      },
    },
  );

  setHandler(
    purchase.reviewApplication,
    async ({ actor, approved, problems = [] }) => {
      const at = nowIso();
      const n = view.reviews.length + 1;
      view.reviews.push({ n, approved, problems, by: actor.id, at });
      view.reviewProblems = approved ? [] : problems;
      clocks.meet(PURCHASE_CLOCKS.review, actor.id);
      if (!approved) {
        moveTo(ctx, 'needs_correction', actor.id, { review: n, fields: problems.map((p) => p.field) });
        // The customer is told each field to correct, and why.
        journal.notify(`correction:${n}`, {
          channel: 'sms',
          template: 'purchase.correctionNotice',
          recipient: { kind: 'customer' },
          params: { caseId: view.id, problems: problems.map((p) => ({ ...p })) },
        });
        return touched(ctx);
      }
      moveTo(ctx, 'awaiting_payment', actor.id, { review: n });
      const [payment] = await clocks.start([PURCHASE_CLOCKS.payment], at);
      // 及时收取保费, but never after the quote expires: the payment clock ends with the quote at the latest.
      const quoteDue = clocks.openClock(PURCHASE_CLOCKS.quoteValidity)?.dueAt;
      if (payment && quoteDue && Date.parse(quoteDue) < Date.parse(payment.dueAt)) {
        clocks.extend(PURCHASE_CLOCKS.payment, quoteDue, warnAtFraction(payment, quoteDue), 'system', {
          reason: 'quoteValidity',
        });
      }
      journal.notify(`approved:${n}`, {
        channel: 'sms',
        template: 'purchase.approved',
        recipient: { kind: 'customer' },
        params: {
          caseId: view.id,
          total: view.quote?.total ?? null,
          dueAt: clocks.openClock(PURCHASE_CLOCKS.payment)?.dueAt ?? null,
        },
      });
      return touched(ctx);
    },
    {
      validator: ({ actor, approved, problems }) => {
        allow('review');
        // 四眼原则: whoever keyed the form (application or a correction) does not approve it.
        if (view.application?.keyedBy.includes(actor.id))
          refuse(REFUSAL.forbidden, 'the application is reviewed by someone other than who took it (four eyes)');
        if (approved && problems && problems.length > 0) refuse(REFUSAL.invalidInput, 'an approval lists no problems');
        if (!approved && (!problems || problems.length === 0))
          refuse(REFUSAL.invalidInput, 'a review that does not approve names each field to correct');
        for (const p of problems ?? []) {
          if (!APPLICATION_FIELDS.includes(p.field)) refuse(REFUSAL.invalidInput, `unknown field ${p.field}`);
          if (!p.message.trim()) refuse(REFUSAL.invalidInput, `say what is wrong with ${p.field}`);
        }
      },
    },
  );

  setHandler(
    purchase.submitCorrection,
    async ({ actor, submissionId, startsAt }) => {
      const application = view.application;
      if (!application) throw new Error('validated correction has no application');
      const at = nowIso();
      application.submissionId = submissionId;
      application.corrections += 1;
      if (startsAt) application.startsAt = startsAt;
      if (!application.keyedBy.includes(actor.id)) application.keyedBy.push(actor.id);
      const fixed = view.reviewProblems.map((p) => p.field);
      view.reviewProblems = [];
      moveTo(ctx, 'under_review', actor.id, { correction: application.corrections, fields: fixed });
      await adopt(submissionId);
      await clocks.start([PURCHASE_CLOCKS.review], at);
      return touched(ctx);
    },
    {
      validator: ({ submissionId, startsAt }) => {
        allow('correction');
        checkSubmission(submissionId);
        if (!view.application) refuse(REFUSAL.invalidState, 'there is no application to correct');
        if (startsAt !== undefined) checkStartsAt(startsAt);
      },
    },
  );

  registerSettlementHandlers(ctx, allow);
  registerCaseHandlers({ view, journal, clocks, allow, touched: () => touched(ctx) });
}
