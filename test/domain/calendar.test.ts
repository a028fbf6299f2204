import { describe, it, expect } from 'vitest';
import { getSolarDateFromLunar, getSolarTermDate } from 'chinese-days';
import {
  WorkCalendar,
  InvalidCalendarError,
  addDays,
  dayOfWeek,
  holidayDaySchema,
  shanghaiDate,
  shanghaiInstant,
  shanghaiMinuteOfDay,
  statutoryHolidays,
  toShanghaiISO,
  precedingDecemberDays,
  validateHolidayYear,
  type HolidayDay,
} from '../../domain/calendar';
import { HOLIDAY_CN } from '../support/holiday-cn';

const calendar = new WorkCalendar();

/** A made-up 2027 National Day schedule in holiday-cn form (the real one is published in late 2026). */
const nationalDay2027: HolidayDay[] = [
  { date: '2027-09-26', name: '国庆节', isOffDay: false },
  ...['01', '02', '03', '04', '05', '06', '07'].map((d) => ({ date: `2027-10-${d}`, name: '国庆节', isOffDay: true })),
  { date: '2027-10-09', name: '国庆节', isOffDay: false },
];

describe('Asia/Shanghai civil time', () => {
  it('puts 16:00Z on the next Shanghai day and 15:59Z on the same one', () => {
    expect(shanghaiDate(new Date('2026-02-14T15:59:59.999Z'))).toBe('2026-02-14');
    expect(shanghaiDate(new Date('2026-02-14T16:00:00.000Z'))).toBe('2026-02-15');
  });

  it('maps a civil date and time of day to its UTC instant and back', () => {
    expect(shanghaiInstant('2026-02-14', 9 * 60).toISOString()).toBe('2026-02-14T01:00:00.000Z');
    expect(shanghaiInstant('2026-12-31', 24 * 60).toISOString()).toBe('2026-12-31T16:00:00.000Z');
    expect(shanghaiMinuteOfDay(new Date('2026-02-14T01:30:00Z'))).toBe(9 * 60 + 30);
    expect(toShanghaiISO(new Date('2026-02-14T16:00:00Z'))).toBe('2026-02-15T00:00:00.000+08:00');
  });

  it('does calendar arithmetic across month, leap-day and year ends', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(dayOfWeek('2026-02-14')).toBe(6);
  });

  it('refuses impossible dates rather than rolling them over', () => {
    expect(() => calendar.isWorkingDay('2026-02-30')).toThrow(RangeError);
    expect(() => calendar.isWorkingDay('2026-2-3')).toThrow(RangeError);
  });
});

describe('2026 official calendar (chinese-days data)', () => {
  it.each(['2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-23'])(
    'Spring Festival %s is a rest day, weekday or not',
    (date) => {
      expect(calendar.isWorkingDay(date)).toBe(false);
    },
  );

  it('the Saturdays 2026-02-14 and 2026-02-28 are make-up workdays (调休)', () => {
    expect(calendar.isWorkingDay('2026-02-14')).toBe(true);
    expect(calendar.isWorkingDay('2026-02-28')).toBe(true);
    expect(calendar.day('2026-02-14')).toEqual({ date: '2026-02-14', working: true, name: '春节', source: 'official' });
  });

  it('the days around the Spring Festival block are ordinary', () => {
    expect(calendar.isWorkingDay('2026-02-13')).toBe(true);
    expect(calendar.isWorkingDay('2026-02-24')).toBe(true);
    expect(calendar.isWorkingDay('2026-02-22')).toBe(false);
    expect(calendar.isWorkingDay('2026-03-07')).toBe(false);
  });

  it('National Day rests 2026-10-01..07 and works the Saturday 2026-10-10', () => {
    for (let day = 1; day <= 7; day += 1) expect(calendar.isWorkingDay(`2026-10-0${day}`)).toBe(false);
    expect(calendar.isWorkingDay('2026-10-08')).toBe(true);
    expect(calendar.isWorkingDay('2026-10-10')).toBe(true);
    expect(calendar.isWorkingDay('2026-10-11')).toBe(false);
  });

  it('package years are official and not provisional', () => {
    expect(calendar.hasOfficialData(2004)).toBe(true);
    expect(calendar.hasOfficialData(2026)).toBe(true);
    expect(calendar.isProvisional('2026-12-31')).toBe(false);
  });
});

