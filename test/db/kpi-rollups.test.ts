/**
 * The daily rollups (migration 2026_12_02_1815_kpi_rollups) are what the timeliness KPIs and the
 * complaint rate read. Whatever the projection does to a case and its clocks — new ones, met, breached,
 * met late, a failed task's clocks superseded, the same projection twice, a case moved to another
 * team, a case removed — the KPI counts equal a count taken straight from the rows, for whole-day
 * periods (read from the rollups) and for periods that start and end inside a day (the rollups plus
 * the edges scanned).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyProjection, migrateToLatest, type OpenedDatabase } from '../../db';
import { kpiCounts } from '../../db/repositories/kpis';
import type { Clock } from '../../domain/clock';
import { CUSTOMER_CASE_TYPES } from '../../domain/case';
import { CLAIM_TIMELINESS_CLOCK_POLICIES, FIRST_RESPONSE_CLOCK_POLICIES } from '../../domain/kpis';
import { BACKENDS, uid } from './backends';
import { clock, projection } from './fixtures';

/** A year no other test writes clocks in, so an all-teams figure is this file's alone. */
const YEAR = 2031;
const HOUR = 3_600_000;
const at = (ms: number) => new Date(ms).toISOString();

/** Deterministic, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

describe.each(BACKENDS)('the KPI rollups on $name', (backend) => {
  let database: OpenedDatabase & { dispose(): Promise<void> };
  const db = () => database.db;

  beforeAll(async () => {
    database = await backend.open();
    await migrateToLatest(database.db);
  });
  afterAll(async () => {
    await database?.dispose();
  });

  /** The reference: met and breached clocks of [from, to) counted from the clocks themselves. */
  async function scanned(from: Date, to: Date, policies: readonly string[], team?: string) {
    const row = await sql<{ met: string; breached: string }>`
      select count(*) filter (where k.state = 'met' and k.ended_at >= ${from} and k.ended_at < ${to}) as met,
             count(*) filter (where k.state = 'breached' and k.due_at >= ${from} and k.due_at < ${to}) as breached
        from clocks k join cases c on c.id = k.case_id
       where k.policy in (${sql.join(policies)}) ${team === undefined ? sql`` : sql`and c.team = ${team}`}`.execute(
      db(),
    );
    const met = Number(row.rows[0]?.met ?? 0);
    return { numerator: met, denominator: met + Number(row.rows[0]?.breached ?? 0) };
  }

  /** The reference for the complaint rate: complaints ÷ customer cases opened in [from, to). */
  async function opened(from: Date, to: Date, team?: string) {
    const row = await sql<{ complaints: string; cases: string }>`
      select count(*) filter (where c.type = 'complaint') as complaints, count(*) as cases
        from cases c
       where c.type in (${sql.join(CUSTOMER_CASE_TYPES)}) and c.created_at >= ${from} and c.created_at < ${to}
             ${team === undefined ? sql`` : sql`and c.team = ${team}`}`.execute(db());
    return { numerator: Number(row.rows[0]?.complaints ?? 0), denominator: Number(row.rows[0]?.cases ?? 0) };
  }

  async function expectCountsAsScanned(from: Date, to: Date, team?: string) {
    const counts = await kpiCounts(db(), { from, to, ...(team === undefined ? {} : { team }) });
    expect(counts.complaint_rate, `opened ${from.toISOString()}..${to.toISOString()} ${team}`).toEqual(
      await opened(from, to, team),
    );
    expect(counts.claim_timeliness, `claims ${from.toISOString()}..${to.toISOString()} ${team}`).toEqual(
      await scanned(from, to, CLAIM_TIMELINESS_CLOCK_POLICIES, team),
    );
    expect(counts.response_timeliness, `responses ${from.toISOString()}..${to.toISOString()} ${team}`).toEqual(
      await scanned(from, to, FIRST_RESPONSE_CLOCK_POLICIES, team),
    );
  }

  it('counts what the rows count, through every kind of projection write', async () => {
    const next = random(2031);
    const teams = [uid('east'), uid('west')];
    const yearStart = Date.UTC(YEAR, 0, 1) - 8 * HOUR;
    const policies = [
      'claim.firstContact',
      'claim.documentNotice.compulsory',
      'claim.verification.commercial',
    ] as const;
    let outcomes = 0;
    for (let n = 0; n < 40; n++) {
      const id = uid('claim');
      const team = teams[n % 2]!;
      const opened = yearStart + Math.floor(next() * 300) * 24 * HOUR + Math.floor(next() * 24) * HOUR;
      const clocks: Clock[] = policies.map((policy) =>
        clock(`${policy}#1`, {
          startedAt: at(opened),
          warnAt: at(opened + 20 * HOUR),
          dueAt: at(opened + Math.floor(1 + next() * 60) * HOUR),
        }),
      );
      const type = (['claim', 'complaint', 'inquiry'] as const)[n % 3]!;
      const write = (version: number, over: Partial<Parameters<typeof projection>[1]> = {}, supersede?: number) => {
        const p = projection(id, { version, team, createdAt: at(opened), clocks, ...over });
        return applyProjection(db(), {
          ...p,
          summary: { ...p.summary, type },
          ...(supersede === undefined ? {} : { supersede }),
        });
      };
      await write(1);
      // Each clock ends one way or another, the projection written again each time.
      for (const [i, c] of clocks.entries()) {
        const roll = next();
        const endedAt = at(Date.parse(c.dueAt) + (roll < 0.5 ? -1 : 1) * Math.floor(1 + next() * 30) * HOUR);
        clocks[i] =
          roll < 0.5
            ? { ...c, state: 'met', endedAt }
            : roll < 0.8
              ? { ...c, state: 'breached' }
              : roll < 0.9
                ? { ...c, state: 'breached', endedAt, endedAs: 'met' }
                : { ...c, state: 'cancelled', endedAt };
        await write(2 + i);
      }
      outcomes += clocks.filter((c) => c.state === 'met' || c.state === 'breached').length;
      // The same projection again changes nothing; a failed task's clock is superseded by the committed one.
      await write(1 + clocks.length);
      if (n % 5 === 0) {
        const extra = clock('claim.payment#1', { state: 'breached', dueAt: at(opened + 5 * HOUR) });
        await write(10, { clocks: [...clocks, extra] });
        await write(11, { clocks }, 9);
      }
      // A few cases move to the other team, clocks and all.
      if (n % 7 === 3) await write(12, { team: teams[(n + 1) % 2]! });
      // And one is removed outright, with its clocks (by cascade).
      if (n === 20) await sql`delete from cases where id = ${id}`.execute(db());
    }
    expect(outcomes).toBeGreaterThan(60);

    const yearEnd = Date.UTC(YEAR + 1, 0, 1) - 8 * HOUR;
    const periods: [number, number][] = [
      [yearStart, yearEnd],
      // A month of Shanghai days, and a span that starts and ends inside a day.
      [Date.UTC(YEAR, 2, 1) - 8 * HOUR, Date.UTC(YEAR, 3, 1) - 8 * HOUR],
      [yearStart + 30 * 24 * HOUR + 10 * HOUR, yearStart + 95 * 24 * HOUR + 15 * HOUR],
      // Shorter than a day: no whole day at all.
      [yearStart + 40 * 24 * HOUR + 3 * HOUR, yearStart + 40 * 24 * HOUR + 20 * HOUR],
    ];
    for (const [from, to] of periods) {
      await expectCountsAsScanned(new Date(from), new Date(to));
      for (const team of teams) await expectCountsAsScanned(new Date(from), new Date(to), team);
    }
  });

  // PGlite keeps no table statistics; on PostgreSQL the transaction's own counters say what it read.
  it.skipIf(backend.name === 'pglite')(
    'keeping the rollups reads no other case’s clocks: a projection, a transfer included, reads its own',
    async () => {
      const team = uid('south');
      // Others' clocks with outcomes, which a scan of the clocks would read.
      for (let n = 0; n < 20; n++) {
        const other = uid('claim');
        await applyProjection(
          db(),
          projection(other, { team, clocks: [clock('claim.firstContact#1', { state: 'breached' })] }),
        );
      }
      const id = uid('claim');
      const clocks = [clock('claim.firstContact#1', { state: 'met', endedAt: at(Date.UTC(YEAR, 6, 1)) })];
      // The backend's counters of clock rows read, before and after the write in one transaction.
      const clockRowsRead = async (write: (trx: typeof database.db) => Promise<unknown>) =>
        db()
          .transaction()
          .execute(async (trx) => {
            const read = async () => {
              const { rows } = await sql<{ read: string }>`
                select coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) as read
                  from pg_stat_xact_user_tables where relname = 'clocks'`.execute(trx);
              return Number(rows[0]?.read ?? 0);
            };
            const before = await read();
            await write(trx);
            return (await read()) - before;
          });
      expect(await clockRowsRead((trx) => applyProjection(trx, projection(id, { team, clocks })))).toBe(0);
      // A table this small is cheaper to scan, and the planner knows it: asked not to, a transfer reads
      // only the moved case's clocks, as at a million cases: once to move their counts and once for
      // their upsert (the other 20 cases' clocks have outcomes too, and a join reads them).
      expect(
        await clockRowsRead(async (trx) => {
          await sql`set local enable_seqscan = off`.execute(trx);
          await applyProjection(trx, projection(id, { version: 2, team: uid('east'), clocks }));
        }),
      ).toBeLessThanOrEqual(2 * clocks.length);
    },
  );

  it('a projection rolled back leaves the rollup as it was', async () => {
    const team = uid('north');
    const id = uid('claim');
    const dueAt = Date.UTC(YEAR, 5, 10, 2);
    const breached = clock('claim.firstContact#1', { state: 'breached', dueAt: at(dueAt) });
    const day = { from: new Date(Date.UTC(YEAR, 5, 9, 16)), to: new Date(Date.UTC(YEAR, 5, 10, 16)), team };
    await expect(
      db()
        .transaction()
        .execute(async (trx) => {
          await applyProjection(trx, projection(id, { team, clocks: [breached] }));
          expect((await kpiCounts(trx, day)).response_timeliness).toEqual({ numerator: 0, denominator: 1 });
          throw new Error('the task failed');
        }),
    ).rejects.toThrow('the task failed');
    expect((await kpiCounts(db(), day)).response_timeliness).toEqual({ numerator: 0, denominator: 0 });
  });
});
