/** KPI reports, computed from the PostgreSQL read model alone: a report never touches Temporal. */
import { kpiTargetLevels } from '../../db/repositories/kpi-targets';
import { kpiCounts } from '../../db/repositories/kpis';
import { type KpiFigure, type KpiKey, kpiFigures, resolveKpiTargets, targetPeriodOf } from '../../domain/kpis';
import { CSV_CONTENT_TYPE, csvLine, UTF8_BOM, wantsCsv } from '../csv';
import { scopeTeam } from '../auth';
import type { AppContext } from '../context';
import { problems } from '../errors';
import type { ApiRoutes } from '../routing';
import { breachesQuery, breachesResponse, kpisQuery, kpisResponse } from '../schemas/reports';
import { breachesByPolicy, complianceExceptionsIn } from '../../db/repositories/breaches';
import { renderTimes } from '../time';
import { toShanghaiIso } from '../time';

export function registerReportRoutes(routes: ApiRoutes, { db }: AppContext): void {
  routes.add(
    {
      method: 'get',
      path: '/reports/kpis',
      tag: 'Reports',
      summary: 'The KPI figures of a period [from, to) for all teams, one team or one agent',
      description:
        "Supervisors see their own team (the default); another team's figures answer 404, as another team's case does. Managers and admins see any team, or all when team is left out. `to` must be after `from` and at most 366 days later (400 otherwise): values compared, which JSON Schema cannot state.",
      access: 'supervisor',
      query: kpisQuery,
      responses: {
        200: {
          description:
            'One entry per KPI, in a fixed order. Targets: those set for the month `from` falls in (agent > team > period), else the defaults. With format=csv or Accept: text/csv, the same figures as CSV (UTF-8 with BOM).',
          schema: kpisResponse,
        },
      },
      problems: [403, 404],
    },
    async ({ req, principal, query }) => {
      const own = scopeTeam(principal);
      if (own !== undefined && query.team !== undefined && query.team !== own) throw problems.notFound();
      const team = own ?? query.team;
      const [counts, levels] = await Promise.all([
        kpiCounts(db, { from: query.from, to: query.to, team, agent: query.agent }),
        kpiTargetLevels(db, targetPeriodOf(query.from), { team, agent: query.agent }),
      ]);
      const report = {
        from: toShanghaiIso(query.from),
        to: toShanghaiIso(query.to),
        scope: { team: team ?? null, agent: query.agent ?? null },
        kpis: kpiFigures(counts, resolveKpiTargets(levels)),
      };
      if (wantsCsv(query.format, req.get('accept')))
        return { status: 200, body: kpiCsv(report), contentType: CSV_CONTENT_TYPE, headers: { Vary: 'Accept' } };
      return { status: 200, body: report, headers: { Vary: 'Accept' } };
    },
  );
  routes.add(
    {
      method: 'get',
      path: '/reports/breaches',
      tag: 'Reports',
      summary: 'Breached clocks of a period by clock policy, statutory and internal apart, each with its cases',
      description:
        "Counted by due instant in [from, to); a breach stays counted whatever happened to its case later. `complianceExceptions`: the violations recorded in the period that are not clocks (a claim document the first consolidated notice should have listed, 保险法 第二十二条); statutory, so an `internal` report has none. Supervisors see their own team; another team's answers 404. `to` must be after `from` and at most 366 days later (400 otherwise): values compared, which JSON Schema cannot state.",
      access: 'supervisor',
      query: breachesQuery,
      responses: { 200: { description: 'Statutory and internal breaches by policy', schema: breachesResponse } },
      problems: [403, 404],
    },
    async ({ principal, query }) => {
      const own = scopeTeam(principal);
      if (own !== undefined && query.team !== undefined && query.team !== own) throw problems.notFound();
      const team = own ?? query.team;
      const filter = { from: query.from, to: query.to, team, kind: query.kind };
      const [groups, complianceExceptions] = await Promise.all([
        breachesByPolicy(db, filter),
        complianceExceptionsIn(db, filter),
      ]);
      const statutory = groups.filter((g) => g.kind === 'statutory');
      const internal = groups.filter((g) => g.kind === 'internal');
      const total = (list: typeof groups) => list.reduce((n, g) => n + g.count, 0);
      return {
        status: 200,
        body: renderTimes({
          from: query.from,
          to: query.to,
          scope: { team: team ?? null },
          totals: {
            statutory: total(statutory),
            internal: total(internal),
            complianceExceptions: complianceExceptions.length,
          },
          statutory,
          internal,
          complianceExceptions,
        }),
      };
    },
  );
}

/** 考核指标 names as the department reads them (CONSOLE.md glossary). */
const KPI_NAMES_ZH: Record<KpiKey, string> = {
  customer_satisfaction: '客户满意度',
  complaint_rate: '投诉率',
  response_timeliness: '服务响应及时率',
  answer_accuracy: '咨询解答准确率',
  purchase_conversion: '投保成功率',
  renewal_rate: '续保率',
  claim_timeliness: '理赔处理及时率',
};

/** One row per KPI with the period and scope on every row, so a pasted or filtered sheet still says what it is. */
function kpiCsv(report: {
  from: string;
  to: string;
  scope: { team: string | null; agent: string | null };
  kpis: KpiFigure[];
}): string {
  const header = csvLine([
    'key',
    '指标',
    'value',
    'numerator',
    'denominator',
    'target',
    'met',
    'from',
    'to',
    'team',
    'agent',
  ]);
  const rows = report.kpis.map((k) =>
    csvLine([
      k.key,
      KPI_NAMES_ZH[k.key] ?? k.key,
      k.value,
      k.numerator,
      k.denominator,
      k.target,
      k.met,
      report.from,
      report.to,
      report.scope.team,
      report.scope.agent,
    ]),
  );
  return UTF8_BOM + header + rows.join('');
}
