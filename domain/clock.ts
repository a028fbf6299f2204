/**
 * Clocks: the named deadlines every case carries (DOMAIN.md, "Two kinds of clock").
 * Pure data and pure state changes; the workflow owns the instances, activities compute due instants.
 */
export type ClockKind = 'statutory' | 'internal';
export type ClockState = 'pending' | 'paused' | 'warned' | 'met' | 'breached' | 'cancelled';

export interface Clock {
  /** Unique within a case: `<policy>#<n>` (a policy may run more than once, e.g. reminders). */
  id: string;
  policy: string;
  kind: ClockKind;
  /** ISO-8601 instants (UTC `Z` form inside workflows; the API renders them with +08:00). */
  startedAt: string;
  dueAt: string;
  warnAt: string;
  state: ClockState;
  /** Due date falls in a year without official holiday data; recomputed when the data arrives. */
  provisional: boolean;
  /** Escalation steps taken after breach (0 none, 1 supervisor, 2 manager). */
  escalations: number;
  endedAt?: string;
}

/** What an activity returns when a clock starts: the instants, computed on the calendar once. */
export interface ClockSchedule {
  policy: string;
  kind: ClockKind;
  startedAt: string;
  dueAt: string;
  warnAt: string;
  provisional: boolean;
  /** For repeating policies (document reminders): how many times the policy repeats before handing over to a person. */
  repeats?: number;
}

export const OPEN_CLOCK_STATES: readonly ClockState[] = ['pending', 'paused', 'warned', 'breached'];

export function isClockOpen(clock: Clock): boolean {
  return OPEN_CLOCK_STATES.includes(clock.state);
}

export function clockFromSchedule(id: string, schedule: ClockSchedule): Clock {
  const { policy, kind, startedAt, dueAt, warnAt, provisional } = schedule;
  return { id, policy, kind, startedAt, dueAt, warnAt, provisional, state: 'pending', escalations: 0 };
}

/** Ends an open clock: met if it was never breached, otherwise it stays breached (the breach is history). */
export function endClock(clock: Clock, at: string, how: 'met' | 'cancelled'): Clock {
  if (!isClockOpen(clock)) return clock;
  const state = how === 'met' && clock.state === 'breached' ? 'breached' : how;
  return { ...clock, state, endedAt: at };
}
