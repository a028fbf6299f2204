import { describe, it, expect } from 'vitest';
import { WorkCalendar, addDays, type HolidayDay } from '../../domain/calendar';
import {
  InvalidPolicyDurationError,
  computeDeadline,
  policyDurationProblem,
  scheduleClock,
  shiftForPause,
} from '../../domain/deadline';
import {
  DEFAULT_CLOCK_POLICIES,
  DEFAULT_DOCUMENT_REMINDER,
  type ClockMode,
  type ClockPolicy,
  type ClockPolicyName,
} from '../../domain/deadline-policies';

const calendar = new WorkCalendar();

function policy(mode: ClockMode, duration: string, warnAt = 0.8): ClockPolicy {
  return {
    // Not a policy of the table: the engine computes whatever policy it is given.
    name: `test.${mode}` as ClockPolicyName,
    title: mode,
    kind: mode === 'calendar_days' ? 'statutory' : 'internal',
    mode,
    duration,
    warnAt,
    basis: 'test',
    description: 'test',
  };
}

/** An instant given as Asia/Shanghai wall-clock time. */
const shanghai = (local: string): Date => new Date(`${local}+08:00`);
const due = (mode: ClockMode, duration: string, startedAt: Date, cal = calendar) =>
  computeDeadline(policy(mode, duration), startedAt, cal);

describe('calendar_days (民法典 第二百零一条、第二百零三条)', () => {
  it('does not count the start day and ends at 24:00 Shanghai of the last day', () => {
    // Wednesday 2026-03-04 + 1 day → Thursday 2026-03-05, 24:00 Shanghai.
    expect(due('calendar_days', 'P1D', shanghai('2026-03-04T10:00:00')).dueAt.toISOString()).toBe(
      '2026-03-05T16:00:00.000Z',
    );
  });

  it('takes the start day in Shanghai, not in UTC', () => {
    // 01:00 on 2026-03-04 Shanghai is still 2026-03-03 in UTC.
    expect(due('calendar_days', 'P1D', new Date('2026-03-03T17:00:00Z')).dueAt.toISOString()).toBe(
      '2026-03-05T16:00:00.000Z',
    );
  });

  it('a 30-day period whose last day falls in the Spring Festival block ends on the first working day after it', () => {
    // 2026-01-17 + 30 = 2026-02-16 (春节) → 2026-02-24 (Tuesday).
    const result = due('calendar_days', 'P30D', shanghai('2026-01-17T15:00:00'));
    expect(result.dueAt.toISOString()).toBe('2026-02-24T16:00:00.000Z');
    expect(result.provisional).toBe(false);
  });

  it('a 30-day period whose last day falls in National Day rolls to 2026-10-08', () => {
    expect(due('calendar_days', 'P30D', shanghai('2026-09-03T09:00:00')).dueAt.toISOString()).toBe(
      '2026-10-08T16:00:00.000Z',
    );
  });

  it('a period whose last day is a plain Saturday ends on the Monday', () => {
    // 2026-03-04 + 10 = Saturday 2026-03-14 → Monday 2026-03-16.
    expect(due('calendar_days', 'P10D', shanghai('2026-03-04T11:00:00')).dueAt.toISOString()).toBe(
      '2026-03-16T16:00:00.000Z',
    );
  });

  it('a period whose last day is a make-up Saturday ends on that Saturday', () => {
    expect(due('calendar_days', 'P10D', shanghai('2026-02-04T11:00:00')).dueAt.toISOString()).toBe(
      '2026-02-14T16:00:00.000Z',
    );
  });

  it('a period ending in 2027 is provisional while 2027 has no data, and exact once an override arrives', () => {
    const start = shanghai('2027-09-24T10:00:00');
    const before = due('calendar_days', 'P10D', start);
    expect(before).toMatchObject({ provisional: true });
    expect(before.dueAt.toISOString()).toBe('2027-10-04T16:00:00.000Z');

    const nationalDay: HolidayDay[] = ['01', '02', '03', '04', '05', '06', '07'].map((d) => ({
      date: `2027-10-${d}`,
      name: '国庆节',
      isOffDay: true,
    }));
    const after = due('calendar_days', 'P10D', start, calendar.withYear(2027, nationalDay));
    expect(after.provisional).toBe(false);
    expect(after.dueAt.toISOString()).toBe('2027-10-08T16:00:00.000Z');
  });

  it('a period starting in late 2026 but ending in 2027 is provisional', () => {
    expect(due('calendar_days', 'P10D', shanghai('2026-12-25T10:00:00')).provisional).toBe(true);
  });

  it('in a year without data the fixed holidays still push the end (2031 National Day)', () => {
    // 2031-09-21 + 10 = Wednesday 2031-10-01 → rest through the weekend → Monday 2031-10-06.
    const result = due('calendar_days', 'P10D', shanghai('2031-09-21T10:00:00'));
    expect(result.dueAt.toISOString()).toBe('2031-10-06T16:00:00.000Z');
    expect(result.provisional).toBe(true);
  });
});

