/**
 * `npx tsx scripts/bench-renewals.ts`: renewals at scale, in one run on one dev server.
 *   1. import 100,000 generated policies from a CSV file (the CLI's and the API's code path):
 *      time, rows/s, and the process's peak RSS while importing (it should stay flat);
 *   2. bare workflow starts per second (client → server only, no worker), the ceiling;
 *   3. the sweep over the 10,000 policies due within renewal.window: time until the sweep returns
 *      (every renewal workflow accepted by the server), starts/s against the bare figure, time until
 *      every renewal has projected its first state to PostgreSQL, and the worker's peak RSS.
 * The worker runs in this process (its RSS includes the bench's client and pool). 127.0.0.1 only.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startLocalTemporal } from '../test/support/local-temporal';
import { Worker } from '@temporalio/worker';
import pg from 'pg';
import { createCaseActivities } from '../activities/case-activities';
import { createRenewalActivities } from '../activities/renewal-activities';
import { createSurveyActivities } from '../activities/survey-activities';
import { loadConfig } from '../config';
import { openDatabase } from '../db/connection';
import { migrateToLatest } from '../db/migrate';
import { createLogger } from '../infra/logger';
import { installTemporalRuntime } from '../infra/temporal-runtime';
import { importInsurancePolicies } from '../services/insurance-policy-import';
import { runRenewalSweep } from '../services/renewal-sweep';
import { bundledAtWorkerStart } from '../infra/workflow-bundle';

const POLICIES = Number(process.env.BENCH_POLICIES ?? 100_000);
/** Every n-th policy expires within the 45-day window. */
const DUE_EVERY = 10;
const CONCURRENCY = Number(process.env.BENCH_START_CONCURRENCY ?? 32);
const BARE_STARTS = Number(process.env.BENCH_BARE_STARTS ?? 5_000);
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/motordesk_bench_renewals';
const TASK_QUEUE = 'bench-renewals';
const DAY = 86_400_000;
const MiB = 2 ** 20;

/** Samples RSS and heap every 100 ms; `stop()` returns the peaks. */
function memoryPeaks() {
  let rss = process.memoryUsage().rss;
  let heap = process.memoryUsage().heapUsed;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  }, 100);
  return { stop: () => (clearInterval(timer), { rss: rss / MiB, heap: heap / MiB }) };
}

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

function writePolicies(file: string, now: number): number {
  const out = fs.openSync(file, 'w');
  let due = 0;
  const lines: string[] = [
    'policyNo,holder.name,holder.phone,holder.email,vehicle.plate,product,startsAt,expiresAt,premium,claimFreeYears',
  ];
  for (let i = 0; i < POLICIES; i++) {
    const isDue = i % DUE_EVERY === 0;
    if (isDue) due++;
    const expires = now + (isDue ? 1 + (i % 43) : 60 + (i % 340)) * DAY + (i % 600) * 60_000;
    const starts = expires - 365 * DAY;
    const phone = `13${String(100_000_000 + i).slice(-9)}`;
    lines.push(
      `PB${String(i).padStart(8, '0')},"客户${i}",${phone},c${i}@example.com,粤B${String(10_000 + (i % 90_000)).slice(-5)},${i % 3 ? 'commercial' : 'compulsory'},${new Date(starts).toISOString()},${new Date(expires).toISOString()},${(800 + (i % 5000)).toFixed(2)},${i % 4}`,
    );
    if (lines.length >= 5_000) fs.writeSync(out, `${lines.splice(0).join('\n')}\n`);
  }
  fs.writeSync(out, `${lines.join('\n')}\n`);
  fs.closeSync(out);
  return due;
}

