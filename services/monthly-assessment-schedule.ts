/**
 * The Temporal Schedule `monthly-assessment`: on the 1st of each month at 09:00 Asia/Shanghai it
 * runs the month just ended (workflows/assessment/monthly-run.ts); January's run also starts the
 * previous year's annual result.
 */
import type { Client } from '@temporalio/client';
import { type MonthlyAssessmentInput, monthlyAssessmentWorkflow } from '../workflows/assessment/monthly-run';
import { TASK_QUEUE } from '../workflows/shared/contract';
import { ensureSchedule, type ScheduleOutcome } from './schedules';

const MONTHLY_ASSESSMENT_SCHEDULE_ID = 'monthly-assessment';

export function ensureMonthlyAssessmentSchedule(
  client: Client,
  opts: { scheduleId?: string; taskQueue?: string } = {},
): Promise<ScheduleOutcome> {
  const scheduleId = opts.scheduleId ?? MONTHLY_ASSESSMENT_SCHEDULE_ID;
  const args: [MonthlyAssessmentInput] = [{}];
  return ensureSchedule(client, {
    scheduleId,
    at: { dayOfMonth: 1, hour: 9, minute: 0, comment: 'monthly, the 1st at 09:00 Asia/Shanghai' },
    workflow: monthlyAssessmentWorkflow,
    args,
    taskQueue: opts.taskQueue ?? TASK_QUEUE,
    workflowId: `${scheduleId}-run`,
  });
}
