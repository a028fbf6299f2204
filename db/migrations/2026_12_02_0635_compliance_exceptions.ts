/**
 * Compliance exceptions (合规异常): a further request for claim documents that the first, consolidated
 * notice should have listed (保险法 第二十二条: one notice of everything missing). One row per exception,
 * written by the case projection from the claim's `compliance.exception` timeline event (its key makes
 * a retried projection a no-op); the breach report reads it. Frozen once released; imports nothing
 * from the application.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- a migration types against no Database: it must not change when db/schema.ts does */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('compliance_exceptions')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('case_type', 'text', (c) => c.notNull())
    .addColumn('team', 'text', (c) => c.notNull())
    .addColumn('event_key', 'text', (c) => c.notNull().unique())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('documents', 'jsonb', (c) => c.notNull())
    .addColumn('cause', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('compliance_exceptions_at_idx')
    .on('compliance_exceptions')
    .columns(['at', 'team'])
    .execute();
  await db.schema.createIndex('compliance_exceptions_case_idx').on('compliance_exceptions').column('case_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('compliance_exceptions').execute();
}
