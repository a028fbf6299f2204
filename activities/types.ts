/**
 * What a case workflow asks of the outside world. Workflows `import type` this; the worker wires the
 * implementation from `createActivities`; workflow tests pass fakes of the same shape.
 */
import type { CaseProjection } from '../domain/case';
import type { ClockSchedule } from '../domain/clock';

export interface ClockRequest {
  policy: string;
  startedAt: string;
}

export interface CaseActivities {
  /**
   * Computes clocks' instants on the working-day calendar with the policies in force now. An
   * activity, not workflow code, so that new calendar data or policy changes never alter a replay.
   */
  scheduleClocks(requests: ClockRequest[]): Promise<ClockSchedule[]>;
  /** Writes one state change (case row, clocks, timeline, outbox) in one transaction, idempotently. */
  projectCase(projection: CaseProjection): Promise<void>;
}
