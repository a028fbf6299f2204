/** The figures: KPIs (GET /reports/kpis) and breaches (GET /reports/breaches) of a month. */
import type { Dayjs } from 'dayjs';
import { api, unwrap, type Schemas } from './client';

export type Kpi = Schemas['KpiReport']['kpis'][number];
export type BreachReport = Schemas['BreachReport'];

/** A month as the report's period: from its first day to the next month's (dates mean Shanghai midnight). */
export function period(month: Dayjs): { from: string; to: string } {
  const start = month.startOf('month');
  return { from: start.format('YYYY-MM-DD'), to: start.add(1, 'month').format('YYYY-MM-DD') };
}

export function kpis(month: Dayjs, team: string | undefined, agent?: string): Promise<Schemas['KpiReport']> {
  return unwrap(
    api.GET('/api/v1/reports/kpis', { params: { query: { ...period(month), team: team || undefined, agent } } }),
  );
}

export function breaches(month: Dayjs, team: string | undefined): Promise<BreachReport> {
  return unwrap(
    api.GET('/api/v1/reports/breaches', { params: { query: { ...period(month), team: team || undefined } } }),
  );
}