describe('working_days', () => {
  it('counts working days after the start day across the Spring Festival block, 调休 included', () => {
    // Friday 2026-02-13: Saturday 02-14 works (1), 02-15..23 rest, 02-24 (2), 02-25 (3).
    expect(due('working_days', 'P3D', shanghai('2026-02-13T17:00:00')).dueAt.toISOString()).toBe(
      '2026-02-25T16:00:00.000Z',
    );
  });

  it('one working day after a Saturday receipt is the end of Monday', () => {
    expect(due('working_days', 'P1D', shanghai('2026-03-07T10:00:00')).dueAt.toISOString()).toBe(
      '2026-03-09T16:00:00.000Z',
    );
  });
});

describe('business_hours (09:00–18:00 Shanghai on working days)', () => {
  it('Friday 16:00 + 4h is Monday 11:00', () => {
    expect(due('business_hours', 'PT4H', shanghai('2026-03-06T16:00:00')).dueAt).toEqual(
      shanghai('2026-03-09T11:00:00'),
    );
  });

  it('skips the National Day holiday', () => {
    expect(due('business_hours', 'PT4H', shanghai('2026-09-30T15:00:00')).dueAt).toEqual(
      shanghai('2026-10-08T10:00:00'),
    );
  });

  it('works the make-up Saturday, then skips the Spring Festival block', () => {
    expect(due('business_hours', 'PT4H', shanghai('2026-02-13T16:00:00')).dueAt).toEqual(
      shanghai('2026-02-14T11:00:00'),
    );
    expect(due('business_hours', 'PT4H', shanghai('2026-02-14T17:00:00')).dueAt).toEqual(
      shanghai('2026-02-24T12:00:00'),
    );
  });

  it('a start before opening or after closing begins at the next opening', () => {
    expect(due('business_hours', 'PT1H30M', shanghai('2026-03-09T07:00:00')).dueAt).toEqual(
      shanghai('2026-03-09T10:30:00'),
    );
    expect(due('business_hours', 'PT1H', shanghai('2026-03-09T19:00:00')).dueAt).toEqual(
      shanghai('2026-03-10T10:00:00'),
    );
  });

  it('a span that exactly fills the day ends at 18:00, not at the next opening', () => {
    expect(due('business_hours', 'PT9H', shanghai('2026-03-09T09:00:00')).dueAt).toEqual(
      shanghai('2026-03-09T18:00:00'),
    );
  });
});

describe('elapsed', () => {
  it('is the start plus the exact duration, regardless of holidays, and never provisional', () => {
    const startedAt = shanghai('2031-10-01T10:00:00');
    const result = due('elapsed', 'PT30M', startedAt);
    expect(result.dueAt.getTime() - startedAt.getTime()).toBe(30 * 60_000);
    expect(result.provisional).toBe(false);
  });
});

