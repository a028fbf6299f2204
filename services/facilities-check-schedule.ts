/**
 * The Temporal Schedule `facilities-checks`: every day at 08:30 Asia/Shanghai, as the floor opens, it
 * opens the day's equipment checks (今日点检, workflows/facilities/check-sweep.ts).
 */
import type { Client } from '@temporalio/client';
import { type CheckSweepInput, facilitiesCheckSweepWorkflow } from '../workflows/facilities/check-sweep';
import { TASK_QUEUE } from '../workflows/shared/contract';
import { ensureSchedule, type ScheduleOutcome } from './schedules';

const FACILITIES_CHECK_SCHEDULE_ID = 'facilities-checks';

export function ensureFacilitiesCheckSchedule(
  client: Client,
  opts: { scheduleId?: string; taskQueue?: string } = {},
): Promise<ScheduleOutcome> {
  const scheduleId = opts.scheduleId ?? FACILITIES_CHECK_SCHEDULE_ID;
  const args: [CheckSweepInput] = [{}];
  return ensureSchedule(client, {
    scheduleId,
    at: { hour: 8, minute: 30, comment: 'daily 08:30 Asia/Shanghai' },
    workflow: facilitiesCheckSweepWorkflow,
    args,
    taskQueue: opts.taskQueue ?? TASK_QUEUE,
    workflowId: `${scheduleId}-run`,
  });
}
