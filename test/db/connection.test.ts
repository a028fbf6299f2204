import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../db/connection';
import { isDatabaseUnavailable } from '../../db/errors';
import { migrateToLatest } from '../../db/migrate';
import { applyProjection } from '../../db/repositories/case-projection';
import { getCaseRow } from '../../db/repositories/case-reads';
import { testDatabaseUrl } from '../support/env';
import { projection } from './fixtures';

describe('embedded PGlite', () => {
  it('persists under <dataDir>/pglite across close and reopen, and refuses a second open while in use', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'motordesk-pglite-'));
    try {
      const first = await openDatabase({ dataDir });
      expect(first.kind).toBe('pglite');
      await expect(openDatabase({ dataDir })).rejects.toThrow(/already open/);
      await migrateToLatest(first.db);
      await applyProjection(first.db, projection('claim-persisted'));
      await first.close();
      expect(fs.existsSync(path.join(dataDir, 'pglite', 'PG_VERSION'))).toBe(true);

      const second = await openDatabase({ dataDir });
      try {
        expect(await migrateToLatest(second.db)).toEqual({ applied: [] });
        expect((await getCaseRow(second.db, 'claim-persisted'))?.id).toBe('claim-persisted');
      } finally {
        await second.close();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('PostgreSQL pool', () => {
  it('survives a connection that dies while checked out: the statement fails, the process and the pool carry on', async () => {
    const errors: Error[] = [];
    const database = await openDatabase({
      databaseUrl: testDatabaseUrl(),
      dataDir: os.tmpdir(),
      max: 2,
      onIdleError: (err) => errors.push(err),
    });
    const killer = new pg.Client({ connectionString: testDatabaseUrl() });
    await killer.connect();
    try {
      // Between two statements of a transaction the client is checked out and idle: the server
      // ending its backend then (as a PostgreSQL shutdown does) reaches only the client's listeners.
      const inTransaction = database.db.transaction().execute(async (trx) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
        await killer.query('select pg_terminate_backend($1)', [rows[0]!.pid]);
        await vi.waitFor(() => expect(errors.length).toBeGreaterThan(0), { timeout: 10_000 });
        await sql`select 1`.execute(trx);
      });
      await expect(inTransaction).rejects.toSatisfy(isDatabaseUnavailable);
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(database.db);
      expect(rows[0]?.one).toBe(1);
    } finally {
      await killer.end();
      await database.close();
    }
  });
});
