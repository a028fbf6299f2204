/**
 * `npm run bench:replay`'s probe (issue 10), bundled only by that benchmark: a workflow interceptor
 * that creates PROBE_PROMISES settled promises as each workflow starts, and nothing else. The same
 * opening replayed with and without it, side by side, prices one promise made in workflow code: the
 * SDK's promise hook captures a stack trace for every promise created in the workflow context (for
 * its stack-trace query), and that, not the promise itself, is what it costs.
 */
import type { WorkflowInterceptorsFactory } from '@temporalio/workflow';

export const PROBE_PROMISES = 100;

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [
    {
      execute(input, next) {
        for (let i = 0; i < PROBE_PROMISES; i++) void Promise.resolve(i);
        return next(input);
      },
    },
  ],
});
