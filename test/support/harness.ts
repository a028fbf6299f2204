/**
 * One API test file's world: the real app over the shared dev server and the test database, with a
 * worker running the real workflows, listening on a free port. Log lines are captured in memory.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createApp, type AppDeps } from '../../api/app';
import type { Config } from '../../config';
import type { OpenedDatabase } from '../../db/connection';
import { testConfig } from './config';
import { openTestDatabase } from './db';
import { listen, type TestServer } from './http';
import { captureLogger } from './logger';
import { connectTestTemporal, startTestWorker, type RunningWorker } from './temporal';

export interface ApiHarness {
  api: TestServer;
  database: OpenedDatabase;
  env: TestWorkflowEnvironment;
  config: Config;
  /** Every log line the app wrote (JSON). */
  logs: string[];
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Run a worker (default true); without one, Updates wait and time out. */
  worker?: boolean;
  app?: Partial<Pick<AppDeps, 'now' | 'rateLimit' | 'consoleDir'>>;
  /** Extra configuration (environment names), over the test defaults. */
  env?: Record<string, string>;
}

export async function startApiHarness(opts: HarnessOptions = {}): Promise<ApiHarness> {
  const config = testConfig(opts.env);
  const database = await openTestDatabase();
  const env = await connectTestTemporal();
  let worker: RunningWorker | undefined;
  if (opts.worker !== false) worker = await startTestWorker({ env, db: database.db, config });
  const { logger, lines } = captureLogger('info');
  const app = createApp({ temporal: env.client, db: database.db, config, logger, rateLimit: false, ...opts.app });
  const api = await listen(app);
  return {
    api,
    database,
    env,
    config,
    logs: lines,
    async close() {
      await api.close();
      await worker?.stop();
      await env.teardown();
      await database.close();
    },
  };
}
