import { describe, it, expect } from 'vitest';
import { InvalidDurationError, durationToMillis, parseDuration } from '../../domain/duration';

describe('ISO-8601 durations', () => {
  it.each([
    ['P15D', { days: 15, hours: 0, minutes: 0, seconds: 0 }],
    ['P1W', { days: 7, hours: 0, minutes: 0, seconds: 0 }],
    ['PT30M', { days: 0, hours: 0, minutes: 30, seconds: 0 }],
    ['PT4H', { days: 0, hours: 4, minutes: 0, seconds: 0 }],
    ['PT3S', { days: 0, hours: 0, minutes: 0, seconds: 3 }],
    ['P1DT2H', { days: 1, hours: 2, minutes: 0, seconds: 0 }],
    ['PT0.25S', { days: 0, hours: 0, minutes: 0, seconds: 0.25 }],
  ])('%s parses into its parts', (text, parts) => {
    expect(parseDuration(text)).toEqual(parts);
  });

  it('converts to milliseconds with a day as 24 hours and keeps fractional seconds', () => {
    expect(durationToMillis('P1DT2H')).toBe(26 * 3_600_000);
    expect(durationToMillis('P1W')).toBe(7 * 86_400_000);
    expect(durationToMillis('PT30M')).toBe(1_800_000);
    expect(durationToMillis('PT1.5S')).toBe(1_500);
    expect(durationToMillis('PT0.001S')).toBe(1);
  });

  it.each([
    '',
    'P',
    'PT',
    'P1DT',
    '15D',
    'p1d',
    'P-1D',
    'P1.5D',
    'PT1.5H',
    'P2D1W',
    'PT4H30',
    'P1D ',
    'P1Y',
    'P1M',
    'P1Y2M3D',
  ])('rejects the malformed or variable-length duration %j with a clear error', (text) => {
    expect(() => parseDuration(text)).toThrow(InvalidDurationError);
    expect(() => parseDuration(text)).toThrow(/invalid duration/);
  });

  it('says why a year or month duration is refused', () => {
    expect(() => parseDuration('P1M')).toThrow(/no fixed length/);
  });
});
