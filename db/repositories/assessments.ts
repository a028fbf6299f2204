/**
 * The assessment's configuration and its read side. Weights and grade bands are one table each
 * (seeded with the domain's defaults); an assessment itself is a department record in `cases` (type
 * `assessment`, id `<staffId>-<YYYYMM>`), projected by its workflow like every case, so the months
 * before, a team's period and a year are reads of that one table.
 */
import { sql } from 'kysely';
import {
  ASSESSMENT_COMPONENTS,
  type AssessmentWeights,
  DEFAULT_ASSESSMENT_WEIGHTS,
  DEFAULT_GRADE_BANDS,
  type Grade,
  type GradeBand,
  GRADES,
} from '../../domain/assessment';
import { type Executor, inTransaction, jsonb } from './support';

export interface ScoringTables {
  weights: AssessmentWeights;
  bands: GradeBand[];
}

/** The weights and bands in force; a component or grade without a row keeps the domain's default. */
export async function scoringTables(db: Executor): Promise<ScoringTables> {
  const [weightRows, bandRows] = await Promise.all([
    db.selectFrom('assessment_weights').select(['component', 'weight']).execute(),
    db.selectFrom('assessment_grade_bands').select(['grade', 'min_total', 'bonus_coefficient']).execute(),
  ]);
  const weights = { ...DEFAULT_ASSESSMENT_WEIGHTS };
  for (const row of weightRows)
    if ((ASSESSMENT_COMPONENTS as readonly string[]).includes(row.component))
      weights[row.component as keyof AssessmentWeights] = Number(row.weight);
  const bands = GRADES.map((grade) => {
    const row = bandRows.find((b) => b.grade === grade);
    const fallback = DEFAULT_GRADE_BANDS.find((b) => b.grade === grade)!;
    return row ? { grade, minTotal: Number(row.min_total), bonusCoefficient: Number(row.bonus_coefficient) } : fallback;
  });
  return { weights, bands };
}

