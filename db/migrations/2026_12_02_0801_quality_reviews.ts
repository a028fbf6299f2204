/**
 * Quality reviews (服务质检): a supervisor's checklist on one case a staff member handled, eight items
 * scored 0..5 (courtesy 文明用语, listening, timeliness, clarity, accuracy, plain language, no filler
 * words, patience). The month's reviews of an agent feed the agent's assessment. Frozen once
 * released; imports nothing from the application.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- a migration types against no Database: it must not change when db/schema.ts does */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('quality_reviews')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('case_type', 'text', (c) => c.notNull())
    .addColumn('team', 'text', (c) => c.notNull())
    .addColumn('staff_id', 'text', (c) => c.notNull())
    .addColumn('reviewer', 'text', (c) => c.notNull())
    .addColumn('checklist', 'jsonb', (c) => c.notNull())
    // 0..100: the checklist's points over its maximum (8 × 5).
    .addColumn('score', 'numeric', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('reviewed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // The month's reviews of one agent (the assessment's read).
  await db.schema
    .createIndex('quality_reviews_staff_reviewed_idx')
    .on('quality_reviews')
    .columns(['staff_id', 'reviewed_at'])
    .execute();
  await db.schema.createIndex('quality_reviews_case_idx').on('quality_reviews').column('case_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('quality_reviews').execute();
}
