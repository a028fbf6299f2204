/**
 * The Temporal Schedule `personal-data-retention`: every day at 03:30 Asia/Shanghai (a quiet hour)
 * closed cases past retention (保险法 第八十七条: five years after a contract of up to one year ends,
 * ten after a longer one; domain/retention.ts) are anonymised (workflows/retention/sweep.ts).
 */
import type { Client } from '@temporalio/client';
import { personalDataRetentionWorkflow, type RetentionSweepInput } from '../workflows/retention/sweep';
import { TASK_QUEUE } from '../workflows/shared/contract';
import { ensureSchedule, type ScheduleOutcome } from './schedules';

const RETENTION_SCHEDULE_ID = 'personal-data-retention';

export function ensureRetentionSchedule(
  client: Client,
  opts: { scheduleId?: string; taskQueue?: string } = {},
): Promise<ScheduleOutcome> {
  const scheduleId = opts.scheduleId ?? RETENTION_SCHEDULE_ID;
  const args: [RetentionSweepInput] = [{}];
  return ensureSchedule(client, {
    scheduleId,
    at: { hour: 3, minute: 30, comment: 'daily 03:30 Asia/Shanghai' },
    workflow: personalDataRetentionWorkflow,
    args,
    taskQueue: opts.taskQueue ?? TASK_QUEUE,
    workflowId: `${scheduleId}-run`,
  });
}
