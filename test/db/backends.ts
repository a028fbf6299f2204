/**
 * The two databases every repository test runs against: real PostgreSQL (a `<name>_dbtest` database
 * beside the one DATABASE_URL names, default `motordesk_dbtest` on 127.0.0.1:5432) and embedded PGlite
 * in a temporary directory. Deriving the name keeps two checkouts with different migrations (two
 * branches tested side by side, each with its own DATABASE_URL) out of each other's migration table.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { loadConfig } from '../../config';
import { ensureDatabaseExists, openDatabase, type OpenedDatabase } from '../../db/connection';

const DEFAULT_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';

/** The test server's URL with another database name. */
export function postgresUrl(database: string): string {
  const url = new URL(loadConfig().databaseUrl ?? DEFAULT_SERVER);
  url.pathname = `/${database}`;
  return url.toString();
}

/** The repository tests' PostgreSQL database (recreated by the global set-up at the start of each run). */
export function repositoryDatabaseUrl(): string {
  return postgresUrl(repositoryDatabaseName());
}

function repositoryDatabaseName(): string {
  const configured = loadConfig().databaseUrl;
  const base = configured ? new URL(configured).pathname.replace(/^\//, '') : '';
  return base && base !== 'motordesk_test' ? `${base}_dbtest` : 'motordesk_dbtest';
}

export interface Backend {
  name: 'postgres' | 'pglite';
  open(): Promise<OpenedDatabase & { dispose(): Promise<void> }>;
}

export const BACKENDS: Backend[] = [
  {
    name: 'postgres',
    async open() {
      const databaseUrl = repositoryDatabaseUrl();
      await ensureDatabaseExists(databaseUrl);
      const opened = await openDatabase({ databaseUrl, dataDir: os.tmpdir(), max: 5 });
      return { ...opened, dispose: () => opened.close() };
    },
  },
  {
    name: 'pglite',
    async open() {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'motordesk-dbtest-'));
      const opened = await openDatabase({ dataDir });
      return {
        ...opened,
        async dispose() {
          await opened.close();
          fs.rmSync(dataDir, { recursive: true, force: true });
        },
      };
    },
  },
];

/** Ids unique to one test, so runs against a shared database never collide. */
export function uid(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** A PostgreSQL database of one test's own on the test server: its URL, and `drop` to remove it. */
export function scratchPostgres(prefix: string): { url: string; drop: () => Promise<void> } {
  const name = uid(prefix).replace(/-/g, '_');
  return {
    url: postgresUrl(name),
    drop: async () => {
      const client = new pg.Client({ connectionString: postgresUrl('postgres') });
      await client.connect();
      try {
        await client.query(`drop database if exists ${client.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
    },
  };
}
