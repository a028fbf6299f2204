/**
 * The Temporal Schedule `periodic-training`: on the 1st of each month at 09:30 Asia/Shanghai it
 * assigns the periodic rounds that are due (services/periodic-training.ts).
 */
import type { Client } from '@temporalio/client';
import { TASK_QUEUE } from '../workflows/shared/contract';
import { type PeriodicTrainingInput, periodicTrainingWorkflow } from '../workflows/training/periodic-rounds';
import { ensureSchedule, type ScheduleOutcome } from './schedules';

const PERIODIC_TRAINING_SCHEDULE_ID = 'periodic-training';

export function ensurePeriodicTrainingSchedule(
  client: Client,
  opts: { scheduleId?: string; taskQueue?: string } = {},
): Promise<ScheduleOutcome> {
  const scheduleId = opts.scheduleId ?? PERIODIC_TRAINING_SCHEDULE_ID;
  const args: [PeriodicTrainingInput] = [{}];
  return ensureSchedule(client, {
    scheduleId,
    at: { dayOfMonth: 1, hour: 9, minute: 30, comment: 'monthly, the 1st at 09:30 Asia/Shanghai' },
    workflow: periodicTrainingWorkflow,
    args,
    taskQueue: opts.taskQueue ?? TASK_QUEUE,
    workflowId: `${scheduleId}-run`,
  });
}
