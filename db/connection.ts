/**
 * Opens the read-model database: PostgreSQL through a pg Pool when a URL is configured, otherwise an
 * embedded PGlite persisted under the data directory (one-machine development with zero set-up).
 */
import fs from 'node:fs';
import path from 'node:path';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { Database } from './schema';

export interface OpenDatabaseOptions {
  /** Unset: embedded PGlite under `${dataDir}/pglite`. */
  databaseUrl?: string;
  dataDir: string;
  /** Pool size (PostgreSQL only; PGlite has a single connection). */
  max?: number;
  /**
   * Errors of idle pooled connections (server restart, network cut). Without a listener the pool's
   * 'error' event would crash the process; the failing query itself still rejects as usual.
   */
  onIdleError?: (err: Error) => void;
}

export interface OpenedDatabase {
  db: Kysely<Database>;
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}

export async function openDatabase(opts: OpenDatabaseOptions): Promise<OpenedDatabase> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl, opts) : openPGlite(opts.dataDir);
}

function openPostgres(databaseUrl: string, opts: OpenDatabaseOptions): OpenedDatabase {
  // pg's defaults are the shapes repositories rely on: timestamptz → Date, int8 (bigserial ids) → string,
  // jsonb → parsed value.
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: opts.max ?? 10,
    // Fail fast when the server is down, so the API can answer 503 instead of hanging.
    connectionTimeoutMillis: 5_000,
    application_name: 'motordesk',
  });
  pool.on('error', (err) => opts.onIdleError?.(err));
  // A connection that dies while checked out (between two statements of a transaction, or just as
  // a query is sent) emits 'error' on its client, and the pool listens only while the client is idle:
  // unheard, that event would end the process (the API and the worker both died when PostgreSQL
  // went down under load). The statement in flight rejects on its own, and the pool drops the broken
  // client when it is released.
  pool.on('connect', (client) => client.on('error', (err) => opts.onIdleError?.(err)));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind: 'postgres', close: () => db.destroy() };
}

async function openPGlite(dataDir: string): Promise<OpenedDatabase> {
  const dir = path.join(dataDir, 'pglite');
  fs.mkdirSync(dir, { recursive: true });
  const releaseLock = lockDataDir(dir);
  try {
    // Same shapes as pg: PGlite would otherwise return int8 as a number (or a BigInt past 2^53).
    const pglite = await PGlite.create({ dataDir: dir, parsers: { [pgliteTypes.INT8]: (value: string) => value } });
    const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
    return {
      db,
      kind: 'pglite',
      async close() {
        try {
          await db.destroy();
        } finally {
          releaseLock();
        }
      },
    };
  } catch (err) {
    releaseLock();
    throw err;
  }
}

/** Data directories this process has open: a second PGlite instance on the same files corrupts them too. */
const openDirs = new Set<string>();

/**
 * A PGlite data directory is a single-process database: a second process opening it (a migrate run
 * while `npm start` is up, separate API and worker processes) corrupts it. Refuse instead.
 */
function lockDataDir(dir: string): () => void {
  const lockFile = path.join(dir, '.motordesk.lock');
  if (openDirs.has(dir))
    throw new Error(`the embedded database in ${dir} is already open in this process; share the handle`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      openDirs.add(dir);
      return () => {
        openDirs.delete(dir);
        fs.rmSync(lockFile, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(fs.readFileSync(lockFile, 'utf8'));
      if (holder !== process.pid && isAlive(holder)) {
        throw new Error(`the embedded database in ${dir} is in use by process ${holder}; stop it or set DATABASE_URL`);
      }
      // A stale lock left by a process that died: take it over.
      fs.rmSync(lockFile, { force: true });
    }
  }
  throw new Error(`cannot lock the embedded database in ${dir}`);
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Creates the database named in `databaseUrl` when it does not exist yet, connecting to the server's
 * `postgres` maintenance database. For tests and development; production databases are provisioned.
 */
export async function ensureDatabaseExists(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!name) throw new Error('ensureDatabaseExists: the URL names no database');
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount) return;
    try {
      await client.query(`create database ${client.escapeIdentifier(name)}`);
    } catch (err) {
      // Two test processes racing to create the same database: the loser's work is already done.
      // (42P04 duplicate_database; 23505 when both reach pg_database's unique index at once.)
      const code = (err as { code?: string }).code;
      if (code !== '42P04' && code !== '23505') throw err;
    }
  } finally {
    await client.end();
  }
}

/**
 * Drops and creates a database: for the test run's own databases only, so a run never inherits a
 * migration table from another checkout or an earlier branch (kysely refuses a history it does not know).
 */
export async function recreateDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!name) throw new Error('recreateDatabase: the URL names no database');
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(`drop database if exists ${client.escapeIdentifier(name)} with (force)`);
    await client.query(`create database ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}