describe('a year without official data', () => {
  it('is provisional', () => {
    expect(calendar.hasOfficialData(2031)).toBe(false);
    expect(calendar.isProvisional('2031-06-03')).toBe(true);
    expect(calendar.day('2031-06-03').source).toBe('provisional');
    expect(calendar.hasOfficialData(2027)).toBe(false);
  });

  it.each([
    ['2031-01-01', '元旦'],
    ['2031-05-01', '劳动节'],
    ['2031-05-02', '劳动节'],
    ['2031-10-01', '国庆节'],
    ['2031-10-02', '国庆节'],
    ['2031-10-03', '国庆节'],
  ])('the fixed holiday %s (%s) is a rest day', (date, name) => {
    expect(calendar.day(date)).toMatchObject({ working: false, name });
  });

  it('places the lunar holidays and 清明 from the lunar calendar and solar terms', () => {
    // 2031: 正月初一 is 2031-01-23, so 春节 runs 除夕 01-22 to 初三 01-25.
    expect(
      ['2031-01-21', '2031-01-22', '2031-01-23', '2031-01-24', '2031-01-25', '2031-01-27'].map((d) =>
        calendar.isWorkingDay(d),
      ),
    ).toEqual([true, false, false, false, false, true]);
    expect(calendar.day('2031-06-24')).toMatchObject({ working: false, name: '端午' });
    expect(calendar.day('2031-04-05')).toMatchObject({ working: false, name: '清明' });
    // 2027 中秋 (八月十五) is Wednesday 2027-09-15.
    expect(calendar.day('2027-09-15')).toMatchObject({ working: false, name: '中秋' });
  });

  it('invents no make-up workdays and no bridge days', () => {
    expect(calendar.isWorkingDay('2031-10-04')).toBe(false);
    expect(calendar.isWorkingDay('2031-09-28')).toBe(false);
    expect(calendar.isWorkingDay('2031-10-06')).toBe(true);
  });

  it('places 春节, 端午, 中秋 and 清明 as chinese-days does, for every year 2000–2099', () => {
    // A local-time Date: the package reads local fields for lunar input. Its solar-term answer is a day
    // early west of UTC, so 清明 is compared only where the host zone is UTC or east of it.
    const lunar = (year: number, month: number, day: number) =>
      getSolarDateFromLunar(new Date(year, month - 1, day)).date;
    const hostEastOfUtc = new Date(Date.UTC(2000, 0, 1)).getDate() === 1;
    for (let year = 2000; year <= 2099; year += 1) {
      const names = new Map(statutoryHolidays(year).map((d) => [d.date, d.name]));
      const newYear = lunar(year, 1, 1);
      expect(
        [addDays(newYear, -1), newYear, addDays(newYear, 2)].map((d) => names.get(d)),
        `春节 ${year}`,
      ).toEqual(['春节', '春节', '春节']);
      expect(names.has(lunar(year, 5, 5)), `端午 ${year}`).toBe(true);
      expect(names.has(lunar(year, 8, 15)), `中秋 ${year}`).toBe(true);
      if (hostEastOfUtc) expect(names.get(getSolarTermDate(year, 4, 'pure_brightness')), `清明 ${year}`).toBe('清明');
    }
  });

  it('lists a 中秋 that falls on National Day once', () => {
    const days = statutoryHolidays(2031);
    expect(days.filter((d) => d.date === '2031-10-01')).toHaveLength(1);
    expect(validateHolidayYear(2031, days)).toEqual([]);
  });

  it('refuses a year it cannot place the lunar holidays in', () => {
    expect(() => calendar.isWorkingDay('2150-01-04')).toThrow(/no working calendar for 2150/);
  });
});

describe('override years', () => {
  it('a 2027 override changes working days and makes the year official', () => {
    const updated = calendar.withYear(2027, nationalDay2027);
    expect(calendar.isWorkingDay('2027-10-04')).toBe(true);
    expect(updated.isWorkingDay('2027-10-04')).toBe(false);
    expect(updated.isWorkingDay('2027-10-09')).toBe(true);
    expect(updated.isWorkingDay('2027-09-26')).toBe(true);
    expect(updated.hasOfficialData(2027)).toBe(true);
    expect(updated.isProvisional('2027-10-04')).toBe(false);
    expect(updated.day('2027-10-04').source).toBe('override');
  });

  it('withYear leaves the original calendar untouched', () => {
    calendar.withYear(2027, nationalDay2027);
    expect(calendar.hasOfficialData(2027)).toBe(false);
  });

  it('an override replaces the package data for its year, unlisted days falling back to weekday/weekend', () => {
    const corrected = new WorkCalendar({ 2026: [{ date: '2026-02-13', name: '春节', isOffDay: true }] });
    expect(corrected.isWorkingDay('2026-02-13')).toBe(false);
    expect(corrected.isWorkingDay('2026-02-16')).toBe(true);
    expect(corrected.isWorkingDay('2026-02-14')).toBe(false);
  });

  it('accepts overrides keyed by strings, as JSON from the database arrives', () => {
    const fromJson = JSON.parse(JSON.stringify({ 2027: nationalDay2027 })) as Record<number, HolidayDay[]>;
    expect(new WorkCalendar(fromJson).isWorkingDay('2027-10-05')).toBe(false);
  });

  it('refuses an override whose dates lie outside its year', () => {
    expect(() => new WorkCalendar({ 2027: [{ date: '2026-10-01', name: '国庆节', isOffDay: true }] })).toThrow(
      InvalidCalendarError,
    );
  });
});

