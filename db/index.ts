/** The read model and outbox: connection, migrations, repositories. Row types stay inside db/. */
export type { Database } from './schema';
export { ensureDatabaseExists, openDatabase, type OpenDatabaseOptions, type OpenedDatabase } from './connection';
export { migrateToLatest, MigrationError } from './migrate';
export { InvalidCursorError, isDatabaseUnavailable } from './errors';
export type { Executor } from './repositories/support';
export * from './repositories/case-projection';
export * from './repositories/case-reads';
export * from './repositories/personal-data';
export * from './repositories/timeline';
export * from './repositories/notifications';
export * from './repositories/idempotency';
export * from './repositories/deadline-policies';
export * from './repositories/calendar';
export * from './repositories/audit';
export * from './repositories/clocks';
export * from './repositories/surveys';
export * from './repositories/facilities';
