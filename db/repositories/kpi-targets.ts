/** KPI targets per period, team and agent: stored per level, resolved in domain/kpis.ts. */
import type { KpiTargetValues } from '../../domain/kpis';
import { type Executor, jsonb } from './support';

export interface KpiTargetLevel {
  period: string;
  team?: string;
  staffId?: string;
}

export interface SavedKpiTargets extends Required<KpiTargetLevel> {
  targets: KpiTargetValues;
  updatedBy: string;
  updatedAt: Date;
}

/** Sets the given targets of one level; a KPI not named keeps what the level had. */
export async function saveKpiTargets(
  db: Executor,
  level: KpiTargetLevel,
  targets: KpiTargetValues,
  by: string,
): Promise<SavedKpiTargets> {
  const row = await db
    .insertInto('kpi_targets')
    .values({
      period: level.period,
      team: level.team ?? '',
      staff_id: level.staffId ?? '',
      targets: jsonb(targets),
      updated_by: by,
    })
    .onConflict((oc) =>
      oc.columns(['period', 'team', 'staff_id']).doUpdateSet((eb) => ({
        targets: eb('kpi_targets.targets', '||', eb.ref('excluded.targets')),
        updated_by: eb.ref('excluded.updated_by'),
        updated_at: eb.fn('now'),
      })),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
  return {
    period: row.period,
    team: row.team,
    staffId: row.staff_id,
    targets: row.targets,
    updatedBy: row.updated_by,
    updatedAt: row.updated_at,
  };
}

/**
 * The levels that apply to a report of `period` for an optional team and agent, least specific
 * first: the period's, the team's, the agent's (an agent's target follows the agent whatever team).
 */
export async function kpiTargetLevels(
  db: Executor,
  period: string,
  scope: { team?: string; agent?: string },
): Promise<KpiTargetValues[]> {
  const rows = await db
    .selectFrom('kpi_targets')
    .select(['team', 'staff_id', 'targets'])
    .where('period', '=', period)
    .where((eb) =>
      eb.or([
        eb.and([eb('team', '=', ''), eb('staff_id', '=', '')]),
        ...(scope.team !== undefined ? [eb.and([eb('team', '=', scope.team), eb('staff_id', '=', '')])] : []),
        ...(scope.agent !== undefined ? [eb('staff_id', '=', scope.agent)] : []),
      ]),
    )
    .execute();
  const rank = (r: { team: string; staff_id: string }) => (r.staff_id ? 2 : r.team ? 1 : 0);
  return rows.sort((a, b) => rank(a) - rank(b)).map((r) => r.targets as KpiTargetValues);
}
