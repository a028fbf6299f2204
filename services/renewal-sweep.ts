/**
 * "Run the renewal sweep now" (`POST /renewals/sweep`, `motordesk renewal-sweep`): the same
 * workflow the daily Schedule starts. Two calls at once join one run (USE_EXISTING) rather than race;
 * either way every start inside is idempotent by workflow id.
 */
import type { Client } from '@temporalio/client';
import type { SweepCounts } from '../workflows/renewal/contract';
import { renewalSweepWorkflow } from '../workflows/renewal/sweep';
import { TASK_QUEUE } from '../workflows/shared/contract';

const MANUAL_SWEEP_WORKFLOW_ID = 'renewal-sweep-manual';

export interface RunSweepOptions {
  taskQueue?: string;
  /** Policies per page (default 500). */
  pageSize?: number;
  workflowId?: string;
}

/** Starts the sweep (or joins the one running) and waits for `{ started, existing }` across continue-as-new. */
export async function runRenewalSweep(client: Client, opts: RunSweepOptions = {}): Promise<SweepCounts> {
  const handle = await client.workflow.start(renewalSweepWorkflow, {
    taskQueue: opts.taskQueue ?? TASK_QUEUE,
    workflowId: opts.workflowId ?? MANUAL_SWEEP_WORKFLOW_ID,
    args: [opts.pageSize ? { pageSize: opts.pageSize } : {}],
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
  });
  return handle.result();
}