describe('warnAt', () => {
  const warn = (mode: ClockMode, duration: string, local: string, fraction = 0.8) =>
    computeDeadline(policy(mode, duration, fraction), shanghai(local), calendar);

  it('is the policy fraction of the calendar span for calendar days, in business hours as it falls', () => {
    const startedAt = new Date('2026-03-04T16:00:00Z'); // 00:00 Thursday 2026-03-05 in Shanghai
    const result = computeDeadline(policy('calendar_days', 'P1D', 0.8), startedAt, calendar);
    expect(result.dueAt.toISOString()).toBe('2026-03-06T16:00:00.000Z');
    expect(result.warnAt.toISOString()).toBe('2026-03-06T06:24:00.000Z'); // Friday 14:24
    expect(warn('elapsed', 'PT10M', '2026-03-05T10:00:00', 0.5).warnAt).toEqual(shanghai('2026-03-05T10:05:00'));
  });

  it('is a fraction of working time for business hours: 4 business hours from Friday 16:00 warn Monday 10:12', () => {
    const result = warn('business_hours', 'PT4H', '2026-03-13T16:00:00');
    expect(result.dueAt).toEqual(shanghai('2026-03-16T11:00:00'));
    expect(result.warnAt).toEqual(shanghai('2026-03-16T10:12:00'));
  });

  it('is a fraction of working time for working days: an inquiry of 2026-09-30 10:00 warns on 10-08, not on National Day', () => {
    const result = warn('working_days', 'P1D', '2026-09-30T10:00:00');
    expect(result.dueAt).toEqual(shanghai('2026-10-09T00:00:00'));
    // 8 business hours on 09-30 and 9 on 10-08: 80 % of 17 h is 8 h on the first day and 5 h 36 min on the second.
    expect(result.warnAt).toEqual(shanghai('2026-10-08T14:36:00'));
  });

  it('a staff warning that falls at night or on a rest day goes out at the next business-hours moment', () => {
    // 3 calendar days from Thursday 00:00 end Monday 24:00 (Sunday rests); 80 % is Monday 00:00.
    const result = warn('calendar_days', 'P3D', '2026-03-12T00:00:00');
    expect(result.dueAt).toEqual(shanghai('2026-03-17T00:00:00'));
    expect(result.warnAt).toEqual(shanghai('2026-03-16T09:00:00'));
  });

  it('a staff warning is never moved past the due instant', () => {
    const result = warn('elapsed', 'PT1H', '2026-03-13T17:30:00');
    expect(result.dueAt).toEqual(shanghai('2026-03-13T18:30:00'));
    expect(result.warnAt).toEqual(result.dueAt);
  });
});

describe('pauses', () => {
  const instants = (mode: ClockMode, duration: string, local: string) => {
    const { dueAt, warnAt } = computeDeadline(policy(mode, duration), shanghai(local), calendar);
    return { dueAt: dueAt.toISOString(), warnAt: warnAt.toISOString() };
  };
  const iso = (local: string) => shanghai(local).toISOString();

  it('a paused business-hours clock moves by the business time it was paused, not by the weekend', () => {
    // PT4H from Friday 17:00 is due Monday 12:00; paused Friday 17:30 to Monday 09:00: 30 business minutes.
    const clock = instants('business_hours', 'PT4H', '2026-03-13T17:00:00');
    expect(clock.dueAt).toBe(iso('2026-03-16T12:00:00'));
    const shift = shiftForPause(
      'business_hours',
      clock,
      iso('2026-03-13T17:30:00'),
      iso('2026-03-16T09:00:00'),
      calendar,
    );
    expect(shift).toEqual({
      dueAt: iso('2026-03-16T12:30:00'),
      warnAt: iso('2026-03-16T11:42:00'),
      pausedMs: 30 * 60_000,
      provisional: false,
    });
  });

  it('a paused working-days clock moves by the business hours of working days it was paused', () => {
    // Due Friday 24:00; paused Thursday 15:00 to Monday 10:00: 3 + 9 + 1 = 13 business hours → Tuesday 13:00.
    const clock = instants('working_days', 'P1D', '2026-03-12T10:00:00');
    expect(clock.dueAt).toBe(iso('2026-03-14T00:00:00'));
    const shift = shiftForPause(
      'working_days',
      clock,
      iso('2026-03-12T15:00:00'),
      iso('2026-03-16T10:00:00'),
      calendar,
    );
    expect(shift.pausedMs).toBe(13 * 3600_000);
    expect(shift.dueAt).toBe(iso('2026-03-17T13:00:00'));
  });

  it('an elapsed clock moves by every minute it was paused, and a pause outside working time moves a working clock not at all', () => {
    const elapsed = instants('elapsed', 'PT2H', '2026-03-13T10:00:00');
    const moved = shiftForPause('elapsed', elapsed, iso('2026-03-13T10:30:00'), iso('2026-03-13T11:00:00'), calendar);
    expect(moved).toMatchObject({ dueAt: iso('2026-03-13T12:30:00'), pausedMs: 30 * 60_000 });
    const working = instants('business_hours', 'PT4H', '2026-03-13T10:00:00');
    const overnight = shiftForPause(
      'business_hours',
      working,
      iso('2026-03-13T19:00:00'),
      iso('2026-03-14T08:00:00'),
      calendar,
    );
    expect(overnight).toMatchObject({ dueAt: working.dueAt, pausedMs: 0 });
  });

  it('a recomputed clock keeps its paused working time excluded', () => {
    const schedule = scheduleClock(
      policy('business_hours', 'PT4H'),
      shanghai('2026-03-13T17:00:00'),
      calendar,
      1800_000,
    );
    expect(schedule.dueAt).toBe(iso('2026-03-16T12:30:00'));
  });
});

