/**
 * When a clock falls due (DOMAIN.md, "Two kinds of clock"). Computed once, when the clock starts, on
 * the calendar known at that moment; a provisional result is recomputed when the year's data arrives.
 */
import { addDays, shanghaiDate, shanghaiInstant, type CivilDate, type WorkCalendar } from './calendar';
import type { ClockSchedule } from './clock';
import { InvalidDurationError, parseDuration, durationToMillis, hasTimePart, type DurationParts } from './duration';
import type { ClockMode, ClockPolicy } from './deadline-policies';

export interface Deadline {
  dueAt: Date;
  warnAt: Date;
  /** Some day the computation classified lies in a year without official holiday data. */
  provisional: boolean;
}

/** Minutes after Shanghai midnight: 09:00–18:00 on working days. */
export const BUSINESS_HOURS = { open: 9 * 60, close: 18 * 60 } as const;

// A calendar that never works (a broken override) must fail loudly rather than loop for ever.
const MAX_REST_RUN = 366;

export class InvalidPolicyDurationError extends Error {
  constructor(
    readonly policy: string,
    reason: string,
  ) {
    super(`deadline policy ${policy}: ${reason}`);
    this.name = 'InvalidPolicyDurationError';
  }
}

/** Why a duration cannot drive a clock in this mode, or null; the same check the computation makes. */
export function policyDurationProblem(mode: ClockMode, duration: string): string | null {
  let parts: DurationParts;
  try {
    parts = parseDuration(duration);
  } catch (err) {
    if (err instanceof InvalidDurationError) return err.message;
    throw err;
  }
  if (durationToMillis(parts) <= 0) return 'a clock needs a positive duration';
  if ((mode === 'calendar_days' || mode === 'working_days') && hasTimePart(parts)) {
    return `${mode} counts whole days (P1D, P15D); use elapsed or business_hours for ${duration}`;
  }
  if (mode === 'business_hours' && parts.days > 0) {
    return `business_hours counts hours and minutes (PT4H); ${duration} has days`;
  }
  return null;
}

/** Classifies days and remembers whether any of them came from a provisional year. */
class DayCounter {
  provisional = false;
  private restRun = 0;

  constructor(readonly calendar: WorkCalendar) {}

  working(date: CivilDate): boolean {
    if (this.calendar.isProvisional(date)) this.provisional = true;
    const working = this.calendar.isWorkingDay(date);
    this.restRun = working ? 0 : this.restRun + 1;
    if (this.restRun > MAX_REST_RUN)
      throw new RangeError(`no working day in the ${MAX_REST_RUN} days up to ${date}: check the calendar overrides`);
    return working;
  }
}

/** 24:00 Shanghai of the day: the period's end under 民法典 第二百零三条. */
const endOfDay = (date: CivilDate): Date => shanghaiInstant(date, 24 * 60);

/** 民法典 第二百零一条/第二百零三条: the start day is not counted; a last day that rests rolls to the next working day. */
function calendarDaysDue(days: number, startedAt: Date, counter: DayCounter): Date {
  let last = addDays(shanghaiDate(startedAt), days);
  while (!counter.working(last)) last = addDays(last, 1);
  return endOfDay(last);
}

function workingDaysDue(days: number, startedAt: Date, counter: DayCounter): Date {
  let date = shanghaiDate(startedAt);
  for (let counted = 0; counted < days;) {
    date = addDays(date, 1);
    if (counter.working(date)) counted += 1;
  }
  return endOfDay(date);
}

function businessHoursDue(millis: number, startedAt: Date, counter: DayCounter): Date {
  let remaining = millis;
  let cursor = startedAt.getTime();
  for (let date = shanghaiDate(startedAt); ; date = addDays(date, 1)) {
    const open = shanghaiInstant(date, BUSINESS_HOURS.open).getTime();
    const close = shanghaiInstant(date, BUSINESS_HOURS.close).getTime();
    // A day whose hours are already over need not be classified (nor make the clock provisional).
    if (cursor < close && counter.working(date)) {
      const from = Math.max(cursor, open);
      // Exactly filling the day ends at 18:00, not at the next morning's opening.
      if (remaining <= close - from) return new Date(from + remaining);
      remaining -= close - from;
    }
    cursor = shanghaiInstant(addDays(date, 1)).getTime();
  }
}

