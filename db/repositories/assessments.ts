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
import type { Executor } from './support';

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
