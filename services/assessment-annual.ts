/**
 * The annual result (年度考核): each agent's final months of the year combined by the domain
 * (annualResult) on the grade bands in force, and the year's excellent staff (年度优秀客服人员).
 */
import type { Kysely } from 'kysely';
import { annualResult } from '../domain/assessment';
import { finalMonthsOfYear, scoringTables } from '../db/repositories/assessments';
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

export async function annualAssessment(
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
  return { year, computedAt: null, items, excellentStaff: items.filter((i) => i.excellent).map((i) => i.staffId) };
}
