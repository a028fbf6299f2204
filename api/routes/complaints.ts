/**
 * Complaints (投诉). Opening one writes the personal data (the customer, the description) to
 * PostgreSQL first, then starts the workflow with its first Update in one round trip
 * (update-with-start), so Temporal never carries them. Actions are Updates whose validators refuse
 * illegal transitions (409), a role the step needs (403) and unacceptable input (422).
 */
import { getCaseRow } from '../../db/repositories/case-reads';
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
  decideReview,
  requestReview,
  type ComplaintInput,
} from '../../workflows/complaint/contract';
import { complaintWorkflow } from '../../workflows/complaint/workflow';
import { actorOf, inScope, type Principal } from '../auth';
import { reserveCaseNumber } from '../case-number';
import { caseKindRoutes, openingTeam } from '../case-kind';
import type { AppContext } from '../context';
import { problems } from '../errors';
import { presentComplaint } from '../presenters';
import type { ApiRoutes } from '../routing';
import {
  acknowledgeBody,
  complaintResponse,
  createComplaintBody,
  customerResponseBody,
  extensionBody,
  investigationBody,
  proposalBody,
  reviewDecisionBody,
  reviewRequestBody,
  satisfactionBody,
} from '../schemas/complaints';

const COMPLAINTS_BASE = '/api/v1/complaints';

export function registerComplaintRoutes(routes: ApiRoutes, ctx: AppContext): void {
  const { db, now } = ctx;
  const complaints = caseKindRoutes(routes, ctx, {
    type: 'complaint',
    path: '/complaints',
    url: COMPLAINTS_BASE,
    tag: 'Complaints',
    response: complaintResponse,
    workflowId: complaintWorkflowId,
    workflow: complaintWorkflow,
    opened: complaintOpened,
    view: getComplaint,
    present: presentComplaint,
  });

  complaints.open(
    {
      summary: 'Record a complaint (受理投诉)',
      description:
        'Starts the complaint with complaint.acknowledge (1 working day) and the statutory complaint.decision (15 days). A complaint forwarded by the regulator starts at escalation level 1 and notifies the supervisor.',
    },
    createComplaintBody,
    async ({ principal, body, idempotency }) => {
      const team = openingTeam(principal, body.team);
      if (body.relatedCaseId !== undefined) await requireVisibleCase(principal, body.relatedCaseId);
      const receivedAt = now();
      const personal = {
        customer: { name: body.customer.name, phone: body.customer.phone },
        description: body.description,
      };
      const complaintNo = await reserveCaseNumber(db, 'complaint', receivedAt, personal, idempotency);
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
      return { caseNo: complaintNo, personal, input };
    },
  );

  /** A related case must be one the caller can see: otherwise ids could be probed across teams. */
  async function requireVisibleCase(principal: Principal, id: string): Promise<void> {
    const related = await getCaseRow(db, id);
    if (!related || !inScope(principal, related.team))
      throw problems.unprocessable('relatedCaseId names no case you can see.');
  }

  complaints.read('A complaint, live from its workflow');
  complaints.action(
    'acknowledge',
    'Acknowledge the complaint: apologise and promise handling (meets complaint.acknowledge)',
    'agent',
    acknowledgeBody,
    acknowledgeComplaint,
  );
  complaints.action(
    'investigation',
    'Add an investigation note (acknowledged → investigating)',
    'agent',
    investigationBody,
    recordInvestigation,
  );
  complaints.action(
    'proposal',
    'Propose a resolution (→ proposed; internal clocks pause while the customer decides)',
    'agent',
    proposalBody,
    proposeResolution,
  );
  complaints.action(
    'customer-response',
    "Record the customer's answer to the proposal",
    'agent',
    customerResponseBody,
    recordCustomerResponse,
    "Accepted → resolved (the survey goes out, complaint.followUp starts); rejected → back to investigating. The statutory decision clock is met when the proposal's notice is delivered (an acceptance that comes first meets it too), whatever the answer.",
  );
  complaints.action(
    'extension',
    'Extend the statutory decision period (first: supervisor+, total 30 days; second: manager+, total 60 days)',
    'supervisor',
    extensionBody,
    extendDecision,
    'Moves the complaint.decision clock and sends the customer a notice. An agent gets 403; a supervisor asking for the second extension gets 403; a third extension, or one after the period has run out, gets 409.',
  );
  complaints.action(
    'review-request',
    'Record that the complainant disputes the decision and asks for a review (复核) → under_review',
    'agent',
    reviewRequestBody,
    requestReview,
    'Only within complaint.reviewWindow (30 days) after the decision was communicated (`decisionCommunicatedAt`), while the complaint is proposed or investigating, and once per complaint; otherwise 409. Starts the statutory complaint.reviewDecision clock (30 days) and notifies the managers.',
  );
  complaints.action(
    'review-decision',
    'Decide the review (复核): the result is sent to the complainant, → resolved',
    'manager',
    reviewDecisionBody,
    decideReview,
    "complaint.reviewDecision is met when the result's notice is delivered; the survey goes out and complaint.followUp starts. An agent or a supervisor gets 403; a complaint not under review 409.",
  );
  complaints.action(
    'satisfaction',
    "Record the customer's satisfaction score (1–5); the complaint closes",
    'agent',
    satisfactionBody,
    recordSatisfaction,
  );
}
