/**
 * Claims (理赔). Opening one writes the personal data to PostgreSQL first, then starts the workflow
 * with its first Update in one round trip (update-with-start), so Temporal never carries a name, a
 * phone number or a plate. Actions are Updates whose validators refuse illegal transitions (409).
 */
import {
  addDocuments,
  claimOpened,
  claimWorkflowId,
  getClaim,
  recordAssessment,
  recordContact,
  recordDecision,
  recordPayment,
  requestDocuments,
  withdrawClaim,
  type ClaimInput,
} from '../../workflows/claim/contract';
import { claimWorkflow } from '../../workflows/claim/workflow';
import { actorOf } from '../auth';
import { reserveCaseNumber } from '../case-number';
import { caseKindRoutes, openingTeam } from '../case-kind';
import type { AppContext } from '../context';
import { problems } from '../errors';
import { presentClaim } from '../presenters';
import type { ApiRoutes } from '../routing';
import {
  assessmentBody,
  claimResponse,
  contactBody,
  createClaimBody,
  decisionBody,
  documentRequestBody,
  documentsBody,
  paymentBody,
  withdrawBody,
  type CreateClaimBody,
} from '../schemas/claims';

/** Clocks of reporters and servers disagree a little; more than this ahead is an input error. */
const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;
const CLAIMS_BASE = '/api/v1/claims';

export function registerClaimRoutes(routes: ApiRoutes, ctx: AppContext): void {
  const { db, now } = ctx;
  const claims = caseKindRoutes(routes, ctx, {
    type: 'claim',
    path: '/claims',
    url: CLAIMS_BASE,
    tag: 'Claims',
    response: claimResponse,
    workflowId: claimWorkflowId,
    workflow: claimWorkflow,
    opened: claimOpened,
    view: getClaim,
    present: presentClaim,
  });

  claims.open({ summary: 'Report a claim (报案)' }, createClaimBody, async ({ principal, body, idempotency }) => {
    const team = openingTeam(principal, body.team);
    const reportedAt = now();
    if (Date.parse(body.accident.occurredAt) > reportedAt.getTime() + FUTURE_TOLERANCE_MS) {
      throw problems.validation([{ path: 'accident.occurredAt', message: 'Must not be in the future.' }]);
    }
    const personal = personalDataOf(body);
    const claimNo = await reserveCaseNumber(db, 'claim', reportedAt, personal, idempotency);
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
    return { caseNo: claimNo, personal, input };
  });
  claims.read('A claim, live from its workflow');
  claims.action(
    'contact',
    'Record a call-back to the reporter (reached meets claim.firstContact)',
    'agent',
    contactBody,
    recordContact,
  );
  claims.action(
    'documents',
    'Record documents received; none missing → under_review',
    'agent',
    documentsBody,
    addDocuments,
  );
  claims.action(
    'document-request',
    'Ask the customer for further documents (a further notice after the consolidated one)',
    'agent',
    documentRequestBody,
    requestDocuments,
    'The documents become required (a copy received before no longer counts); under review the claim goes back to awaiting_documents and its verification clocks are cancelled until the documents are complete again. With cause omitted, or for a document the first notice should have listed, the claim records a compliance exception (complianceExceptions, a compliance.exception timeline event, a compliance_exceptions row). 409 in other statuses.',
  );
  claims.action('assessment', 'Record the loss assessment (定损)', 'agent', assessmentBody, recordAssessment);
  claims.action('decision', 'Approve or deny the claim', 'supervisor', decisionBody, recordDecision);
  claims.action('payment', 'Record the payment; the claim is paid', 'supervisor', paymentBody, recordPayment);
  claims.action('withdraw', 'Withdraw the claim', 'agent', withdrawBody, withdrawClaim);
}

function personalDataOf(body: CreateClaimBody) {
  const { occurredAt, location, description, injuries, policeReported } = body.accident;
  return {
    reporter: { name: body.reporter.name, phone: body.reporter.phone },
    vehicle: { plate: body.vehicle.plate },
    accident: {
      occurredAt,
      location,
      description,
      injuries: injuries ?? false,
      policeReported: policeReported ?? null,
    },
  };
}