describe('policy checks', () => {
  it('refuses durations that do not fit the mode, or are empty', () => {
    expect(() => due('calendar_days', 'PT4H', shanghai('2026-03-04T10:00:00'))).toThrow(InvalidPolicyDurationError);
    expect(() => due('working_days', 'P1DT2H', shanghai('2026-03-04T10:00:00'))).toThrow(/whole days/);
    expect(() => due('business_hours', 'P1D', shanghai('2026-03-04T10:00:00'))).toThrow(/has days/);
    expect(() => due('elapsed', 'PT0S', shanghai('2026-03-04T10:00:00'))).toThrow(/positive/);
    expect(() => due('elapsed', 'soon', shanghai('2026-03-04T10:00:00'))).toThrow(/invalid duration/);
  });

  it('refuses an invalid start instant and a warn fraction outside 0..1', () => {
    expect(() => due('elapsed', 'PT1M', new Date('nope'))).toThrow(RangeError);
    expect(() => computeDeadline(policy('elapsed', 'PT1M', 1.5), shanghai('2026-03-04T10:00:00'), calendar)).toThrow(
      /warnAt/,
    );
  });

  it('every default policy has a duration its mode can count', () => {
    for (const p of [...DEFAULT_CLOCK_POLICIES, DEFAULT_DOCUMENT_REMINDER])
      expect(policyDurationProblem(p.mode, p.duration), p.name).toBeNull();
  });

  it('a calendar with no working day fails loudly instead of looping', () => {
    const allOff = (year: number): HolidayDay[] => {
      const days: HolidayDay[] = [];
      for (let d = `${year}-01-01`; d.startsWith(`${year}`); d = addDays(d, 1))
        days.push({ date: d, name: '休', isOffDay: true });
      return days;
    };
    const never = calendar.withYear(2027, allOff(2027)).withYear(2028, allOff(2028));
    expect(() => due('working_days', 'P1D', shanghai('2026-12-31T10:00:00'), never)).toThrow(
      /no working day in the 366 days/,
    );
  });
});

describe('scheduleClock', () => {
  it('returns the instants as UTC ISO strings with the policy name and kind', () => {
    const startedAt = shanghai('2026-01-17T15:00:00');
    expect(scheduleClock(policy('calendar_days', 'P30D', 0.5), startedAt, calendar)).toEqual({
      policy: 'test.calendar_days',
      kind: 'statutory',
      mode: 'calendar_days',
      startedAt: '2026-01-17T07:00:00.000Z',
      dueAt: '2026-02-24T16:00:00.000Z',
      // Half the span is Thursday 2026-02-05 19:30, after hours: the warning waits for Friday 09:00.
      warnAt: '2026-02-06T01:00:00.000Z',
      provisional: false,
    });
  });

  it('carries the repeat count of a repeating policy', () => {
    expect(scheduleClock(DEFAULT_DOCUMENT_REMINDER, shanghai('2026-03-04T10:00:00'), calendar).repeats).toBe(
      DEFAULT_DOCUMENT_REMINDER.maxReminders,
    );
  });
});
