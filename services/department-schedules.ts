/**
 * Every Temporal Schedule the department runs, ensured at start by the worker and the embedded
 * launcher (idempotent: a second start changes nothing). A new Schedule is added here, once.
 */
import type { Client } from '@temporalio/client';
import { ensureFacilitiesCheckSchedule } from './facilities-check-schedule';
import { ensureMonthlyAssessmentSchedule } from './monthly-assessment-schedule';
import { ensurePeriodicTrainingSchedule } from './periodic-training-schedule';
import { ensureRenewalSchedule } from './renewal-schedule';
import { ensureRetentionSchedule } from './retention-schedule';
import type { ScheduleOutcome } from './schedules';

/** What each schedule does, for the start-up log. */
export const DEPARTMENT_SCHEDULES = {
  'renewal-sweep': { when: 'daily 08:00', ensure: ensureRenewalSchedule },
  'periodic-training': { when: 'monthly, the 1st 09:30', ensure: ensurePeriodicTrainingSchedule },
  'monthly-assessment': { when: 'monthly, the 1st 09:00', ensure: ensureMonthlyAssessmentSchedule },
  'personal-data-retention': { when: 'daily 03:30', ensure: ensureRetentionSchedule },
  'facilities-checks': { when: 'daily 08:30', ensure: ensureFacilitiesCheckSchedule },
} satisfies Record<string, { when: string; ensure: (client: Client) => Promise<ScheduleOutcome> }>;

export type DepartmentScheduleId = keyof typeof DEPARTMENT_SCHEDULES;

export async function ensureDepartmentSchedules(
  client: Client,
): Promise<Record<DepartmentScheduleId, ScheduleOutcome>> {
  const outcomes = {} as Record<DepartmentScheduleId, ScheduleOutcome>;
  for (const [id, schedule] of Object.entries(DEPARTMENT_SCHEDULES) as [
    DepartmentScheduleId,
    (typeof DEPARTMENT_SCHEDULES)[DepartmentScheduleId],
  ][]) {
    outcomes[id] = await schedule.ensure(client);
  }
  return outcomes;
}
