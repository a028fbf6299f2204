/**
 * What a case workflow asks of the outside world. Workflows `import type` this; the worker wires the
 * implementation from `createActivities`; workflow tests pass fakes of the same shape.
 */
import type { CaseSummary, NotificationRequest, TimelineEvent } from '../domain/case';
import type { ClockSchedule } from '../domain/clock';

/** One state change of a case, written in one transaction, idempotently. */
export interface CaseProjection {
  summary: CaseSummary;
  /** The full case view without personal data (stored as `cases.data`). */
  data: Record<string, unknown>;
  /** Monotonic per case (the workflow's event sequence); older projections never overwrite newer ones. */
  version: number;
  closed: boolean;
  events: TimelineEvent[];
  notifications: NotificationRequest[];
}

export interface CaseActivities {
  /** Computes a clock's instants on the working-day calendar with the policy in force now. */
  scheduleClock(policy: string, startedAt: string): Promise<ClockSchedule>;
  projectCase(projection: CaseProjection): Promise<void>;
}
