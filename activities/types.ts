/**
 * What a case workflow asks of the outside world. Workflows `import type` this; the worker wires the
 * implementation from `createActivities`; workflow tests pass fakes of the same shape.
 */
import type { CaseProjection } from '../domain/case';
import type { ClockSchedule } from '../domain/clock';

export interface CaseActivities {
  /** Computes a clock's instants on the working-day calendar with the policy in force now. */
  scheduleClock(policy: string, startedAt: string): Promise<ClockSchedule>;
  projectCase(projection: CaseProjection): Promise<void>;
}
