/**
 * The worker process: registers the case workflows and their activities on the task queue, drains
 * the notifications outbox, and on SIGTERM/SIGINT finishes in-flight tasks before exiting.
 * `npm run start:worker` runs it against TEMPORAL_ADDRESS and DATABASE_URL; `npm start` embeds it.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { createAssessmentActivities } from './activities/assessment-activities';
import type { CaseActivities } from './activities/types';
import { createCaseActivities } from './activities/case-activities';
import { createFacilitiesActivities } from './activities/facilities-activities';
import { createPurchaseActivities } from './activities/purchase-activities';
import { createRenewalActivities } from './activities/renewal-activities';
import { createSurveyActivities } from './activities/survey-activities';
import { createRetentionActivities } from './activities/retention-activities';
import { createTrainingActivities } from './activities/training-activities';
import { ensureDepartmentSchedules } from './services/department-schedules';
import { createDeliveryRouter, createLogAdapter, createSmtpAdapter } from './notifications/adapters';
import { startNotificationDispatcher } from './notifications/dispatcher';
import { startPersonalDataSweep } from './services/personal-data-sweep';
import { type Config, loadConfig, searchKeyOf } from './config';
import { openDatabase } from './db/connection';
import type { Database } from './db/schema';
import { temporalConnectionOptions } from './infra/temporal-connection';
import { createLogger } from './infra/logger';
import { installTemporalRuntime } from './infra/temporal-runtime';
import { payloadKeyRingOf, sealedDataConverter } from './infra/payload-codec';
import { bundledAtWorkerStart } from './infra/workflow-bundle';
import { useWorkflowStackTraces } from './infra/workflow-stack-traces';
import { TASK_QUEUE } from './workflows/shared/contract';

interface CaseWorkerDeps {
  connection: NativeConnection;
  /** For activities that start workflows (the renewal sweep). */
  temporal: Client;
  namespace: string;
  db: Kysely<Database>;
  config: Config;
  logger: Logger;
  /** Prebuilt bundle (production, tests that share one); otherwise bundled from source at start. */
  workflowBundle?: WorkflowBundleOption;
  taskQueue?: string;
  /**
   * Case activities put in place of the real ones: only the benchmark's worker sets these, to
   * measure what a part costs by running without it (BENCH_WITHOUT, scripts/bench-support/worker-process.ts).
   */
  replacedActivities?: Partial<CaseActivities>;
}

export async function createCaseWorker({
  connection,
  temporal,
  namespace,
  db,
  config,
  logger,
  workflowBundle,
  taskQueue = TASK_QUEUE,
  replacedActivities,
}: CaseWorkerDeps): Promise<Worker> {
  const bundlePath = config.worker.workflowBundlePath;
  useWorkflowStackTraces(config.worker.workflowStackTraces, logger);
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    ...(workflowBundle
      ? { workflowBundle }
      : bundlePath
        ? { workflowBundle: { codePath: bundlePath } }
        : bundledAtWorkerStart()),
    // Sealed payloads and failure messages; the prebuilt bundle must carry the same failure converter.
    dataConverter: sealedDataConverter(payloadKeyRingOf(config)),
    activities: {
      ...createCaseActivities({ db, policyFile: config.deadlinePolicies, searchKey: searchKeyOf(config) }),
      ...createSurveyActivities({ db }),
      ...createRenewalActivities({ db, policyFile: config.deadlinePolicies, temporal, taskQueue }),
      ...createPurchaseActivities({ db, temporal }),
      ...createTrainingActivities({ db, temporal, taskQueue }),
      ...createAssessmentActivities({ db, temporal, taskQueue }),
      ...createFacilitiesActivities({ db, temporal, taskQueue }),
      ...createRetentionActivities({ db }),
      ...replacedActivities,
    },
    // Sleeping cases cost nothing once evicted; the cache bounds the worker's memory.
    maxCachedWorkflows: config.worker.maxCachedWorkflows,
    maxConcurrentWorkflowTaskExecutions: config.worker.workflowTaskSlots,
    maxConcurrentWorkflowTaskPolls: Math.min(config.worker.workflowTaskPollers, config.worker.workflowTaskSlots),
    maxConcurrentLocalActivityExecutions: config.worker.localActivitySlots,
    shutdownGraceTime: '20 seconds',
  });
}

export function createNotificationDispatcher(db: Kysely<Database>, temporal: Client, config: Config, logger: Logger) {
  const log = createLogAdapter(logger);
  const email =
    config.notifier.kind === 'smtp' && config.notifier.smtpUrl
      ? createSmtpAdapter(config.notifier.smtpUrl, config.notifier.from)
      : log;
  return startNotificationDispatcher({ db, temporal, logger, adapter: createDeliveryRouter({ email }, log) });
}

/** Runs worker + dispatcher until a shutdown signal; used by `npm run start:worker` and the dev launcher. */
export async function runWorker(
  config: Config,
  opts: { temporalAddress?: string; logger?: Logger } = {},
): Promise<void> {
  const logger = opts.logger ?? createLogger(config.logLevel, 'worker');
  installTemporalRuntime(logger);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const options = temporalConnectionOptions(config.temporal, opts.temporalAddress ?? config.temporal.address);
  const connection = await NativeConnection.connect(options);
  const clientConnection = await Connection.connect(options);
  const client = new Client({
    connection: clientConnection,
    namespace: config.temporal.namespace,
    dataConverter: sealedDataConverter(payloadKeyRingOf(config)),
  });
  const worker = await createCaseWorker({
    connection,
    temporal: client,
    namespace: config.temporal.namespace,
    db: database.db,
    config,
    logger,
  });
  // Every worker start makes sure the department's Schedules exist; a second start changes nothing.
  const schedules = await ensureDepartmentSchedules(client);
  const dispatcher = createNotificationDispatcher(database.db, client, config, logger);
  const sweep = startPersonalDataSweep({ db: database.db, logger });
  logger.info(
    { taskQueue: TASK_QUEUE, namespace: config.temporal.namespace, db: database.kind, schedules },
    'worker running',
  );
  try {
    // Worker.run resolves after SIGINT/SIGTERM once in-flight tasks have drained.
    await worker.run();
  } finally {
    sweep.stop();
    await dispatcher.stop();
    await clientConnection.close();
    await connection.close();
    await database.close();
    logger.info('worker stopped');
  }
}

if (require.main === module) {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'worker');
  runWorker(config, { logger }).catch((err: unknown) => {
    logger.fatal({ err }, 'worker failed');
    process.exit(1);
  });
}
