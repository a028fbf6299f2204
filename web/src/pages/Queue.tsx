/**
 * 团队队列: the team's cases (all teams for managers and admins) with the list's filters above the
 * table and the `q` search (case no., policy no., plate, phone), paged by the API's cursor. A
 * supervisor and above download the same selection as CSV (GET /cases/export).
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Select, Space } from 'antd';
import { useState } from 'react';
import { listCases, type CaseListQuery } from '../api/cases';
import { downloadCsv } from '../api/client';
import { shanghaiDate } from '../app/format';
import { CASE_TYPE_ZH, STATUS_ZH } from '../app/glossary';
import { problemMessage } from '../app/problems';
import { atLeast, type Principal } from '../app/session';
import { CaseTable } from '../components/CaseTable';

type Filters = Omit<CaseListQuery, 'limit' | 'cursor'>;

const yesNo = [
  { value: 'true', label: '是' },
  { value: 'false', label: '否' },
];

export function Queue({ principal }: { principal: Principal }) {
  const [filters, setFilters] = useState<Filters>({ open: 'true' });
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const page = useQuery({
    queryKey: ['cases', 'queue', filters, cursor],
    queryFn: () => listCases({ ...filters, limit: 50, cursor }),
    refetchInterval: 10_000,
  });
  const scoped = principal.role === 'agent' || principal.role === 'supervisor';
  const { message } = App.useApp();
  const exportCsv = useMutation({
    mutationFn: () => downloadCsv('/api/v1/cases/export', filters, `cases-${shanghaiDate()}.csv`),
    onSuccess: () => void message.success('已导出 CSV'),
    onError: (err) => void message.error(problemMessage(err)),
  });
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card>
        <Form
          layout="inline"
          aria-label="筛选"
          initialValues={{ open: 'true' }}
          onFinish={(values: Record<string, string | undefined>) => {
            const next: Filters = {};
            for (const [k, v] of Object.entries(values)) if (v) (next as Record<string, string>)[k] = v.trim();
            setFilters(next);
            setCursors([undefined]);
          }}
        >
          <Form.Item name="q" label="搜索">
            <Input allowClear placeholder="案件号 / 保单号 / 车牌 / 手机" style={{ width: 240 }} />
          </Form.Item>
          <Form.Item name="type" label="类型">
            <Select
              allowClear
              style={{ width: 100 }}
              options={Object.entries(CASE_TYPE_ZH).map(([value, label]) => ({ value, label }))}
            />
          </Form.Item>
          <Form.Item name="status" label="状态">
            <Select
              allowClear
              showSearch
              style={{ width: 140 }}
              options={Object.entries(STATUS_ZH).map(([value, label]) => ({ value, label }))}
            />
          </Form.Item>
          {!scoped && (
            <Form.Item name="team" label="团队">
              <Input style={{ width: 110 }} />
            </Form.Item>
          )}
          <Form.Item name="assignee" label="经办人">
            <Input style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name="policyNo" label="保单号">
            <Input style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="open" label="仅未结">
            <Select allowClear style={{ width: 80 }} options={yesNo} />
          </Form.Item>
          <Form.Item name="breached" label="已超时">
            <Select allowClear style={{ width: 80 }} options={yesNo} />
          </Form.Item>
          <Form.Item name="escalated" label="已升级">
            <Select allowClear style={{ width: 80 }} options={yesNo} />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit">
                查询
              </Button>
              {atLeast(principal, 'supervisor') && (
                <Button onClick={() => exportCsv.mutate()} loading={exportCsv.isPending}>
                  导出 CSV
                </Button>
              )}
            </Space>
          </Form.Item>
        </Form>
      </Card>
      {page.isError && <Alert type="error" showIcon title={problemMessage(page.error)} />}
      <CaseTable items={page.data?.items ?? []} loading={page.isPending} pagination={false} showClocks={false} />
      <Space>
        <Button disabled={cursors.length < 2} onClick={() => setCursors(cursors.slice(0, -1))}>
          上一页
        </Button>
        <Button
          disabled={!page.data?.nextCursor}
          onClick={() => setCursors([...cursors, page.data?.nextCursor ?? undefined])}
        >
          下一页
        </Button>
      </Space>
    </Space>
  );
}
