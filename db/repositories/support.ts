/** What every repository shares. Internal to db/: not re-exported from the barrel. */
import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { Database } from '../schema';

/** A repository's first argument: the database or a transaction the caller already opened. */
export type Executor = Kysely<Database> | Transaction<Database>;

/**
 * A jsonb parameter. Serialised here rather than by the driver: pg turns JS arrays into Postgres
 * array literals (not JSON), and PGlite and pg disagree on other edge cases. A JSON text works for both.
 */
export function jsonb<T>(value: T): RawBuilder<T> {
  return sql<T>`cast(${JSON.stringify(value)} as jsonb)`;
}

/** Runs `fn` in a transaction, or in the caller's transaction when `db` already is one (kysely does not nest). */
export async function inTransaction<T>(db: Executor, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db as Transaction<Database>) : db.transaction().execute(fn);
}
