/**
 * 运营看板: the rulebook's KPIs against their targets for a month (cards, straight from
 * GET /reports/kpis for the same filters), the month-by-month trend (line) and each agent's figures.
 */
import { useQueries, useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, DatePicker, Form, Input, Row, Space, Statistic, Table, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { listAllCases } from '../api/cases';
import { api, fetchJson, unwrap, type Schemas } from '../api/client';
import { KPI_ZH, label } from '../app/glossary';
import { percent } from '../app/format';
import { problemMessage } from '../app/problems';
import type { Principal } from '../app/session';
import { Chart, type ChartOption } from '../components/Chart';
import { TEXT_TONE, TONE } from '../app/tones';

type Kpi = Schemas['KpiReport']['kpis'][number];
const TREND_MONTHS = 6;

/** A month as the report's period: from its first day to the next month's (dates mean Shanghai midnight). */
function period(month: Dayjs): { from: string; to: string } {
  const start = month.startOf('month');
  return { from: start.format('YYYY-MM-DD'), to: start.add(1, 'month').format('YYYY-MM-DD') };
}

function kpis(month: Dayjs, team: string | undefined, agent?: string) {
  return unwrap(
    api.GET('/api/v1/reports/kpis', { params: { query: { ...period(month), team: team || undefined, agent } } }),
  );
}

function KpiCard({ kpi }: { kpi: Kpi }) {
  const lowerIsBetter = kpi.key === 'complaint_rate';
  return (
    <Card size="small" data-kpi={kpi.key}>
      <Statistic
        title={label(KPI_ZH, kpi.key)}
        value={percent(kpi.value)}
        valueStyle={{ color: kpi.met === false ? TEXT_TONE.red : kpi.met ? TEXT_TONE.green : undefined }}
      />
      <Space size={4} wrap>
        <span>
          目标 {lowerIsBetter ? '≤' : '≥'} {percent(kpi.target)}
        </span>
        {kpi.met === null ? (
          <Tag>无数据</Tag>
        ) : kpi.met ? (
          <Tag color={TONE.green}>达标</Tag>
        ) : (
          <Tag color={TONE.red}>未达标</Tag>
        )}
        <span data-testid={`kpi-ratio-${kpi.key}`}>
          {kpi.numerator}/{kpi.denominator}
        </span>
      </Space>
    </Card>
  );
}

export default function Dashboard({ principal }: { principal: Principal }) {
  const [month, setMonth] = useState<Dayjs>(dayjs().startOf('month'));
  const [team, setTeam] = useState<string | undefined>(principal.team);
  const current = useQuery({
    queryKey: ['kpis', month.format('YYYY-MM'), team],
    queryFn: () => kpis(month, team),
    refetchInterval: 30_000,
  });
  const months = useMemo(
    () => Array.from({ length: TREND_MONTHS }, (_, i) => month.subtract(TREND_MONTHS - 1 - i, 'month')),
    [month],
  );
  const trend = useQueries({
    queries: months.map((m) => ({ queryKey: ['kpis', m.format('YYYY-MM'), team], queryFn: () => kpis(m, team) })),
  });
  const trendOption: ChartOption = useMemo(() => {
    const keys = current.data?.kpis.map((k) => k.key) ?? [];
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? `${v.toFixed(1)}%` : '—') },
      legend: { data: keys.map((k) => label(KPI_ZH, k)), bottom: 0 },
      grid: { left: 48, right: 24, top: 24, bottom: 64 },
      xAxis: { type: 'category', data: months.map((m) => m.format('YYYY-MM')) },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      series: keys.map((key) => ({
        name: label(KPI_ZH, key),
        type: 'line',
        connectNulls: false,
        data: trend.map((q) => {
          const v = q.data?.kpis.find((k) => k.key === key)?.value;
          return v == null ? null : Number((v * 100).toFixed(2));
        }),
      })),
    };
  }, [current.data, trend, months]);

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small">
        <Form layout="inline" aria-label="报表范围">
          <Form.Item label="月份">
            <DatePicker
              picker="month"
              value={month}
              allowClear={false}
              onChange={(m) => m && setMonth(m.startOf('month'))}
            />
          </Form.Item>
          {!principal.team && (
            <Form.Item label="团队">
              <Input
                placeholder="全部团队"
                allowClear
                style={{ width: 160 }}
                onChange={(e) => setTeam(e.target.value.trim() || undefined)}
              />
            </Form.Item>
          )}
        </Form>
      </Card>
      {current.isError && <Alert type="error" showIcon title={problemMessage(current.error)} />}
      <section aria-label="考核指标">
        <Row gutter={[12, 12]}>
          {(current.data?.kpis ?? []).map((kpi) => (
            <Col key={kpi.key} xs={24} sm={12} lg={8} xl={6}>
              <KpiCard kpi={kpi} />
            </Col>
          ))}
        </Row>
      </section>
      <Card title="月度趋势" size="small">
        <Chart option={trendOption} label={`最近${TREND_MONTHS}个月考核指标趋势`} />
      </Card>
      <Breaches month={month} team={team} />
      <AgentTable month={month} team={team} />
    </Space>
  );
}

