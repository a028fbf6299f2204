/**
 * ISO-8601 durations as the policy table writes them (`P15D`, `P1W`, `PT4H`, `PT30M`, `PT3S`, `P1DT2H`).
 * Years and months are refused: they have no fixed length, and no policy needs them.
 */
export interface DurationParts {
  /** Weeks are folded into days (1W = 7D). */
  days: number;
  hours: number;
  minutes: number;
  /** May carry a fraction (`PT1.5S`). */
  seconds: number;
}

export class InvalidDurationError extends Error {
  constructor(
    readonly input: string,
    reason: string,
  ) {
    super(`invalid duration ${JSON.stringify(input)}: ${reason}`);
    this.name = 'InvalidDurationError';
  }
}

const PATTERN = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
const HOUR_MS = 3_600_000;

export function parseDuration(text: string): DurationParts {
  if (/^P.*\d+Y|^P[^T]*\d+M/.test(text)) {
    throw new InvalidDurationError(text, 'years and months have no fixed length; use days or weeks');
  }
  const match = PATTERN.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) {
    throw new InvalidDurationError(text, 'expected an ISO-8601 duration such as P15D, P1W, PT4H, PT30M or P1DT2H');
  }
  const [, weeks, days, hours, minutes, seconds] = match;
  return {
    days: Number(weeks ?? 0) * 7 + Number(days ?? 0),
    hours: Number(hours ?? 0),
    minutes: Number(minutes ?? 0),
    seconds: Number(seconds ?? 0),
  };
}

/** Exact elapsed length; a day counts as 24 hours (the civil calendar is the deadline module's business). */
export function durationToMillis(duration: string | DurationParts): number {
  const { days, hours, minutes, seconds } = typeof duration === 'string' ? parseDuration(duration) : duration;
  // Rounded so that fractional seconds never leave a sub-millisecond remainder in an instant.
  return Math.round((days * 24 + hours) * HOUR_MS + minutes * 60_000 + seconds * 1000);
}

/** True when the duration has a time part (hours, minutes or seconds). */
export function hasTimePart(parts: DurationParts): boolean {
  return parts.hours > 0 || parts.minutes > 0 || parts.seconds > 0;
}