/** The final grades of these assessments (by id); an assessment not final (or not there) is absent. */
export async function finalGrades(db: Executor, assessmentIds: readonly string[]): Promise<Map<string, Grade>> {
  if (assessmentIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('cases')
    .select(['id', sql<string | null>`data ->> 'grade'`.as('grade')])
    .where('type', '=', 'assessment')
    .where('status', '=', 'final')
    .where('id', 'in', assessmentIds)
    .execute();
  return new Map(rows.filter((r) => r.grade !== null).map((r) => [r.id, r.grade as Grade]));
}

/** One assessment as the read model holds it (the workflow's last projection). */
export interface AssessmentRow {
  id: string;
  team: string;
  status: string;
  staffId: string;
  data: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

export interface AssessmentFilter {
  period?: string;
  team?: string;
  staffId?: string;
  status?: string;
  limit: number;
}

const ROW_COLUMNS = ['id', 'team', 'status', 'assignee', 'data', 'created_at', 'updated_at'] as const;

function toRow(row: {
  id: string;
  team: string;
  status: string;
  assignee: string | null;
  data: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
}): AssessmentRow {
  return {
    id: row.id,
    team: row.team,
    status: row.status,
    staffId: row.assignee ?? '',
    data: row.data,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Newest period first, then by staff id. The assessed agent is the case's assignee. */
export async function listAssessments(db: Executor, filter: AssessmentFilter): Promise<AssessmentRow[]> {
  let query = db.selectFrom('cases').select(ROW_COLUMNS).where('type', '=', 'assessment');
  if (filter.period !== undefined) query = query.where(sql<string>`data ->> 'period'`, '=', filter.period);
  if (filter.team !== undefined) query = query.where('team', '=', filter.team);
  if (filter.staffId !== undefined) query = query.where('assignee', '=', filter.staffId);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  const rows = await query
    .orderBy(sql`data ->> 'period'`, 'desc')
    .orderBy('assignee')
    .limit(filter.limit)
    .execute();
  return rows.map(toRow);
}

export async function getAssessmentRow(db: Executor, id: string): Promise<AssessmentRow | undefined> {
  const row = await db
    .selectFrom('cases')
    .select(ROW_COLUMNS)
    .where('type', '=', 'assessment')
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toRow(row);
}

/** Which of these assessment ids the read model already holds (a run started them before). */
export async function existingAssessments(db: Executor, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('cases').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

export interface FinalMonth {
  staffId: string;
  team: string;
  period: string;
  total: number;
  grade: Grade;
}

/** The year's final monthly assessments (what the annual result combines), by staff id and period. */
export async function finalMonthsOfYear(
  db: Executor,
  year: number,
  filter: { team?: string; staffId?: string },
): Promise<FinalMonth[]> {
  let query = db
    .selectFrom('cases')
    .select([
      'assignee',
      'team',
      sql<string>`data ->> 'period'`.as('period'),
      sql<string>`data ->> 'total'`.as('total'),
      sql<string>`data ->> 'grade'`.as('grade'),
    ])
    .where('type', '=', 'assessment')
    .where('status', '=', 'final')
    .where(sql<string>`data ->> 'period'`, 'like', `${year}-%`);
  if (filter.team !== undefined) query = query.where('team', '=', filter.team);
  if (filter.staffId !== undefined) query = query.where('assignee', '=', filter.staffId);
  const rows = await query
    .orderBy('assignee')
    .orderBy(sql`data ->> 'period'`)
    .execute();
  return rows
    .filter((r) => r.assignee !== null && r.total !== null && r.grade !== null)
    .map((r) => ({
      staffId: r.assignee!,
      team: r.team,
      period: r.period,
      total: Number(r.total),
      grade: r.grade as Grade,
    }));
}

/** How many of the year's monthly assessments are not final yet (the annual result waits for them). */
export async function pendingAssessmentsOfYear(db: Executor, year: number): Promise<number> {
  const row = await db
    .selectFrom('cases')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('type', '=', 'assessment')
    .where('status', '!=', 'final')
    .where(sql<string>`data ->> 'period'`, 'like', `${year}-%`)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export interface AnnualRow {
  staffId: string;
  team: string;
  months: number;
  periods: string[];
  total: number;
  grade: string;
  bonusCoefficient: number;
  excellentMonths: number;
  excellent: boolean;
}

/** Fixes the year's result: every agent's row written again (a rerun of the January run replaces it). */
export async function saveAnnualAssessments(db: Executor, year: number, rows: readonly AnnualRow[]): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx.deleteFrom('annual_assessments').where('year', '=', year).execute();
    if (rows.length === 0) return;
    await trx
      .insertInto('annual_assessments')
      .values(
        rows.map((r) => ({
          year,
          staff_id: r.staffId,
          team: r.team,
          months: r.months,
          periods: jsonb(r.periods),
          total: r.total,
          grade: r.grade,
          bonus_coefficient: r.bonusCoefficient,
          excellent_months: r.excellentMonths,
          excellent: r.excellent,
        })),
      )
      .execute();
  });
}

/** The fixed result of a year, or null when the January run has not fixed it yet. */
export async function fixedAnnualAssessments(
  db: Executor,
  year: number,
  filter: { team?: string; staffId?: string },
): Promise<{ computedAt: Date; rows: AnnualRow[] } | null> {
  const any = await db
    .selectFrom('annual_assessments')
    .select((eb) => eb.fn.max('computed_at').as('at'))
    .where('year', '=', year)
    .executeTakeFirst();
  if (!any?.at) return null;
  let query = db.selectFrom('annual_assessments').selectAll().where('year', '=', year);
  if (filter.team !== undefined) query = query.where('team', '=', filter.team);
  if (filter.staffId !== undefined) query = query.where('staff_id', '=', filter.staffId);
  const rows = await query.orderBy('staff_id').execute();
  return {
    computedAt: new Date(any.at),
    rows: rows.map((r) => ({
      staffId: r.staff_id,
      team: r.team,
      months: r.months,
      periods: r.periods,
      total: Number(r.total),
      grade: r.grade,
      bonusCoefficient: Number(r.bonus_coefficient),
      excellentMonths: r.excellent_months,
      excellent: r.excellent,
    })),
  };
}
