/**
 * The assessment's scoring configuration (绩效考核): the component weights in one table and the grade
 * bands in another, seeded with the defaults of domain/assessment.ts at the time of writing. The
 * assessment workflow reads both when a supervisor scores, so a change applies to the next score.
 * Frozen once released; imports nothing from the application (the seed values are copied here).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- a migration types against no Database: it must not change when db/schema.ts does */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('assessment_weights')
    .addColumn('component', 'text', (c) => c.primaryKey())
    .addColumn('weight', 'double precision', (c) => c.notNull().check(sql`weight >= 0`))
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db
    .insertInto('assessment_weights')
    .values(
      [
        ['figures', 40],
        ['quality', 25],
        ['attendance', 15],
        ['initiative', 10],
        ['teamwork', 10],
      ].map(([component, weight]) => ({ component, weight, updated_by: 'migration' })),
    )
    .execute();

  await db.schema
    .createTable('assessment_grade_bands')
    .addColumn('grade', 'text', (c) => c.primaryKey())
    .addColumn('min_total', 'double precision', (c) => c.notNull().check(sql`min_total >= 0 and min_total <= 100`))
    .addColumn('bonus_coefficient', 'double precision', (c) => c.notNull().check(sql`bonus_coefficient >= 0`))
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db
    .insertInto('assessment_grade_bands')
    .values(
      (
        [
          ['优秀', 90, 1.2],
          ['良好', 80, 1.0],
          ['合格', 60, 0.9],
          ['不合格', 0, 0.6],
        ] as const
      ).map(([grade, min, coefficient]) => ({
        grade,
        min_total: min,
        bonus_coefficient: coefficient,
        updated_by: 'migration',
      })),
    )
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('assessment_grade_bands').execute();
  await db.schema.dropTable('assessment_weights').execute();
}
