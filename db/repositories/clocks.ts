/** Reads over the clocks projection that are not about one case. */
import { sql } from 'kysely';
import type { Executor } from './support';
import { OPEN_CLOCK_STATES } from '../../domain/clock';

/**
 * Open cases whose calendar-computed clocks a holiday upload can move: those with an open clock on
 * provisional data, and, given `days` (`YYYY-MM-DD`, Asia/Shanghai; the December N−1 days of year N's
 * file), those with an open clock whose span reaches one of them (a paused clock's span runs on).
 * The span test is by the days' first and last date: a case told too many is harmless, its workflow
 * recomputes only the clocks the days touch.
 */
export async function listCasesToRecompute(
  db: Executor,
  days: readonly string[] = [],
): Promise<{ caseId: string; type: string }[]> {
  const sorted = [...days].sort();
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  const rows = await db
    .selectFrom('clocks')
    .innerJoin('cases', 'cases.id', 'clocks.case_id')
    .select(['cases.id as caseId', 'cases.type as type'])
    .where('clocks.state', 'in', [...OPEN_CLOCK_STATES])
    .where('cases.closed_at', 'is', null)
    .where((eb) => {
      const provisional = eb('clocks.provisional', '=', true);
      if (first === undefined || last === undefined) return provisional;
      const from = new Date(`${first}T00:00:00+08:00`);
      const until = new Date(Date.parse(`${last}T00:00:00+08:00`) + 86_400_000);
      return eb.or([
        provisional,
        eb.and([
          eb('clocks.started_at', '<', until),
          eb.or([eb('clocks.due_at', '>', from), eb('clocks.state', '=', 'paused')]),
        ]),
      ]);
    })
    .groupBy(['cases.id', 'cases.type'])
    .orderBy(sql`cases.id`)
    .execute();
  return rows;
}
