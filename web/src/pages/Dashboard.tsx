/**
 * 运营看板: the rulebook's KPIs against their targets for a month (cards, straight from
 * GET /reports/kpis for the same filters, downloadable as its CSV), the month-by-month trend (line),
 * breaches by clock policy statutory vs internal (bar, GET /reports/breaches) and each agent's figures.
 */
import { useMutation, useQueries, useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, DatePicker, Form, Input, Row, Space, Statistic, Table, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { listStaff } from '../api/staff';
import { downloadCsv } from '../api/client';
import { breaches, kpis, period, type BreachReport, type Kpi } from '../api/reports';
import { CLOCK_KIND_ZH, CLOCK_POLICY_ZH, KPI_ZH, label } from '../app/glossary';
import { percent } from '../app/format';
import { problemMessage } from '../app/problems';
import type { Principal } from '../app/session';
import { Chart, type ChartOption } from '../components/Chart';
import { TEXT_TONE, TONE } from '../app/tones';

const TREND_MONTHS = 6;

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
  const { message } = App.useApp();
  const exportKpis = useMutation({
    mutationFn: () =>
      downloadCsv(
        '/api/v1/reports/kpis',
        { ...period(month), team, format: 'csv' },
        `kpis-${month.format('YYYY-MM')}${team ? `-${team}` : ''}.csv`,
      ),
    onSuccess: () => void message.success('已下载考核指标 CSV'),
    onError: (err) => void message.error(problemMessage(err)),
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
          <Form.Item>
            <Button onClick={() => exportKpis.mutate()} loading={exportKpis.isPending}>
              下载考核指标 CSV
            </Button>
          </Form.Item>
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

/** Breaches by clock policy, statutory vs internal (GET /reports/breaches for the same month and team). */
function Breaches({ month, team }: { month: Dayjs; team: string | undefined }) {
  const report = useQuery({
    queryKey: ['breaches', month.format('YYYY-MM'), team],
    queryFn: () => breaches(month, team),
    refetchInterval: 30_000,
  });
  return (
    <Card
      title="超时统计（按时限规则，法定 / 内部）"
      size="small"
      extra={
        report.data && (
          <span data-testid="breach-totals">
            法定 {report.data.totals.statutory} · 内部 {report.data.totals.internal} · 合规异常{' '}
            {report.data.totals.complianceExceptions}
          </span>
        )
      }
    >
      {report.isError ? (
        <Alert type="error" showIcon title={problemMessage(report.error)} />
      ) : (
        <BreachBars report={report.data} />
      )}
    </Card>
  );
}

function BreachBars({ report }: { report: BreachReport | undefined }) {
  const rows = [...(report?.statutory ?? []), ...(report?.internal ?? [])];
  const policies = [...new Set(rows.map((r) => r.policy))];
  const option: ChartOption = {
    tooltip: { trigger: 'axis' },
    legend: { data: ['法定', '内部'], bottom: 0 },
    grid: { left: 48, right: 24, top: 24, bottom: 96 },
    xAxis: { type: 'category', data: policies.map((p) => label(CLOCK_POLICY_ZH, p)), axisLabel: { rotate: 30 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: (['statutory', 'internal'] as const).map((kind) => ({
      name: label(CLOCK_KIND_ZH, kind),
      type: 'bar',
      stack: 'breaches',
      barMaxWidth: 48,
      itemStyle: { color: kind === 'statutory' ? TONE.red : TONE.blue },
      data: policies.map((p) => rows.find((r) => r.policy === p && r.kind === kind)?.count ?? 0),
    })),
  };
  if (report && rows.length === 0) return <span>本月暂无超时。</span>;
  return <Chart option={option} label="按时限规则统计的超时数量（法定 / 内部）" />;
}

/** Each agent's figures: GET /reports/kpis?agent= for the directory's active agents (of the team, if one). */
function AgentTable({ month, team }: { month: Dayjs; team: string | undefined }) {
  const agents = useQuery({
    queryKey: ['staff', 'agents', team],
    queryFn: async () =>
      (await listStaff({ role: 'agent', active: 'true', ...(team ? { team } : {}) })).items
        .map((s) => s.id)
        .slice(0, 50),
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
