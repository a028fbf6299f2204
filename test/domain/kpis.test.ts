/** The arithmetic every KPI shares: a ratio to 4 decimals, a target with a direction, no figure without data. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_KPI_TARGETS, KPI_KEYS, type KpiCount, type KpiKey, kpi, kpiFigures } from '../../domain/kpis';

describe('kpi', () => {
  it('divides and rounds to four decimals', () => {
    expect(kpi(2, 3, { value: 0.5, direction: 'atLeast' })).toEqual({ value: 0.6667, met: true });
    expect(kpi(1, 3, { value: 0.5, direction: 'atLeast' })).toEqual({ value: 0.3333, met: false });
  });

  it('counts reaching the target exactly as met', () => {
    expect(kpi(9, 10, { value: 0.9, direction: 'atLeast' }).met).toBe(true);
    expect(kpi(1, 20, { value: 0.05, direction: 'atMost' }).met).toBe(true);
  });

  it('meets an at-most target by staying at or under it', () => {
    expect(kpi(1, 50, { value: 0.05, direction: 'atMost' })).toEqual({ value: 0.02, met: true });
    expect(kpi(1, 4, { value: 0.05, direction: 'atMost' })).toEqual({ value: 0.25, met: false });
  });

  it('gives no value and no verdict when there is nothing to measure', () => {
    expect(kpi(0, 0, { value: 0.9, direction: 'atLeast' })).toEqual({ value: null, met: null });
  });

  it('gives a real zero when something was measured and nothing succeeded', () => {
    expect(kpi(0, 5, { value: 0.9, direction: 'atLeast' })).toEqual({ value: 0, met: false });
  });
});

describe('kpiFigures', () => {
  it('lists every KPI once, in the fixed order, with its counts and default target', () => {
    const counts = Object.fromEntries(KPI_KEYS.map((k) => [k, { numerator: 0, denominator: 0 }])) as Record<
      KpiKey,
      KpiCount
    >;
    counts.customer_satisfaction = { numerator: 2, denominator: 3 };
    const figures = kpiFigures(counts);
    expect(figures.map((f) => f.key)).toEqual([...KPI_KEYS]);
    expect(figures[0]).toEqual({
      key: 'customer_satisfaction',
      value: 0.6667,
      numerator: 2,
      denominator: 3,
      target: DEFAULT_KPI_TARGETS.customer_satisfaction.value,
      met: false,
    });
    expect(figures.find((f) => f.key === 'purchase_conversion')).toMatchObject({
      value: null,
      met: null,
      numerator: 0,
      denominator: 0,
    });
  });
});
