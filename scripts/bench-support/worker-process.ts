/**
 * The benchmarks' worker process (forked by scripts/bench-support/stack.ts): the production case
 * worker (createCaseWorker, the prebuilt WORKFLOW_BUNDLE_PATH, configured from the environment like
 * `npm run start:worker`) and, when BENCH_SKELETON_BUNDLE names one, the skeleton's worker on its own
 * task queue. Unlike `worker.ts` it runs no notification dispatcher and no Schedules: the benchmarks
 * measure the opening, not the delivery of its notices. It answers `status` messages with its memory,
 * CPU and cache figures, and drains on SIGTERM.
 *
 * BENCH_WITHOUT (comma-separated) runs the case worker without a part, to measure what it costs:
 * `projection` (projectCase writes nothing), `clocks` (scheduleClocks computes each set of policies
 * once and hands out that first answer again: no read, no calendar; its deadlines stay minutes away
 * for the length of a run). Figures from such a run are a decomposition, never the claim's cost.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Kysely } from 'kysely';
import type { CaseActivities } from '../../activities/types';
import { createCaseActivities } from '../../activities/case-activities';
import type { ClockSchedule } from '../../domain/clock';
import { type Config, loadConfig, searchKeyOf } from '../../config';
import { openDatabase } from '../../db/connection';
import type { Database } from '../../db/schema';
import { createLogger } from '../../infra/logger';
import { payloadKeyRingOf, sealedDataConverter } from '../../infra/payload-codec';
import { temporalConnectionOptions } from '../../infra/temporal-connection';
import { installTemporalRuntime } from '../../infra/temporal-runtime';
import { createCaseWorker } from '../../worker';
import { SKELETON_TASK_QUEUE, skeletonActivities } from './skeleton-activities';

export interface WorkerStatusMessage {
  type: 'status';
  rss: number;
  heapUsed: number;
  cachedWorkflows: number;
  /** process.cpuUsage(): user + system µs of every thread of this process. */
  cpuMicros: number;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'bench-worker');
  installTemporalRuntime(logger);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const options = temporalConnectionOptions(config.temporal);
  const connection = await NativeConnection.connect(options);
  const clientConnection = await Connection.connect(options);
  const dataConverter = sealedDataConverter(payloadKeyRingOf(config));
  const client = new Client({ connection: clientConnection, namespace: config.temporal.namespace, dataConverter });
  const namespace = config.temporal.namespace;
  const caseWorker = await createCaseWorker({
    connection,
    temporal: client,
    namespace,
    db: database.db,
    config,
    logger,
    replacedActivities: partsLeftOut(database.db, config),
  });
  const skeletonBundle = process.env.BENCH_SKELETON_BUNDLE;
  const skeletonWorker = skeletonBundle
    ? await Worker.create({
        connection,
        namespace,
        taskQueue: SKELETON_TASK_QUEUE,
        workflowBundle: { codePath: skeletonBundle },
        dataConverter,
        activities: skeletonActivities,
        maxCachedWorkflows: config.worker.maxCachedWorkflows,
        maxConcurrentWorkflowTaskExecutions: config.worker.workflowTaskSlots,
        maxConcurrentWorkflowTaskPolls: Math.min(config.worker.workflowTaskPollers, config.worker.workflowTaskSlots),
        maxConcurrentLocalActivityExecutions: config.worker.localActivitySlots,
        shutdownGraceTime: '5 seconds',
      })
    : undefined;
  process.on('message', (message: { type?: string }) => {
    if (message.type !== 'status') return;
    const memory = process.memoryUsage();
    const cpu = process.cpuUsage();
    const status: WorkerStatusMessage = {
      type: 'status',
      rss: memory.rss,
      heapUsed: memory.heapUsed,
      cachedWorkflows:
        caseWorker.getStatus().numCachedWorkflows + (skeletonWorker?.getStatus().numCachedWorkflows ?? 0),
      cpuMicros: cpu.user + cpu.system,
    };
    process.send?.(status);
  });
  const running = Promise.all([caseWorker.run(), skeletonWorker?.run()]);
  process.send?.({ type: 'ready' });
  try {
    // Both resolve after SIGTERM/SIGINT once their in-flight tasks have drained.
    await running;
  } finally {
    await clientConnection.close();
    await connection.close();
    await database.close();
  }
}

/** The case activities BENCH_WITHOUT replaces (see the header). */
function partsLeftOut(db: Kysely<Database>, config: Config): Partial<CaseActivities> {
  const without = new Set((process.env.BENCH_WITHOUT ?? '').split(',').filter(Boolean));
  const unknown = [...without].filter((part) => part !== 'projection' && part !== 'clocks');
  if (unknown.length)
    throw new Error(`BENCH_WITHOUT: unknown part(s) ${unknown.join(', ')}; known: projection, clocks`);
  const replaced: Partial<CaseActivities> = {};
  if (without.has('projection')) replaced.projectCase = async () => undefined;
  if (without.has('clocks')) {
    const real = createCaseActivities({ db, policyFile: config.deadlinePolicies, searchKey: searchKeyOf(config) });
    const first = new Map<string, Promise<ClockSchedule[]>>();
    replaced.scheduleClocks = (requests) => {
      const key = requests.map((r) => `${r.policy}:${r.times ?? ''}`).join(',');
      let answer = first.get(key);
      if (!answer) {
        answer = real.scheduleClocks(requests);
        first.set(key, answer);
        answer.catch(() => first.delete(key)); // a failed first answer is asked again
      }
      return answer;
    };
  }
  return replaced;
}

main().then(
  // The IPC channel would keep the process alive once the workers are done.
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
