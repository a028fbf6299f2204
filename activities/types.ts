/**
 * What a case workflow asks of the outside world. Workflows `import type` this; the worker wires the
 * implementation from `createActivities`; workflow tests pass fakes of the same shape.
 */
import type { CaseProjection } from '../domain/case';
import type { ClockSchedule } from '../domain/clock';
import type { PauseShift } from '../domain/deadline';
import type { ClockMode, ClockPolicyName } from '../domain/deadline-policies';

export interface ClockRequest {
  policy: ClockPolicyName;
  startedAt: string;
  /** Working time the clock already spent paused (a recomputation): its instants move on by as much. */
  pausedMs?: number;
  /**
   * The policy's span counted this many times (an equipment item's check every `checkEveryDays`):
   * the policy holds one unit, the request says how many.
   */
  times?: number;
}

/** A paused clock resuming: where its instants stand and when it paused and resumed. */
export interface ClockResumeRequest {
  policy: ClockPolicyName;
  /** The clock's own mode; clocks started before it was kept use their policy's mode in force. */
  mode?: ClockMode;
  dueAt: string;
  warnAt: string;
  pausedAt: string;
  resumedAt: string;
}

export interface CaseActivities {
  /**
   * Computes clocks' instants on the working-day calendar with the policies in force now. An
   * activity, not workflow code, so that new calendar data or policy changes never alter a replay.
   */
  scheduleClocks(requests: ClockRequest[]): Promise<ClockSchedule[]>;
  /**
   * How far each resumed clock moves: by the working time it was paused, in its own mode, on the
   * calendar (an activity for the same reason as scheduleClocks).
   */
  shiftResumedClocks(requests: ClockResumeRequest[]): Promise<PauseShift[]>;
  /** Writes one state change (case row, clocks, timeline, outbox) in one transaction, idempotently. */
  projectCase(projection: CaseProjection): Promise<void>;
}
