/**
 * Purchases (投保). Opening one writes the customer's data to PostgreSQL first, then starts the
 * workflow with its first Update (update-with-start). The application form (holder with ID number,
 * VIN, engine number) is personal data too: the route stores each submitted form under a new
 * submission id and hands the workflow only that id; the workflow adopts the form when it accepts
 * the Update. A renewal becomes a purchase through `POST /renewals/{id}/purchase`, prefilled from the
 * expiring policy; its issuance marks the renewal renewed.
 */
import { randomBytes } from 'node:crypto';
import { getInsurancePolicy } from '../../db/repositories/insurance-policies';
import { getPersonalData } from '../../db/repositories/personal-data';
import {
  type ApplicationForm,
  insurancePolicyExists,
  openPurchaseForRenewal,
  saveApplicationSubmission,
} from '../../db/repositories/purchases';
import { renewalActionAllowed } from '../../domain/renewal';
import {
  abandonPurchase,
  getPurchase,
  issuePolicy,
  purchaseOpened,
  purchaseWorkflowId,
  quotePurchase,
  recordPurchasePayment,
  reviewApplication,
  submitApplication,
  submitCorrection,
  type PurchaseInput,
  type RenewalLink,
} from '../../workflows/purchase/contract';
import { purchaseWorkflow } from '../../workflows/purchase/workflow';
import { getRenewal, type RenewalView } from '../../workflows/renewal/contract';
import { caseWorkflowId } from '../../workflows/shared/contract';
import { actorOf, type Principal } from '../auth';
import { findCase, readCaseView } from '../case-access';
import { caseKindRoutes, openingTeam } from '../case-kind';
import { reserveCaseNumber } from '../case-number';
import type { AppContext } from '../context';
import { problems } from '../errors';
import { presentPurchase } from '../presenters';
import type { ApiRoutes } from '../routing';
import { caseIdParams } from '../schemas/common';
import {
  abandonBody,
  applicationBody,
  correctionBody,
  createPurchaseBody,
  issueBody,
  paymentBody,
  purchaseResponse,
  quoteBody,
  renewalPurchaseBody,
  reviewBody,
} from '../schemas/purchases';

const PURCHASES_BASE = '/api/v1/purchases';

/**
 * A submission's id: a request's retry with the same Idempotency-Key (its Update id) stores the form
 * under the same id and joins the same Update, so no second copy of the form is left behind.
 */
const submissionIdOf = (updateId: string | undefined): string =>
  updateId === undefined
    ? `s${randomBytes(8).toString('hex')}`
    : `s${updateId.slice('idem-'.length, 'idem-'.length + 16)}`;

