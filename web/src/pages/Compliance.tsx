/**
 * 合规: a month's breaches by clock policy — statutory (法定时限, the regulator's) apart from internal —
 * and the compliance exceptions (合规异常: a further document request for something the first notice
 * should have listed), each with its cases. Straight from GET /reports/breaches for the same filters.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, DatePicker, Form, Input, Space, Statistic, Table, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { breaches, type BreachReport } from '../api/reports';
import { shanghaiTime } from '../app/format';
import {
  CASE_TYPE_ZH,
  CLOCK_KIND_ZH,
  CLOCK_POLICY_ZH,
  COMPLIANCE_CAUSE_ZH,
  DOCUMENT_ZH,
  label,
  statusLabel,
} from '../app/glossary';
import { problemMessage } from '../app/problems';
import type { Principal } from '../app/session';
import { TEXT_TONE, TONE } from '../app/tones';
import { caseHref } from '../components/CaseTable';

type PolicyRow = BreachReport['statutory'][number];
type BreachedCase = PolicyRow['cases'][number];
type Exception = BreachReport['complianceExceptions'][number];

function CaseLink({ type, id }: { type: string; id: string }) {
  return <a href={caseHref({ type, id })}>{id}</a>;
}

function BreachedCases({ cases }: { cases: BreachedCase[] }) {
  return (
    <Table<BreachedCase>
      size="small"
      rowKey="id"
      pagination={false}
      dataSource={cases}
      columns={[
        { title: '案件号', dataIndex: 'id', render: (id: string, c) => <CaseLink type={c.type} id={id} /> },
        { title: '类型', dataIndex: 'type', render: (t: string) => label(CASE_TYPE_ZH, t) },
        { title: '状态', dataIndex: 'status', render: (s: string, c) => statusLabel(c.type, s) },
        { title: '团队', dataIndex: 'team' },
        { title: '经办人', dataIndex: 'assignee', render: (a: string | null) => a ?? '未分配' },
        { title: '到期（北京时间）', dataIndex: 'dueAt', render: (t: string) => shanghaiTime(t) },
      ]}
    />
  );
}

function PolicyTable({ rows, kind }: { rows: PolicyRow[]; kind: 'statutory' | 'internal' }) {
  return (
    <Table<PolicyRow>
      size="small"
      rowKey="policy"
      pagination={false}
      dataSource={rows}
      locale={{ emptyText: `本期无${label(CLOCK_KIND_ZH, kind)}时限超时` }}
      expandable={{ expandedRowRender: (r) => <BreachedCases cases={r.cases} /> }}
      columns={[
        {
          title: '时限规则',
          dataIndex: 'policy',
          render: (p: string) => (
            <span data-policy={p}>
              {label(CLOCK_POLICY_ZH, p)}（{p}）
            </span>
          ),
        },
        {
          title: '类别',
          dataIndex: 'kind',
          render: (k: string) => <Tag color={k === 'statutory' ? TONE.red : TONE.blue}>{label(CLOCK_KIND_ZH, k)}</Tag>,
        },
        { title: '超时数', dataIndex: 'count' },
        {
          title: '案件',
          key: 'cases',
          render: (_: unknown, r) => (
            <Space size={4} wrap>
              {r.cases.slice(0, 5).map((c) => (
                <CaseLink key={c.id} type={c.type} id={c.id} />
              ))}
              {r.cases.length > 5 && <span>等 {r.cases.length} 件</span>}
            </Space>
          ),
        },
      ]}
    />
  );
}

export default function Compliance({ principal }: { principal: Principal }) {
  const [month, setMonth] = useState<Dayjs>(dayjs().startOf('month'));
  const [team, setTeam] = useState<string | undefined>(principal.team);
  const report = useQuery({
    queryKey: ['breaches', month.format('YYYY-MM'), team],
    queryFn: () => breaches(month, team),
    refetchInterval: 15_000,
  });
  const r = report.data;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small">
        <Form name="compliance-scope" layout="inline" aria-label="合规报表范围">
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
      {report.isError && <Alert type="error" showIcon title={problemMessage(report.error)} />}
      <Card size="small" loading={report.isPending}>
        <Space size="large">
          <Statistic
            title="法定时限超时"
            value={r?.totals.statutory ?? 0}
            valueStyle={r?.totals.statutory ? { color: TEXT_TONE.red } : undefined}
          />
          <Statistic title="内部时限超时" value={r?.totals.internal ?? 0} />
          <Statistic
            title="合规异常"
            value={r?.totals.complianceExceptions ?? 0}
            valueStyle={r?.totals.complianceExceptions ? { color: TEXT_TONE.red } : undefined}
          />
        </Space>
      </Card>
      <section aria-label="法定时限超时">
        <Card size="small" title="法定时限超时（按时限规则）">
          <PolicyTable rows={r?.statutory ?? []} kind="statutory" />
        </Card>
      </section>
      <section aria-label="内部时限超时">
        <Card size="small" title="内部时限超时（按时限规则）">
          <PolicyTable rows={r?.internal ?? []} kind="internal" />
        </Card>
      </section>
      <section aria-label="合规异常">
        <Card size="small" title="合规异常">
          <Table<Exception>
            size="small"
            rowKey={(e) => `${e.caseId}:${e.at}`}
            pagination={false}
            dataSource={r?.complianceExceptions ?? []}
            locale={{ emptyText: '本期无合规异常' }}
            columns={[
              { title: '时间', dataIndex: 'at', render: (t: string) => shanghaiTime(t) },
              {
                title: '案件号',
                dataIndex: 'caseId',
                render: (id: string, e) => <CaseLink type={e.caseType} id={id} />,
              },
              { title: '团队', dataIndex: 'team' },
              {
                title: '补充要求的资料',
                dataIndex: 'documents',
                render: (d: string[]) => d.map((x) => label(DOCUMENT_ZH, x)).join('、'),
              },
              { title: '原因', dataIndex: 'cause', render: (c: string) => label(COMPLIANCE_CAUSE_ZH, c) },
              { title: '经办人', dataIndex: 'actor' },
            ]}
          />
        </Card>
      </section>
    </Space>
  );
}
