/**
 * The overdue board (`GET /cases?open=true&dueBefore=…`, alone or in a team's scope) reads open cases
 * by their next deadline and shows the newest first: at a million cases tens of thousands of open
 * cases can be overdue at once, and fetching each row to sort them cost 40–145 ms. These indexes
 * carry every list column, so the sort runs over the index alone (an index-only scan). Open cases
 * are a few percent of the table, so the copies are small. Frozen once released; imports nothing
 * from the application.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- a migration types against no Database: it must not change when db/schema.ts does */
import { type Kysely, sql } from 'kysely';

const LIST_COLUMNS = 'created_at, id, type, status, assignee, escalation_level, policy_no, sla_breached';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index if not exists cases_open_next_due_covering_idx on cases (next_due_at)
            include (team, ${sql.raw(LIST_COLUMNS)}) where closed_at is null`.execute(db);
  await sql`create index if not exists cases_open_team_next_due_covering_idx on cases (team, next_due_at)
            include (${sql.raw(LIST_COLUMNS)}) where closed_at is null`.execute(db);
  await db.schema.dropIndex('cases_open_next_due_idx').ifExists().execute();
  await db.schema.dropIndex('cases_open_team_next_due_idx').ifExists().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`create index if not exists cases_open_next_due_idx on cases (next_due_at) where closed_at is null`.execute(
    db,
  );
  await sql`create index if not exists cases_open_team_next_due_idx on cases (team, next_due_at)
            where closed_at is null`.execute(db);
  await db.schema.dropIndex('cases_open_next_due_covering_idx').ifExists().execute();
  await db.schema.dropIndex('cases_open_team_next_due_covering_idx').ifExists().execute();
}
