/**
 * KPI targets per period, team and agent (the most specific wins; domain/kpis.ts keeps the
 * defaults), and the keyed hashes that let GET /cases?q= find a case by phone or plate without the
 * personal data ever being stored in clear for search. Frozen once released; imports nothing from
 * the application.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- a migration types against no Database: it must not change when db/schema.ts does */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('kpi_targets')
    .addColumn('period', 'text', (c) => c.notNull())
    // '' for "every team" / "every agent": a primary key column cannot be null.
    .addColumn('team', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('staff_id', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('targets', 'jsonb', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('kpi_targets_pkey', ['period', 'team', 'staff_id'])
    .execute();

  await db.schema
    .createTable('case_search_keys')
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_search_keys_pkey', ['hash', 'case_id'])
    .execute();
  await db.schema.createIndex('case_search_keys_case_idx').on('case_search_keys').column('case_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('case_search_keys').execute();
  await db.schema.dropTable('kpi_targets').execute();
}
