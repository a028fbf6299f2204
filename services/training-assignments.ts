/**
 * Assigning training (培训): one plan row, one record row per person, one training-record workflow
 * per person. Called by `POST /training/plans`, by the staff directory when an agent is hired
 * (onboarding), by the periodic Schedule's activity (a team's round) and by the assessment's
 * consequences (a special training). Idempotent: a plan with a source (an assessment, a hire, a team's
 * round) is written once, a record once per person, and a workflow id is never started twice (a
 * passed record is not reopened by a retried assignment).
 */
import { randomInt } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { inLanes, startOnce } from './workflow-starts';
import type { Kysely } from 'kysely';
import { SYSTEM_ACTOR, type Actor } from '../domain/case';
import { shanghaiDate, shanghaiInstant } from '../domain/civil-time';
import { planFieldsProblem, type TrainingPlanKind, trainingRecordTeam } from '../domain/training';
import { listStaff, type StaffMember } from '../db/repositories/staff';
import { addTrainingRecords, saveTrainingPlan } from '../db/repositories/training';
import type { Database } from '../db/schema';
import { type TrainingInput, trainingWorkflowId } from '../workflows/training/contract';
import { trainingWorkflow } from '../workflows/training/workflow';
import { TASK_QUEUE } from '../workflows/shared/contract';

export interface TrainingAssignmentDeps {
  db: Kysely<Database>;
  temporal: Client;
  taskQueue?: string;
  now?: () => Date;
}

export interface TrainingSource {
  /** A special training from an assessment: one per (assessment, kind). */
  assessmentId?: string;
  /** An onboarding for this hire: one per person. */
  hiredStaffId?: string;
  /** A team's periodic round: one per team and month (`YYYY-MM`). */
  periodicRound?: { team: string; month: string };
}

export interface AssignTrainingRequest {
  kind: TrainingPlanKind;
  title: string;
  topics: string[];
  passMark: number;
  staffIds: string[];
  reason: string;
  source?: TrainingSource;
  /** The team of a periodic plan (its rounds repeat for the team). */
  team?: string;
  everyMonths?: number;
  durationDays?: number;
  /** Who assigns it; the system by default (schedules, consequences). */
  by?: Actor;
}

export interface TrainingAssignment {
  planId: string;
  recordIds: string[];
}

/** A staff id the directory does not know, or one who may not be trained (inactive). */
export class TrainingAssignmentError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'TrainingAssignmentError';
  }
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `TP20261202K7F3QX`: the Shanghai day and six Crockford characters, like a case number. */
export function newTrainingPlanId(now: Date): string {
  let suffix = '';
  for (let i = 0; i < 6; i++) suffix += CROCKFORD[randomInt(CROCKFORD.length)];
  return `TP${shanghaiDate(now).replaceAll('-', '')}${suffix}`;
}

/** A record's id (and case id): the plan and the person; staff ids never contain ':'. */
export const trainingRecordId = (planId: string, staffId: string): string => `${planId}-${staffId}`;

function sourceKey(kind: TrainingPlanKind, source: TrainingSource | undefined): string | null {
  if (source?.assessmentId !== undefined) return `${kind}:assessment:${source.assessmentId}`;
  if (source?.hiredStaffId !== undefined) return `${kind}:hire:${source.hiredStaffId}`;
  if (source?.periodicRound !== undefined) return `${kind}:${source.periodicRound.team}:${source.periodicRound.month}`;
  return null;
}

export async function assignTraining(
  deps: TrainingAssignmentDeps,
  request: AssignTrainingRequest,
): Promise<TrainingAssignment> {
  const { db, temporal } = deps;
  const now = (deps.now ?? (() => new Date()))();
  const by = request.by ?? SYSTEM_ACTOR;
  const staffIds = [...new Set(request.staffIds)];
  const problem = planFieldsProblem(request);
  if (problem) throw new TrainingAssignmentError(problem, 'plan');
  const staff = await listStaff(db, { ids: staffIds });
  const unknown = staffIds.filter((id) => !staff.some((s) => s.id === id && s.active));
  if (unknown.length > 0)
    throw new TrainingAssignmentError(`not active in the staff directory: ${unknown.join(', ')}`, 'staffIds');

  const { plan, records } = await db.transaction().execute(async (trx) => {
    const saved = await saveTrainingPlan(trx, {
      id: newTrainingPlanId(now),
      kind: request.kind,
      title: request.title,
      topics: request.topics,
      passMark: request.passMark,
      durationDays: request.durationDays ?? null,
      everyMonths: request.everyMonths ?? null,
      team: request.team ?? null,
      reason: request.reason,
      sourceKey: sourceKey(request.kind, request.source),
      createdBy: by.id,
    });
    const rows = staff.map((member) => ({
      id: trainingRecordId(saved.plan.id, member.id),
      planId: saved.plan.id,
      staffId: member.id,
      team: member.team,
      assignedAt: now,
    }));
    await addTrainingRecords(trx, rows);
    return { plan: saved.plan, records: rows };
  });

  const input = (member: StaffMember, recordId: string): TrainingInput => ({
    recordId,
    planId: plan.id,
    staffId: member.id,
    team: trainingRecordTeam(member.team),
    kind: plan.kind,
    title: plan.title,
    topics: plan.topics,
    passMark: plan.passMark,
    reason: plan.reason,
    assessmentId: request.source?.assessmentId ?? null,
    // "N days after hire": an onboarding counts from the hire date (00:00 Asia/Shanghai), never later than now.
    clockStartsAt:
      plan.kind === 'onboarding'
        ? new Date(Math.min(shanghaiInstant(member.hiredAt).getTime(), now.getTime())).toISOString()
        : now.toISOString(),
    assignedAt: now.toISOString(),
    assignedBy: by,
  });
  await inLanes(records, 8, async (record) => {
    const member = staff.find((s) => s.id === record.staffId);
    if (!member) return;
    // Started before (a retried assignment): the record runs, or has ended, as it was.
    await startOnce(temporal, trainingWorkflow, {
      taskQueue: deps.taskQueue ?? TASK_QUEUE,
      workflowId: trainingWorkflowId(record.id),
      args: [input(member, record.id)],
    });
  });
  return { planId: plan.id, recordIds: records.map((r) => r.id) };
}
