/** `npm start` for one browser test file: a fresh `<test database>_browser` and the run's workflow bundle. */
import { freshDatabase, startConsoleStack as startStack, type ConsoleStack } from '../../../scripts/console-stack';
import { testDatabaseUrl, testWorkflowBundlePath } from '../../support/env';

export type { ConsoleStack };

export async function startConsoleStack(policies: Record<string, unknown>): Promise<ConsoleStack> {
  const databaseUrl = await freshDatabase(testDatabaseUrl(), '_browser');
  return startStack({ databaseUrl, policies, workflowBundlePath: testWorkflowBundlePath() });
}
