/**
 * Once per `vitest run`: the test database (created if missing, migrated), ONE Temporal dev server
 * with our search attributes, and the workflow bundle, shared by every test file through
 * `inject(...)`. Each piece that fails is reported to the tests that need it instead of failing the
 * whole run, so the pure domain tests still run on a machine without PostgreSQL.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startLocalTemporal } from './support/local-temporal';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowBundleOptions } from '../infra/workflow-bundle';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../config';
import { openDatabase, recreateDatabase } from '../db/connection';
import { repositoryDatabaseUrl } from './db/backends';
import { migrateToLatest } from '../db/migrate';
import { dumpRawHistories } from './support/history-dump';
import { runLogDir } from './support/run-log';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `host:port` of the shared dev server, or '' when it did not start (see temporalError). */
    temporalAddress: string;
    temporalError: string;
    /** The migrated test database. */
    databaseUrl: string;
    databaseError: string;
    /** A workflow bundle file built once for the run (Worker `workflowBundle: { codePath }`). */
    workflowBundlePath: string;
    workflowBundleError: string;
  }
}

const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/motordesk_test';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = project.config.root;
  // The one place tests read configuration: the same loader the processes use.
  const config = loadConfig();
  const databaseUrl = config.databaseUrl ?? DEFAULT_TEST_DATABASE_URL;
  const [database, temporal, bundle] = await Promise.allSettled([
    prepareDatabase(databaseUrl),
    startTemporal(config.temporal.cliPath, root),
    buildBundle(),
  ]);

  project.provide('databaseUrl', databaseUrl);
  project.provide('databaseError', errorText(database));
  project.provide('temporalAddress', temporal.status === 'fulfilled' ? temporal.value.address : '');
  project.provide('temporalError', errorText(temporal));
  project.provide('workflowBundlePath', bundle.status === 'fulfilled' ? bundle.value : '');
  project.provide('workflowBundleError', errorText(bundle));

  return async () => {
    if (temporal.status === 'fulfilled') {
      // For the personal-data scan after `npm test` (scripts/test-run.sh): the raw histories, as stored.
      const dir = runLogDir();
      if (dir) await dumpRawHistories(temporal.value, path.join(dir, 'temporal-histories.ndjson'));
      await temporal.value.teardown();
    }
    if (bundle.status === 'fulfilled') fs.rmSync(path.dirname(bundle.value), { recursive: true, force: true });
  };
}

/**
 * The run's databases start empty every time: the tests own them (README: point DATABASE_URL at a
 * throwaway database), and a schema left by another branch's migrations would fail the migrator.
 */
async function prepareDatabase(url: string): Promise<void> {
  await Promise.all([recreateDatabase(url), recreateDatabase(repositoryDatabaseUrl())]);
  const database = await openDatabase({ databaseUrl: url, dataDir: os.tmpdir(), max: 1 });
  try {
    await migrateToLatest(database.db);
  } finally {
    await database.close();
  }
}

async function startTemporal(cliPath: string, root: string): Promise<TestWorkflowEnvironment> {
  return startLocalTemporal(resolveCli(cliPath, root), [
    '--dynamic-config-value',
    'limit.maxIDLength=255',
    '--dynamic-config-value',
    'frontend.enableUpdateWorkflowExecution=true',
  ]);
}

/** `.tools/temporal` (or TEMPORAL_CLI_PATH); the set-up's virtualenv copy if the symlink is missing. */
function resolveCli(configured: string, root: string): string {
  if (fs.existsSync(configured)) return configured;
  const venv = path.join(root, '.tools', 'venv', 'bin', 'temporal');
  if (fs.existsSync(venv)) return venv;
  throw new Error(`no Temporal CLI at ${configured}; run npm run setup or set TEMPORAL_CLI_PATH`);
}

async function buildBundle(): Promise<string> {
  const { code } = await bundleWorkflowCode({
    ...workflowBundleOptions(),
    logger: {
      log: () => undefined,
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: () => undefined,
    },
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motordesk-bundle-'));
  const file = path.join(dir, 'workflows.js');
  fs.writeFileSync(file, code);
  return file;
}

function errorText(result: PromiseSettledResult<unknown>): string {
  if (result.status === 'fulfilled') return '';
  const reason: unknown = result.reason;
  return reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);
}
