/**
 * The shared dev server of the run: a client for the API under test and a worker running the real
 * workflows and activities on the real task queue (every test file runs the same code, so workers of
 * different files may serve each other's cases).
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { Kysely } from 'kysely';
import type { Config } from '../../config';
import type { Database } from '../../db/schema';
import { createCaseWorker, createNotificationDispatcher } from '../../worker';
import { installTemporalRuntime } from '../../infra/temporal-runtime';
import { testTemporalAddress, testWorkflowBundlePath } from './env';
import { captureLogger } from './logger';
import { testConfig } from './config';
import { payloadKeyRingOf, sealedDataConverter } from '../../infra/payload-codec';

const TEST_NAMESPACE = 'default';

export function connectTestTemporal(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createFromExistingServer({
    address: testTemporalAddress(),
    namespace: TEST_NAMESPACE,
    client: { dataConverter: sealedDataConverter(payloadKeyRingOf(testConfig())) },
  });
}

export interface RunningWorker {
  worker: Worker;
  stop(): Promise<void>;
}

export async function startTestWorker({
  env,
  db,
  config,
}: {
  env: TestWorkflowEnvironment;
  db: Kysely<Database>;
  config: Config;
}): Promise<RunningWorker> {
  installTemporalRuntime(captureLogger('warn').logger);
  const worker = await createCaseWorker({
    connection: env.nativeConnection,
    temporal: env.client,
    namespace: TEST_NAMESPACE,
    db,
    config,
    logger: captureLogger('warn').logger,
    workflowBundle: { codePath: testWorkflowBundlePath() },
  });
  const running = worker.run();
  // The outbox is drained as in production, so delivery receipts reach the workflows.
  const dispatcher = createNotificationDispatcher(db, env.client, config, captureLogger('warn').logger);
  return {
    worker,
    async stop() {
      await dispatcher.stop();
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
  };
}
