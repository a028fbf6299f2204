/**
 * The initial read model and outbox. Frozen: once released, a change is a new migration, never an
 * edit here. Imports nothing from the application, so the schema it creates stays what it was.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- a migration types against no Database: it must not change when db/schema.ts does */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('team', 'text', (c) => c.notNull())
    .addColumn('assignee', 'text')
    .addColumn('escalation_level', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('policy_no', 'text')
    .addColumn('next_due_at', 'timestamptz')
    .addColumn('sla_breached', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('data', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('version', 'integer', (c) => c.notNull())
    // Millisecond precision: the list cursor carries created_at as a JS Date, which must compare equal.
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('closed_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('cases_team_status_idx').on('cases').columns(['team', 'status']).execute();
  await db.schema.createIndex('cases_type_status_idx').on('cases').columns(['type', 'status']).execute();
  await db.schema.createIndex('cases_assignee_idx').on('cases').column('assignee').execute();
  await db.schema.createIndex('cases_next_due_at_idx').on('cases').column('next_due_at').execute();
  await db.schema.createIndex('cases_policy_no_idx').on('cases').column('policy_no').execute();
  await db.schema.createIndex('cases_created_at_id_idx').on('cases').columns(['created_at desc', 'id desc']).execute();
  // Agents and supervisors always list within their team: page that scope without filtering the whole table.
  await db.schema
    .createIndex('cases_team_created_at_id_idx')
    .on('cases')
    .columns(['team', 'created_at desc', 'id desc'])
    .execute();

  // No foreign key to cases: the API stores personal data before the workflow's first projection exists.
  await db.schema
    .createTable('case_personal_data')
    .addColumn('case_id', 'text', (c) => c.primaryKey())
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('clocks')
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('clock_id', 'text', (c) => c.notNull())
    .addColumn('policy', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('warn_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ended_at', 'timestamptz')
    .addColumn('provisional', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('escalations', 'integer', (c) => c.notNull().defaultTo(0))
    // The projection version that wrote the row: an older projection never regresses a clock.
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('clocks_pkey', ['case_id', 'clock_id'])
    .execute();
  await db.schema
    .createIndex('clocks_due_at_open_idx')
    .on('clocks')
    .column('due_at')
    .where(sql.ref('ended_at'), 'is', null)
    .execute();

  await db.schema
    .createTable('timeline_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('event_key', 'text', (c) => c.notNull().unique())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('detail', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  // The timeline is read per case in (at, id) order; the index serves both the filter and the sort.
  await db.schema
    .createIndex('timeline_events_case_at_id_idx')
    .on('timeline_events')
    .columns(['case_id', 'at', 'id'])
    .execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('case_id', 'text')
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('params', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('recipient_kind', 'text', (c) => c.notNull())
    .addColumn('recipient_ref', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text')
    .addColumn('receipt', 'boolean', (c) => c.notNull().defaultTo(false))
    // When the workflow acknowledged the receipt signal; sent receipts without it are signalled again.
    .addColumn('receipt_confirmed_at', 'timestamptz')
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('queued')
        .check(sql`status in ('queued', 'sending', 'sent', 'failed', 'suppressed')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    // Retry back-off: a queued row is not handed out before this instant.
    .addColumn('available_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // A 'sending' row belongs to one dispatcher until this instant; after it, the row is up for grabs again.
    .addColumn('lease_until', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('notifications_case_id_idx').on('notifications').column('case_id').execute();
  await db.schema.createIndex('notifications_status_id_idx').on('notifications').columns(['status', 'id']).execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('in_progress', 'completed')`))
    .addColumn('response_status', 'integer')
    .addColumn('response_body', 'jsonb')
    .addColumn('response_headers', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('completed_at', 'timestamptz')
    .addPrimaryKeyConstraint('idempotency_keys_pkey', ['actor', 'key'])
    .execute();
  await db.schema.createIndex('idempotency_keys_created_at_idx').on('idempotency_keys').column('created_at').execute();

  await db.schema
    .createTable('deadline_policies')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('duration', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('warn_at', 'double precision')
    .addColumn('max_reminders', 'integer')
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('calendar_years')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('days', 'jsonb', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('detail', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  await db.schema.createIndex('audit_log_target_idx').on('audit_log').columns(['target', 'id']).execute();

  // Append-only is enforced by the database, not by convention: an audit trail an application bug
  // (or a hurried operator) can rewrite is no audit trail. One statement per call: PGlite's extended
  // protocol takes a single statement at a time.
  await sql`
    create function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
    end
    $$`.execute(db);
  await sql`
    create trigger audit_log_no_update_delete before update or delete on audit_log
    for each row execute function audit_log_append_only()`.execute(db);
  await sql`
    create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_append_only()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('audit_log').execute();
  await sql`drop function audit_log_append_only()`.execute(db);
  for (const table of [
    'calendar_years',
    'deadline_policies',
    'idempotency_keys',
    'notifications',
    'timeline_events',
    'clocks',
    'case_personal_data',
    'cases',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
