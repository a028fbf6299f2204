/**
 * Finding a case the caller may see, and the workflow behind it. A case outside the caller's scope
 * is answered exactly like a missing one (404), so ids cannot be probed across teams.
 */
import { type Client, isGrpcServiceError, ServiceError } from '@temporalio/client';
import { WorkflowNotFoundError, type QueryDefinition } from '@temporalio/common';
import type { Kysely } from 'kysely';
import { isCustomerCaseType, type CaseType } from '../domain/case';
import { getCaseRow, type CaseRow } from '../db/repositories/case-reads';
import type { Database } from '../db/schema';
import { claimWorkflowId } from '../workflows/claim/contract';
import { complaintWorkflowId } from '../workflows/complaint/contract';
import { inquiryWorkflowId } from '../workflows/inquiry/contract';
import { purchaseWorkflowId } from '../workflows/purchase/contract';
import { caseWorkflowId } from '../workflows/shared/contract';
import { inScope, type Principal } from './auth';
import { problems } from './errors';

/**
 * Without `type`, only a customer's case is found: a department record (an assessment, a training
 * record …) is read through its own routes and role rules, and the case routes answer 404 for it.
 */
export async function findCase(
  db: Kysely<Database>,
  principal: Principal,
  id: string,
  type?: CaseType,
): Promise<CaseRow> {
  const row = await getCaseRow(db, id);
  if (
    !row ||
    !inScope(principal, row.team) ||
    (type === undefined ? !isCustomerCaseType(row.type) : row.type !== type)
  ) {
    throw problems.notFound(type ? `No ${type} with this id.` : 'No case with this id.');
  }
  return row;
}

const WORKFLOW_IDS: Partial<Record<string, (id: string) => string>> = {
  claim: claimWorkflowId,
  complaint: complaintWorkflowId,
  inquiry: inquiryWorkflowId,
  purchase: purchaseWorkflowId,
  // A renewal's case id already names its term (`<policyNo>-<yyyymmdd>`): renewalWorkflowId(policyNo, expiresAt) is this.
  renewal: (caseId) => caseWorkflowId('renewal', caseId),
};

/** The workflow id of a case; each case type's contract owns its own id scheme. */
export function workflowIdOf(row: { id: string; type: string }): string {
  const idOf = WORKFLOW_IDS[row.type];
  if (!idOf) throw new Error(`no workflow id scheme for case type ${row.type}`);
  return idOf(row.id);
}

/**
 * Runs an Update on a case we know exists. A finished workflow takes no Updates (Temporal answers
 * "not found"), but the case is there: that is a refusal of the action (409), not a missing case.
 */
export async function updateExistingCase<T>(row: CaseRow, run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError)
        throw problems.conflict(`The case is ${row.status}; it takes no more actions.`);
      if (!isWorkflowNotReady(err)) throw err;
      if (attempt >= NOT_READY_ATTEMPTS) throw problems.unavailable('temporal');
      await new Promise((resolve) => setTimeout(resolve, 150 * attempt));
    }
  }
}

const NOT_READY_ATTEMPTS = 5;
const GRPC_FAILED_PRECONDITION = 9;

/**
 * Temporal refuses an Update (gRPC FAILED_PRECONDITION, "workflow not ready") while the case's last
 * workflow task failed or timed out, e.g. on a worker that is overloaded or was just killed. Nothing
 * was accepted, so asking again is safe; it passes as soon as a worker completes the next task.
 */
function isWorkflowNotReady(err: unknown): boolean {
  const cause = err instanceof ServiceError ? err.cause : undefined;
  return isGrpcServiceError(cause) && Number(cause.code) === GRPC_FAILED_PRECONDITION;
}

/**
 * An open case is queried from its workflow; a closed one (or one gone past retention) is read from
 * its projection: no replay on a worker, and it outlives retention.
 */
export async function readCaseView<V>(
  temporal: Client,
  row: CaseRow,
  workflowId: string,
  query: QueryDefinition<V>,
): Promise<V> {
  if (row.closedAt) return row.data as V;
  try {
    return await temporal.workflow.getHandle(workflowId).query(query);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return row.data as V;
    throw err;
  }
}
