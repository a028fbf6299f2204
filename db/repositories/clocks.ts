/** Reads over the clocks projection that are not about one case. */
import { sql } from 'kysely';
import type { Executor } from './support';

/** Open cases with at least one open clock computed on provisional calendar data. */
export async function listCasesWithProvisionalClocks(db: Executor): Promise<{ caseId: string; type: string }[]> {
  const rows = await db
    .selectFrom('clocks')
    .innerJoin('cases', 'cases.id', 'clocks.case_id')
    .select(['cases.id as caseId', 'cases.type as type'])
    .where('clocks.provisional', '=', true)
    .where('clocks.state', 'in', ['pending', 'paused', 'warned', 'breached'])
    .where('cases.closed_at', 'is', null)
    .groupBy(['cases.id', 'cases.type'])
    .orderBy(sql`cases.id`)
    .execute();
  return rows;
}