/** Breaches by clock policy, statutory vs internal: GET /reports/breaches (issue 11), shown once it is served. */
function Breaches({ month, team }: { month: Dayjs; team: string | undefined }) {
  const report = useQuery({
    queryKey: ['breaches', month.format('YYYY-MM'), team],
    queryFn: () =>
      fetchJson<unknown>(
        `/api/v1/reports/breaches?${new URLSearchParams({ ...period(month), ...(team ? { team } : {}) })}`,
      ),
    retry: false,
  });
  return (
    <Card title="超时统计（按时限规则，法定 / 内部）" size="small">
      {report.isError ? (
        <Alert type="info" showIcon title="超时统计报表（GET /reports/breaches）尚未提供。" />
      ) : (
        <BreachBars data={report.data} />
      )}
    </Card>
  );
}

interface BreachRow {
  policy: string;
  kind: string;
  count: number;
}

function BreachBars({ data }: { data: unknown }) {
  const rows = breachRows(data);
  const policies = [...new Set(rows.map((r) => r.policy))];
  const option: ChartOption = {
    tooltip: { trigger: 'axis' },
    legend: { data: ['法定', '内部'], bottom: 0 },
    grid: { left: 48, right: 24, top: 24, bottom: 96 },
    xAxis: { type: 'category', data: policies, axisLabel: { rotate: 30 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: (['statutory', 'internal'] as const).map((kind) => ({
      name: kind === 'statutory' ? '法定' : '内部',
      type: 'bar',
      stack: 'breaches',
      data: policies.map((p) => rows.filter((r) => r.policy === p && r.kind === kind).reduce((n, r) => n + r.count, 0)),
    })),
  };
  return <Chart option={option} label="按时限规则统计的超时数量" />;
}

/** Reads `{ items: [{ policy, kind, count }] }` (the shape issue 11 describes); anything else shows nothing. */
function breachRows(data: unknown): BreachRow[] {
  const items = (data as { items?: unknown } | undefined)?.items;
  if (!Array.isArray(items)) return [];
  return items.flatMap((i: { policy?: unknown; kind?: unknown; count?: unknown }) =>
    typeof i.policy === 'string' && typeof i.kind === 'string' && typeof i.count === 'number'
      ? [{ policy: i.policy, kind: i.kind, count: i.count }]
      : [],
  );
}

/** Each agent's figures: GET /reports/kpis?agent= for the agents the team's cases name (at most 20). */
function AgentTable({ month, team }: { month: Dayjs; team: string | undefined }) {
  const agents = useQuery({
    queryKey: ['cases', 'agents', team],
    queryFn: async () =>
      [
        ...new Set((await listAllCases(team ? { team } : {}, 1000)).flatMap((c) => (c.assignee ? [c.assignee] : []))),
      ].slice(0, 20),
    staleTime: 60_000,
  });
  const figures = useQueries({
    queries: (agents.data ?? []).map((agent) => ({
      queryKey: ['kpis', month.format('YYYY-MM'), team, agent],
      queryFn: () => kpis(month, team, agent),
    })),
  });
  const keys = figures[0]?.data?.kpis.map((k) => k.key) ?? [];
  const rows = (agents.data ?? []).map((agent, i) => ({
    agent,
    ...Object.fromEntries((figures[i]?.data?.kpis ?? []).map((k) => [k.key, k.value])),
  }));
  return (
    <Card title="坐席指标" size="small">
      <Table
        size="small"
        rowKey="agent"
        loading={agents.isPending}
        pagination={false}
        dataSource={rows}
        locale={{ emptyText: '暂无数据' }}
        columns={[
          { title: '坐席', dataIndex: 'agent' },
          ...keys.map((key) => ({
            title: label(KPI_ZH, key),
            dataIndex: key,
            render: (v: number | null) => percent(v),
          })),
        ]}
      />
    </Card>
  );
}
