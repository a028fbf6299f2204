/**
 * Claims (理赔). Opening one writes the personal data to PostgreSQL first, then starts the workflow
 * with its first Update in one round trip (update-with-start), so Temporal never carries a name, a
 * phone number or a plate. Actions are Updates whose validators refuse illegal transitions (409).
 */
import { WithStartWorkflowOperation, WorkflowNotFoundError } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { z } from 'zod';
import { getPersonalData, reservePersonalData } from '../../db/repositories/personal-data';
import type { Actor, Role } from '../../domain/case';
import {
  addDocuments,
  claimOpened,
  claimWorkflowId,
  getClaim,
  recordAssessment,
  recordContact,
  recordDecision,
  recordPayment,
  withdrawClaim,
  type ClaimInput,
  type ClaimView,
} from '../../workflows/claim/contract';
import { claimWorkflow } from '../../workflows/claim/workflow';
import { TASK_QUEUE } from '../../workflows/shared/contract';
import { actorOf, scopeTeam, type Principal } from '../auth';
import { findCase, updateExistingCase } from '../case-access';
import { claimNumberForKey, newClaimNumber } from '../claim-number';
import type { AppContext } from '../context';
import { problems } from '../errors';
import { presentClaim } from '../presenters';
import type { ApiRoutes } from '../routing';
import { assessmentBody, claimResponse, contactBody, createClaimBody, decisionBody, documentsBody, paymentBody, withdrawBody, type CreateClaimBody } from '../schemas/claims';
import { caseIdParams } from '../schemas/common';

/** Clocks of reporters and servers disagree a little; more than this ahead is an input error. */
const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;
export const CLAIMS_BASE = '/api/v1/claims';