async function bareStarts(env: TestWorkflowEnvironment, total: number): Promise<number> {
  let next = 0;
  const t0 = Date.now();
  const lane = async () => {
    for (let i = next++; i < total; i = next++) {
      await env.client.workflow.start('benchNoop', {
        taskQueue: 'bench-no-worker',
        workflowId: `bare-${i}-${t0}`,
        args: [],
      });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  return total / ((Date.now() - t0) / 1000);
}

async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn' });
  const logger = createLogger('warn', 'bench');
  installTemporalRuntime(logger);
  console.log(
    `bench-renewals: ${POLICIES} policies, 1 in ${DUE_EVERY} due, start concurrency ${CONCURRENCY}, ${os.cpus().length} CPUs`,
  );

  const env = await startLocalTemporal(config.temporal.cliPath, ['--log-level', 'error']);
  await freshDatabase(DATABASE_URL);
  const database = await openDatabase({ databaseUrl: DATABASE_URL, dataDir: config.dataDir, max: 10 });
  await migrateToLatest(database.db);
  const db = database.db;

  // 1. Import.
  const file = path.join(os.tmpdir(), `bench-policies-${process.pid}.csv`);
  const now = Date.now();
  const due = writePolicies(file, now);
  const sizeMiB = fs.statSync(file).size / MiB;
  const importMemory = memoryPeaks();
  const rssBeforeImport = process.memoryUsage().rss / MiB;
  const t0 = Date.now();
  const imported = await importInsurancePolicies(db, fs.createReadStream(file, { highWaterMark: 256 * 1024 }), 'csv');
  const importSeconds = (Date.now() - t0) / 1000;
  const importPeak = importMemory.stop();
  fs.rmSync(file);
  console.log(
    `import: ${imported.created} created, ${imported.rejectedTotal} rejected from a ${sizeMiB.toFixed(1)} MiB CSV in ${importSeconds.toFixed(1)} s (${(POLICIES / importSeconds).toFixed(0)} rows/s)`,
  );
  console.log(
    `import memory: RSS ${rssBeforeImport.toFixed(0)} MiB before, peak ${importPeak.rss.toFixed(0)} MiB; peak heap ${importPeak.heap.toFixed(0)} MiB`,
  );

  // 2. Bare starts: the ceiling, on the same server, before any worker exists.
  const bare = await bareStarts(env, BARE_STARTS);
  console.log(`bare workflow starts: ${bare.toFixed(0)}/s (${BARE_STARTS} at concurrency ${CONCURRENCY})`);

  // 3. The sweep.
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue: TASK_QUEUE,
    ...bundledAtWorkerStart(),
    activities: {
      ...createCaseActivities({ db, policyFile: config.deadlinePolicies }),
      ...createSurveyActivities({ db }),
      ...createRenewalActivities({
        db,
        policyFile: config.deadlinePolicies,
        temporal: env.client,
        taskQueue: TASK_QUEUE,
        startConcurrency: CONCURRENCY,
      }),
    },
    maxCachedWorkflows: config.worker.maxCachedWorkflows,
  });
  await worker.runUntil(async () => {
    const sweepMemory = memoryPeaks();
    const rssBeforeSweep = process.memoryUsage().rss / MiB;
    const s0 = Date.now();
    const counts = await runRenewalSweep(env.client, { taskQueue: TASK_QUEUE, workflowId: 'bench-sweep' });
    const sweepSeconds = (Date.now() - s0) / 1000;
    console.log(
      `sweep: ${counts.started} started, ${counts.existing} existing (of ${due} due) in ${sweepSeconds.toFixed(1)} s: ${(counts.started / sweepSeconds).toFixed(0)} starts/s = ${(counts.started / sweepSeconds / bare).toFixed(2)} × bare`,
    );
    for (;;) {
      const row = await db
        .selectFrom('cases')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('type', '=', 'renewal')
        .executeTakeFirstOrThrow();
      if (Number(row.n) >= counts.started) break;
      if (Date.now() - s0 > 30 * 60_000) throw new Error(`only ${row.n} renewals projected after 30 minutes`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const projectedSeconds = (Date.now() - s0) / 1000;
    const peak = sweepMemory.stop();
    console.log(
      `every renewal running and projected (case row + reminder ladder planned): ${projectedSeconds.toFixed(1)} s after the sweep began (${(counts.started / projectedSeconds).toFixed(0)}/s)`,
    );
    console.log(
      `worker process memory during the sweep: RSS ${rssBeforeSweep.toFixed(0)} MiB before, peak ${peak.rss.toFixed(0)} MiB; peak heap ${peak.heap.toFixed(0)} MiB (maxCachedWorkflows ${config.worker.maxCachedWorkflows})`,
    );
    const again = await runRenewalSweep(env.client, { taskQueue: TASK_QUEUE, workflowId: 'bench-sweep-2' });
    console.log(`second sweep: ${again.started} started, ${again.existing} existing`);
  });
  await database.close();
  await env.teardown();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
