/**
 * The annual result (年度考核): each agent's final months of the year combined by the domain
 * (annualResult) on the grade bands in force, and the year's excellent staff (年度优秀客服人员).
 */
import type { Kysely } from 'kysely';
import { annualResult } from '../domain/assessment';
import {
  finalMonthsOfYear,
  fixedAnnualAssessments,
  saveAnnualAssessments,
  scoringTables,
} from '../db/repositories/assessments';
import type { Database } from '../db/schema';

export interface AnnualItem {
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

export interface AnnualAssessment {
  year: number;
  computedAt: Date | null;
  items: AnnualItem[];
  excellentStaff: string[];
}

/** The year as the January run fixed it; the year so far (computedAt null) until then. */
export async function annualAssessment(
  db: Kysely<Database>,
  year: number,
  filter: { team?: string; staffId?: string } = {},
): Promise<AnnualAssessment> {
  const fixed = await fixedAnnualAssessments(db, year, filter);
  if (fixed) return withExcellent(year, fixed.computedAt, fixed.rows);
  return computeAnnualAssessment(db, year, filter);
}

/** Fixes the year's result in annual_assessments (the January run, once December is final). */
export async function fixAnnualAssessment(db: Kysely<Database>, year: number): Promise<AnnualAssessment> {
  const live = await computeAnnualAssessment(db, year);
  await saveAnnualAssessments(db, year, live.items);
  return annualAssessment(db, year);
}

function withExcellent(year: number, computedAt: Date | null, items: AnnualItem[]): AnnualAssessment {
  return { year, computedAt, items, excellentStaff: items.filter((i) => i.excellent).map((i) => i.staffId) };
}

/** The final months of the year combined, now. */
export async function computeAnnualAssessment(
  db: Kysely<Database>,
  year: number,
  filter: { team?: string; staffId?: string } = {},
): Promise<AnnualAssessment> {
  const [months, { bands }] = await Promise.all([finalMonthsOfYear(db, year, filter), scoringTables(db)]);
  const byStaff = new Map<string, typeof months>();
  for (const month of months) byStaff.set(month.staffId, [...(byStaff.get(month.staffId) ?? []), month]);
  const items: AnnualItem[] = [];
  for (const [staffId, own] of byStaff) {
    const result = annualResult(year, own, bands);
    if (!result) continue;
    items.push({
      staffId,
      // The team of the latest month: an agent who moved is counted where they ended the year.
      team: own[own.length - 1]!.team,
      months: result.months,
      periods: own.map((m) => m.period),
      total: result.total,
      grade: result.grade,
      bonusCoefficient: result.bonusCoefficient,
      excellentMonths: result.excellentMonths,
      excellent: result.excellent,
    });
  }
  return withExcellent(year, null, items);
}
