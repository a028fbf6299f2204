/**
 * Cases as a table: number, type, status, team, assignee, escalation, the next deadline counting
 * down and — read from each case itself — its open clocks, statutory ones first and marked apart.
 */
import { useQuery } from '@tanstack/react-query';
import { Space, Table, Tag } from 'antd';
import type { TableProps } from 'antd';
import type { ReactNode } from 'react';
import { getCase, isCaseType } from '../api/cases';
import type { CaseListItem, Clock } from '../api/client';
import { CASE_TYPE_ZH, ESCALATION_ZH, label, statusLabel } from '../app/glossary';
import { ClockTag, DueCountdown } from './ClockTag';
import { TONE } from '../app/tones';

const OPEN = new Set(['pending', 'warned', 'breached', 'paused']);

/** Open clocks, statutory first, then by due instant. */
export function openClocks(clocks: readonly Clock[]): Clock[] {
  return clocks
    .filter((c) => OPEN.has(c.state))
    .sort((a, b) => (a.kind === b.kind ? Date.parse(a.dueAt) - Date.parse(b.dueAt) : a.kind === 'statutory' ? -1 : 1));
}

export function CaseClocks({ item, refetchMs = 10_000 }: { item: CaseListItem; refetchMs?: number }) {
  const type = item.type;
  const detail = useQuery({
    queryKey: ['case', type, item.id],
    queryFn: () => getCase(type, item.id),
    enabled: isCaseType(type),
    refetchInterval: refetchMs,
    staleTime: 2_000,
  });
  if (!detail.data) return <span>…</span>;
  const clocks = openClocks(detail.data.clocks);
  if (clocks.length === 0) return <span>—</span>;
  return (
    <Space size={0} wrap>
      {clocks.map((c) => (
        <ClockTag key={c.id} clock={c} />
      ))}
    </Space>
  );
}

export function caseHref(item: { type: string; id: string }): string {
  return `#/cases/${item.type}/${encodeURIComponent(item.id)}`;
}

export function EscalationTag({ level }: { level: number }) {
  if (level <= 0) return <span>—</span>;
  return <Tag color={level >= 2 ? TONE.red : TONE.orange}>{ESCALATION_ZH[level] ?? `升级 ${level}`}</Tag>;
}

export function CaseTable({
  items,
  loading,
  extraColumns = [],
  showClocks = true,
  caption,
  pagination,
}: {
  items: CaseListItem[];
  loading?: boolean;
  extraColumns?: NonNullable<TableProps<CaseListItem>['columns']>;
  showClocks?: boolean;
  caption?: ReactNode;
  pagination?: TableProps<CaseListItem>['pagination'];
}) {
  const columns: NonNullable<TableProps<CaseListItem>['columns']> = [
    { title: '案件号', dataIndex: 'id', render: (_: unknown, item) => <a href={caseHref(item)}>{item.id}</a> },
    { title: '类型', dataIndex: 'type', render: (t: string) => label(CASE_TYPE_ZH, t) },
    { title: '状态', dataIndex: 'status', render: (s: string, item) => statusLabel(item.type, s) },
    { title: '团队', dataIndex: 'team' },
    { title: '经办人', dataIndex: 'assignee', render: (a: string | null) => a ?? '未分配' },
    { title: '升级', dataIndex: 'escalationLevel', render: (l: number) => <EscalationTag level={l} /> },
    { title: '下一时限', dataIndex: 'nextDueAt', render: (d: string | null) => <DueCountdown dueAt={d} /> },
    ...(showClocks
      ? [{ title: '时限', key: 'clocks', render: (_: unknown, item: CaseListItem) => <CaseClocks item={item} /> }]
      : []),
    ...extraColumns,
  ];
  return (
    <Table<CaseListItem>
      rowKey="id"
      size="middle"
      dataSource={items}
      columns={columns}
      loading={loading}
      title={caption ? () => caption : undefined}
      pagination={pagination ?? { pageSize: 20, showSizeChanger: false }}
      locale={{ emptyText: '暂无案件' }}
    />
  );
}

/** Nearest deadline first; cases without an open clock last. */
export function byNextDue(a: CaseListItem, b: CaseListItem): number {
  const da = a.nextDueAt ? Date.parse(a.nextDueAt) : Infinity;
  const db = b.nextDueAt ? Date.parse(b.nextDueAt) : Infinity;
  return da - db;
}
