/**
 * The purchase workflow under time skipping: the plan is sent, the application reviewed by a second
 * person (four eyes) and sent back field by field until it is right, the premium must equal the
 * quote, issuance writes the policy and sends the confirmation, whose delivery confirms the purchase.
 * Every purchase clock warns, breaches and escalates at its instant; an unpaid quote expires.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Actor } from '../../domain/case';
import type { Clock } from '../../domain/clock';
import * as purchase from '../../workflows/purchase/contract';
import { purchaseWorkflow } from '../../workflows/purchase/workflow';
import { notificationDelivered } from '../../workflows/shared/contract';
import {
  createTimeSkippingEnv,
  fakeActivities,
  fakePurchaseActivities,
  FakePurchaseWorld,
  ProjectionLog,
  sleepUntil,
  startWorker,
} from './harness';

const agent: Actor = { id: 'agent-li', role: 'agent', team: 'east' };
const reviewer: Actor = { id: 'agent-zhou', role: 'agent', team: 'east' };
const supervisor: Actor = { id: 'sup-wang', role: 'supervisor', team: 'east' };
const DAY = 86_400_000;

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
const log = new ProjectionLog();
const world = new FakePurchaseWorld();
const { adopted, written, renewalsMarked } = world;
const taskQueue = `purchases-${randomUUID()}`;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  worker = await startWorker(
    env,
    taskQueue,
    { ...fakeActivities(log), ...fakePurchaseActivities(world) },
    inject('workflowBundlePath') || undefined,
  );
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

const submission = () => `s${randomUUID().replaceAll('-', '').slice(0, 16)}`;
const coverages = [
  { code: 'vehicle_damage', sumInsured: 150_000, deductible: 0, premium: 2_400.5 },
  { code: 'third_party', sumInsured: 1_000_000, deductible: null, premium: 1_100 },
];

async function openPurchase(overrides: Partial<purchase.PurchaseInput> = {}) {
  const purchaseNo = `PU${randomUUID().slice(0, 8).toUpperCase()}`;
  const input: purchase.PurchaseInput = {
    purchaseNo,
    team: 'east',
    assignee: agent.id,
    product: 'commercial',
    usage: 'private',
    renewalOf: null,
    openedAt: new Date(await env.currentTimeMs()).toISOString(),
    openedBy: agent,
    ...overrides,
  };
  const handle = await env.client.workflow.start(purchaseWorkflow, {
    taskQueue,
    workflowId: purchase.purchaseWorkflowId(purchaseNo),
    args: [input],
  });
  const view = await handle.executeUpdate(purchase.purchaseOpened);
  return { handle, view, purchaseNo };
}
type Handle = Awaited<ReturnType<typeof openPurchase>>['handle'];

const clockOf = (view: purchase.PurchaseView, policy: string, n = 1): Clock => {
  const clock = view.clocks.find((c) => c.id === `${policy}#${n}`);
  if (!clock) throw new Error(`no clock ${policy}#${n}`);
  return clock;
};

async function refusal(promise: Promise<unknown>): Promise<string | undefined> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  return ((err as WorkflowUpdateFailedError).cause as { type?: string } | undefined)?.type;
}

const startsTomorrow = async () => new Date((await env.currentTimeMs()) + DAY).toISOString();

async function quoteAndApply(handle: Handle) {
  await handle.executeUpdate(purchase.quotePurchase, { args: [{ actor: agent, coverages }] });
  return handle.executeUpdate(purchase.submitApplication, {
    args: [{ actor: agent, submissionId: submission(), startsAt: await startsTomorrow() }],
  });
}

async function approveAndPay(handle: Handle) {
  await handle.executeUpdate(purchase.reviewApplication, { args: [{ actor: reviewer, approved: true }] });
  return handle.executeUpdate(purchase.recordPurchasePayment, {
    args: [{ actor: agent, amount: 3_500.5, method: 'wechat', reference: 'WX20261202001', invoiceNo: 'FP0001' }],
  });
}

async function waitFor(handle: Handle, done: (v: purchase.PurchaseView) => boolean) {
  let view = await handle.query(purchase.getPurchase);
  for (let i = 0; i < 50 && !done(view); i++) view = await handle.query(purchase.getPurchase);
  return view;
}

describe('purchase workflow', () => {
  it('walks quote → application → review → payment → issuance → confirmation, each clock met in turn', async () => {
    const { handle, view, purchaseNo } = await openPurchase();
    expect(view).toMatchObject({ status: 'quoting', clocks: [], policyNo: null });
    const quoted = await handle.executeUpdate(purchase.quotePurchase, { args: [{ actor: agent, coverages }] });
    expect(quoted.status).toBe('quoted');
    expect(quoted.quote).toMatchObject({ n: 1, total: 3_500.5 });
    const validity = clockOf(quoted, 'purchase.quoteValidity');
    expect(quoted.quote?.validUntil).toBe(validity.dueAt);
    const plan = log.notifications(purchaseNo).find((n) => n.template === 'purchase.quote');
    expect(plan).toMatchObject({ recipient: { kind: 'customer' }, params: { total: 3_500.5, coverages } });

    const submissionId = submission();
    const applied = await handle.executeUpdate(purchase.submitApplication, {
      args: [{ actor: agent, submissionId, startsAt: await startsTomorrow() }],
    });
    expect(applied.status).toBe('under_review');
    expect(adopted).toContainEqual({ caseId: purchaseNo, submissionId });
    expect(clockOf(applied, 'purchase.review').state).toBe('pending');

    const approved = await handle.executeUpdate(purchase.reviewApplication, {
      args: [{ actor: reviewer, approved: true }],
    });
    expect(approved.status).toBe('awaiting_payment');
    expect(clockOf(approved, 'purchase.review').state).toBe('met');
    const payment = clockOf(approved, 'purchase.payment');
    expect(Date.parse(payment.dueAt)).toBeLessThanOrEqual(Date.parse(validity.dueAt));

    // The payment must equal the quoted total: anything else is refused and changes nothing.
    expect(
      await refusal(
        handle.executeUpdate(purchase.recordPurchasePayment, {
          args: [{ actor: agent, amount: 3_500, method: 'card', reference: 'POS-1' }],
        }),
      ),
    ).toBe('InvalidStateTransition');
    const paid = await handle.executeUpdate(purchase.recordPurchasePayment, {
      args: [{ actor: agent, amount: 3_500.5, method: 'wechat', reference: 'WX20261202001', invoiceNo: 'FP0001' }],
    });
    expect(paid.status).toBe('paid');
    expect(paid.payment).toMatchObject({ amount: 3_500.5, reference: 'WX20261202001', invoiceNo: 'FP0001' });
    expect(clockOf(paid, 'purchase.payment').state).toBe('met');
    expect(clockOf(paid, 'purchase.quoteValidity').state).toBe('met');
    expect(log.notifications(purchaseNo).map((n) => n.template)).toContain('purchase.paymentReceipt');

    // Issuing is a supervisor's act.
    const effectiveAt = await startsTomorrow();
    expect(
      await refusal(
        handle.executeUpdate(purchase.issuePolicy, {
          args: [{ actor: agent, policyNo: 'PDAA202612020001', effectiveAt, delivery: 'electronic' }],
        }),
      ),
    ).toBe('ActionForbidden');
    const issued = await handle.executeUpdate(purchase.issuePolicy, {
      args: [{ actor: supervisor, policyNo: 'PDAA202612020001', effectiveAt, delivery: 'electronic' }],
    });
    expect(issued).toMatchObject({ status: 'issued', policyNo: 'PDAA202612020001' });
    expect(issued.issuance?.policies).toEqual([
      { policyNo: 'PDAA202612020001', product: 'commercial', premium: 3_500.5, written: 'written' },
    ]);
    const term = written.find((w) => w.caseId === purchaseNo);
    expect(term).toMatchObject({ startsAt: effectiveAt });
    expect(Date.parse(term!.expiresAt) - Date.parse(effectiveAt)).toBeGreaterThanOrEqual(365 * DAY);
    const confirmation = log.notifications(purchaseNo).find((n) => n.template === 'purchase.confirmation');
    expect(confirmation).toMatchObject({
      receipt: true,
      params: { effectiveAt, delivery: 'electronic', policyNos: ['PDAA202612020001'] },
    });
    expect(clockOf(issued, 'purchase.confirmation').state).toBe('pending');

    await handle.signal(notificationDelivered, {
      key: `${handle.workflowId}:confirmation`,
      sentAt: new Date(await env.currentTimeMs()).toISOString(),
    });
    const done = await handle.result();
    expect(done.status).toBe('confirmed');
    expect(clockOf(done, 'purchase.confirmation').state).toBe('met');
    expect(log.projections.filter((p) => p.summary.id === purchaseNo).at(-1)).toMatchObject({
      closed: true,
      summary: { type: 'purchase', status: 'confirmed', policyNo: 'PDAA202612020001' },
    });
  });

  it('four eyes: whoever took the application, or keyed a correction, may not review it', async () => {
    const { handle } = await openPurchase();
    await quoteAndApply(handle);
    expect(
      await refusal(handle.executeUpdate(purchase.reviewApplication, { args: [{ actor: agent, approved: true }] })),
    ).toBe('ActionForbidden');
    await handle.executeUpdate(purchase.reviewApplication, {
      args: [{ actor: supervisor, approved: false, problems: [{ field: 'vehicle.vin', message: 'VIN 与行驶证不符' }] }],
    });
    await handle.executeUpdate(purchase.submitCorrection, { args: [{ actor: reviewer, submissionId: submission() }] });
    expect(
      await refusal(handle.executeUpdate(purchase.reviewApplication, { args: [{ actor: reviewer, approved: true }] })),
    ).toBe('ActionForbidden');
    const view = await handle.executeUpdate(purchase.reviewApplication, {
      args: [{ actor: supervisor, approved: true }],
    });
    expect(view.status).toBe('awaiting_payment');
  });

  it('the review loop: each field to correct is named to the customer; a correction is reviewed again on a new clock', async () => {
    const { handle, purchaseNo } = await openPurchase();
    await quoteAndApply(handle);
    expect(
      await refusal(handle.executeUpdate(purchase.reviewApplication, { args: [{ actor: reviewer, approved: false }] })),
    ).toBe('InvalidCaseInput');
    const problems: purchase.ReviewProblem[] = [
      { field: 'holder.idNumber', message: '身份证号校验位错误' },
      { field: 'vehicle.engineNo', message: '发动机号缺失' },
    ];
    const sentBack = await handle.executeUpdate(purchase.reviewApplication, {
      args: [{ actor: reviewer, approved: false, problems }],
    });
    expect(sentBack.status).toBe('needs_correction');
    expect(sentBack.reviewProblems).toEqual(problems);
    expect(clockOf(sentBack, 'purchase.review').state).toBe('met');
    const notice = log.notifications(purchaseNo).find((n) => n.template === 'purchase.correctionNotice');
    expect(notice).toMatchObject({ recipient: { kind: 'customer' }, params: { problems } });
    // Payment before approval is refused.
    expect(
      await refusal(
        handle.executeUpdate(purchase.recordPurchasePayment, {
          args: [{ actor: agent, amount: 3_500.5, method: 'cash', reference: 'R1' }],
        }),
      ),
    ).toBe('InvalidStateTransition');

    const corrected = await handle.executeUpdate(purchase.submitCorrection, {
      args: [{ actor: agent, submissionId: submission() }],
    });
    expect(corrected.status).toBe('under_review');
    expect(corrected.reviewProblems).toEqual([]);
    expect(corrected.application).toMatchObject({ corrections: 1, keyedBy: [agent.id] });
    expect(clockOf(corrected, 'purchase.review', 2).state).toBe('pending');
    const approved = await handle.executeUpdate(purchase.reviewApplication, {
      args: [{ actor: reviewer, approved: true }],
    });
    expect(approved.reviews.map((r) => r.approved)).toEqual([false, true]);
    expect(clockOf(approved, 'purchase.review', 2).state).toBe('met');
  });

  it('purchase.review warns the supervisor, breaches and escalates to supervisor, then manager', async () => {
    const { handle, purchaseNo } = await openPurchase();
    const applied = await quoteAndApply(handle);
    const review = clockOf(applied, 'purchase.review');
    await sleepUntil(env, review.warnAt);
    expect(clockOf(await handle.query(purchase.getPurchase), 'purchase.review').state).toBe('warned');
    await sleepUntil(env, review.dueAt);
    let now = await handle.query(purchase.getPurchase);
    expect(clockOf(now, 'purchase.review').state).toBe('breached');
    expect(now.escalationLevel).toBe(1);
    await sleepUntil(env, Date.parse(review.dueAt) + (Date.parse(review.dueAt) - Date.parse(review.startedAt)));
    now = await handle.query(purchase.getPurchase);
    expect(now.escalationLevel).toBe(2);
    expect(log.notifications(purchaseNo).map((n) => [n.template, n.recipient])).toEqual(
      expect.arrayContaining([
        ['clock.warning', { kind: 'role', role: 'supervisor', team: 'east' }],
        ['clock.breached', { kind: 'role', role: 'supervisor', team: 'east' }],
        ['clock.escalated', { kind: 'role', role: 'manager' }],
      ]),
    );
    await handle.executeUpdate(purchase.abandonPurchase, { args: [{ actor: agent, reason: '客户另行投保' }] });
  });

  it('purchase.payment never runs past the quote, and breaches and escalates when the premium is late', async () => {
    const { handle, purchaseNo } = await openPurchase();
    // A quote valid for two days only: the 3-day payment clock ends with it.
    const validUntil = new Date((await env.currentTimeMs()) + 2 * DAY).toISOString();
    const quoted = await handle.executeUpdate(purchase.quotePurchase, {
      args: [{ actor: agent, coverages, validUntil }],
    });
    expect(quoted.quote?.validUntil).toBe(validUntil);
    await handle.executeUpdate(purchase.submitApplication, {
      args: [{ actor: agent, submissionId: submission(), startsAt: await startsTomorrow() }],
    });
    const approved = await handle.executeUpdate(purchase.reviewApplication, {
      args: [{ actor: reviewer, approved: true }],
    });
    const payment = clockOf(approved, 'purchase.payment');
    expect(payment.dueAt).toBe(validUntil);
    expect(log.eventKinds(purchaseNo)).toContain('clock.extended');

    // A longer quote for the next case: the payment clock runs its own 3 days, and breaches.
    const other = await openPurchase();
    await quoteAndApply(other.handle);
    const ok = await other.handle.executeUpdate(purchase.reviewApplication, {
      args: [{ actor: reviewer, approved: true }],
    });
    const own = clockOf(ok, 'purchase.payment');
    await sleepUntil(env, own.warnAt);
    expect(clockOf(await other.handle.query(purchase.getPurchase), 'purchase.payment').state).toBe('warned');
    await sleepUntil(env, own.dueAt);
    const late = await other.handle.query(purchase.getPurchase);
    expect(clockOf(late, 'purchase.payment').state).toBe('breached');
    expect(late.escalationLevel).toBe(1);
    // Paid late: the breach stays on the record.
    const paid = await other.handle.executeUpdate(purchase.recordPurchasePayment, {
      args: [{ actor: agent, amount: 3_500.5, method: 'transfer', reference: 'TR-9' }],
    });
    expect(clockOf(paid, 'purchase.payment').state).toBe('breached');
    await other.handle.executeUpdate(purchase.issuePolicy, {
      args: [
        {
          actor: supervisor,
          policyNo: `PD${randomUUID().slice(0, 8).toUpperCase()}`,
          effectiveAt: await startsTomorrow(),
          delivery: 'post',
        },
      ],
    });
    // The short quote ran out meanwhile, unpaid: that purchase has expired.
    expect((await handle.result()).status).toBe('expired');
  });

  it('purchase.quoteValidity warns the supervisor; a quote that runs out unpaid expires the purchase', async () => {
    const { handle, purchaseNo } = await openPurchase();
    const applied = await quoteAndApply(handle);
    const validity = clockOf(applied, 'purchase.quoteValidity');
    expect(Date.parse(validity.dueAt) - Date.parse(validity.startedAt)).toBeGreaterThanOrEqual(14 * DAY);
    await handle.executeUpdate(purchase.reviewApplication, { args: [{ actor: reviewer, approved: true }] });
    await sleepUntil(env, validity.warnAt);
    const warned = await handle.query(purchase.getPurchase);
    expect(clockOf(warned, 'purchase.quoteValidity').state).toBe('warned');
    const done = await handle.result();
    expect(done.status).toBe('expired');
    expect(done.endedAt).not.toBeNull();
    expect(done.clocks.every((c) => c.endedAt !== undefined)).toBe(true);
    expect(log.eventKinds(purchaseNo)).toContain('quote.expired');
    expect(log.notifications(purchaseNo).map((n) => n.template)).toEqual(
      expect.arrayContaining(['clock.warning', 'purchase.expired']),
    );
  });

  it('purchase.confirmation breaches when the confirmation is not delivered; delivery later still confirms', async () => {
    const { handle } = await openPurchase();
    await quoteAndApply(handle);
    await approveAndPay(handle);
    const issued = await handle.executeUpdate(purchase.issuePolicy, {
      args: [
        {
          actor: supervisor,
          policyNo: `PD${randomUUID().slice(0, 8).toUpperCase()}`,
          effectiveAt: await startsTomorrow(),
          delivery: 'counter',
        },
      ],
    });
    const confirmation = clockOf(issued, 'purchase.confirmation');
    await sleepUntil(env, confirmation.warnAt);
    expect(clockOf(await handle.query(purchase.getPurchase), 'purchase.confirmation').state).toBe('warned');
    await sleepUntil(env, confirmation.dueAt);
    const late = await handle.query(purchase.getPurchase);
    expect(clockOf(late, 'purchase.confirmation').state).toBe('breached');
    expect(late.escalationLevel).toBe(1);
    await handle.signal(notificationDelivered, {
      key: `${handle.workflowId}:confirmation`,
      sentAt: new Date(await env.currentTimeMs()).toISOString(),
    });
    const done = await waitFor(handle, (v) => v.status === 'confirmed');
    expect(done.status).toBe('confirmed');
    expect(clockOf(done, 'purchase.confirmation').state).toBe('breached');
  });

  it('a purchase opened from a renewal marks it renewed at issuance with the policy of its product; both products issue two policies', async () => {
    const renewalOf: purchase.RenewalLink = {
      caseId: 'PDOLD0001-20261220',
      policyNo: 'PDOLD0001',
      product: 'compulsory',
      expiresAt: '2026-12-19T16:00:00.000Z',
      offeredPremium: 950,
    };
    const { handle, purchaseNo } = await openPurchase({ product: 'both', renewalOf });
    const both = [{ code: 'compulsory', sumInsured: 200_000, deductible: null, premium: 950 }, ...coverages];
    expect(await refusal(handle.executeUpdate(purchase.quotePurchase, { args: [{ actor: agent, coverages }] }))).toBe(
      'InvalidCaseInput',
    );
    await handle.executeUpdate(purchase.quotePurchase, { args: [{ actor: agent, coverages: both }] });
    await handle.executeUpdate(purchase.submitApplication, {
      args: [{ actor: agent, submissionId: submission(), startsAt: await startsTomorrow() }],
    });
    await handle.executeUpdate(purchase.reviewApplication, { args: [{ actor: reviewer, approved: true }] });
    await handle.executeUpdate(purchase.recordPurchasePayment, {
      args: [{ actor: agent, amount: 4_450.5, method: 'alipay', reference: 'ALI-77' }],
    });
    const effectiveAt = await startsTomorrow();
    expect(
      await refusal(
        handle.executeUpdate(purchase.issuePolicy, {
          args: [{ actor: supervisor, policyNo: 'PDNEW0001', effectiveAt, delivery: 'electronic' }],
        }),
      ),
    ).toBe('InvalidCaseInput');
    const issued = await handle.executeUpdate(purchase.issuePolicy, {
      args: [
        {
          actor: supervisor,
          policyNo: 'PDNEW0001',
          compulsoryPolicyNo: 'PCNEW0001',
          effectiveAt,
          delivery: 'electronic',
        },
      ],
    });
    expect(issued.issuance?.policies.map((p) => [p.policyNo, p.product, p.premium])).toEqual([
      ['PDNEW0001', 'commercial', 3_500.5],
      ['PCNEW0001', 'compulsory', 950],
    ]);
    expect(renewalsMarked).toContainEqual({
      renewalCaseId: renewalOf.caseId,
      newPolicyNo: 'PCNEW0001',
      premium: 950,
      actor: supervisor,
    });
    expect(issued.renewalOutcome).toMatchObject({ outcome: 'renewed' });
    expect(log.eventKinds(purchaseNo)).toContain('renewal.renewed');
  });
});
