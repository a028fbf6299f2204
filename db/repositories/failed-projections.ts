/**
 * Projections the read model refused for good (data errors): one row each, ids and codes only, so an
 * operator sees which case's read model fell behind and where in Temporal its history is.
 */
import { type Executor, jsonb } from './support';

export interface FailedProjection {
  caseId: string;
  version: number;
  sqlstate: string;
  workflowId: string;
  runId: string;
  eventKeys: string[];
  notificationKeys: string[];
}

export async function recordFailedProjection(db: Executor, f: FailedProjection): Promise<void> {
  await db
    .insertInto('failed_projections')
    .values({
      case_id: f.caseId,
      version: f.version,
      sqlstate: f.sqlstate,
      workflow_id: f.workflowId,
      run_id: f.runId,
      event_keys: jsonb(f.eventKeys),
      notification_keys: jsonb(f.notificationKeys),
    })
    .execute();
}

export async function listFailedProjections(
  db: Executor,
  caseId: string,
): Promise<(FailedProjection & { createdAt: Date })[]> {
  const rows = await db
    .selectFrom('failed_projections')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    caseId: r.case_id,
    version: r.version,
    sqlstate: r.sqlstate,
    workflowId: r.workflow_id,
    runId: r.run_id,
    eventKeys: r.event_keys,
    notificationKeys: r.notification_keys,
    createdAt: r.created_at,
  }));
}

export async function countFailedProjections(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('failed_projections')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
