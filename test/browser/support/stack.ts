/**
 * `npm start` for one browser test file: a fresh `<test database><suffix>` (one per file: vitest runs
 * two files at once) and the run's workflow bundle.
 */
import { freshDatabase, startConsoleStack as startStack, type ConsoleStack } from '../../../scripts/console-stack';
import { testDatabaseUrl, testWorkflowBundlePath } from '../../support/env';
import { appendRunLog } from '../../support/run-log';

export type { ConsoleStack };

export async function startConsoleStack(policies: Record<string, unknown>, suffix = '_browser'): Promise<ConsoleStack> {
  const databaseUrl = await freshDatabase(testDatabaseUrl(), suffix);
  const stack = await startStack({ databaseUrl, policies, workflowBundlePath: testWorkflowBundlePath() });
  // What npm start printed joins the run's logs (the personal-data scan reads them after the run).
  return {
    ...stack,
    stop: async () => {
      await stack.stop();
      appendRunLog(`console-stack-${process.pid}${suffix}.log`, stack.output.join(''));
    },
  };
}
