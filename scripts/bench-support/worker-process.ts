/**
 * The benchmarks' worker process (forked by scripts/bench-support/stack.ts): the production case
 * worker (createCaseWorker, the prebuilt WORKFLOW_BUNDLE_PATH, configured from the environment like
 * `npm run start:worker`) and, when BENCH_SKELETON_BUNDLE names one, the skeleton's worker on its own
 * task queue. Unlike `worker.ts` it runs no notification dispatcher and no Schedules: the benchmarks
 * measure the opening, not the delivery of its notices. It answers `status` messages with its memory,
 * CPU and cache figures, and drains on SIGTERM.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { loadConfig } from '../../config';
import { openDatabase } from '../../db/connection';
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

main().then(
  // The IPC channel would keep the process alive once the workers are done.
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
