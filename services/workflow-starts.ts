/**
 * Starting many workflows, each at most once: the sweeps, the monthly run and training assignment
 * start by workflow id with REJECT_DUPLICATE + FAIL, so one started a moment ago, or finished while
 * its history is still retained, is counted as existing and never started again.
 */
import { type Client, WorkflowExecutionAlreadyStartedError, type WorkflowStartOptions } from '@temporalio/client';
import type { Workflow } from '@temporalio/common';

/** Starts the workflow unless one with its id exists; true when this call started it. */
export async function startOnce<W extends Workflow>(
  temporal: Client,
  workflow: W,
  options: { taskQueue: string; workflowId: string; args: Parameters<W> },
): Promise<boolean> {
  try {
    // Generic over W, the SDK's conditional `args` type cannot be checked here; callers' args are.
    const start = {
      taskQueue: options.taskQueue,
      workflowId: options.workflowId,
      args: options.args,
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      workflowIdConflictPolicy: 'FAIL',
    } as unknown as WorkflowStartOptions<W>;
    await temporal.workflow.start(workflow, start);
    return true;
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    return false;
  }
}

/**
 * Runs `work` over `items` with at most `lanes` at once: a pool of lanes, not chunks, so one slow
 * item does not hold up the others.
 */
export async function inLanes<T>(
  items: readonly T[],
  lanes: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < items.length; i = next++) await work(items[i]!, i);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(lanes, items.length)) }, lane));
}
