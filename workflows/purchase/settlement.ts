/**
 * The purchase from the premium on: payment (the amount must equal the quoted total), issuance (the
 * policy written into insurance_policies for next year's renewal sweep, the confirmation sent, the
 * renewal it came from marked renewed), the confirmation's delivery, and abandonment before payment.
 */
import { setHandler } from '@temporalio/workflow';
import { PURCHASE_CLOCKS, paysQuote, policiesIssued, policyExpiry, type PurchaseAction } from '../../domain/purchase';
import { POLICY_NO_PATTERN } from '../../domain/renewal';
import { requireRole, refuse } from '../shared/refuse';
import { notificationDelivered, receiptPurpose, REFUSAL } from '../shared/contract';
import { nowIso } from '../shared/journal';
import { purchaseActivities, renewalLinkActivities } from './activities';
import { moveTo, type PurchaseContext, touched } from './context';
import * as purchase from './contract';

export function registerSettlementHandlers(ctx: PurchaseContext, allow: (action: PurchaseAction) => void): void {
  const { state, journal, clocks } = ctx;
  const view = state.view;

  setHandler(
    purchase.recordPurchasePayment,
    async ({ actor, amount, method, reference, invoiceNo }) => {
      view.payment = { amount, method, reference, invoiceNo: invoiceNo ?? null, by: actor.id, at: nowIso() };
      view.premium = amount;
      moveTo(ctx, 'paid', actor.id, { amount, method });
      clocks.meet(PURCHASE_CLOCKS.payment, actor.id);
      clocks.meet(PURCHASE_CLOCKS.quoteValidity, actor.id);
      journal.notify('paymentReceipt', {
        channel: 'sms',
        template: 'purchase.paymentReceipt',
        recipient: { kind: 'customer' },
        params: { caseId: view.id, amount, reference, invoiceNo: invoiceNo ?? null },
      });
      return touched(ctx);
    },
    {
      validator: ({ amount, reference }) => {
        allow('payment');
        const total = view.quote?.total;
        if (total === undefined || !paysQuote(amount, total))
          refuse(REFUSAL.invalidState, `the amount paid must equal the quoted total (${total?.toFixed(2) ?? '—'})`);
        if (!reference.trim()) refuse(REFUSAL.invalidInput, 'a payment needs its reference');
      },
    },
  );

  setHandler(
    purchase.issuePolicy,
    async ({ actor, policyNo, compulsoryPolicyNo, effectiveAt, delivery }) => {
      const at = nowIso();
      const effective = new Date(effectiveAt).toISOString();
      const expiresAt = policyExpiry(effective);
      const numbers = { policyNo, compulsoryPolicyNo: compulsoryPolicyNo ?? null };
      const policies = policiesIssued(view.product, numbers, view.quote?.coverages ?? []).map((p) => ({
        ...p,
        written: null as 'written' | 'clash' | null,
      }));
      view.issuance = { ...numbers, effectiveAt: effective, expiresAt, delivery, policies, by: actor.id, at };
      view.policyNo = policyNo;
      moveTo(ctx, 'issued', actor.id, { policyNo });
      const written = await purchaseActivities.writeIssuedPolicies({
        caseId: view.id,
        policies: policies.map(({ policyNo: no, product, premium }) => ({ policyNo: no, product, premium })),
        startsAt: effective,
        expiresAt,
      });
      for (const policy of policies) policy.written = written[policy.policyNo] ?? null;
      for (const clash of policies.filter((p) => p.written === 'clash')) {
        journal.record('system', 'policy.clash', { policyNo: clash.policyNo });
        journal.notify(`policyClash:${clash.policyNo}`, {
          channel: 'internal',
          template: 'purchase.policyClash',
          recipient: { kind: 'role', role: 'supervisor', team: view.team },
          params: { caseId: view.id, policyNo: clash.policyNo },
        });
      }
      journal.record(actor.id, 'policy.issued', { policies: policies.map((p) => p.policyNo), effectiveAt: effective });
      await clocks.start([PURCHASE_CLOCKS.confirmation], at);
      // 投保确认: effective time and how the policy is delivered; its delivery confirms the purchase.
      journal.notify('confirmation', {
        channel: 'sms',
        template: 'purchase.confirmation',
        recipient: { kind: 'customer' },
        params: {
          caseId: view.id,
          policyNos: policies.map((p) => p.policyNo),
          effectiveAt: effective,
          expiresAt,
          delivery,
          premium: view.premium,
        },
        receipt: true,
      });
      await markRenewal(ctx, actor, policies);
      return touched(ctx);
    },
    {
      validator: ({ actor, policyNo, compulsoryPolicyNo, effectiveAt }) => {
        requireRole(actor, 'supervisor', 'issuing a policy');
        allow('issue');
        for (const no of [policyNo, compulsoryPolicyNo])
          if (no !== undefined && !POLICY_NO_PATTERN.test(no)) refuse(REFUSAL.invalidInput, 'not a policy number');
        if (view.product === 'both' && (!compulsoryPolicyNo || compulsoryPolicyNo === policyNo))
          refuse(REFUSAL.invalidInput, 'both products bought: compulsoryPolicyNo names the 交强险 policy apart');
        if (view.product !== 'both' && compulsoryPolicyNo !== undefined)
          refuse(REFUSAL.invalidInput, 'compulsoryPolicyNo only when both products were bought');
        if (view.renewalOf && [policyNo, compulsoryPolicyNo].includes(view.renewalOf.policyNo))
          refuse(REFUSAL.invalidInput, 'the new policy number must differ from the expiring one');
        const effective = Date.parse(effectiveAt);
        // 先交费后生效: cover never starts before the premium was paid.
        if (Number.isNaN(effective) || effective < Date.parse(view.payment?.at ?? '') - 60_000)
          refuse(REFUSAL.invalidInput, 'effectiveAt must not be before the payment');
      },
    },
  );

  setHandler(
    purchase.abandonPurchase,
    async ({ actor, reason }) => {
      view.abandonment = { reason, by: actor.id, at: nowIso() };
      clocks.cancelAll(actor.id);
      moveTo(ctx, 'abandoned', actor.id, { reason });
      return touched(ctx);
    },
    {
      validator: ({ reason }) => {
        allow('abandon');
        if (!reason.trim()) refuse(REFUSAL.invalidInput, 'say why the purchase is abandoned');
      },
    },
  );

  setHandler(notificationDelivered, async (receipt) => {
    const { sentAt } = receipt;
    if (receiptPurpose(receipt) !== 'confirmation' || view.status !== 'issued') return;
    view.confirmedAt = sentAt;
    clocks.meet(PURCHASE_CLOCKS.confirmation);
    moveTo(ctx, 'confirmed', 'system', { deliveredAt: sentAt });
    await touched(ctx);
  });
}

/**
 * 续保: a purchase opened from a renewal marks it renewed, with the policy of the renewal's product
 * (the Update agents use, run by an activity). A renewal that ended meanwhile (lapsed, opted out) is
 * left as it is; the purchase records why.
 */
async function markRenewal(
  ctx: PurchaseContext,
  actor: purchase.IssueInput['actor'],
  policies: purchase.IssuedPolicy[],
): Promise<void> {
  const { view } = ctx.state;
  const link = view.renewalOf;
  if (!link) return;
  const policy = policies.find((p) => p.product === link.product) ?? policies[0];
  if (!policy) return;
  const outcome = await renewalLinkActivities.markRenewalRenewed({
    renewalCaseId: link.caseId,
    newPolicyNo: policy.policyNo,
    premium: policy.premium,
    actor,
  });
  view.renewalOutcome = { ...outcome, at: nowIso() };
  ctx.journal.record('system', outcome.outcome === 'renewed' ? 'renewal.renewed' : 'renewal.notRenewed', {
    renewal: link.caseId,
    policyNo: policy.policyNo,
    reason: outcome.reason,
  });
}
