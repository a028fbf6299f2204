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

  constructor(private readonly calendar: WorkCalendar) {}

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
  const warnAt = new Date(start + Math.round((dueAt.getTime() - start) * policy.warnAt));
  return { dueAt, warnAt, provisional: counter.provisional };
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

/** The clock's instants as a workflow stores them (UTC `Z` strings). */
export function scheduleClock(policy: ClockPolicy, startedAt: Date, calendar: WorkCalendar): ClockSchedule {
  const { dueAt, warnAt, provisional } = computeDeadline(policy, startedAt, calendar);
  const schedule: ClockSchedule = {
    policy: policy.name,
    kind: policy.kind,
    startedAt: startedAt.toISOString(),
    dueAt: dueAt.toISOString(),
    warnAt: warnAt.toISOString(),
    provisional,
  };
  if ('maxReminders' in policy && typeof policy.maxReminders === 'number') schedule.repeats = policy.maxReminders;
  return schedule;
}