describe('days of December N−1 in the holiday file of year N (holiday-cn lists the 元旦 block whole)', () => {
  it("year N's file may list days of December N−1: they are accepted and belong to N−1's calendar", () => {
    for (const year of [2008, 2019, 2023] as const) expect(validateHolidayYear(year, HOLIDAY_CN[year])).toEqual([]);
    const loaded = calendar.withYear(2019, HOLIDAY_CN[2019]);
    expect(loaded.day('2018-12-29')).toEqual({ date: '2018-12-29', working: true, name: '元旦', source: 'override' });
    expect(loaded.day('2018-12-30')).toMatchObject({ working: false, source: 'override' });
    expect(loaded.day('2018-12-31')).toMatchObject({ working: false, name: '元旦', source: 'override' });
    expect(loaded.day('2019-01-01')).toMatchObject({ working: false, source: 'override' });
    // The rest of 2018 keeps its own source, and 2019's own days are the file's.
    expect(loaded.day('2018-12-28')).toMatchObject({ working: true, source: 'official' });
    expect(loaded.isWorkingDay('2019-02-02')).toBe(true);
    expect(precedingDecemberDays(2019, HOLIDAY_CN[2019]).map((d) => d.date)).toEqual([
      '2018-12-29',
      '2018-12-30',
      '2018-12-31',
    ]);
    expect(precedingDecemberDays(2023, HOLIDAY_CN[2023]).map((d) => d.date)).toEqual(['2022-12-31']);
  });

  it("a December N−1 day changes N−1's working days even where N−1 is still provisional, which stays provisional", () => {
    // 2027-12-31 is a Friday: a working day on the provisional rules, off in this (made-up) 2028 notice.
    const notice2028: HolidayDay[] = [
      { date: '2027-12-31', name: '元旦', isOffDay: true },
      { date: '2028-01-01', name: '元旦', isOffDay: true },
    ];
    expect(calendar.isWorkingDay('2027-12-31')).toBe(true);
    const loaded = calendar.withYear(2028, notice2028);
    expect(loaded.isWorkingDay('2027-12-31')).toBe(false);
    expect(loaded.isWorkingDay('2027-12-30')).toBe(true);
    expect(loaded.hasOfficialData(2027)).toBe(false);
    expect(loaded.isProvisional('2027-12-30')).toBe(true);
    expect(loaded.hasOfficialData(2028)).toBe(true);
    // Loading 2027's own file later replaces 2027's list, not the days the 2028 notice fixed.
    expect(loaded.withYear(2027, nationalDay2027).isWorkingDay('2027-12-31')).toBe(false);
  });

  it('still refuses days of N−1 before December and of any other year', () => {
    const issues = validateHolidayYear(2019, [
      { date: '2018-11-30', name: '元旦', isOffDay: true },
      { date: '2017-12-31', name: '元旦', isOffDay: true },
      { date: '2020-01-01', name: '元旦', isOffDay: true },
      { date: '2018-12-31', name: '元旦', isOffDay: true },
    ]);
    expect(issues.map((i) => i.path)).toEqual([
      [0, 'date'],
      [1, 'date'],
      [2, 'date'],
    ]);
    expect(() => new WorkCalendar({ 2019: [{ date: '2018-11-30', name: '元旦', isOffDay: true }] })).toThrow(
      InvalidCalendarError,
    );
  });
});

describe('validateHolidayYear (PUT /admin/calendar/{year})', () => {
  it('accepts a well-formed year', () => {
    expect(validateHolidayYear(2027, nationalDay2027)).toEqual([]);
  });

  it('reports dates outside the year, impossible dates and duplicates with their paths', () => {
    const issues = validateHolidayYear(2027, [
      { date: '2027-02-30', name: '春节', isOffDay: true },
      { date: '2027-10-01', name: '国庆节', isOffDay: true },
      { date: '2027-10-01', name: '国庆节', isOffDay: true },
    ]);
    expect(issues.map((i) => i.path)).toEqual([
      [0, 'date'],
      [2, 'date'],
    ]);
    expect(validateHolidayYear(2027, [{ date: '2026-11-30', name: '元旦', isOffDay: true }])).toEqual([
      { path: [0, 'date'], message: '2026-11-30 is neither in 2027 nor in December 2026' },
    ]);
  });

  it('reports missing fields, unknown fields and a bad year', () => {
    expect(validateHolidayYear(2027, [{ date: '2027-01-01', isOffDay: true }])[0]?.path).toEqual([0, 'name']);
    expect(validateHolidayYear(2027, [{ date: '2027-01-01', name: '元旦', isOffDay: true, extra: 1 }])).toHaveLength(1);
    expect(validateHolidayYear(2027, 'not a list')[0]?.path).toEqual([]);
    expect(validateHolidayYear(1999, [])[0]?.path).toEqual(['year']);
  });

  it('the day schema takes holiday-cn entries as they are', () => {
    expect(holidayDaySchema.parse({ name: '元旦', date: '2027-01-01', isOffDay: true })).toEqual({
      name: '元旦',
      date: '2027-01-01',
      isOffDay: true,
    });
  });
});
