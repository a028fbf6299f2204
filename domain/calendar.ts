/**
 * The Chinese working calendar (DOMAIN.md, "Two kinds of clock"): which Asia/Shanghai civil dates are
 * working days, including 调休 (a make-up Saturday works, a weekday inside a holiday block rests).
 *
 * Sources, per year, first match wins: an override (the admin API / a holiday-cn style file), the
 * `chinese-days` data (2004–2026 at 1.5.7), else weekends plus the fixed statutory holidays, marked
 * provisional so a clock computed on them is recomputed once the State Council publishes the year.
 */
// Only the package's published JSON, never its entry point: that resolves to an ES module inside a
// CommonJS package, which the Temporal workflow bundler cannot parse, and its lookups read the host
// time zone (dates parsed as UTC, formatted in local time: a day off on a worker west of UTC).
import officialData from 'chinese-days/dist/chinese-days.json';
import { z } from 'zod';
import { type CivilDate, addDays, yearOf, dayOfWeek } from './civil-time';

// Re-exported: the calendar's callers read civil dates from here as before.
export {
  type CivilDate,
  isCivilDate,
  addDays,
  yearOf,
  dayOfWeek,
  shanghaiDate,
  shanghaiMinuteOfDay,
  shanghaiInstant,
  toShanghaiISO,
} from './civil-time';

/** One day of a holiday-cn style year file: a rest day (`isOffDay`) or a make-up workday (调休). */
export const holidayDaySchema = z
  .object({
    date: z.iso.date('a valid YYYY-MM-DD date'),
    name: z.string().trim().min(1).max(50),
    isOffDay: z.boolean(),
  })
  .strict();
export type HolidayDay = z.infer<typeof holidayDaySchema>;

/** An override year's list, as `PUT /admin/calendar/{year}` takes it; `validateHolidayYear` adds the year check. */
export const holidayYearSchema = z
  .array(holidayDaySchema)
  // A whole year and the December before it (see isDateOfYearFile).
  .max(366 + 31)
  .superRefine((days, ctx) => {
    const seen = new Set<string>();
    days.forEach(({ date }, i) => {
      if (seen.has(date)) ctx.addIssue({ code: 'custom', path: [i, 'date'], message: `${date} is listed twice` });
      seen.add(date);
    });
  });

/** Years the provisional rules can place the lunar holidays and 清明 in. */
export const SUPPORTED_YEARS = { first: 2000, last: 2099 } as const;

export interface HolidayYearIssue {
  path: (string | number)[];
  message: string;
}

/**
 * Whether a date may stand in year N's file: a day of N, or a day of December N−1. The State Council's
 * notice for N fixes the 元旦 block, which can begin in late December of N−1 (holiday-cn's 2019.json
 * lists 2018-12-29..31, its 2023.json 2022-12-31; also 2007, 2008, 2012). Those days belong to N−1's
 * calendar (`WorkCalendar` keeps them there).
 */
export function isDateOfYearFile(year: number, date: CivilDate): boolean {
  return date.startsWith(`${year}-`) || date.startsWith(`${year - 1}-12-`);
}

/** The days of year N's file that belong to N−1's calendar: those of December N−1. */
export function precedingDecemberDays(year: number, days: readonly HolidayDay[]): HolidayDay[] {
  return days.filter(({ date }) => !date.startsWith(`${year}-`) && isDateOfYearFile(year, date));
}

export function validateHolidayYear(year: number, days: unknown): HolidayYearIssue[] {
  if (!Number.isInteger(year) || year < SUPPORTED_YEARS.first || year > SUPPORTED_YEARS.last) {
    return [
      { path: ['year'], message: `year must be an integer from ${SUPPORTED_YEARS.first} to ${SUPPORTED_YEARS.last}` },
    ];
  }
  const parsed = holidayYearSchema.safeParse(days);
  if (!parsed.success) {
    return parsed.error.issues.map((issue) => ({
      path: issue.path.map((p) => (typeof p === 'number' ? p : String(p))),
      message: issue.message,
    }));
  }
  return parsed.data.flatMap(({ date }, i) =>
    isDateOfYearFile(year, date)
      ? []
      : [{ path: [i, 'date'], message: `${date} is neither in ${year} nor in December ${year - 1}` }],
  );
}