export function registerPurchaseRoutes(routes: ApiRoutes, ctx: AppContext): void {
  const { db, temporal, now } = ctx;
  const purchases = caseKindRoutes(routes, ctx, {
    type: 'purchase',
    path: '/purchases',
    url: PURCHASES_BASE,
    tag: 'Purchases',
    response: purchaseResponse,
    workflowId: purchaseWorkflowId,
    workflow: purchaseWorkflow,
    opened: purchaseOpened,
    view: getPurchase,
    present: presentPurchase,
  });

  /** The renewal a purchase renews, as the caller may see it: open, with no other purchase open for it. */
  async function renewalToBuy(principal: Principal, renewalId: string) {
    const row = await findCase(db, principal, renewalId, 'renewal');
    const renewal = await readCaseView<RenewalView>(temporal, row, caseWorkflowId('renewal', row.id), getRenewal);
    if (!renewalActionAllowed(renewal.status, 'renewed'))
      throw problems.conflict(`The renewal is ${renewal.status}; it can no longer become a purchase.`);
    const open = await openPurchaseForRenewal(db, row.id);
    if (open) throw problems.conflict(`Purchase ${open} is already open for this renewal.`);
    const policy = await getInsurancePolicy(db, renewal.policyNo);
    if (!policy) throw problems.conflict('The expiring policy is not in insurance_policies.');
    const link: RenewalLink = {
      caseId: row.id,
      policyNo: policy.policyNo,
      product: policy.product,
      expiresAt: policy.expiresAt,
      offeredPremium: renewal.offer?.premium ?? null,
    };
    const { name, phone, email } = policy.holder;
    return {
      team: row.team,
      link,
      customer: email ? { name, phone, email } : { name, phone },
      plate: policy.plate,
    };
  }

  async function prepareOpening(
    principal: Principal,
    body: {
      customer?: { name: string; phone: string; email?: string };
      vehicle?: { plate: string; usage?: 'private' | 'business' };
      product?: PurchaseInput['product'];
      needs?: string;
      team?: string;
    },
    renewalId: string | undefined,
    idempotency: { actor: string; key: string } | undefined,
  ) {
    const renewal = renewalId === undefined ? undefined : await renewalToBuy(principal, renewalId);
    const team = renewal?.team ?? openingTeam(principal, body.team);
    const openedAt = now();
    const customer = body.customer ?? renewal?.customer;
    const plate = body.vehicle?.plate ?? renewal?.plate;
    const product = body.product ?? renewal?.link.product;
    if (!customer || !plate || !product) throw new Error('a purchase needs a customer, a vehicle and a product');
    const personal = {
      customer,
      vehicle: body.vehicle?.usage ? { plate, usage: body.vehicle.usage } : { plate },
      needs: body.needs ?? null,
    };
    const purchaseNo = await reserveCaseNumber(db, 'purchase', openedAt, personal, idempotency);
    const input: PurchaseInput = {
      purchaseNo,
      team,
      assignee: principal.role === 'agent' ? principal.sub : null,
      product,
      usage: body.vehicle?.usage ?? null,
      renewalOf: renewal?.link ?? null,
      openedAt: openedAt.toISOString(),
      openedBy: actorOf(principal),
    };
    return { caseNo: purchaseNo, personal, input };
  }

  purchases.open(
    {
      summary: 'Open a purchase (投保): the customer, the vehicle and the product wanted',
      description:
        '→ `quoting`. With `renewalOf` (a renewal case id) the purchase renews that policy, as `POST /renewals/{id}/purchase` does: its issuance marks the renewal `renewed`. 404 when `renewalOf` names no renewal you can see.',
      problems: [404],
    },
    createPurchaseBody,
    ({ principal, body, idempotency }) => prepareOpening(principal, body, body.renewalOf, idempotency),
  );

  purchases.open(
    {
      summary: 'Renew through a purchase (续保: 流程与投保手续相同), prefilled from the expiring policy',
      description:
        'Opens a purchase for the holder, vehicle and product of the expiring policy (`renewalOf` carries the renewal and its offer); its issuance marks the renewal `renewed` with the new policy number and premium. 409 when the renewal has ended or a purchase for it is already open; 404 when the renewal is not one you can see.',
      problems: [404],
    },
    renewalPurchaseBody,
    ({ principal, body, idempotency, params }) => prepareOpening(principal, body, params.id, idempotency),
    { path: '/renewals/{id}/purchase', tag: 'Renewals', params: caseIdParams },
  );

  purchases.read('A purchase, live from its workflow: the quote, the application (masked), reviews, payment, issuance');

  purchases.action(
    'quote',
    'Quote the plan (投保方案): each coverage with sum insured, deductible and premium (→ quoted)',
    'agent',
    quoteBody,
    quotePurchase,
    'The plan and its total go to the customer; purchase.quoteValidity (15 days) starts: unpaid by then, the purchase expires. A new quote replaces the last one while the customer has not applied. A plan that does not fit the product is 422.',
  );

  routes.add(
    {
      method: 'post',
      path: '/purchases/{id}/application',
      tag: 'Purchases',
      summary: 'Take the application form (投保单) (→ under_review; purchase.review starts)',
      description:
        'Holder (with ID number) and vehicle (VIN, engine number) are personal data: stored outside the workflow, masked in every response, full values through the audited reveal. Status `quoted` (else 409); a start in the past is 422.',
      access: 'agent',
      params: caseIdParams,
      body: applicationBody,
      idempotent: true,
      responses: { 200: { description: 'The purchase under review', schema: purchaseResponse } },
      problems: [403, 404, 409, 422],
    },
    async ({ principal, params, body, updateId }) => {
      const row = await findCase(db, principal, params.id, 'purchase');
      const submissionId = submissionIdOf(updateId);
      await saveApplicationSubmission(db, row.id, submissionId, { holder: body.holder, vehicle: body.vehicle });
      return purchases.act(principal, row.id, submitApplication, { submissionId, startsAt: body.startsAt }, updateId);
    },
  );

  purchases.action(
    'review',
    'Review the application (审核投保单): approve (→ awaiting_payment) or name each field to correct (→ needs_correction)',
    'agent',
    reviewBody,
    reviewApplication,
    'Four eyes: whoever took the application or keyed a correction may not review it (403). Approval starts purchase.payment (3 days, never past the quote); a refusal tells the customer each field to correct.',
  );

  routes.add(
    {
      method: 'post',
      path: '/purchases/{id}/correction',
      tag: 'Purchases',
      summary: 'The corrected fields of the application (→ under_review; a new review)',
      description: 'Status `needs_correction` (else 409). Only the fields given change; the rest of the form stays.',
      access: 'agent',
      params: caseIdParams,
      body: correctionBody,
      idempotent: true,
      responses: { 200: { description: 'The purchase under review again', schema: purchaseResponse } },
      problems: [403, 404, 409, 422],
    },
    async ({ principal, params, body, updateId }) => {
      const row = await findCase(db, principal, params.id, 'purchase');
      const current = (await getPersonalData(db, row.id))?.application as ApplicationForm | undefined;
      if (!current) throw problems.conflict('There is no application to correct.');
      const submissionId = submissionIdOf(updateId);
      await saveApplicationSubmission(db, row.id, submissionId, {
        holder: { ...current.holder, ...body.holder },
        vehicle: { ...current.vehicle, ...body.vehicle },
      });
      return purchases.act(
        principal,
        row.id,
        submitCorrection,
        { submissionId, ...(body.startsAt === undefined ? {} : { startsAt: body.startsAt }) },
        updateId,
      );
    },
  );

  purchases.action(
    'payment',
    'Record the premium (收取保费) with its receipt / invoice number (→ paid)',
    'agent',
    paymentBody,
    recordPurchasePayment,
    'The amount must equal the quoted total: anything else is 409 and changes nothing. Meets purchase.payment and purchase.quoteValidity; the customer gets the receipt.',
  );

  routes.add(
    {
      method: 'post',
      path: '/purchases/{id}/issue',
      tag: 'Purchases',
      summary: 'Issue the policy (→ issued): written into insurance_policies, the confirmation sent',
      description:
        'Supervisor+. The confirmation (effective time, how the policy is delivered) goes to the customer; purchase.confirmation (1 working day) is met, and the purchase `confirmed`, when it is delivered. The policy runs a year from `effectiveAt` and is found by next year’s renewal sweep; a purchase of both products names the 交强险 policy in `compulsoryPolicyNo`. A purchase from a renewal marks it `renewed`. A policy number already taken is 409.',
      access: 'supervisor',
      params: caseIdParams,
      body: issueBody,
      idempotent: true,
      responses: { 200: { description: 'The purchase, issued', schema: purchaseResponse } },
      problems: [403, 404, 409, 422],
    },
    async ({ principal, params, body, updateId }) => {
      const row = await findCase(db, principal, params.id, 'purchase');
      for (const no of [body.policyNo, body.compulsoryPolicyNo]) {
        if (no !== undefined && (await insurancePolicyExists(db, no)))
          throw problems.conflict(`Policy number ${no} is already taken.`);
      }
      return purchases.act(principal, row.id, issuePolicy, body, updateId);
    },
  );

  purchases.action(
    'abandon',
    'The customer walks away before paying (→ abandoned)',
    'agent',
    abandonBody,
    abandonPurchase,
  );
}
