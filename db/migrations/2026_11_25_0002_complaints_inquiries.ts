/**
 * Complaints and inquiries. Their cases, clocks, timelines and outbox rows use the tables of the
 * initial migration; what is new is the satisfaction survey every paid claim, resolved complaint and
 * answered inquiry sends, one row per case, read by the satisfaction KPI (客户满意度). Frozen once
 * released; imports nothing from the application.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- a migration types against no Database: it must not change when db/schema.ts does */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // No foreign key to cases: a survey may be recorded before the case's projection commits (both are
  // idempotent writes from the same workflow), and reports must outlive any case clean-up.
  await db.schema
    .createTable('satisfaction_surveys')
    .addColumn('case_id', 'text', (c) => c.primaryKey())
    .addColumn('case_type', 'text', (c) => c.notNull().check(sql`case_type in ('claim', 'complaint', 'inquiry')`))
    .addColumn('team', 'text', (c) => c.notNull())
    .addColumn('agent', 'text')
    // How the case came in (complaint / inquiry channel); null for claims.
    .addColumn('channel', 'text')
    .addColumn('sent_via', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('sent')
        .check(sql`status in ('sent', 'answered', 'unanswered')`),
    )
    .addColumn('score', 'smallint', (c) => c.check(sql`score between 1 and 5`))
    .addColumn('comment', 'text')
    .addColumn('answered_at', 'timestamptz')
    .addColumn('unanswered_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // A score exactly when answered: the KPI can trust status and score to agree.
    .addCheckConstraint(
      'satisfaction_surveys_score_iff_answered',
      sql`(status = 'answered') = (score is not null) and (status = 'answered') = (answered_at is not null)`,
    )
    .execute();
  // The KPI counts surveys answered in a period, per team or per agent.
  await db.schema
    .createIndex('satisfaction_surveys_team_answered_at_idx')
    .on('satisfaction_surveys')
    .columns(['team', 'answered_at'])
    .execute();
  await db.schema
    .createIndex('satisfaction_surveys_agent_answered_at_idx')
    .on('satisfaction_surveys')
    .columns(['agent', 'answered_at'])
    .execute();
  await db.schema
    .createIndex('satisfaction_surveys_answered_at_idx')
    .on('satisfaction_surveys')
    .column('answered_at')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('satisfaction_surveys').execute();
}
