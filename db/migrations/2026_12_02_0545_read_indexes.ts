/**
 * Indexes that let every `GET /cases` filter and `GET /reports/kpis` stay fast at a million cases
 * (`npm run bench:reads`). The list is newest first; an index on (filter, created_at desc, id desc)
 * hands the planner the first page of any equality filter without walking the whole newest-first
 * index to find matches (a rare filter — a team's open cases, an assignee's open cases, a
 * combination nothing matches — walked it to the end: 100–650 ms at a million cases). Partial
 * indexes serve the flags a desk filters on (open, breached, escalated), which hold a few percent of
 * the rows. The KPI clocks are read by outcome: met clocks by when they ended, breached ones by when
 * they were due. Frozen once released; imports nothing from the application.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- a migration types against no Database: it must not change when db/schema.ts does */
import { type Kysely, sql } from 'kysely';

const NEWEST_FIRST = ['created_at desc', 'id desc'];

/** [name, leading columns, partial-index predicate]. */
const CASE_INDEXES: [string, string[], string | undefined][] = [
  ['cases_type_status_created_idx', ['type', 'status'], undefined],
  ['cases_team_status_created_idx', ['team', 'status'], undefined],
  ['cases_team_type_created_idx', ['team', 'type'], undefined],
  ['cases_status_created_idx', ['status'], undefined],
  ['cases_assignee_created_idx', ['assignee'], undefined],
  ['cases_policy_no_created_idx', ['policy_no'], undefined],
  ['cases_open_created_idx', [], 'closed_at is null'],
  ['cases_open_team_created_idx', ['team'], 'closed_at is null'],
  ['cases_open_type_created_idx', ['type'], 'closed_at is null'],
  ['cases_open_assignee_created_idx', ['assignee'], 'closed_at is null'],
  ['cases_breached_created_idx', [], 'sla_breached'],
  ['cases_breached_team_created_idx', ['team'], 'sla_breached'],
  ['cases_escalated_created_idx', [], 'escalation_level > 0'],
  ['cases_escalated_team_created_idx', ['team'], 'escalation_level > 0'],
];

/** Replaced by the wider indexes above: the same leading columns, now with the list's order. */
const SUPERSEDED = ['cases_team_status_idx', 'cases_type_status_idx', 'cases_assignee_idx', 'cases_policy_no_idx'];

export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, leading, where] of CASE_INDEXES) {
    let index = db.schema
      .createIndex(name)
      .ifNotExists()
      .on('cases')
      .columns([...leading, ...NEWEST_FIRST]);
    if (where !== undefined) index = index.where(sql.raw<boolean>(where));
    await index.execute();
  }
  for (const name of SUPERSEDED) await db.schema.dropIndex(name).ifExists().execute();

  // Open cases by their next deadline (dueBefore), the overdue board's filter.
  await db.schema
    .createIndex('cases_open_next_due_idx')
    .ifNotExists()
    .on('cases')
    .columns(['next_due_at'])
    .where(sql.raw<boolean>('closed_at is null'))
    .execute();

  await db.schema
    .createIndex('cases_open_team_next_due_idx')
    .ifNotExists()
    .on('cases')
    .columns(['team', 'next_due_at'])
    .where(sql.raw<boolean>('closed_at is null'))
    .execute();

  // KPI timeliness: a period's outcomes by policy, met by ended_at and breached by due_at.
  await db.schema
    .createIndex('clocks_met_policy_ended_idx')
    .ifNotExists()
    .on('clocks')
    .columns(['policy', 'ended_at', 'case_id'])
    .where(sql.raw<boolean>("state = 'met'"))
    .execute();
  await db.schema
    .createIndex('clocks_breached_policy_due_idx')
    .ifNotExists()
    .on('clocks')
    .columns(['policy', 'due_at', 'case_id'])
    .where(sql.raw<boolean>("state = 'breached'"))
    .execute();
  // KPI counts over cases by creation and closing time (complaint rate, renewal rate).
  await db.schema
    .createIndex('cases_type_closed_at_idx')
    .ifNotExists()
    .on('cases')
    .columns(['type', 'closed_at', 'status'])
    .where(sql.raw<boolean>('closed_at is not null'))
    .execute();
  // 咨询解答准确率 by the review's own instant (an ISO-8601 UTC text, so text order is time order).
  await sql`create index if not exists cases_inquiry_reviewed_at_idx on cases ((data -> 'review' ->> 'at'))
            where type = 'inquiry'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of [
    ...CASE_INDEXES.map(([n]) => n),
    'cases_open_next_due_idx',
    'cases_open_team_next_due_idx',
    'cases_inquiry_reviewed_at_idx',
    'clocks_met_policy_ended_idx',
    'clocks_breached_policy_due_idx',
    'cases_type_closed_at_idx',
  ])
    await db.schema.dropIndex(name).ifExists().execute();
  await db.schema.createIndex('cases_team_status_idx').on('cases').columns(['team', 'status']).execute();
  await db.schema.createIndex('cases_type_status_idx').on('cases').columns(['type', 'status']).execute();
  await db.schema.createIndex('cases_assignee_idx').on('cases').column('assignee').execute();
  await db.schema.createIndex('cases_policy_no_idx').on('cases').column('policy_no').execute();
}
