/**
 * An ephemeral Temporal dev server from .tools/ (in-memory, a free port) with the cases' search
 * attributes registered: what the test run and the benchmarks need, started one way.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { CASE_SEARCH_ATTRIBUTES } from '../../workflows/shared/contract';

export function startLocalTemporal(cliPath: string, extraArgs: string[] = []): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: cliPath },
      ip: '127.0.0.1',
      searchAttributes: CASE_SEARCH_ATTRIBUTES,
      extraArgs,
    },
  });
}
