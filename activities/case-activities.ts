/**
 * The activities every case workflow uses: computing clocks on the calendar and projecting state
 * into PostgreSQL. Built by a factory so the worker wires real dependencies and tests pass others.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Kysely } from 'kysely';
import { WorkCalendar } from '../domain/calendar';
import type { ClockSchedule } from '../domain/clock';
import { InvalidCalendarError } from '../domain/calendar';
import { InvalidPolicyDurationError, type PauseShift, scheduleClock, shiftForPause } from '../domain/deadline';
import { DeadlinePolicyTable, UnknownDeadlinePolicyError, type DeadlinePolicyFile } from '../domain/deadline-policies';
import type { Database } from '../db/schema';
import { applyProjection } from '../db/repositories/case-projection';
import { listCalendarYears } from '../db/repositories/calendar';
import { listDeadlinePolicyOverrides } from '../db/repositories/deadline-policies';
import type { CaseActivities, ClockRequest, ClockResumeRequest } from './types';

export interface CaseActivityDeps {
  db: Kysely<Database>;
  /** The MOTORDESK_POLICIES file, already validated. Admin overrides are read from the db per call. */
  policyFile: DeadlinePolicyFile;
}

export function createCaseActivities({ db, policyFile }: CaseActivityDeps): CaseActivities {
  return {
    async scheduleClocks(requests: ClockRequest[]): Promise<ClockSchedule[]> {
      // Read on every call: an admin change applies to the very next clock started.
      const [overrides, years] = await Promise.all([listDeadlinePolicyOverrides(db), listCalendarYears(db)]);
      return asConfigFailure(() => {
        const policies = new DeadlinePolicyTable(policyFile, overrides);
        const calendar = new WorkCalendar(years);
        return requests.map(({ policy, startedAt, pausedMs }) =>
          scheduleClock(policies.clock(policy), new Date(startedAt), calendar, pausedMs),
        );
      });
    },

    async shiftResumedClocks(requests: ClockResumeRequest[]): Promise<PauseShift[]> {
      const [overrides, years] = await Promise.all([listDeadlinePolicyOverrides(db), listCalendarYears(db)]);
      return asConfigFailure(() => {
        const policies = new DeadlinePolicyTable(policyFile, overrides);
        const calendar = new WorkCalendar(years);
        return requests.map(({ policy, mode, dueAt, warnAt, pausedAt, resumedAt }) =>
          shiftForPause(mode ?? policies.clock(policy).mode, { dueAt, warnAt }, pausedAt, resumedAt, calendar),
        );
      });
    },

    async projectCase(projection) {
      await applyProjection(db, projection);
    },
  };
}

/**
 * A policy or calendar that cannot produce a deadline is a configuration mismatch, not a transient
 * fault: retrying cannot help, so it fails at once and visibly.
 */
function asConfigFailure<T>(compute: () => T): T {
  try {
    return compute();
  } catch (err) {
    if (
      err instanceof UnknownDeadlinePolicyError ||
      err instanceof InvalidPolicyDurationError ||
      err instanceof InvalidCalendarError ||
      err instanceof RangeError
    ) {
      throw ApplicationFailure.create({
        type: 'InvalidDeadlineConfiguration',
        message: err.message,
        nonRetryable: true,
      });
    }
    throw err;
  }
}
