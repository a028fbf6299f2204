/**
 * `npm run bench`: the create path against its ceiling, in one run on one dev server.
 *   1. bare Temporal workflow starts per second (client → server only, no worker involved);
 *   2. `POST /api/v1/claims` per second and its latency (validation, personal data insert,
 *      update-with-start, the workflow's first projection) at a fixed concurrency;
 *   3. the ratio of the two.
 * Everything talks to 127.0.0.1; every loop is bounded in time. Figures go in notes, not in tests.
 */
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startLocalTemporal } from '../test/support/local-temporal';
import { createApp } from '../api/app';
import { signToken } from '../api/auth';
import { loadConfig } from '../config';
import { ensureDatabaseExists, openDatabase } from '../db/connection';
import { migrateToLatest } from '../db/migrate';
import { createLogger } from '../infra/logger';
import { installTemporalRuntime } from '../infra/temporal-runtime';
import { createCaseWorker } from '../worker';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/motordesk_bench';

async function bareStarts(env: TestWorkflowEnvironment): Promise<{ perSecond: number; total: number }> {
  const until = Date.now() + SECONDS * 1000;
  let total = 0;
  const lane = async (lane: number) => {
    for (let i = 0; Date.now() < until; i++) {
      await env.client.workflow.start('benchNoop', {
        taskQueue: 'bench-no-worker',
        workflowId: `bare-${lane}-${i}-${Date.now()}`,
        args: [],
      });
      total++;
    }
  };
  const t0 = Date.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => lane(i)));
  return { perSecond: total / ((Date.now() - t0) / 1000), total };
}

async function main(): Promise<void> {
  const config = { ...loadConfig({ ...process.env, JWT_SECRET: 'bench-secret-0123456789', LOG_LEVEL: 'warn' }) };
  const logger = createLogger('warn', 'bench');
  installTemporalRuntime(logger);
  const env = await startLocalTemporal(config.temporal.cliPath, ['--log-level', 'error']);
  await ensureDatabaseExists(DATABASE_URL);
  const database = await openDatabase({ databaseUrl: DATABASE_URL, dataDir: path.join(config.dataDir, 'bench') });
  await migrateToLatest(database.db);
  const worker = await createCaseWorker({
    connection: env.nativeConnection,
    temporal: env.client,
    namespace: env.namespace ?? 'default',
    db: database.db,
    config,
    logger,
  });
  // The per-staff rate limit is a guard for production traffic, not part of the create path measured here.
  const app = createApp({ temporal: env.client, db: database.db, config, logger, rateLimit: false });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as AddressInfo).port;
  const token = signToken({ sub: 'bench-agent', role: 'agent', team: 'bench' }, config.jwtSecret!, '1h');

  await worker.runUntil(async () => {
    console.log(`bench: ${SECONDS} s per phase, concurrency ${CONCURRENCY}, 127.0.0.1 only`);
    const bare = await bareStarts(env);
    console.log(`bare workflow starts: ${bare.perSecond.toFixed(0)}/s (${bare.total} in ${SECONDS} s)`);

    const body = JSON.stringify({
      policyNo: 'PDAA202611000001',
      coverage: 'compulsory',
      reporter: { name: '张伟', phone: '13812341234' },
      vehicle: { plate: '粤B12345' },
      accident: {
        occurredAt: '2026-11-25T08:30:00+08:00',
        location: '深圳市南山区',
        description: '追尾',
        injuries: false,
      },
    });
    const rssBefore = process.memoryUsage().rss;
    const result = await autocannon({
      url: `http://127.0.0.1:${port}/api/v1/claims`,
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body,
      connections: CONCURRENCY,
      duration: SECONDS,
    });
    const rssAfter = process.memoryUsage().rss;
    const created = result['2xx'];
    const perSecond = created / SECONDS;
    if (result.non2xx > 0)
      console.log(`warning: ${result.non2xx} answers were not 2xx; the figures below count only created claims`);
    console.log(
      `POST /claims: ${perSecond.toFixed(0)}/s created (${created} 2xx, ${result.non2xx} non-2xx, ${result.errors} errors)`,
    );
    console.log(
      `POST /claims latency: p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`,
    );
    console.log(`ratio POST /claims ÷ bare starts: ${(perSecond / bare.perSecond).toFixed(2)}`);
    console.log(
      `process RSS (api + worker): ${(rssBefore / 2 ** 20).toFixed(0)} MiB before, ${(rssAfter / 2 ** 20).toFixed(0)} MiB after`,
    );
  });
  // Let in-flight requests finish before the connections they use go away.
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await new Promise((r) => setTimeout(r, 500));
  await database.close();
  await env.teardown();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
