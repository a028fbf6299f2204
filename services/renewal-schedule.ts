/**
 * The Temporal Schedule `renewal-sweep`: every day at 08:00 Asia/Shanghai it starts the renewal
 * sweep (services/schedules.ts makes creating it idempotent).
 */
import type { Client } from '@temporalio/client';
import type { SweepInput } from '../workflows/renewal/contract';
import { renewalSweepWorkflow } from '../workflows/renewal/sweep';
import { TASK_QUEUE } from '../workflows/shared/contract';
import { ensureSchedule, type ScheduleOutcome } from './schedules';

const RENEWAL_SCHEDULE_ID = 'renewal-sweep';

export interface RenewalScheduleOptions {
  /** Default `renewal-sweep`. */
  scheduleId?: string;
  /** Where the sweep runs (default the case task queue). */
  taskQueue?: string;
}

export function ensureRenewalSchedule(client: Client, opts: RenewalScheduleOptions = {}): Promise<ScheduleOutcome> {
  const scheduleId = opts.scheduleId ?? RENEWAL_SCHEDULE_ID;
  const args: [SweepInput] = [{}];
  return ensureSchedule(client, {
    scheduleId,
    at: { hour: 8, comment: 'daily 08:00 Asia/Shanghai' },
    workflow: renewalSweepWorkflow,
    args,
    taskQueue: opts.taskQueue ?? TASK_QUEUE,
    workflowId: `${scheduleId}-run`,
  });
}
