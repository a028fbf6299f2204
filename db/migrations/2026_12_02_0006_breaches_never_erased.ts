/**
 * A breach is never erased (issue 7). Before, cancelling a breached clock (a withdrawal, a denial)
 * turned it `cancelled`, and an ended case kept the due instant of a clock that was no longer running
 * as its next deadline. This puts the read model right once: a cancelled clock whose breach is on the
 * timeline is breached again, its case flagged, and `next_due_at` counts only clocks still running
 * (none once the case has ended). Data only; frozen once released; imports nothing from the application.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- a migration types against no Database: it must not change when db/schema.ts does */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    update clocks set state = 'breached'
    where state = 'cancelled'
      and exists (
        select 1 from timeline_events t
        where t.case_id = clocks.case_id and t.kind = 'clock.breached' and t.detail ->> 'clock' = clocks.clock_id
      )`.execute(db);
  await sql`
    update cases set sla_breached = true
    where not sla_breached and exists (select 1 from clocks where clocks.case_id = cases.id and clocks.state = 'breached')`.execute(
    db,
  );
  await sql`
    update cases set next_due_at = case when cases.closed_at is not null then null else (
      select min(clocks.due_at) from clocks
      where clocks.case_id = cases.id
        and clocks.ended_at is null
        and clocks.state in ('pending', 'paused', 'warned', 'breached')
    ) end`.execute(db);
}

/** Nothing to undo: the repaired rows are what the projection writes from now on. */
export async function down(): Promise<void> {}