export function computeDeadline(policy: ClockPolicy, startedAt: Date, calendar: WorkCalendar): Deadline {
  const start = startedAt.getTime();
  if (Number.isNaN(start)) throw new RangeError(`deadline policy ${policy.name}: invalid start instant`);
  if (!(policy.warnAt >= 0 && policy.warnAt <= 1)) {
    throw new InvalidPolicyDurationError(policy.name, `warnAt must be a fraction from 0 to 1, got ${policy.warnAt}`);
  }
  const problem = policyDurationProblem(policy.mode, policy.duration);
  if (problem) throw new InvalidPolicyDurationError(policy.name, problem);

  const parts = parseDuration(policy.duration);
  const counter = new DayCounter(calendar);
  const dueAt = dueFor(policy.mode, parts, startedAt, counter);
  const warnAt = warningFor(policy.mode, policy.warnAt, startedAt, dueAt, counter);
  return { dueAt, warnAt, provisional: counter.provisional };
}

/** Working-day modes count working time: the business hours of working days. */
const countsWorkingTime = (mode: ClockMode): boolean => mode === 'working_days' || mode === 'business_hours';

/**
 * The warning: `fraction` of the clock's own time (working time for working days and business hours,
 * calendar time otherwise), then moved out of nights and rest days to the next business-hours moment,
 * since it goes to staff; never after the due instant.
 */
function warningFor(mode: ClockMode, fraction: number, startedAt: Date, dueAt: Date, counter: DayCounter): Date {
  const start = startedAt.getTime();
  const raw = countsWorkingTime(mode)
    ? addWorkingTime(startedAt, Math.round(workingTimeBetween(startedAt, dueAt, counter) * fraction), counter)
    : new Date(start + Math.round((dueAt.getTime() - start) * fraction));
  return staffMoment(raw, dueAt, counter);
}

/**
 * The instant itself when it lies in business hours of a working day, else the next such moment; at
 * most `limit`. Where a staff warning goes out is advice, not the deadline: it never makes a clock provisional.
 */
function staffMoment(instant: Date, limit: Date, counter: DayCounter): Date {
  return nextBusinessMoment(instant, limit, new DayCounter(counter.calendar));
}

function nextBusinessMoment(instant: Date, limit: Date, counter: DayCounter): Date {
  if (instant.getTime() >= limit.getTime()) return limit;
  let cursor = instant.getTime();
  for (let date = shanghaiDate(instant); cursor < limit.getTime(); date = addDays(date, 1)) {
    const open = shanghaiInstant(date, BUSINESS_HOURS.open).getTime();
    const close = shanghaiInstant(date, BUSINESS_HOURS.close).getTime();
    if (cursor <= close && counter.working(date)) return new Date(Math.min(Math.max(cursor, open), limit.getTime()));
    cursor = shanghaiInstant(addDays(date, 1)).getTime();
  }
  return limit;
}

/** Business time (09:00–18:00 of working days) between two instants, in milliseconds. */
function workingTimeBetween(from: Date, to: Date, counter: DayCounter): number {
  let total = 0;
  const end = to.getTime();
  for (let date = shanghaiDate(from); shanghaiInstant(date).getTime() < end; date = addDays(date, 1)) {
    const open = Math.max(shanghaiInstant(date, BUSINESS_HOURS.open).getTime(), from.getTime());
    const close = Math.min(shanghaiInstant(date, BUSINESS_HOURS.close).getTime(), end);
    if (close > open && counter.working(date)) total += close - open;
  }
  return total;
}