export function registerClaimRoutes(routes: ApiRoutes, ctx: AppContext): void {
  const { db, temporal, now, metrics } = ctx;

  routes.add(
    {
      method: 'post',
      path: '/claims',
      tag: 'Claims',
      summary: 'Report a claim (报案)',
      access: 'agent',
      body: createClaimBody,
      idempotent: true,
      responses: { 201: { description: 'The claim as the workflow sees it', schema: claimResponse, headers: { Location: 'The claim URL' } } },
      problems: [403, 409, 422],
    },
    async ({ principal, body, req }) => {
      const team = teamFor(principal, body.team);
      const reportedAt = now();
      if (Date.parse(body.accident.occurredAt) > reportedAt.getTime() + FUTURE_TOLERANCE_MS) {
        throw problems.validation([{ path: 'accident.occurredAt', message: 'Must not be in the future.' }]);
      }
      const personal = personalDataOf(body);
      // Before the workflow exists: the case never runs without the data the notices need.
      const key = req.get('Idempotency-Key');
      const claimNo = key ? claimNumberForKey(reportedAt, principal.sub, key) : await reserveClaimNumber(reportedAt, personal);
      if (key) await reservePersonalData(db, claimNo, personal);
      const input: ClaimInput = {
        claimNo,
        team,
        assignee: principal.role === 'agent' ? principal.sub : null,
        policyNo: body.policyNo,
        coverage: body.coverage,
        injuries: personal.accident.injuries,
        reportedAt: reportedAt.toISOString(),
        openedBy: actorOf(principal),
      };
      const view = await temporal.workflow.executeUpdateWithStart(claimOpened, {
        startWorkflowOperation: new WithStartWorkflowOperation(claimWorkflow, {
          workflowId: claimWorkflowId(claimNo),
          taskQueue: TASK_QUEUE,
          args: [input],
          // A retried start of the same claim number joins the claim instead of failing.
          workflowIdConflictPolicy: 'USE_EXISTING',
        }),
      });
      metrics.casesOpened.inc({ type: 'claim' });
      return { status: 201, body: presentClaim(view, personal), headers: { Location: `${CLAIMS_BASE}/${claimNo}` } };
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/claims/{id}',
      tag: 'Claims',
      summary: 'A claim, live from its workflow',
      access: 'agent',
      params: caseIdParams,
      responses: { 200: { description: 'The claim', schema: claimResponse } },
      problems: [404],
    },
    async ({ principal, params }) => {
      const row = await findCase(db, principal, params.id, 'claim');
      const [view, personal] = await Promise.all([liveView(row), getPersonalData(db, row.id)]);
      return { status: 200, body: presentClaim(view, personal ?? undefined) };
    },
  );

  /**
   * 32^6 numbers a day make a clash rare but not impossible on a hail-storm day, and the start joins
   * an existing workflow: the number is reserved by inserting its personal data, in one round trip.
   */
  async function reserveClaimNumber(at: Date, personal: Record<string, unknown>): Promise<string> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const claimNo = newClaimNumber(at);
      if (await reservePersonalData(db, claimNo, personal)) return claimNo;
    }
    throw new Error('no unused claim number after 5 attempts');
  }

  /** A closed claim is read from its projection: no replay on a worker, and it outlives retention. */
  async function liveView(row: { id: string; data: object; closedAt?: unknown }): Promise<object> {
    if (row.closedAt) return row.data;
    try {
      return await temporal.workflow.getHandle(claimWorkflowId(row.id)).query(getClaim);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return row.data;
      throw err;
    }
  }

  /** The body schema must produce exactly the Update's input without the actor (checked at each call). */
  const action = <I extends { actor: Actor }>(
    segment: string,
    summary: string,
    access: Role,
    body: z.ZodType<Omit<I, 'actor'>>,
    update: UpdateDefinition<ClaimView, [I]>,
  ) =>
    routes.add(
      {
        method: 'post',
        path: `/claims/{id}/${segment}`,
        tag: 'Claims',
        summary,
        access,
        params: caseIdParams,
        body,
        idempotent: true,
        responses: { 200: { description: 'The claim after the action', schema: claimResponse } },
        problems: [403, 404, 409, 422],
      },
      async ({ principal, params, body: parsed }) => {
        const row = await findCase(db, principal, params.id, 'claim');
        const handle = temporal.workflow.getHandle(claimWorkflowId(row.id));
        const [view, personal] = await Promise.all([
          updateExistingCase(row, () => handle.executeUpdate(update, { args: [{ ...parsed, actor: actorOf(principal) } as I] })),
          getPersonalData(db, row.id),
        ]);
        return { status: 200, body: presentClaim(view, personal ?? undefined) };
      },
    );

  action('contact', 'Record a call-back to the reporter (reached meets claim.firstContact)', 'agent', contactBody, recordContact);
  action('documents', 'Record documents received; none missing → under_review', 'agent', documentsBody, addDocuments);
  action('assessment', 'Record the loss assessment (定损)', 'agent', assessmentBody, recordAssessment);
  action('decision', 'Approve or deny the claim', 'supervisor', decisionBody, recordDecision);
  action('payment', 'Record the payment; the claim is paid', 'supervisor', paymentBody, recordPayment);
  action('withdraw', 'Withdraw the claim', 'agent', withdrawBody, withdrawClaim);
}

/** Agents and supervisors open cases for their own team; managers and admins name one. */
function teamFor(principal: Principal, requested: string | undefined): string {
  const own = scopeTeam(principal);
  if (own !== undefined) {
    if (requested !== undefined && requested !== own) throw problems.forbidden('Agents and supervisors open cases for their own team only.');
    return own;
  }
  if (requested === undefined) throw problems.validation([{ path: 'team', message: 'Required for managers and admins.' }]);
  return requested;
}

function personalDataOf(body: CreateClaimBody) {
  const { occurredAt, location, description, injuries, policeReported } = body.accident;
  return {
    reporter: { name: body.reporter.name, phone: body.reporter.phone },
    vehicle: { plate: body.vehicle.plate },
    accident: { occurredAt, location, description, injuries: injuries ?? false, policeReported: policeReported ?? null },
  };
}
