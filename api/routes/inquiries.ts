/**
 * Inquiries (咨询). Opening one writes the personal data (the customer, the question) to PostgreSQL
 * first, then starts the workflow with its first Update (update-with-start): with an `answer` the
 * inquiry was answered on the spot and comes back closed; without, it is open with the inquiry.answer
 * clock. Actions are Updates whose validators refuse illegal transitions (409).
 */
import { WithStartWorkflowOperation } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { z } from 'zod';
import { getPersonalData } from '../../db/repositories/personal-data';
import type { Actor, Role } from '../../domain/case';
import {
  answerInquiry,
  awaitCustomer,
  customerReplied,
  getInquiry,
  inquiryOpened,
  inquiryWorkflowId,
  recordConsultationReply,
  requestConsultation,
  reviewInquiry,
  type InquiryInput,
  type InquiryView,
} from '../../workflows/inquiry/contract';
import { inquiryWorkflow } from '../../workflows/inquiry/workflow';
import { TASK_QUEUE } from '../../workflows/shared/contract';
import { actorOf, type Principal } from '../auth';
import { findCase, updateExistingCase } from '../case-access';
import { reserveCaseNumber } from '../case-number';
import type { AppContext } from '../context';
import { presentInquiry } from '../presenters';
import type { ApiRoutes } from '../routing';
import { caseIdParams } from '../schemas/common';
import {
  answerBody,
  awaitingCustomerBody,
  consultationBody,
  consultationParams,
  consultationReplyBody,
  createInquiryBody,
  customerReplyBody,
  inquiryResponse,
  reviewBody,
} from '../schemas/inquiries';
import { openingTeam, readCaseView } from './complaints';

export const INQUIRIES_BASE = '/api/v1/inquiries';