export class InvalidCalendarError extends Error {
  constructor(
    readonly year: number,
    readonly issues: HolidayYearIssue[],
  ) {
    super(
      `calendar override for ${year} is invalid: ${issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
    this.name = 'InvalidCalendarError';
  }
}

interface DayEntry {
  isOffDay: boolean;
  name: string;
}
type YearDays = ReadonlyMap<CivilDate, DayEntry>;

/** `"Spring Festival,春节,4"` → 春节 */
const chineseName = (label: string): string => label.split(',')[1] ?? label;

function officialYears(): ReadonlyMap<number, YearDays> {
  const years = new Map<number, Map<CivilDate, DayEntry>>();
  const put = (entries: Record<string, string>, isOffDay: boolean) => {
    for (const [date, label] of Object.entries(entries)) {
      const year = yearOf(date);
      const days = years.get(year) ?? new Map<CivilDate, DayEntry>();
      days.set(date, { isOffDay, name: chineseName(label) });
      years.set(year, days);
    }
  };
  put(officialData.holidays, true);
  put(officialData.workdays, false);
  return years;
}

const OFFICIAL = officialYears();

// 清明 by the 寿星 formula for 2000–2099 (C = 4.81); it agrees with chinese-days' getSolarTermDate, run
// in UTC+8, for every one of those years.
const qingming = (year: number): CivilDate =>
  `${year}-04-0${Math.floor((year % 100) * 0.2422 + 4.81) - Math.floor((year % 100) / 4)}`;

// 正月初一, 五月初五 and 八月十五 (MMDD) of each lunar year 2000–2099, from chinese-days'
// getSolarDateFromLunar; test/domain/calendar.test.ts checks every year against it.
const LUNAR_HOLIDAYS: readonly string[] = [
  '020506060912',
  '012406251001',
  '021206150921',
  '020106040911',
  '012206220928',
  '020906110918',
  '012905311006',
  '021806190925',
  '020706080914',
  '012605281003',
  '021406160922',
  '020306060912',
  '012306230930',
  '021006120919',
  '013106020908',
  '021906200927',
  '020806090915',
  '012805301004',
  '021606180924',
  '020506070913',
  '012506251001',
  '021206140921',
  '020106030910',
  '012206220929',
  '021006100917',
  '012905311006',
  '021706190925',
  '020606090915',
  '012605281003',
  '021306160922',
  '020306050912',
  '012306241001',
  '021106120919',
  '013106010908',
  '021906200927',
  '020806100916',
  '012805301004',
  '021506180924',
  '020406070913',
  '012405271002',
  '021206140920',
  '020106030910',
  '012206220928',
  '021006110917',
  '013005311005',
  '021706190925',
  '020606080915',
  '012605291004',
  '021406150922',
  '020206040911',
  '012306230930',
  '021106130919',
  '020106010907',
  '021906200926',
  '020806100916',
  '012805301005',
  '021506170924',
  '020406060913',
  '012406251002',
  '021206140921',
  '020206030909',
  '012106220928',
  '020906110917',
  '012906011006',
  '021706190925',
  '020506080915',
  '012605281003',
  '021406160923',
  '020306040911',
  '012306230929',
  '021106130919',
  '013106020908',
  '021906200926',
  '020706100916',
  '012705301005',
  '021506170924',
  '020506060912',
  '012406241001',
  '021206140920',
  '020206040910',
  '012206220928',
  '020906110917',
  '012906011006',
  '021706190926',
  '020606070914',
  '012605271003',
  '021406150922',
  '020306050911',
  '012406230929',
  '021006130918',
  '013006020908',
  '021806210927',
  '020706090916',
  '012705291005',
  '021506170924',
  '020506060913',
  '012506240930',
  '021206140920',
  '020106040909',
  '012106230929',
];

function lunarHolidays(year: number): { springFestival: CivilDate; dragonBoat: CivilDate; midAutumn: CivilDate } {
  const row = LUNAR_HOLIDAYS[year - SUPPORTED_YEARS.first];
  if (!row)
    throw new RangeError(
      `no working calendar for ${year} (supported: ${SUPPORTED_YEARS.first}–${SUPPORTED_YEARS.last})`,
    );
  const at = (i: number): CivilDate => `${year}-${row.slice(i, i + 2)}-${row.slice(i + 2, i + 4)}`;
  return { springFestival: at(0), dragonBoat: at(4), midAutumn: at(8) };
}

/**
 * 全国年节及纪念日放假办法 (as amended 2024, in force 2025): the fixed statutory holidays only. No
 * make-up workdays are invented, and no bridging days: the published schedule will add those.
 */
export function statutoryHolidays(year: number): HolidayDay[] {
  const { springFestival, dragonBoat, midAutumn } = lunarHolidays(year);
  const days = new Map<CivilDate, HolidayDay>();
  const rest = (date: CivilDate, name: string) => days.set(date, { date, name, isOffDay: true });
  rest(`${year}-01-01`, '元旦');
  for (const offset of [-1, 0, 1, 2]) rest(addDays(springFestival, offset), '春节');
  rest(qingming(year), '清明');
  rest(`${year}-05-01`, '劳动节');
  rest(`${year}-05-02`, '劳动节');
  rest(dragonBoat, '端午');
  rest(midAutumn, '中秋');
  // Last, so a 中秋 that falls on 1–3 October (as in 2031) is one day, not two entries.
  for (const day of ['01', '02', '03']) rest(`${year}-10-${day}`, '国庆节');
  return [...days.values()];
}

const provisionalYears = new Map<number, YearDays>();

function provisionalYear(year: number): YearDays {
  let days = provisionalYears.get(year);
  if (!days) {
    days = new Map(statutoryHolidays(year).map(({ date, name, isOffDay }) => [date, { name, isOffDay }]));
    provisionalYears.set(year, days);
  }
  return days;
}

export type DaySource = 'override' | 'official' | 'provisional';

export interface CalendarDay {
  date: CivilDate;
  working: boolean;
  /** The holiday or make-up day's name; null for an ordinary weekday or weekend. */
  name: string | null;
  source: DaySource;
}

export class WorkCalendar {
  private readonly overrides: ReadonlyMap<number, YearDays>;
  /**
   * Days of December N−1 from year N's file. They belong to N−1's calendar and win over N−1's own
   * source (package, override or provisional rules): the notice for N is the one that fixes them,
   * and an upload of N−1 later (a whole-year replacement) does not drop them.
   */
  private readonly precedingDecember: ReadonlyMap<CivilDate, DayEntry>;

  /**
   * Overrides replace the package data for their year entirely: a holiday-cn file is a whole year's
   * schedule, keyed by the year of its notice (its December N−1 days go to N−1's calendar).
   */
  constructor(private readonly overrideDays: Readonly<Record<number, readonly HolidayDay[]>> = {}) {
    const overrides = new Map<number, YearDays>();
    const precedingDecember = new Map<CivilDate, DayEntry>();
    for (const [key, days] of Object.entries(overrideDays)) {
      const year = Number(key);
      const issues = validateHolidayYear(year, days);
      if (issues.length > 0) throw new InvalidCalendarError(year, issues);
      const own = new Map<CivilDate, DayEntry>();
      for (const { date, name, isOffDay } of days)
        (date.startsWith(`${year}-`) ? own : precedingDecember).set(date, { name, isOffDay });
      overrides.set(year, own);
    }
    this.overrides = overrides;
    this.precedingDecember = precedingDecember;
  }

  withYear(year: number, days: readonly HolidayDay[]): WorkCalendar {
    return new WorkCalendar({ ...this.overrideDays, [year]: days });
  }

  hasOfficialData(year: number): boolean {
    return this.overrides.has(year) || OFFICIAL.has(year);
  }

  isProvisional(date: CivilDate): boolean {
    return !this.hasOfficialData(yearOf(date));
  }

  isWorkingDay(date: CivilDate): boolean {
    return this.day(date).working;
  }

  day(date: CivilDate): CalendarDay {
    const year = yearOf(date);
    const carried = this.precedingDecember.get(date);
    if (carried) return { date, working: !carried.isOffDay, name: carried.name, source: 'override' };
    const override = this.overrides.get(year);
    const official = OFFICIAL.get(year);
    const [days, source]: [YearDays, DaySource] = override
      ? [override, 'override']
      : official
        ? [official, 'official']
        : [provisionalYear(year), 'provisional'];
    const entry = days.get(date);
    if (entry) return { date, working: !entry.isOffDay, name: entry.name, source };
    const weekday = dayOfWeek(date);
    return { date, working: weekday !== 0 && weekday !== 6, name: null, source };
  }
}
