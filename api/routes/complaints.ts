/**
 * Complaints (投诉). Opening one writes the personal data (the customer, the description) to
 * PostgreSQL first, then starts the workflow with its first Update in one round trip
 * (update-with-start), so Temporal never carries them. Actions are Updates whose validators refuse
 * illegal transitions (409), a role the step needs (403) and unacceptable input (422).
 */
import { WithStartWorkflowOperation, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { QueryDefinition, UpdateDefinition } from '@temporalio/common';
import type { z } from 'zod';
import { getCaseRow } from '../../db/repositories/cases';
import { getPersonalData } from '../../db/repositories/personal-data';
import type { Actor, Role } from '../../domain/case';
import {
  acknowledgeComplaint,
  complaintOpened,
  complaintWorkflowId,
  extendDecision,
  getComplaint,
  proposeResolution,
  recordCustomerResponse,
  recordInvestigation,
  recordSatisfaction,
  type ComplaintInput,
  type ComplaintView,
} from '../../workflows/complaint/contract';
import { complaintWorkflow } from '../../workflows/complaint/workflow';
import { TASK_QUEUE } from '../../workflows/shared/contract';
import { actorOf, inScope, scopeTeam, type Principal } from '../auth';
import { findCase, updateExistingCase, type CaseRow } from '../case-access';
import { reserveCaseNumber } from '../case-number';
import type { AppContext } from '../context';
import { problems } from '../errors';
import { presentComplaint } from '../presenters';
import type { ApiRoutes } from '../routing';
import { caseIdParams } from '../schemas/common';
import {
  acknowledgeBody,
  complaintResponse,
  createComplaintBody,
  customerResponseBody,
  extensionBody,
  investigationBody,
  proposalBody,
  satisfactionBody,
} from '../schemas/complaints';

export const COMPLAINTS_BASE = '/api/v1/complaints';

export function registerComplaintRoutes(routes: ApiRoutes, ctx: AppContext): void {
  const { db, temporal, now, metrics } = ctx;

  routes.add(
    {
      method: 'post',
      path: '/complaints',
      tag: 'Complaints',
      summary: 'Record a complaint (受理投诉)',
      description:
        'Starts the complaint with complaint.acknowledge (1 working day) and the statutory complaint.decision (15 days). A complaint forwarded by the regulator starts at escalation level 1 and notifies the supervisor.',
      access: 'agent',
      body: createComplaintBody,
      idempotent: true,
      responses: { 201: { description: 'The complaint as the workflow sees it', schema: complaintResponse, headers: { Location: 'The complaint URL' } } },
      problems: [403, 409, 422],
    },
    async ({ principal, body, req }) => {
      const team = openingTeam(principal, body.team);
      if (body.relatedCaseId !== undefined) await requireVisibleCase(principal, body.relatedCaseId);
      const receivedAt = now();
      const personal = { customer: { name: body.customer.name, phone: body.customer.phone }, description: body.description };
      const key = req.get('Idempotency-Key');
      const complaintNo = await reserveCaseNumber(db, 'complaint', receivedAt, personal, key === undefined ? undefined : { actor: principal.sub, key });
      const input: ComplaintInput = {
        complaintNo,
        team,
        assignee: principal.role === 'agent' ? principal.sub : null,
        channel: body.channel,
        category: body.category,
        policyNo: body.policyNo ?? null,
        relatedCaseId: body.relatedCaseId ?? null,
        receivedAt: receivedAt.toISOString(),
        openedBy: actorOf(principal),
      };
      const view = await temporal.workflow.executeUpdateWithStart(complaintOpened, {
        startWorkflowOperation: new WithStartWorkflowOperation(complaintWorkflow, {
          workflowId: complaintWorkflowId(complaintNo),
          taskQueue: TASK_QUEUE,
          args: [input],
          // A retried start of the same complaint number joins the complaint instead of failing.
          workflowIdConflictPolicy: 'USE_EXISTING',
        }),
      });
      metrics.casesOpened.inc({ type: 'complaint' });
      return { status: 201, body: presentComplaint(view, personal), headers: { Location: `${COMPLAINTS_BASE}/${complaintNo}` } };
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/complaints/{id}',
      tag: 'Complaints',
      summary: 'A complaint, live from its workflow',
      access: 'agent',
      params: caseIdParams,
      responses: { 200: { description: 'The complaint', schema: complaintResponse } },
      problems: [404],
    },
    async ({ principal, params }) => {
      const row = await findCase(db, principal, params.id, 'complaint');
      const [view, personal] = await Promise.all([readCaseView(temporal, row, complaintWorkflowId(row.id), getComplaint), getPersonalData(db, row.id)]);
      return { status: 200, body: presentComplaint(view, personal) };
    },
  );

  /** A related case must be one the caller can see: otherwise ids could be probed across teams. */
  async function requireVisibleCase(principal: Principal, id: string): Promise<void> {
    const related = await getCaseRow(db, id);
    if (!related || !inScope(principal, related.team)) throw problems.unprocessable('relatedCaseId names no case you can see.');
  }

  /** The body schema must produce exactly the Update's input without the actor (checked at each call). */
  const action = <I extends { actor: Actor }>(
    segment: string,
    summary: string,
    access: Role,
    body: z.ZodType<Omit<I, 'actor'>>,
    update: UpdateDefinition<ComplaintView, [I]>,
    description?: string,
  ) =>
    routes.add(
      {
        method: 'post',
        path: `/complaints/{id}/${segment}`,
        tag: 'Complaints',
        summary,
        description,
        access,
        params: caseIdParams,
        body,
        idempotent: true,
        responses: { 200: { description: 'The complaint after the action', schema: complaintResponse } },
        problems: [403, 404, 409, 422],
      },
      async ({ principal, params, body: parsed }) => {
        const row = await findCase(db, principal, params.id, 'complaint');
        const handle = temporal.workflow.getHandle(complaintWorkflowId(row.id));
        const [view, personal] = await Promise.all([
          updateExistingCase(row, () => handle.executeUpdate(update, { args: [{ ...parsed, actor: actorOf(principal) } as I] })),
          getPersonalData(db, row.id),
        ]);
        return { status: 200, body: presentComplaint(view, personal) };
      },
    );

  action('acknowledge', 'Acknowledge the complaint: apologise and promise handling (meets complaint.acknowledge)', 'agent', acknowledgeBody, acknowledgeComplaint);
  action('investigation', 'Add an investigation note (acknowledged → investigating)', 'agent', investigationBody, recordInvestigation);
  action('proposal', 'Propose a resolution (→ proposed; internal clocks pause while the customer decides)', 'agent', proposalBody, proposeResolution);
  action(
    'customer-response',
    "Record the customer's answer to the proposal",
    'agent',
    customerResponseBody,
    recordCustomerResponse,
    'Accepted → resolved (the statutory decision clock is met, the survey goes out, complaint.followUp starts); rejected → back to investigating with the statutory decision clock still running.',
  );
  action(
    'extension',
    'Extend the statutory decision period (first: supervisor+, total 30 days; second: manager+, total 60 days)',
    'supervisor',
    extensionBody,
    extendDecision,
    'Moves the complaint.decision clock and sends the customer a notice. An agent gets 403; a supervisor asking for the second extension gets 403; a third extension, or one after the period has run out, gets 409.',
  );
  action('satisfaction', "Record the customer's satisfaction score (1–5); the complaint closes", 'agent', satisfactionBody, recordSatisfaction);
}

/** Agents and supervisors open cases for their own team; managers and admins name one. */
export function openingTeam(principal: Principal, requested: string | undefined): string {
  const own = scopeTeam(principal);
  if (own !== undefined) {
    if (requested !== undefined && requested !== own) throw problems.forbidden('Agents and supervisors open cases for their own team only.');
    return own;
  }
  if (requested === undefined) throw problems.validation([{ path: 'team', message: 'Required for managers and admins.' }]);
  return requested;
}

/**
 * An open case is queried from its workflow; a closed one (or one gone past retention) is read from
 * its projection: no replay on a worker, and it outlives retention.
 */
export async function readCaseView<V>(temporal: Client, row: CaseRow, workflowId: string, query: QueryDefinition<V>): Promise<V> {
  if (row.closedAt) return row.data as V;
  try {
    return await temporal.workflow.getHandle(workflowId).query(query);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return row.data as V;
    throw err;
  }
}
