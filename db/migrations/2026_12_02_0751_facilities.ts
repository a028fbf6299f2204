/**
 * Facilities (设施): the equipment register, each item's checks (点检记录) and its repairs (维修档案).
 * The API writes an item's registration (kind, location, purchase date, interval, team) before its
 * workflow starts, so the daily sweep can always find an item whose workflow is missing; the item's
 * workflow writes the rest (status, last check, next check due) and the check and repair rows,
 * idempotently. Frozen once released; imports nothing from the application.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- a migration types against no Database: it must not change when db/schema.ts does */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('equipment')
    .addColumn('asset_id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('location', 'text', (c) => c.notNull())
    .addColumn('purchased_at', 'date', (c) => c.notNull())
    .addColumn('check_every_days', 'integer', (c) => c.notNull().check(sql`check_every_days between 1 and 366`))
    .addColumn('team', 'text', (c) => c.notNull())
    .addColumn('registered_by', 'text', (c) => c.notNull())
    .addColumn('registered_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('in_service'))
    .addColumn('last_checked_at', 'timestamptz')
    .addColumn('next_check_due', 'timestamptz')
    .addColumn('open_repair_id', 'text')
    // The workflow's projection version that wrote the state columns: an older one never regresses them.
    .addColumn('state_version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('equipment_next_check_due_idx').on('equipment').column('next_check_due').execute();

  await db.schema
    .createTable('equipment_checks')
    .addColumn('asset_id', 'text', (c) => c.notNull().references('equipment.asset_id').onDelete('cascade'))
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('checked_by', 'text', (c) => c.notNull())
    .addColumn('checked_at', 'timestamptz', (c) => c.notNull())
    .addColumn('repair_id', 'text')
    .addPrimaryKeyConstraint('equipment_checks_pkey', ['asset_id', 'n'])
    .execute();

  await db.schema
    .createTable('equipment_repairs')
    .addColumn('repair_id', 'text', (c) => c.primaryKey())
    .addColumn('asset_id', 'text', (c) => c.notNull().references('equipment.asset_id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('fault', 'text')
    .addColumn('opened_by', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'timestamptz', (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('replacement_reason', 'text')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('equipment_repairs_asset_idx')
    .on('equipment_repairs')
    .columns(['asset_id', 'opened_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('equipment_repairs').execute();
  await db.schema.dropTable('equipment_checks').execute();
  await db.schema.dropTable('equipment').execute();
}
