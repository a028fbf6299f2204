/** KPI reports, computed from the PostgreSQL read model alone: a report never touches Temporal. */
import { kpiCounts } from '../../db/repositories/kpis';
import { kpiFigures } from '../../domain/kpis';
import { scopeTeam } from '../auth';
import type { AppContext } from '../context';
import { problems } from '../errors';
import type { ApiRoutes } from '../routing';
import { kpisQuery, kpisResponse } from '../schemas/reports';
import { toShanghaiIso } from '../time';

export function registerReportRoutes(routes: ApiRoutes, { db }: AppContext): void {
  routes.add(
    {
      method: 'get',
      path: '/reports/kpis',
      tag: 'Reports',
      summary: 'The KPI figures of a period [from, to) for all teams, one team or one agent',
      description:
        "Supervisors see their own team (the default); another team's figures answer 404, as another team's case does. Managers and admins see any team, or all when team is left out.",
      access: 'supervisor',
      query: kpisQuery,
      responses: { 200: { description: 'One entry per KPI, in a fixed order', schema: kpisResponse } },
      problems: [403, 404],
    },
    async ({ principal, query }) => {
      const own = scopeTeam(principal);
      if (own !== undefined && query.team !== undefined && query.team !== own) throw problems.notFound();
      const team = own ?? query.team;
      const counts = await kpiCounts(db, { from: query.from, to: query.to, team, agent: query.agent });
      return {
        status: 200,
        body: {
          from: toShanghaiIso(query.from),
          to: toShanghaiIso(query.to),
          scope: { team: team ?? null, agent: query.agent ?? null },
          kpis: kpiFigures(counts),
        },
      };
    },
  );
}
