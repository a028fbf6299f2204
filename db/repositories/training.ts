/**
 * Training plans and the people on them. A plan row is written once (idempotently on its source key);
 * each person's record row names the training case (`cases`, type `training`) the record's workflow
 * projects, so a person's or a team's whole training is one query over records ⋈ plans ⋈ cases.
 */
import { sql } from 'kysely';
import type { TrainingPlanKind, TrainingStatus } from '../../domain/training';
import { type Executor, jsonb } from './support';

export interface TrainingPlan {
  id: string;
  kind: TrainingPlanKind;
  title: string;
  topics: string[];
  passMark: number;
  durationDays: number | null;
  everyMonths: number | null;
  team: string | null;
  reason: string;
  sourceKey: string | null;
  createdBy: string;
  createdAt: Date;
}

export type NewTrainingPlan = Omit<TrainingPlan, 'createdAt'>;

const PLAN_COLUMNS = [
  'id',
  'kind',
  'title',
  'topics',
  'pass_mark',
  'duration_days',
  'every_months',
  'team',
  'reason',
  'source_key',
  'created_by',
  'created_at',
] as const;

function toPlan(row: {
  id: string;
  kind: string;
  title: string;
  topics: string[];
  pass_mark: number;
  duration_days: number | null;
  every_months: number | null;
  team: string | null;
  reason: string;
  source_key: string | null;
  created_by: string;
  created_at: Date;
}): TrainingPlan {
  return {
    id: row.id,
    kind: row.kind as TrainingPlanKind,
    title: row.title,
    topics: row.topics,
    passMark: Number(row.pass_mark),
    durationDays: row.duration_days,
    everyMonths: row.every_months,
    team: row.team,
    reason: row.reason,
    sourceKey: row.source_key,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

/**
 * Writes a plan, or finds the one already written for the same source key (a retried assignment, a
 * second run of the same schedule): `created` says which.
 */
export async function saveTrainingPlan(
  db: Executor,
  plan: NewTrainingPlan,
): Promise<{ plan: TrainingPlan; created: boolean }> {
  const inserted = await db
    .insertInto('training_plans')
    .values({
      id: plan.id,
      kind: plan.kind,
      title: plan.title,
      topics: jsonb(plan.topics),
      pass_mark: plan.passMark,
      duration_days: plan.durationDays,
      every_months: plan.everyMonths,
      team: plan.team,
      reason: plan.reason,
      source_key: plan.sourceKey,
      created_by: plan.createdBy,
    })
    .onConflict((oc) => oc.column('source_key').doNothing())
    .returning(PLAN_COLUMNS)
    .executeTakeFirst();
  if (inserted) return { plan: toPlan(inserted), created: true };
  if (plan.sourceKey === null) throw new Error(`training plan ${plan.id} was not written`);
  const existing = await db
    .selectFrom('training_plans')
    .select(PLAN_COLUMNS)
    .where('source_key', '=', plan.sourceKey)
    .executeTakeFirstOrThrow();
  return { plan: toPlan(existing), created: false };
}

export async function getTrainingPlan(db: Executor, id: string): Promise<TrainingPlan | undefined> {
  const row = await db.selectFrom('training_plans').select(PLAN_COLUMNS).where('id', '=', id).executeTakeFirst();
  return row && toPlan(row);
}

/** The team's latest periodic plan: the template of its next round. */
export async function latestPeriodicPlan(db: Executor, team: string): Promise<TrainingPlan | undefined> {
  const row = await db
    .selectFrom('training_plans')
    .select(PLAN_COLUMNS)
    .where('kind', '=', 'periodic')
    .where('team', '=', team)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && toPlan(row);
}

export interface TrainingRecordRow {
  id: string;
  planId: string;
  staffId: string;
  team: string | null;
  assignedAt: Date;
}

/** Adds the people's records to a plan; a record already there stays as it was. */
export async function addTrainingRecords(db: Executor, records: readonly TrainingRecordRow[]): Promise<void> {
  if (records.length === 0) return;
  await db
    .insertInto('training_records')
    .values(
      records.map((r) => ({
        id: r.id,
        plan_id: r.planId,
        staff_id: r.staffId,
        team: r.team,
        assigned_at: r.assignedAt,
      })),
    )
    .onConflict((oc) => oc.columns(['plan_id', 'staff_id']).doNothing())
    .execute();
}

/** The record of one person on one plan (what `POST /training/{planId}/exam { staffId }` acts on). */
export async function findTrainingRecord(
  db: Executor,
  planId: string,
  staffId: string,
): Promise<TrainingRecordRow | undefined> {
  const row = await db
    .selectFrom('training_records')
    .select(['id', 'plan_id', 'staff_id', 'team', 'assigned_at'])
    .where('plan_id', '=', planId)
    .where('staff_id', '=', staffId)
    .executeTakeFirst();
  return row && { id: row.id, planId: row.plan_id, staffId: row.staff_id, team: row.team, assignedAt: row.assigned_at };
}

/** One person's training on one plan, as `GET /training/records` lists it. */
export interface TrainingRecordListItem {
  id: string;
  planId: string;
  staffId: string;
  team: string | null;
  kind: TrainingPlanKind;
  title: string;
  topics: string[];
  passMark: number;
  assignedAt: Date;
  /** null while the record's first projection is still on its way. */
  status: TrainingStatus | null;
  /** The record's view as its workflow last projected it (sessions, exams, retakes, clocks). */
  data: Record<string, unknown> | null;
  escalationLevel: number | null;
  updatedAt: Date | null;
}

export interface TrainingRecordFilter {
  staffId?: string;
  team?: string;
  planId?: string;
  limit: number;
}

/** Newest first; one query over records, their plans and their cases. */
export async function listTrainingRecords(
  db: Executor,
  filter: TrainingRecordFilter,
): Promise<TrainingRecordListItem[]> {
  let query = db
    .selectFrom('training_records as r')
    .innerJoin('training_plans as p', 'p.id', 'r.plan_id')
    .leftJoin('cases as c', 'c.id', 'r.id')
    .select([
      'r.id',
      'r.plan_id',
      'r.staff_id',
      'r.team',
      'r.assigned_at',
      'p.kind',
      'p.title',
      'p.topics',
      'p.pass_mark',
      'c.status',
      'c.data',
      'c.escalation_level',
      'c.updated_at',
    ]);
  if (filter.staffId !== undefined) query = query.where('r.staff_id', '=', filter.staffId);
  if (filter.team !== undefined) query = query.where('r.team', '=', filter.team);
  if (filter.planId !== undefined) query = query.where('r.plan_id', '=', filter.planId);
  const rows = await query.orderBy('r.assigned_at', 'desc').orderBy('r.id', 'desc').limit(filter.limit).execute();
  return rows.map((row) => ({
    id: row.id,
    planId: row.plan_id,
    staffId: row.staff_id,
    team: row.team,
    kind: row.kind as TrainingPlanKind,
    title: row.title,
    topics: row.topics,
    passMark: Number(row.pass_mark),
    assignedAt: row.assigned_at,
    status: (row.status ?? null) as TrainingStatus | null,
    data: row.data ?? null,
    escalationLevel: row.escalation_level ?? null,
    updatedAt: row.updated_at ?? null,
  }));
}

/** When the team's last periodic round was assigned (`YYYY-MM`, Asia/Shanghai), or null. */
export async function lastPeriodicRound(db: Executor, team: string): Promise<string | null> {
  const row = await db
    .selectFrom('training_plans')
    .select(sql<string>`to_char(max(created_at) at time zone 'Asia/Shanghai', 'YYYY-MM')`.as('month'))
    .where('kind', '=', 'periodic')
    .where('team', '=', team)
    .executeTakeFirst();
  return row?.month ?? null;
}
