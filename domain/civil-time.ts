/**
 * Civil dates and instants in Asia/Shanghai: fixed UTC+8 arithmetic, no data and no dependencies.
 * Its own module so workflow code (renewal quiet hours, date keys) can use it without loading the
 * working calendar: domain/calendar.ts builds its holiday table from chinese-days and zod at module
 * load, which the workflow bundle would run again for every new workflow (issue 10: 26% of a
 * workflow's start-up CPU).
 */
/** A `YYYY-MM-DD` civil date in Asia/Shanghai. */
export type CivilDate = string;

const DAY_MS = 86_400_000;
// China has kept UTC+8 without daylight saving since 1991: fixed arithmetic, independent of the host.
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const CIVIL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function epochDay(date: CivilDate): number {
  const match = CIVIL_DATE.exec(date);
  if (match) {
    const [, y, m, d] = match.map(Number) as [number, number, number, number];
    const ms = Date.UTC(y, m - 1, d);
    if (new Date(ms).toISOString().startsWith(date)) return ms / DAY_MS;
  }
  throw new RangeError(`not a valid YYYY-MM-DD date: ${JSON.stringify(date)}`);
}

export const fromEpochDay = (day: number): CivilDate => new Date(day * DAY_MS).toISOString().slice(0, 10);

export function isCivilDate(text: string): boolean {
  try {
    epochDay(text);
    return true;
  } catch {
    return false;
  }
}

export const addDays = (date: CivilDate, days: number): CivilDate => fromEpochDay(epochDay(date) + days);
export function yearOf(date: CivilDate): number {
  epochDay(date);
  return Number(date.slice(0, 4));
}
/** 0 = Sunday … 6 = Saturday. */
export const dayOfWeek = (date: CivilDate): number => new Date(epochDay(date) * DAY_MS).getUTCDay();

function shanghaiMs(instant: Date): number {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('invalid instant');
  return ms + SHANGHAI_OFFSET_MS;
}

export const shanghaiDate = (instant: Date): CivilDate => fromEpochDay(Math.floor(shanghaiMs(instant) / DAY_MS));

/** Minutes since Shanghai midnight, fractional for seconds. */
export const shanghaiMinuteOfDay = (instant: Date): number => (shanghaiMs(instant) % DAY_MS) / 60_000;

/** The instant of `minuteOfDay` (default 00:00) on a Shanghai civil date; 1440 is 24:00, the next midnight. */
export const shanghaiInstant = (date: CivilDate, minuteOfDay = 0): Date =>
  new Date(epochDay(date) * DAY_MS - SHANGHAI_OFFSET_MS + minuteOfDay * 60_000);

/** `2026-12`: the Shanghai month an instant falls in (assessment periods, KPI targets, training rounds). */
export const shanghaiMonth = (instant: Date): string => shanghaiDate(instant).slice(0, 7);

/** `2026-02-14T09:00:00.000+08:00`: how the API shows instants to the department. */
export const toShanghaiISO = (instant: Date): string =>
  `${new Date(shanghaiMs(instant)).toISOString().slice(0, -1)}+08:00`;

/** `2026-02-14 09:00（北京时间）`: how a message to a person shows an instant. */
export const toBeijingWallTime = (instant: Date): string =>
  `${toShanghaiISO(instant).slice(0, 16).replace('T', ' ')}（北京时间）`;
