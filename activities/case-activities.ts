/**
 * The activities every case workflow uses: computing clocks on the calendar and projecting state
 * into PostgreSQL. Built by a factory so the worker wires real dependencies and tests pass others.
 */
import { ApplicationFailure, Context, log } from '@temporalio/activity';
import type { Kysely } from 'kysely';
import { WorkCalendar } from '../domain/calendar';
import type { ClockSchedule } from '../domain/clock';
import { InvalidCalendarError } from '../domain/calendar';
import { InvalidPolicyDurationError, type PauseShift, scheduleClock, shiftForPause } from '../domain/deadline';
import { DeadlinePolicyTable, UnknownDeadlinePolicyError, type DeadlinePolicyFile } from '../domain/deadline-policies';
import type { CaseProjection } from '../domain/case';
import { checkInterval } from '../domain/facilities';
import type { Database } from '../db/schema';
import { applyProjection } from '../db/repositories/case-projection';
import { recordFailedProjection } from '../db/repositories/failed-projections';
import { PROJECTION_REJECTED } from '../workflows/shared/contract';
import { readClockSettings } from '../db/repositories/clock-settings';
import type { CaseActivities, ClockRequest, ClockResumeRequest } from './types';

export interface CaseActivityDeps {
  db: Kysely<Database>;
  /** The MOTORDESK_POLICIES file, already validated. Admin overrides are read from the db per call. */
  policyFile: DeadlinePolicyFile;
  /** The HMAC key of the phone/plate search hashes written with each projection (config.searchKeyOf). */
  searchKey?: string;
}

export function createCaseActivities({ db, policyFile, searchKey }: CaseActivityDeps): CaseActivities {
  return {
    async scheduleClocks(requests: ClockRequest[]): Promise<ClockSchedule[]> {
      // Read on every call: an admin change applies to the very next clock started.
      const { overrides, years } = await readClockSettings(db);
      return asConfigFailure(() => {
        const policies = new DeadlinePolicyTable(policyFile, overrides);
        const calendar = new WorkCalendar(years);
        return requests.map(({ policy, startedAt, pausedMs, times }) => {
          const base = policies.clock(policy);
          const counted = times === undefined ? base : { ...base, duration: checkInterval(base.duration, times) };
          return scheduleClock(counted, new Date(startedAt), calendar, pausedMs);
        });
      });
    },

    async shiftResumedClocks(requests: ClockResumeRequest[]): Promise<PauseShift[]> {
      const { overrides, years } = await readClockSettings(db);
      return asConfigFailure(() => {
        const policies = new DeadlinePolicyTable(policyFile, overrides);
        const calendar = new WorkCalendar(years);
        return requests.map(({ policy, mode, dueAt, warnAt, pausedAt, resumedAt }) =>
          shiftForPause(mode ?? policies.clock(policy).mode, { dueAt, warnAt }, pausedAt, resumedAt, calendar),
        );
      });
    },

    async projectCase(projection) {
      try {
        await applyProjection(db, projection, { searchKey });
      } catch (err) {
        throw await projectionFailure(db, projection, err);
      }
    },
  };
}

/**
 * What a failed projection becomes. The driver's error never leaves as it is: its detail quotes
 * the bound parameters, and a failure's message is kept in Temporal history and logged by the SDK.
 * A data error (SQLSTATE class 22, 23: a value PostgreSQL cannot store, a broken constraint) fails
 * the same way on every retry, so it is recorded in failed_projections, logged, and refused for good;
 * anything else (the database down, a deadlock) is retried until it passes.
 */
async function projectionFailure(
  db: Kysely<Database>,
  projection: CaseProjection,
  err: unknown,
): Promise<ApplicationFailure> {
  const code = (err as { code?: unknown }).code;
  const sqlstate = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
  if (!sqlstate || !/^2[23]/.test(sqlstate)) {
    return ApplicationFailure.retryable(
      `projection not written (${sqlstate ? `SQLSTATE ${sqlstate}` : safeName(err)}); retrying`,
      'ProjectionUnavailable',
    );
  }
  const { workflowExecution } = Context.current().info;
  const failed = {
    caseId: projection.summary.id,
    version: projection.version,
    sqlstate,
    workflowId: workflowExecution?.workflowId ?? '',
    runId: workflowExecution?.runId ?? '',
    eventKeys: projection.events.map((e) => e.key),
    notificationKeys: projection.notifications.map((n) => n.key),
  };
  await recordFailedProjection(db, failed).catch((recordErr: unknown) =>
    log.error('failed projection not recorded', { caseId: failed.caseId, err: safeName(recordErr) }),
  );
  log.error('projection refused by the read model; recorded in failed_projections', {
    caseId: failed.caseId,
    version: failed.version,
    sqlstate,
    events: failed.eventKeys.length,
    notifications: failed.notificationKeys.length,
  });
  return ApplicationFailure.create({
    type: PROJECTION_REJECTED,
    message: `the read model refused this change (SQLSTATE ${sqlstate}); recorded in failed_projections`,
    nonRetryable: true,
  });
}

function safeName(err: unknown): string {
  return err instanceof Error ? err.name : typeof err;
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
