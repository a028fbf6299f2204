import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ensureDatabaseExists, openDatabase } from '../../db/connection';
import { createMigrator, migrateToLatest, migrations } from '../../db/migrate';
import { jsonb } from '../../db/repositories/support';
import { scratchPostgres } from './backends';

const TABLES = [
  'audit_log',
  'case_assignments',
  'case_search_keys',
  'kpi_targets',
  'staff',
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
  const { url, drop } = scratchPostgres('motordesk_dbtest_fresh');
  afterAll(drop);

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

describe('a migration that lands after a later-named one already ran', () => {
  const { url, drop } = scratchPostgres('motordesk_dbtest_unordered');
  afterAll(drop);

  it('is applied, not refused as a corrupted history (branches land migrations whose names interleave)', async () => {
    await ensureDatabaseExists(url);
    const database = await openDatabase({ databaseUrl: url, dataDir: '/nonexistent' });
    try {
      await migrateToLatest(database.db);
      // As if failed_projections had arrived only now, after every later-named migration ran.
      await sql`drop table failed_projections`.execute(database.db);
      await sql`delete from kysely_migration where name = '2026_12_02_0013_failed_projections'`.execute(database.db);
      expect(await migrateToLatest(database.db)).toEqual({ applied: ['2026_12_02_0013_failed_projections'] });
      const { rows } = await sql<{ n: string }>`select count(*) as n from failed_projections`.execute(database.db);
      expect(rows[0]?.n).toBe('0');
    } finally {
      await database.close();
    }
  });
});

describe('the breaches-never-erased migration', () => {
  const { url, drop } = scratchPostgres('motordesk_dbtest_breaches');
  afterAll(drop);

  it('restores a breach that a cancellation erased, flags its case, and leaves an ended case without a next deadline', async () => {
    await ensureDatabaseExists(url);
    const database = await openDatabase({ databaseUrl: url, dataDir: '/nonexistent' });
    try {
      const { error } = await createMigrator(database.db).migrateTo('2026_11_25_0003_renewals');
      expect(error).toBeUndefined();
      const due = '2026-11-20T02:00:00.000Z';
      const at = '2026-11-21T02:00:00.000Z';
      const row = (id: string, closedAt: string | null) => ({
        id,
        type: 'claim',
        status: closedAt ? 'withdrawn' : 'awaiting_documents',
        team: 'east',
        escalation_level: 2,
        next_due_at: due,
        sla_breached: false,
        data: jsonb({}),
        version: 3,
        created_at: at,
        updated_at: at,
        closed_at: closedAt,
      });
      await database.db
        .insertInto('cases')
        .values([row('WITHDRAWN1', at), row('OPEN1', null)])
        .execute();
      const clock = (caseId: string, state: string, endedAt: string | null) => ({
        case_id: caseId,
        clock_id: 'claim.firstContact#1',
        policy: 'claim.firstContact',
        kind: 'internal',
        state,
        started_at: due,
        due_at: due,
        warn_at: due,
        ended_at: endedAt,
        provisional: false,
        version: 3,
        updated_at: at,
      });
      await database.db
        .insertInto('clocks')
        .values([clock('WITHDRAWN1', 'cancelled', at), clock('OPEN1', 'breached', at)])
        .execute();
      await database.db
        .insertInto('timeline_events')
        .values({
          case_id: 'WITHDRAWN1',
          event_key: 'WITHDRAWN1:4',
          at: due,
          actor: 'system',
          kind: 'clock.breached',
          detail: jsonb({ clock: 'claim.firstContact#1', policy: 'claim.firstContact' }),
        })
        .execute();

      await migrateToLatest(database.db);

      const clocks = await database.db.selectFrom('clocks').select(['case_id', 'state']).orderBy('case_id').execute();
      expect(clocks).toEqual([
        { case_id: 'OPEN1', state: 'breached' },
        { case_id: 'WITHDRAWN1', state: 'breached' },
      ]);
      const cases = await database.db
        .selectFrom('cases')
        .select(['id', 'sla_breached', 'next_due_at'])
        .orderBy('id')
        .execute();
      // OPEN1's breached clock has ended (met late): no running clock, no next deadline either.
      expect(cases).toEqual([
        { id: 'OPEN1', sla_breached: true, next_due_at: null },
        { id: 'WITHDRAWN1', sla_breached: true, next_due_at: null },
      ]);
    } finally {
      await database.close();
    }
  });
});
