/**
 * 团队看板: the team's warned, breached and escalated cases, the workload per agent, and
 * reassignment to a member of the team. Polls every few seconds: a case that breaches turns red here
 * without a reload.
 */
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, AutoComplete, Button, Card, Col, Modal, Row, Space, Statistic, Table } from 'antd';
import { useState } from 'react';
import { getCase, listAllCases } from '../api/cases';
import { fetchJson, type CaseListItem } from '../api/client';
import { problemMessage } from '../app/problems';
import type { Principal } from '../app/session';
import { CaseTable } from '../components/CaseTable';
import { listStaff } from '../api/staff';
import { TEXT_TONE } from '../app/tones';

const BOARD_REFRESH_MS = 3_000;
const WARN_HORIZON_MS = 24 * 3600_000;

/** The team's active agents and supervisors (GET /staff): whom a case may be reassigned to. */
function useTeamMembers(team: string | undefined): { options: { value: string; label: string }[] } {
  const staff = useQuery({
    queryKey: ['staff', 'team', team],
    queryFn: () => listStaff({ active: 'true', ...(team ? { team } : {}) }),
    staleTime: 60_000,
  });
  return {
    options: (staff.data?.items ?? [])
      .filter((s) => s.role === 'agent' || s.role === 'supervisor')
      .map((s) => ({ value: s.id, label: `${s.name}（${s.id}）` })),
  };
}

function useOpen(query: Parameters<typeof listAllCases>[0], key: string) {
  return useQuery({
    queryKey: ['cases', 'board', key],
    queryFn: () => listAllCases({ ...query, open: 'true' }, 1000),
    refetchInterval: BOARD_REFRESH_MS,
  });
}

export function TeamBoard({ principal }: { principal: Principal }) {
  const breached = useOpen({ breached: 'true' }, 'breached');
  const escalated = useOpen({ escalated: 'true' }, 'escalated');
  const all = useOpen({}, 'all');
  const soon = useOpen(
    {
      breached: 'false',
      dueBefore: new Date(Math.floor(Date.now() / 60_000) * 60_000 + WARN_HORIZON_MS).toISOString(),
    },
    'soon',
  );
  // Warned is a clock state: read from the cases due within a day.
  const soonDetails = useQueries({
    queries: (soon.data ?? []).slice(0, 100).map((item) => ({
      queryKey: ['case', item.type, item.id],
      queryFn: () => getCase(item.type, item.id),
      refetchInterval: BOARD_REFRESH_MS * 2,
    })),
  });
  const warnedIds = new Set(
    soonDetails.flatMap((q) => (q.data && q.data.clocks.some((c) => c.state === 'warned') ? [q.data.id] : [])),
  );
  const warned = (soon.data ?? []).filter((c) => warnedIds.has(c.id));

  const workload = new Map<string, { total: number; breached: number }>();
  const breachedIds = new Set((breached.data ?? []).map((c) => c.id));
  for (const c of all.data ?? []) {
    const who = c.assignee ?? '未分配';
    const w = workload.get(who) ?? { total: 0, breached: 0 };
    w.total += 1;
    if (breachedIds.has(c.id)) w.breached += 1;
    workload.set(who, w);
  }
  const members = useTeamMembers(principal.team);
  const reassign = [
    {
      title: '重新分配',
      key: 'reassign',
      render: (_: unknown, item: CaseListItem) => <Reassign item={item} options={members.options} />,
    },
  ];
  const error = breached.error ?? escalated.error ?? all.error;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {error && <Alert type="error" showIcon title={problemMessage(error)} />}
      <Card>
        <Space size="large">
          <Statistic title="即将超时" value={warned.length} valueStyle={{ color: TEXT_TONE.amber }} />
          <Statistic title="已超时" value={breached.data?.length ?? 0} valueStyle={{ color: TEXT_TONE.red }} />
          <Statistic title="已升级" value={escalated.data?.length ?? 0} />
          <Statistic title="未结案件" value={all.data?.length ?? 0} />
        </Space>
      </Card>
      <section aria-label="已超时">
        <CaseTable
          caption={<strong>已超时</strong>}
          items={breached.data ?? []}
          loading={breached.isPending}
          extraColumns={reassign}
        />
      </section>
      <section aria-label="即将超时">
        <CaseTable
          caption={<strong>即将超时</strong>}
          items={warned}
          loading={soon.isPending}
          extraColumns={reassign}
        />
      </section>
      <section aria-label="已升级">
        <CaseTable
          caption={<strong>已升级</strong>}
          items={escalated.data ?? []}
          loading={escalated.isPending}
          extraColumns={reassign}
        />
      </section>
      <Row>
        <Col xs={24} lg={12}>
          <Card title="坐席工作量" size="small">
            <Table
              size="small"
              rowKey="assignee"
              pagination={false}
              dataSource={[...workload.entries()].map(([assignee, w]) => ({ assignee, ...w }))}
              columns={[
                { title: '经办人', dataIndex: 'assignee' },
                { title: '未结案件', dataIndex: 'total' },
                { title: '已超时', dataIndex: 'breached' },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </Space>
  );
}

/** Reassignment, offered only when the case lists `assign` among its allowed actions. */
function Reassign({ item, options }: { item: CaseListItem; options: { value: string; label: string }[] }) {
  const detail = useQuery({
    queryKey: ['case', item.type, item.id],
    queryFn: () => getCase(item.type, item.id),
    refetchInterval: BOARD_REFRESH_MS * 2,
  });
  const [open, setOpen] = useState(false);
  const [assignee, setAssignee] = useState('');
  const { message } = App.useApp();
  const queries = useQueryClient();
  const assign = useMutation({
    mutationFn: () =>
      fetchJson(`/api/v1/cases/${encodeURIComponent(item.id)}/assign`, {
        method: 'POST',
        body: JSON.stringify({ assignee: assignee.trim() }),
        headers: { 'Idempotency-Key': crypto.randomUUID() },
      }),
    onSuccess: () => {
      void message.success(`${item.id} 已分配给 ${assignee}`);
      setOpen(false);
    },
    onError: (err) => void message.error(problemMessage(err)),
    onSettled: () =>
      Promise.all([
        queries.invalidateQueries({ queryKey: ['cases'] }),
        queries.invalidateQueries({ queryKey: ['case', item.type, item.id] }),
      ]),
  });
  if (!detail.data?.allowedActions.includes('assign')) return <span>—</span>;
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)} aria-label={`重新分配 ${item.id}`}>
        重新分配
      </Button>
      <Modal
        open={open}
        title={`重新分配 ${item.id}`}
        okText="分配"
        cancelText="取消"
        onCancel={() => setOpen(false)}
        onOk={() => assign.mutate()}
        okButtonProps={{ disabled: !assignee.trim(), loading: assign.isPending }}
      >
        <label htmlFor={`assignee-${item.id}`}>分配给（团队成员）</label>
        <AutoComplete
          id={`assignee-${item.id}`}
          style={{ width: '100%' }}
          options={options.filter((o) => o.value !== item.assignee)}
          value={assignee}
          onChange={setAssignee}
          placeholder="员工编号"
        />
      </Modal>
    </>
  );
}
