/**
 * Projections the read model refused for good (a data error, SQLSTATE class 22 or 23): kept as a
 * fact an operator can see and act on, instead of a retry that would never end. Only ids and codes:
 * the refused data itself stays in the case's Temporal history. Frozen once released; imports nothing
 * from the application.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- a migration types against no Database: it must not change when db/schema.ts does */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('failed_projections')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('sqlstate', 'text', (c) => c.notNull())
    .addColumn('workflow_id', 'text', (c) => c.notNull())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('event_keys', 'jsonb', (c) => c.notNull())
    .addColumn('notification_keys', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('failed_projections_case_idx').on('failed_projections').column('case_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('failed_projections').execute();
}
