/**
 * The staff directory and the assignment history. Staff were only JWT subjects: a case could be
 * assigned to anyone, and an agent's figures counted only the cases still assigned to them. Every
 * assignment is now a row; the ones made before this migration are recovered from the timeline
 * (`case.assigned` events) and the cases' current assignees. Frozen once released; imports nothing
 * from the application.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- a migration types against no Database: it must not change when db/schema.ts does */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('staff')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('team', 'text')
    .addColumn('supervisor_id', 'text')
    .addColumn('hired_at', 'date', (c) => c.notNull())
    .addColumn('active', 'boolean', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('staff_team_role_idx').on('staff').columns(['team', 'role']).execute();

  await db.schema
    .createTable('case_assignments')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('assignee', 'text', (c) => c.notNull())
    .addColumn('assigned_at', 'timestamptz', (c) => c.notNull())
    // Idempotency: `<caseId>:v<version>` from the projection, `<caseId>:backfill:<n>` from this migration.
    .addColumn('assignment_key', 'text', (c) => c.notNull().unique())
    .execute();
  await db.schema
    .createIndex('case_assignments_assignee_case_idx')
    .on('case_assignments')
    .columns(['assignee', 'case_id'])
    .execute();
  await db.schema.createIndex('case_assignments_case_idx').on('case_assignments').column('case_id').execute();

  // The assignee a case had before its first recorded reassignment (or now, when it never had one).
  await sql`
    insert into case_assignments (case_id, assignee, assigned_at, assignment_key)
    select c.id, coalesce(first.detail ->> 'from', c.assignee), c.created_at, c.id || ':backfill:0'
    from cases c
    left join lateral (
      select e.detail from timeline_events e
      where e.case_id = c.id and e.kind = 'case.assigned'
      order by e.at, e.id limit 1
    ) first on true
    where coalesce(first.detail ->> 'from', c.assignee) is not null
  `.execute(db);
  await sql`
    insert into case_assignments (case_id, assignee, assigned_at, assignment_key)
    select e.case_id, e.detail ->> 'to', e.at, e.case_id || ':backfill:' || e.id
    from timeline_events e
    where e.kind = 'case.assigned' and e.detail ->> 'to' is not null
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('case_assignments').execute();
  await db.schema.dropTable('staff').execute();
}
