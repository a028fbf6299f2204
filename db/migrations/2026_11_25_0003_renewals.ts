/**
 * Renewals (续保): the insurance policies the sweep reads (loaded from the core policy system by
 * import or `PUT /policies/{policyNo}`) and the do-not-contact list every outreach checks first.
 * Renewal cases themselves use the tables of the initial migration. Frozen once released; imports
 * nothing from the application.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- a migration types against no Database: it must not change when db/schema.ts does */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Personal data (holder, plate) lives in its own columns here, as in case_personal_data: nothing
  // else (Temporal history, case rows, logs) holds it; the notifier resolves addresses at delivery.
  await db.schema
    .createTable('insurance_policies')
    .addColumn('policy_no', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'jsonb', (c) => c.notNull())
    .addColumn('plate', 'text', (c) => c.notNull())
    .addColumn('product', 'text', (c) => c.notNull().check(sql`product in ('compulsory', 'commercial')`))
    .addColumn('starts_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('premium', 'numeric(12, 2)', (c) => c.notNull().check(sql`premium >= 0`))
    .addColumn('claim_free_years', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`claim_free_years >= 0`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('insurance_policies_term', sql`starts_at < expires_at`)
    .execute();
  // The sweep pages policies by (expires_at, policy_no): the keyset cursor and the window filter in one index.
  await db.schema
    .createIndex('insurance_policies_expires_at_policy_no_idx')
    .on('insurance_policies')
    .columns(['expires_at', 'policy_no'])
    .execute();

  // Keyed by a SHA-256 of the normalised phone number or e-mail address: the list answers "may we
  // contact this address?" without being a second copy of customers' numbers. The masked form is
  // for operators reading the list.
  await db.schema
    .createTable('do_not_contact')
    .addColumn('contact_hash', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('phone', 'email')`))
    .addColumn('masked', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('source_case_id', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('do_not_contact').execute();
  await db.schema.dropTable('insurance_policies').execute();
}
