/**
 * Clocks: the named deadlines every case carries (DOMAIN.md, "Two kinds of clock").
 * Pure data and pure state changes; the workflow owns the instances, activities compute due instants.
 */
import type { ClockMode, ClockPolicyName } from './deadline-policies';

export type ClockKind = 'statutory' | 'internal';
export type ClockState = 'pending' | 'paused' | 'warned' | 'met' | 'breached' | 'cancelled';

export interface Clock {
  /** Unique within a case: `<policy>#<n>` (a policy may run more than once, e.g. reminders). */
  id: string;
  policy: ClockPolicyName;
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
  /**
   * How the clock ended. A clock that breached keeps its state `breached` whatever ends it (met late,
   * cancelled with its case); this records how it ended.
   */
  endedAs?: 'met' | 'cancelled';
  /** While paused (internal clocks only, waiting on the customer): since when, and the state to return to. */
  pausedAt?: string;
  pausedFrom?: 'pending' | 'warned' | 'breached';
  /**
   * Total time spent paused, excluded from the clock (its instants moved later by as much): working
   * time in the clock's own mode (wall-clock time for pauses resumed before that rule).
   */
  pausedMs?: number;
  /** How the clock counts (the policy's mode when it started); absent on clocks started before it was kept. */
  mode?: ClockMode;
}

/** What an activity returns when a clock starts: the instants, computed on the calendar once. */
export interface ClockSchedule {
  policy: ClockPolicyName;
  kind: ClockKind;
  mode?: ClockMode;
  startedAt: string;
  dueAt: string;
  warnAt: string;
  provisional: boolean;
  /** For repeating policies (document reminders): how many times the policy repeats before handing over to a person. */
  repeats?: number;
}

export const OPEN_CLOCK_STATES: readonly ClockState[] = ['pending', 'paused', 'warned', 'breached'];

/**
 * Whether the clock still runs. A breached clock ended before `endedAs` existed carries `endedAt` alone
 * and ran on (its case's workflow escalated it once more); cases recorded so must replay as they ran,
 * so only `endedAs` ends a breach here. Read models that want the end as such also check `endedAt`.
 */
export function isClockOpen(clock: Clock): boolean {
  return OPEN_CLOCK_STATES.includes(clock.state) && clock.endedAs === undefined;
}

/** The earliest due instant among the clocks still running, or null: a case's next deadline. */
export function nextDeadlineOf(clocks: readonly Clock[]): string | null {
  const due = clocks.filter(isClockOpen).map((c) => c.dueAt);
  return due.length ? due.reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a)) : null;
}

/** Whether any clock of the case ever breached (a breach is a fact: later steps never erase it). */
export const anyBreached = (clocks: readonly Clock[]): boolean => clocks.some((c) => c.state === 'breached');

const DAY_MS = 86_400_000;

/**
 * Whether a clock's span (its start to its due instant) covers any of the given Asia/Shanghai civil
 * dates (`YYYY-MM-DD`), so a change to those days on the calendar can move it. A paused clock's due
 * instant moves on when it resumes, so it spans every day after its start.
 */
export function clockTouchesDays(clock: Clock, dates: readonly string[]): boolean {
  const start = Date.parse(clock.startedAt);
  const due = clock.state === 'paused' ? Infinity : Date.parse(clock.dueAt);
  return dates.some((date) => {
    const dayStart = Date.parse(`${date}T00:00:00+08:00`);
    return dayStart < due && dayStart + DAY_MS > start;
  });
}

export function clockFromSchedule(id: string, schedule: ClockSchedule): Clock {
  const { policy, kind, mode, startedAt, dueAt, warnAt, provisional } = schedule;
  const clock: Clock = { id, policy, kind, startedAt, dueAt, warnAt, provisional, state: 'pending', escalations: 0 };
  if (mode) clock.mode = mode;
  return clock;
}

/**
 * Ends an open clock, met or cancelled. A clock that breached stays breached (DOMAIN.md: a breach is a
 * fact for the regulator and the KPIs, never erased); its end and how it ended are recorded beside it.
 */
export function endClock(clock: Clock, at: string, how: 'met' | 'cancelled'): Clock {
  if (!isClockOpen(clock)) return clock;
  const state = clock.state === 'breached' ? 'breached' : how;
  return { ...clock, state, endedAt: at, endedAs: how };
}

export class ClockRuleError extends Error {
  override name = 'ClockRuleError';
}

