/**
 * KPI targets per period, team and agent (PUT /admin/kpi-targets). GET /reports/kpis resolves them:
 * the agent's value, else the team's, else the period's, else the default in domain/kpis.ts.
 */
import { appendAudit } from '../../db/repositories/audit';
import { type KpiTargetLevel, saveKpiTargets } from '../../db/repositories/kpi-targets';
import type { AppContext } from '../context';
import type { ApiRoutes } from '../routing';
import { kpiTargetsBody, kpiTargetsResponse } from '../schemas/reports';
import { renderTimes } from '../time';

export function registerKpiTargetRoutes(routes: ApiRoutes, { db }: AppContext): void {
  routes.add(
    {
      method: 'put',
      path: '/admin/kpi-targets',
      tag: 'Reports',
      summary: 'Set KPI targets for a month, a team in it or an agent in it (the most specific wins)',
      description:
        'Only the KPIs named change; the others keep what this level had (or inherit from a less specific level). An agent-level target (staffId) holds for that agent whatever team the report asks about.',
      access: ['admin', 'manager'],
      body: kpiTargetsBody,
      responses: { 200: { description: 'The targets this level now sets', schema: kpiTargetsResponse } },
      problems: [403],
    },
    async ({ principal, body }) => {
      const level: KpiTargetLevel = {
        period: body.period,
        ...(body.staffId !== undefined
          ? { staffId: body.staffId }
          : body.team !== undefined
            ? { team: body.team }
            : {}),
      };
      const saved = await db.transaction().execute(async (trx) => {
        const row = await saveKpiTargets(trx, level, body.targets, principal.sub);
        await appendAudit(trx, {
          actor: principal.sub,
          action: 'kpi_targets.set',
          target: `kpi-targets:${body.period}:${level.team ?? ''}:${level.staffId ?? ''}`,
          detail: { targets: body.targets },
        });
        return row;
      });
      return {
        status: 200,
        body: renderTimes({
          period: saved.period,
          team: saved.team || null,
          staffId: saved.staffId || null,
          targets: saved.targets,
          updatedBy: saved.updatedBy,
          updatedAt: saved.updatedAt,
        }),
      };
    },
  );
}
