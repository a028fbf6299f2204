/**
 * A month's assessment run (`POST /assessments/run`, the `monthly-assessment` Schedule): one
 * assessment workflow per active agent of the directory for the period, idempotently. An agent whose
 * assessment row exists is counted as existing without asking Temporal (a rerun meets them all again);
 * the others are started with REJECT_DUPLICATE + FAIL, so one started a moment ago, or finished while
 * its history is retained, counts as existing too.
 */
import type { Client } from '@temporalio/client';
import { inLanes, startOnce } from './workflow-starts';
import type { Kysely } from 'kysely';
import { assessmentId } from '../domain/assessment';
import { SYSTEM_ACTOR, type Actor } from '../domain/case';
import { existingAssessments } from '../db/repositories/assessments';
import { listStaff } from '../db/repositories/staff';
import type { Database } from '../db/schema';
import { type AssessmentInput, assessmentWorkflowId } from '../workflows/assessment/contract';
import { assessmentWorkflow } from '../workflows/assessment/workflow';
import { TASK_QUEUE } from '../workflows/shared/contract';

export interface AssessmentRunDeps {
  db: Kysely<Database>;
  temporal: Client;
  taskQueue?: string;
  now?: () => Date;
  /** Workflow starts in flight at once (default 32, like the renewal sweep). */
  startConcurrency?: number;
}

export interface AssessmentRunRequest {
  period: string;
  team?: string;
  by?: Actor;
}

export interface AssessmentRunResult {
  period: string;
  started: number;
  existing: number;
}

export async function runAssessments(
  deps: AssessmentRunDeps,
  request: AssessmentRunRequest,
): Promise<AssessmentRunResult> {
  const { db, temporal, taskQueue = TASK_QUEUE, startConcurrency = 32 } = deps;
  const openedAt = (deps.now ?? (() => new Date()))().toISOString();
  const agents = (
    await listStaff(db, { role: 'agent', active: true, ...(request.team ? { team: request.team } : {}) })
  ).filter((member): member is typeof member & { team: string } => member.team !== null);
  const known = await existingAssessments(
    db,
    agents.map((a) => assessmentId(a.id, request.period)),
  );
  const fresh = agents.filter((a) => !known.has(assessmentId(a.id, request.period)));
  let started = 0;
  let existing = agents.length - fresh.length;
  await inLanes(fresh, startConcurrency, async (agent) => {
    const input: AssessmentInput = {
      staffId: agent.id,
      team: agent.team,
      supervisorId: agent.supervisorId,
      period: request.period,
      openedAt,
      openedBy: request.by ?? SYSTEM_ACTOR,
    };
    const workflowId = assessmentWorkflowId(agent.id, request.period);
    if (await startOnce(temporal, assessmentWorkflow, { taskQueue, workflowId, args: [input] })) started += 1;
    else existing += 1;
  });
  return { period: request.period, started, existing };
}
