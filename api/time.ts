/**
 * Times leave the API as ISO-8601 with the +08:00 offset (Asia/Shanghai has no daylight saving), so
 * a reader in the department sees local wall-clock time and machines still get an exact instant.
 * Workflows and the database keep UTC; only this edge renders.
 */
import { shanghaiDate, toShanghaiISO } from '../domain/civil-time';

export function toShanghaiIso(instant: Date | string): string {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(date.getTime())) return String(instant);
  return toShanghaiISO(date);
}

/** `yyyymmdd` of the Shanghai calendar day the instant falls on. */
export function shanghaiDateCompact(instant: Date): string {
  return shanghaiDate(instant).replaceAll('-', '');
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
/** Keys that hold instants by the project's naming rule: `at`, `createdAt`, `dueAt`, `sentAt` ... */
const TIME_KEY = /(^at$|At$)/;

/** Renders every instant in a response (Dates and ISO strings under time-named keys) in +08:00. */
export function renderTimes<T>(value: T): T {
  return render(value, undefined) as T;
}

function render(value: unknown, key: string | undefined): unknown {
  if (value instanceof Date) return toShanghaiIso(value);
  if (typeof value === 'string')
    return key !== undefined && TIME_KEY.test(key) && INSTANT.test(value) ? toShanghaiIso(value) : value;
  if (Array.isArray(value)) return value.map((item) => render(item, undefined));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, render(v, k)]));
  }
  return value;
}