export function registerInquiryRoutes(routes: ApiRoutes, ctx: AppContext): void {
  const { db, temporal, now, metrics } = ctx;

  routes.add(
    {
      method: 'post',
      path: '/inquiries',
      tag: 'Inquiries',
      summary: 'Record an inquiry (咨询)',
      description:
        'With `answer`: answered on the spot, recorded and closed at once (it still counts for KPIs and quality review). Without: `open` with the inquiry.answer clock (1 working day); the customer is told the promised time.',
      access: 'agent',
      body: createInquiryBody,
      idempotent: true,
      responses: { 201: { description: 'The inquiry as the workflow sees it', schema: inquiryResponse, headers: { Location: 'The inquiry URL' } } },
      problems: [403, 409, 422],
    },
    async ({ principal, body, req }) => {
      const team = openingTeam(principal, body.team);
      const receivedAt = now();
      const personal = { customer: { name: body.customer.name, phone: body.customer.phone }, question: body.question };
      const key = req.get('Idempotency-Key');
      const inquiryNo = await reserveCaseNumber(db, 'inquiry', receivedAt, personal, key === undefined ? undefined : { actor: principal.sub, key });
      const input: InquiryInput = {
        inquiryNo,
        team,
        assignee: principal.role === 'agent' ? principal.sub : null,
        channel: body.channel,
        topic: body.topic,
        answer: body.answer ?? null,
        receivedAt: receivedAt.toISOString(),
        openedBy: actorOf(principal),
      };
      const view = await temporal.workflow.executeUpdateWithStart(inquiryOpened, {
        startWorkflowOperation: new WithStartWorkflowOperation(inquiryWorkflow, {
          workflowId: inquiryWorkflowId(inquiryNo),
          taskQueue: TASK_QUEUE,
          args: [input],
          // A retried start of the same inquiry number joins the inquiry instead of failing.
          workflowIdConflictPolicy: 'USE_EXISTING',
        }),
      });
      metrics.casesOpened.inc({ type: 'inquiry' });
      return { status: 201, body: presentInquiry(view, personal), headers: { Location: `${INQUIRIES_BASE}/${inquiryNo}` } };
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/inquiries/{id}',
      tag: 'Inquiries',
      summary: 'An inquiry, live from its workflow',
      access: 'agent',
      params: caseIdParams,
      responses: { 200: { description: 'The inquiry', schema: inquiryResponse } },
      problems: [404],
    },
    async ({ principal, params }) => {
      const row = await findCase(db, principal, params.id, 'inquiry');
      const [view, personal] = await Promise.all([readCaseView(temporal, row, inquiryWorkflowId(row.id), getInquiry), getPersonalData(db, row.id)]);
      return { status: 200, body: presentInquiry(view, personal) };
    },
  );

  /** Runs an Update on an inquiry the caller may see and presents the result. */
  async function act<I extends { actor: Actor }>(
    principal: Principal,
    id: string,
    update: UpdateDefinition<InquiryView, [I]>,
    input: Omit<I, 'actor'>,
  ) {
    const row = await findCase(db, principal, id, 'inquiry');
    const handle = temporal.workflow.getHandle(inquiryWorkflowId(row.id));
    const [view, personal] = await Promise.all([
      updateExistingCase(row, () => handle.executeUpdate(update, { args: [{ ...input, actor: actorOf(principal) } as I] })),
      getPersonalData(db, row.id),
    ]);
    return { status: 200, body: presentInquiry(view, personal) };
  }

  /** The body schema must produce exactly the Update's input without the actor (checked at each call). */
  const action = <I extends { actor: Actor }>(
    segment: string,
    summary: string,
    access: Role,
    body: z.ZodType<Omit<I, 'actor'>>,
    update: UpdateDefinition<InquiryView, [I]>,
    description?: string,
  ) =>
    routes.add(
      {
        method: 'post',
        path: `/inquiries/{id}/${segment}`,
        tag: 'Inquiries',
        summary,
        description,
        access,
        params: caseIdParams,
        body,
        idempotent: true,
        responses: { 200: { description: 'The inquiry after the action', schema: inquiryResponse } },
        problems: [403, 404, 409, 422],
      },
      ({ principal, params, body: parsed }) => act(principal, params.id, update, parsed),
    );

  action(
    'consultation',
    'Ask a department (→ consulting); each consultation runs its own inquiry.consultation clock (4 business hours)',
    'agent',
    consultationBody,
    requestConsultation,
    'Departments are asked in parallel, one pending consultation per department (a second to the same department while one is pending is 409). The response lists the consultations with their ids (`c1`, `c2`, …) for the reply.',
  );

  routes.add(
    {
      method: 'post',
      path: '/inquiries/{id}/consultations/{consultationId}/reply',
      tag: 'Inquiries',
      summary: "Record a department's reply to a consultation (meets its inquiry.consultation clock)",
      description: 'Status `consulting`, consultation pending; a consultation already replied to or cancelled is 409, an unknown consultation id 422.',
      access: 'agent',
      params: consultationParams,
      body: consultationReplyBody,
      idempotent: true,
      responses: { 200: { description: 'The inquiry after the reply', schema: inquiryResponse } },
      problems: [403, 404, 409, 422],
    },
    ({ principal, params, body }) => act(principal, params.id, recordConsultationReply, { consultationId: params.consultationId, reply: body.reply }),
  );

  action(
    'awaiting-customer',
    "Wait for information from the customer: inquiry.answer pauses (paused time is excluded)",
    'agent',
    awaitingCustomerBody,
    awaitCustomer,
    'Status `open` or `consulting`, not already waiting (else 409).',
  );
  action(
    'customer-reply',
    "The customer's information came in: inquiry.answer resumes",
    'agent',
    customerReplyBody,
    customerReplied,
    'Only while waiting for the customer (else 409).',
  );
  action(
    'answer',
    'Answer the customer (→ answered); the inquiry closes once the answer is delivered',
    'agent',
    answerBody,
    answerInquiry,
    'Pending consultations are cancelled. The answer goes to the customer by SMS; its delivery meets inquiry.answer and closes the inquiry (the satisfaction survey goes out).',
  );
  action(
    'review',
    'Quality review of the answer (answer accuracy 咨询解答准确率)',
    'supervisor',
    reviewBody,
    reviewInquiry,
    'Once per inquiry, on an `answered` or `closed` inquiry, within the review window (`reviewOpenUntil`); otherwise 409.',
  );
}
