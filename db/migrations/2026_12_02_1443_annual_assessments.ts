/**
 * The annual result as the January run fixed it (年度考核): one row per agent and year — the final
 * months combined, the grade, and whether the agent is one of the year's excellent staff
 * (年度优秀客服人员). Written once the year's last month is final (or the run's wait is over); the
 * year in progress is computed live from the monthly assessments instead.
 * Frozen once released; imports nothing from the application.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- a migration types against no Database: it must not change when db/schema.ts does */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('annual_assessments')
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('staff_id', 'text', (c) => c.notNull())
    .addColumn('team', 'text', (c) => c.notNull())
    .addColumn('months', 'integer', (c) => c.notNull())
    .addColumn('periods', 'jsonb', (c) => c.notNull())
    .addColumn('total', 'double precision', (c) => c.notNull())
    .addColumn('grade', 'text', (c) => c.notNull())
    .addColumn('bonus_coefficient', 'double precision', (c) => c.notNull())
    .addColumn('excellent_months', 'integer', (c) => c.notNull())
    .addColumn('excellent', 'boolean', (c) => c.notNull())
    .addColumn('computed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('annual_assessments_pkey', ['year', 'staff_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('annual_assessments').execute();
}
