import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import pg from 'pg';
import { ensureDatabaseExists, openDatabase } from '../../db/connection';
import { migrateToLatest, migrations } from '../../db/migrate';
import { postgresUrl, uid } from './backends';

const TABLES = [
  'audit_log',
  'calendar_years',
  'case_personal_data',
  'cases',
  'clocks',
  'deadline_policies',
  'idempotency_keys',
  'notifications',
  'timeline_events',
];

describe('migrations on a fresh PostgreSQL database', () => {
  const name = uid('motordesk_dbtest_fresh').replace(/-/g, '_');
  const url = postgresUrl(name);

  afterAll(async () => {
    const client = new pg.Client({ connectionString: postgresUrl('postgres') });
    await client.connect();
    await client.query(`drop database if exists ${client.escapeIdentifier(name)}`);
    await client.end();
  });

  it('creates the database, applies the initial migration once and every table exists', async () => {
    await ensureDatabaseExists(url);
    await ensureDatabaseExists(url);
    const database = await openDatabase({ databaseUrl: url, dataDir: '/nonexistent' });
    try {
      // Two processes starting at once (API and worker) both migrate: kysely's lock serialises them.
      const [a, b] = await Promise.all([migrateToLatest(database.db), migrateToLatest(database.db)]);
      expect([...a.applied, ...b.applied]).toEqual(Object.keys(migrations));
      expect(await migrateToLatest(database.db)).toEqual({ applied: [] });
      const { rows } = await sql<{
        table_name: string;
      }>`select table_name from information_schema.tables where table_schema = 'public' and table_name not like 'kysely_%' order by table_name`.execute(
        database.db,
      );
      expect(rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(TABLES));
    } finally {
      await database.close();
    }
  });
});