/** The instant `millis` of business time after `from`; `from` itself when there is nothing to add. */
function addWorkingTime(from: Date, millis: number, counter: DayCounter): Date {
  return millis <= 0 ? from : businessHoursDue(millis, from, counter);
}

function dueFor(mode: ClockMode, parts: DurationParts, startedAt: Date, counter: DayCounter): Date {
  switch (mode) {
    case 'calendar_days':
      return calendarDaysDue(parts.days, startedAt, counter);
    case 'working_days':
      return workingDaysDue(parts.days, startedAt, counter);
    case 'business_hours':
      return businessHoursDue(durationToMillis(parts), startedAt, counter);
    case 'elapsed':
      return new Date(startedAt.getTime() + durationToMillis(parts));
  }
}

/**
 * The clock's instants as a workflow stores them (UTC `Z` strings). `pausedMs`: working time the clock
 * has already spent paused (a recomputation), by which its instants are moved on.
 */
export function scheduleClock(
  policy: ClockPolicy,
  startedAt: Date,
  calendar: WorkCalendar,
  pausedMs = 0,
): ClockSchedule {
  const deadline = computeDeadline(policy, startedAt, calendar);
  const { dueAt, warnAt, provisional } =
    pausedMs > 0
      ? moveByPause(policy.mode, deadline, pausedMs, new DayCounter(calendar), deadline.provisional)
      : deadline;
  const schedule: ClockSchedule = {
    policy: policy.name,
    kind: policy.kind,
    mode: policy.mode,
    startedAt: startedAt.toISOString(),
    dueAt: dueAt.toISOString(),
    warnAt: warnAt.toISOString(),
    provisional,
  };
  if ('maxReminders' in policy && typeof policy.maxReminders === 'number') schedule.repeats = policy.maxReminders;
  return schedule;
}

/** How far a pause moves a clock, in the clock's own mode (DOMAIN.md: "moved on by the working time it was paused"). */
export interface PauseShift {
  dueAt: string;
  warnAt: string;
  /** The time excluded: business time for working days and business hours, wall-clock time otherwise. */
  pausedMs: number;
  /** A day the move classified lies in a year without official holiday data. */
  provisional: boolean;
}

/**
 * A clock paused from `pausedAt` to `resumedAt` is moved on by the working time in between — for
 * business hours and working days the business hours of working days (a pause over a night or a
 * weekend moves it by what was left of the working day), for elapsed and calendar clocks every minute.
 */
export function shiftForPause(
  mode: ClockMode,
  instants: { dueAt: string; warnAt: string },
  pausedAt: string,
  resumedAt: string,
  calendar: WorkCalendar,
): PauseShift {
  const counter = new DayCounter(calendar);
  const from = new Date(pausedAt);
  const to = new Date(resumedAt);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) throw new RangeError('invalid pause instants');
  const pausedMs = Math.max(
    0,
    countsWorkingTime(mode) ? workingTimeBetween(from, to, counter) : to.getTime() - from.getTime(),
  );
  const deadline = { dueAt: new Date(instants.dueAt), warnAt: new Date(instants.warnAt) };
  const moved = moveByPause(mode, deadline, pausedMs, counter, false);
  return {
    dueAt: moved.dueAt.toISOString(),
    warnAt: moved.warnAt.toISOString(),
    pausedMs,
    provisional: moved.provisional,
  };
}

function moveByPause(
  mode: ClockMode,
  { dueAt, warnAt }: { dueAt: Date; warnAt: Date },
  pausedMs: number,
  counter: DayCounter,
  provisional: boolean,
): Deadline {
  const move = (instant: Date) =>
    countsWorkingTime(mode) ? addWorkingTime(instant, pausedMs, counter) : new Date(instant.getTime() + pausedMs);
  const due = move(dueAt);
  const warn = staffMoment(move(warnAt), due, counter);
  return { dueAt: due, warnAt: warn, provisional: provisional || counter.provisional };
}
