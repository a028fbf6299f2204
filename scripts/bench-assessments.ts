/**
 * `npm run bench:assessments`: the month-start fan-out, on one dev server of its own.
 *   1. 2,000 bare workflow starts (client → server, no worker): the ceiling;
 *   2. the monthly run over 2,000 active agents (services/assessment-run.ts, what the Schedule's
 *      activity and POST /assessments/run call): directory read, existing check, one start each;
 *   3. the run again: every agent existing, nothing started (the idempotent rerun).
 * Starts/s side by side, same concurrency. No worker runs: the starts, not the months, are measured.
 * A fresh PostgreSQL database (BENCH_DATABASE_URL); 127.0.0.1 only. Figures are printed, never asserted.
 */
import os from 'node:os';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import pg from 'pg';
import { loadConfig } from '../config';
import { openDatabase } from '../db/connection';
import { migrateToLatest } from '../db/migrate';
import { createLogger } from '../infra/logger';
import { installTemporalRuntime } from '../infra/temporal-runtime';
import { runAssessments } from '../services/assessment-run';
import { startLocalTemporal } from '../test/support/local-temporal';

const AGENTS = Number(process.env.BENCH_AGENTS ?? 2_000);
const CONCURRENCY = Number(process.env.BENCH_START_CONCURRENCY ?? 32);
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/motordesk_bench_assessments';
const PERIOD = '2026-11';

async function freshDatabase(url: string): Promise<void> {
  const admin = new URL(url);
  const name = admin.pathname.slice(1);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`drop database if exists ${client.escapeIdentifier(name)} with (force)`);
  await client.query(`create database ${client.escapeIdentifier(name)}`);
  await client.end();
}

async function bareStarts(env: TestWorkflowEnvironment, total: number): Promise<number> {
  let next = 0;
  const t0 = Date.now();
  const lane = async () => {
    for (let i = next++; i < total; i = next++)
      await env.client.workflow.start('benchNoop', {
        taskQueue: 'bench-no-worker',
        workflowId: `bare-${i}-${t0}`,
        args: [],
      });
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  return total / ((Date.now() - t0) / 1000);
}

async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn' });
  installTemporalRuntime(createLogger('warn', 'bench'));
  console.log(`bench-assessments: ${AGENTS} agents, start concurrency ${CONCURRENCY}, ${os.cpus().length} CPUs`);
  const env = await startLocalTemporal(config.temporal.cliPath, ['--log-level', 'error']);
  await freshDatabase(DATABASE_URL);
  const database = await openDatabase({ databaseUrl: DATABASE_URL, dataDir: config.dataDir, max: 10 });
  try {
    await migrateToLatest(database.db);
    const db = database.db;
    // The directory: 2,000 active agents in 40 teams of 50, each with a supervisor.
    const rows = Array.from({ length: AGENTS }, (_, i) => ({
      id: `bench-agent-${String(i).padStart(5, '0')}`,
      name: `坐席${i}`,
      role: 'agent',
      team: `team-${i % 40}`,
      supervisor_id: `bench-sup-${i % 40}`,
      hired_at: '2025-01-02',
      active: true,
      updated_by: 'bench',
    }));
    for (let i = 0; i < rows.length; i += 500)
      await db
        .insertInto('staff')
        .values(rows.slice(i, i + 500))
        .execute();

    const bare = await bareStarts(env, AGENTS);
    console.log(`bare workflow starts: ${bare.toFixed(0)}/s (${AGENTS} at concurrency ${CONCURRENCY})`);

    const deps = { db, temporal: env.client, taskQueue: 'bench-assessments', startConcurrency: CONCURRENCY };
    let t0 = Date.now();
    const first = await runAssessments(deps, { period: PERIOD });
    let seconds = (Date.now() - t0) / 1000;
    console.log(
      `monthly run: ${first.started} started, ${first.existing} existing in ${seconds.toFixed(2)} s = ${(first.started / seconds).toFixed(0)} starts/s (${((first.started / seconds / bare) * 100).toFixed(0)}% of bare)`,
    );
    t0 = Date.now();
    const again = await runAssessments(deps, { period: PERIOD });
    seconds = (Date.now() - t0) / 1000;
    console.log(
      `rerun: ${again.started} started, ${again.existing} existing in ${seconds.toFixed(2)} s (no case rows yet: every start refused as already started)`,
    );
  } finally {
    await database.close();
    await env.teardown();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
