/** Official holiday lists per year (国务院办公厅 notices), uploaded by admins as they are published. */
import { sql } from 'kysely';
import { type Executor, jsonb } from './support';

export interface CalendarDay {
  /** `YYYY-MM-DD`. */
  date: string;
  name: string;
  /** true: a holiday off day; false: a make-up working day (调休) on a weekend. */
  isOffDay: boolean;
}

export async function listCalendarYears(db: Executor): Promise<Record<number, CalendarDay[]>> {
  const rows = await db.selectFrom('calendar_years').select(['year', 'days']).orderBy('year').execute();
  return Object.fromEntries(rows.map((r) => [r.year, r.days]));
}

/** Replaces a year's list. Audit separately, in the same transaction if wanted. */
export async function saveCalendarYear(db: Executor, year: number, days: CalendarDay[], actor: string): Promise<void> {
  const values = { days: jsonb(days), updated_by: actor, updated_at: sql<Date>`now()` };
  await db
    .insertInto('calendar_years')
    .values({ year, ...values })
    .onConflict((oc) => oc.column('year').doUpdateSet(values))
    .execute();
}

export interface CalendarYearSummary {
  year: number;
  days: CalendarDay[];
  updatedBy: string;
  updatedAt: Date;
}

/** The uploaded years with who loaded them and when, oldest year first. */
export async function listCalendarYearSummaries(db: Executor): Promise<CalendarYearSummary[]> {
  const rows = await db
    .selectFrom('calendar_years')
    .select(['year', 'days', 'updated_by', 'updated_at'])
    .orderBy('year')
    .execute();
  return rows.map((r) => ({ year: r.year, days: r.days, updatedBy: r.updated_by, updatedAt: r.updated_at }));
}
