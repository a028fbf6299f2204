/**
 * Whether the worker's workflow threads record a stack for every promise a workflow makes. The SDK's
 * promise hook does that for its stack-trace query alone (the Temporal UI's "Stack Trace" tab), at
 * about 4 ms of CPU per opened claim on the 2-core machine (issue 10), and has no option to stop
 * (temporalio/sdk-typescript#1587). `patches/@temporalio+worker+*.patch` (applied by the postinstall)
 * makes the hook follow TEMPORAL_WORKFLOW_STACK_TRACES, which each workflow thread reads from its copy
 * of the environment when it starts: so this runs before `Worker.create` spawns the threads. With it
 * off the query answers "Workflow stack traces are not enabled on this worker"; failures keep their
 * stacks either way.
 */
import fs from 'node:fs';
import type { Logger } from 'pino';

const SWITCH = 'TEMPORAL_WORKFLOW_STACK_TRACES';

export function useWorkflowStackTraces(enabled: boolean, logger: Logger): void {
  process.env[SWITCH] = enabled ? 'on' : 'off';
  if (!enabled && !sdkFollowsSwitch()) {
    logger.warn(
      { patch: 'patches/@temporalio+worker+1.24.0.patch' },
      'the Temporal SDK is not patched (installed without its postinstall?): workflow stack traces stay on',
    );
  }
}

function sdkFollowsSwitch(): boolean {
  const hook = require.resolve('@temporalio/worker/lib/workflow/vm-shared.js');
  return fs.readFileSync(hook, 'utf8').includes(SWITCH);
}
