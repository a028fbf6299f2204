/**
 * Inquiries (咨询). Opening one writes the personal data (the customer, the question) to PostgreSQL
 * first, then starts the workflow with its first Update (update-with-start): with an `answer` the
 * inquiry was answered on the spot and comes back closed; without, it is open with the inquiry.answer
 * clock. Actions are Updates whose validators refuse illegal transitions (409).
 */
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
} from '../../workflows/inquiry/contract';
import { inquiryWorkflow } from '../../workflows/inquiry/workflow';
import { actorOf } from '../auth';
import { reserveCaseNumber } from '../case-number';
import { caseKindRoutes, openingTeam } from '../case-kind';
import type { AppContext } from '../context';
import { presentInquiry } from '../presenters';
import type { ApiRoutes } from '../routing';
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

const INQUIRIES_BASE = '/api/v1/inquiries';

export function registerInquiryRoutes(routes: ApiRoutes, ctx: AppContext): void {
  const { db, now } = ctx;
  const inquiries = caseKindRoutes(routes, ctx, {
    type: 'inquiry',
    path: '/inquiries',
    url: INQUIRIES_BASE,
    tag: 'Inquiries',
    response: inquiryResponse,
    workflowId: inquiryWorkflowId,
    workflow: inquiryWorkflow,
    opened: inquiryOpened,
    view: getInquiry,
    present: presentInquiry,
  });

  inquiries.open(
    {
      summary: 'Record an inquiry (咨询)',
      description:
        'With `answer`: answered on the spot, recorded and closed at once (it still counts for KPIs and quality review). Without: `open` with the inquiry.answer clock (1 working day); the customer is told the promised time.',
    },
    createInquiryBody,
    async ({ principal, body, idempotency }) => {
      const team = openingTeam(principal, body.team);
      const receivedAt = now();
      const personal = { customer: { name: body.customer.name, phone: body.customer.phone }, question: body.question };
      const inquiryNo = await reserveCaseNumber(db, 'inquiry', receivedAt, personal, idempotency);
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
      return { caseNo: inquiryNo, personal, input };
    },
  );
  inquiries.read('An inquiry, live from its workflow');

  inquiries.action(
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
      description:
        'Status `consulting`, consultation pending; a consultation already replied to or cancelled is 409, an unknown consultation id 422.',
      access: 'agent',
      params: consultationParams,
      body: consultationReplyBody,
      idempotent: true,
      responses: { 200: { description: 'The inquiry after the reply', schema: inquiryResponse } },
      problems: [403, 404, 409, 422],
    },
    ({ principal, params, body, updateId }) =>
      inquiries.act(
        principal,
        params.id,
        recordConsultationReply,
        { consultationId: params.consultationId, reply: body.reply },
        updateId,
      ),
  );

  inquiries.action(
    'awaiting-customer',
    'Wait for information from the customer: inquiry.answer pauses (paused time is excluded)',
    'agent',
    awaitingCustomerBody,
    awaitCustomer,
    'Status `open` or `consulting`, not already waiting (else 409).',
  );
  inquiries.action(
    'customer-reply',
    "The customer's information came in: inquiry.answer resumes",
    'agent',
    customerReplyBody,
    customerReplied,
    'Only while waiting for the customer (else 409).',
  );
  inquiries.action(
    'answer',
    'Answer the customer (→ answered); the inquiry closes once the answer is delivered',
    'agent',
    answerBody,
    answerInquiry,
    'Pending consultations are cancelled. The answer goes to the customer by SMS; its delivery meets inquiry.answer and closes the inquiry (the satisfaction survey goes out).',
  );
  inquiries.action(
    'review',
    'Quality review of the answer (answer accuracy 咨询解答准确率)',
    'supervisor',
    reviewBody,
    reviewInquiry,
    'Once per inquiry, on an `answered` or `closed` inquiry, within the review window (`reviewOpenUntil`); otherwise 409.',
  );
}
