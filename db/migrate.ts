/**
 * Runs the migrations. The provider is a static map, not a FileMigrationProvider: it works under tsx,
 * vitest and bundlers alike, and the list of migrations is visible in code review.
 */
import { type Kysely, type Migration, type MigrationResultSet, Migrator } from 'kysely';
import * as initial from './migrations/2026_11_25_0001_initial';
import * as complaintsInquiries from './migrations/2026_11_25_0002_complaints_inquiries';
import * as renewals from './migrations/2026_11_25_0003_renewals';
import * as breachesNeverErased from './migrations/2026_12_02_0006_breaches_never_erased';
import * as failedProjections from './migrations/2026_12_02_0013_failed_projections';
import * as staffDirectory from './migrations/2026_12_02_0520_staff_directory';
import * as auditChain from './migrations/2026_12_02_0541_audit_chain';
import * as readIndexes from './migrations/2026_12_02_0545_read_indexes';
import * as openDueCovering from './migrations/2026_12_02_0600_open_due_covering';
import * as kpiTargetsSearchKeys from './migrations/2026_12_02_0605_kpi_targets_search_keys';
import * as complianceExceptions from './migrations/2026_12_02_0635_compliance_exceptions';
import * as trainingPlans from './migrations/2026_12_02_0750_training_plans';
import * as facilities from './migrations/2026_12_02_0751_facilities';
import * as qualityReviews from './migrations/2026_12_02_0801_quality_reviews';
import * as assessmentScoring from './migrations/2026_12_02_1341_assessment_scoring';
import * as annualAssessments from './migrations/2026_12_02_1443_annual_assessments';
import * as kpiRollups from './migrations/2026_12_02_1815_kpi_rollups';
import * as applyCaseProjection from './migrations/2026_12_03_1500_apply_case_projection';
import * as teamMoveByIndex from './migrations/2026_12_03_1510_team_move_by_index';

/** Every migration, keyed by its timestamped name (the order kysely applies them in). Append only. */
export const migrations: Readonly<Record<string, Migration>> = Object.freeze({
  '2026_11_25_0001_initial': initial,
  '2026_11_25_0002_complaints_inquiries': complaintsInquiries,
  '2026_11_25_0003_renewals': renewals,
  '2026_12_02_0006_breaches_never_erased': breachesNeverErased,
  '2026_12_02_0013_failed_projections': failedProjections,
  '2026_12_02_0520_staff_directory': staffDirectory,
  '2026_12_02_0541_audit_chain': auditChain,
  '2026_12_02_0545_read_indexes': readIndexes,
  '2026_12_02_0600_open_due_covering': openDueCovering,
  '2026_12_02_0605_kpi_targets_search_keys': kpiTargetsSearchKeys,
  '2026_12_02_0635_compliance_exceptions': complianceExceptions,
  '2026_12_02_0750_training_plans': trainingPlans,
  '2026_12_02_0751_facilities': facilities,
  '2026_12_02_0801_quality_reviews': qualityReviews,
  '2026_12_02_1341_assessment_scoring': assessmentScoring,
  '2026_12_02_1443_annual_assessments': annualAssessments,
  '2026_12_02_1815_kpi_rollups': kpiRollups,
  '2026_12_03_1500_apply_case_projection': applyCaseProjection,
  '2026_12_03_1510_team_move_by_index': teamMoveByIndex,
});

export class MigrationError extends Error {
  constructor(
    message: string,
    readonly results: NonNullable<MigrationResultSet['results']>,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

export function createMigrator<DB>(db: Kysely<DB>): Migrator {
  // Branches developed side by side land migrations whose timestamps interleave: a database that has
  // already run a later one still takes an earlier-named one that arrives after it.
  return new Migrator({
    db,
    provider: { getMigrations: async () => ({ ...migrations }) },
    allowUnorderedMigrations: true,
  });
}

/**
 * Brings the schema to the latest migration; returns the names applied by this call (empty when the
 * schema was already current). Safe to call from several processes at once: kysely serialises
 * migrators with a lock table.
 */
export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<{ applied: string[] }> {
  const { error, results = [] } = await createMigrator(db).migrateToLatest();
  if (error) {
    const failed = results.find((r) => r.status === 'Error')?.migrationName;
    // No failed migration: the error came before any ran (connection, lock); pass it on unchanged.
    if (!failed) throw error instanceof Error ? error : new Error('migration failed', { cause: error });
    throw new MigrationError(
      `migration ${failed} failed: ${error instanceof Error ? error.message : 'unknown error'}`,
      results,
      { cause: error },
    );
  }
  return { applied: results.filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}