/** Internal clocks may pause while the case waits on the customer; statutory clocks never pause. */
export function pauseClock(clock: Clock, at: string): Clock {
  if (clock.kind === 'statutory') throw new ClockRuleError(`${clock.policy} is statutory and never pauses`);
  if (clock.state === 'paused' || !isClockOpen(clock)) return clock;
  return { ...clock, state: 'paused', pausedAt: at, pausedFrom: clock.state as 'pending' | 'warned' | 'breached' };
}

/**
 * Resumes a paused clock: it runs again from the state it paused in. Its instants are then moved on by
 * the working time it was paused (`movePausedClock`, with the shift the calendar gives: deadline.ts).
 */
export function resumeClock(clock: Clock): Clock {
  if (clock.state !== 'paused' || !clock.pausedAt) return clock;
  const { pausedAt: _pausedAt, pausedFrom, ...rest } = clock;
  return { ...rest, state: pausedFrom ?? 'pending' };
}

/** Moves a clock's instants on by the working time it was paused; it may have paused again meanwhile. */
export function movePausedClock(
  clock: Clock,
  shift: { dueAt: string; warnAt: string; pausedMs: number; provisional: boolean },
): Clock {
  return {
    ...clock,
    dueAt: shift.dueAt,
    warnAt: shift.warnAt,
    pausedMs: (clock.pausedMs ?? 0) + shift.pausedMs,
    provisional: clock.provisional || shift.provisional,
  };
}

/** How clocks resumed before the working-time rule: both instants moved by the wall-clock time paused. */
export function resumeClockByWallTime(clock: Clock, at: string): Clock {
  if (clock.state !== 'paused' || !clock.pausedAt) return clock;
  const paused = Math.max(0, Date.parse(at) - Date.parse(clock.pausedAt));
  const shift = (iso: string) => new Date(Date.parse(iso) + paused).toISOString();
  return {
    ...resumeClock(clock),
    dueAt: shift(clock.dueAt),
    warnAt: shift(clock.warnAt),
    pausedMs: (clock.pausedMs ?? 0) + paused,
  };
}

/**
 * Moves a clock's due instant (an approved extension). A clock that had warned or breached against
 * the old instant returns to pending when the new instants lie ahead; its escalation history stays.
 */
export function extendClock(clock: Clock, dueAt: string, warnAt: string, now: string): Clock {
  if (!isClockOpen(clock)) throw new ClockRuleError(`${clock.policy} has ended and cannot be extended`);
  const ahead = Date.parse(warnAt) > Date.parse(now);
  const state =
    clock.state === 'paused'
      ? 'paused'
      : ahead
        ? 'pending'
        : Date.parse(dueAt) > Date.parse(now)
          ? 'warned'
          : clock.state;
  return { ...clock, dueAt, warnAt, state };
}

/**
 * Who hears of a breached clock at each escalation step: the team's supervisor at the breach (and the
 * assignee), the manager a full span later. The ladder every clock climbs, case or department record.
 */
export const ESCALATION_LADDER = {
  1: { role: 'supervisor', template: 'clock.breached' },
  2: { role: 'manager', template: 'clock.escalated' },
} as const;

/** The ladder's step after the clock's n-th escalation (the breach is the first). */
export function escalationLevelAfter(escalations: number): 1 | 2 {
  return escalations <= 1 ? 1 : 2;
}

/** When a clock's watcher acts next: warn, breach, then one escalation a full span after the breach. */
export function nextStepAt(clock: Clock): number | null {
  const due = Date.parse(clock.dueAt);
  switch (clock.state) {
    case 'pending':
      return Date.parse(clock.warnAt);
    case 'warned':
      return due;
    case 'breached':
      return clock.escalations < 2 ? due + (due - Date.parse(clock.startedAt)) : null;
    default:
      return null;
  }
}

/**
 * When the case's clocks act next, all of them together: the earliest step (a warning, a due instant,
 * an escalation) of any clock still running, or null when none will. The case sleeps on this one
 * instant rather than on a timer per clock. `skip`: clocks not to count now (being moved by the calendar).
 */
export function nextClockEventAt(
  clocks: readonly Clock[],
  skip: (clock: Clock) => boolean = () => false,
): number | null {
  let next: number | null = null;
  for (const clock of clocks) {
    if (!isClockOpen(clock) || skip(clock)) continue;
    const at = nextStepAt(clock);
    if (at !== null && (next === null || at < next)) next = at;
  }
  return next;
}

/** The running clocks whose next step has come by `now`, in the case's order: what a wake-up acts on. */
export function clocksDueBy(
  clocks: readonly Clock[],
  now: number,
  skip: (clock: Clock) => boolean = () => false,
): Clock[] {
  return clocks.filter((clock) => {
    if (!isClockOpen(clock) || skip(clock)) return false;
    const at = nextStepAt(clock);
    return at !== null && at <= now;
  });
}
