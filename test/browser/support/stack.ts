/**
 * `npm start` for one browser test file: a fresh `<test database><suffix>` (one per file: vitest runs
 * two files at once) and the run's workflow bundle.
 */
import { freshDatabase, startConsoleStack as startStack, type ConsoleStack } from '../../../scripts/console-stack';
import { testDatabaseUrl, testWorkflowBundlePath } from '../../support/env';

export type { ConsoleStack };

export async function startConsoleStack(policies: Record<string, unknown>, suffix = '_browser'): Promise<ConsoleStack> {
  const databaseUrl = await freshDatabase(testDatabaseUrl(), suffix);
  return startStack({ databaseUrl, policies, workflowBundlePath: testWorkflowBundlePath() });
}
