/**
 * Training (培训): plans and the people on them. A plan is one onboarding, periodic round or special
 * training; each person on it has one training record (a case of type `training`, run by its own
 * workflow and projected into `cases` like every case). `training_records` says whose record is
 * whose, so a person's whole training history is one indexed query. `source_key` makes assigning
 * idempotent: one onboarding per hire, one special training per assessment and kind, one periodic
 * round per team and month. Frozen once released; imports nothing from the application.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- a migration types against no Database: it must not change when db/schema.ts does */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('training_plans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('topics', 'jsonb', (c) => c.notNull())
    .addColumn('pass_mark', 'double precision', (c) => c.notNull())
    .addColumn('duration_days', 'integer')
    .addColumn('every_months', 'integer')
    .addColumn('team', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('source_key', 'text', (c) => c.unique())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('training_plans_periodic_team_idx')
    .on('training_plans')
    .columns(['team', 'created_at'])
    .where(sql.ref('kind'), '=', 'periodic')
    .execute();

  await db.schema
    .createTable('training_records')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('plan_id', 'text', (c) => c.notNull().references('training_plans.id'))
    .addColumn('staff_id', 'text', (c) => c.notNull())
    .addColumn('team', 'text')
    .addColumn('assigned_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('training_records_plan_staff_key', ['plan_id', 'staff_id'])
    .execute();
  await db.schema.createIndex('training_records_staff_idx').on('training_records').column('staff_id').execute();
  await db.schema.createIndex('training_records_team_idx').on('training_records').column('team').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('training_records').execute();
  await db.schema.dropTable('training_plans').execute();
}
