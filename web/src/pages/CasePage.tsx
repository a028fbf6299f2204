/**
 * 案件详情: the case (personal data masked, reveal with a reason), its clocks, the actions it allows
 * now as forms, its timeline (处理记录) and notifications (通知). Refreshes itself every few seconds,
 * so a clock that breaches turns red without a reload.
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Input,
  Modal,
  Result,
  Row,
  Space,
  Table,
  Tag,
  Timeline,
} from 'antd';
import { useState } from 'react';
import { getCase, getNotifications, getTimeline, isCaseType } from '../api/cases';
import { fetchJson, type CaseType, type CaseView } from '../api/client';
import {
  CASE_TYPE_ZH,
  CHANNEL_ZH,
  ESCALATION_ZH,
  NOTIFICATION_STATUS_ZH,
  statusLabel,
  TIMELINE_KIND_ZH,
  label,
} from '../app/glossary';
import { shanghaiTime } from '../app/format';
import { problemMessage } from '../app/problems';
import { atLeast, type Principal } from '../app/session';
import { ActionForm } from '../components/ActionForm';
import { actionSpec } from '../components/actions';
import { CaseFacts } from '../components/CaseFacts';
import { ClockTag } from '../components/ClockTag';
import { handlersOf, QualityReviewForm } from '../components/QualityReviewForm';
import { TONE } from '../app/tones';

const REFRESH_MS = 3_000;

export function CasePage({ principal, type, id }: { principal: Principal; type: string; id: string }) {
  if (!isCaseType(type)) return <Result status="404" title="未知的案件类型" />;
  return <CaseOf type={type} id={id} reviewer={atLeast(principal, 'supervisor')} />;
}

function CaseOf({ type, id, reviewer }: { type: CaseType; id: string; reviewer: boolean }) {
  const view = useQuery({
    queryKey: ['case', type, id],
    queryFn: () => getCase(type, id),
    refetchInterval: REFRESH_MS,
  });
  const timeline = useQuery({
    queryKey: ['timeline', id],
    queryFn: () => getTimeline(id),
    refetchInterval: REFRESH_MS,
  });
  const notes = useQuery({
    queryKey: ['notifications', id],
    queryFn: () => getNotifications(id),
    refetchInterval: REFRESH_MS * 2,
  });
  if (view.isPending) return <Card loading />;
  if (view.isError) return <Result status="warning" title={problemMessage(view.error)} />;
  const c = view.data;
  const forms = c.allowedActions.flatMap((name) => {
    const spec = actionSpec(type, name);
    return spec ? [{ name, spec }] : [];
  });
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <CaseHeader view={c} />
      <Row gutter={16}>
        <Col xs={24} xl={14}>
          <Space direction="vertical" size="middle" style={{ width: '100%' }}>
            <Card title="案件信息" size="small" extra={c.allowedActions.includes('reveal') && <Reveal caseId={c.id} />}>
              <CaseFacts view={c} />
            </Card>
            <Card title="时限" size="small">
              <ClockTable view={c} />
            </Card>
            <Card title="处理记录" size="small" loading={timeline.isPending}>
              <Timeline
                items={(timeline.data?.items ?? []).map((e, i) => ({
                  key: i,
                  color: e.kind.includes('breach') ? 'red' : e.kind.includes('warn') ? 'orange' : 'blue',
                  content: (
                    <span>
                      <strong>{shanghaiTime(e.at)}</strong> · {e.actor} · {label(TIMELINE_KIND_ZH, e.kind)}
                      {describe(e.detail)}
                    </span>
                  ),
                }))}
              />
            </Card>
          </Space>
        </Col>
        <Col xs={24} xl={10}>
          <Space direction="vertical" size="middle" style={{ width: '100%' }}>
            <section aria-label="可执行操作">
              {forms.length === 0 ? (
                <Card size="small" title="可执行操作">
                  当前状态下没有您可执行的操作。
                </Card>
              ) : (
                <Space direction="vertical" size="small" style={{ width: '100%' }}>
                  {forms.map(({ name, spec }) => (
                    <ActionForm key={`${name}:${c.status}`} type={type} caseId={c.id} spec={spec} />
                  ))}
                </Space>
              )}
            </section>
            {reviewer && handlersOf(c.assignee, timeline.data).length > 0 && (
              <QualityReviewForm caseId={c.id} handlers={handlersOf(c.assignee, timeline.data)} />
            )}
            <Card title="通知" size="small">
              <Table
                size="small"
                rowKey="id"
                pagination={false}
                loading={notes.isPending}
                dataSource={notes.data?.items ?? []}
                locale={{ emptyText: '暂无通知' }}
                columns={[
                  { title: '时间', dataIndex: 'createdAt', render: (t: string) => shanghaiTime(t) },
                  { title: '渠道', dataIndex: 'channel', render: (ch: string) => label(CHANNEL_ZH, ch) },
                  { title: '模板', dataIndex: 'template' },
                  { title: '收件人', dataIndex: 'recipient', render: (r: string | null) => r ?? '—' },
                  { title: '状态', dataIndex: 'status', render: (s: string) => label(NOTIFICATION_STATUS_ZH, s) },
                ]}
              />
            </Card>
          </Space>
        </Col>
      </Row>
    </Space>
  );
}

function describe(detail: Record<string, unknown>): string {
  const parts = Object.entries(detail)
    .filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object')
    .slice(0, 4)
    .map(([k, v]) => `${k}=${String(v)}`);
  return parts.length ? ` （${parts.join('，')}）` : '';
}

function CaseHeader({ view }: { view: CaseView }) {
  return (
    <Card size="small">
      <Descriptions
        size="small"
        column={{ xs: 1, md: 3, xl: 6 }}
        items={[
          {
            key: 'id',
            label: `${label(CASE_TYPE_ZH, view.type)}案件`,
            children: <strong data-testid="case-id">{view.id}</strong>,
          },
          {
            key: 'status',
            label: '状态',
            children: (
              <Tag color={TONE.blue} data-testid="case-status">
                {statusLabel(view.type, view.status)}
              </Tag>
            ),
          },
          { key: 'team', label: '团队', children: view.team },
          {
            key: 'assignee',
            label: '经办人',
            children: <span data-testid="case-assignee">{view.assignee ?? '未分配'}</span>,
          },
          {
            key: 'escalation',
            label: '升级',
            children: (
              <Tag color={view.escalationLevel ? TONE.red : TONE.grey} data-testid="case-escalation">
                {ESCALATION_ZH[view.escalationLevel] ?? view.escalationLevel}
              </Tag>
            ),
          },
          { key: 'updatedAt', label: '更新于', children: shanghaiTime(view.updatedAt) },
        ]}
      />
    </Card>
  );
}

function ClockTable({ view }: { view: CaseView }) {
  const clocks = [...view.clocks].sort((a, b) =>
    a.kind === b.kind ? Date.parse(a.dueAt) - Date.parse(b.dueAt) : a.kind === 'statutory' ? -1 : 1,
  );
  return (
    <Table
      size="small"
      rowKey="id"
      pagination={false}
      dataSource={clocks}
      locale={{ emptyText: '暂无时限' }}
      columns={[
        { title: '时限', key: 'tag', render: (_: unknown, clock) => <ClockTag clock={clock} /> },
        { title: '开始', dataIndex: 'startedAt', render: (t: string) => shanghaiTime(t) },
        { title: '到期（北京时间）', dataIndex: 'dueAt', render: (t: string) => shanghaiTime(t) },
        { title: '结束', dataIndex: 'endedAt', render: (t?: string) => shanghaiTime(t) },
      ]}
    />
  );
}

/** 查看完整信息（需填写原因）: the reveal is audited; the values show in a dialog, never cached. */
function Reveal({ caseId }: { caseId: string }) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const { message } = App.useApp();
  const reveal = useMutation({
    mutationFn: (reason: string) =>
      fetchJson<{ personalData: Record<string, unknown> }>(`/api/v1/cases/${encodeURIComponent(caseId)}/reveal`, {
        method: 'POST',
        body: JSON.stringify({ reason }),
      }),
    onError: (err) => void message.error(problemMessage(err)),
  });
  const close = () => {
    setOpen(false);
    reveal.reset();
    form.resetFields();
  };
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)}>
        查看完整信息（需填写原因）
      </Button>
      <Modal open={open} title="查看完整信息" onCancel={close} footer={null} destroyOnHidden>
        {reveal.data ? (
          <>
            <Alert type="warning" showIcon title="本次查看已记入审计日志。" style={{ marginBottom: 12 }} />
            <pre style={{ whiteSpace: 'pre-wrap' }}>{JSON.stringify(reveal.data.personalData, null, 2)}</pre>
          </>
        ) : (
          <Form form={form} layout="vertical" onFinish={({ reason }) => reveal.mutate(reason)}>
            <Form.Item
              name="reason"
              label="查看原因（记入审计日志）"
              rules={[{ required: true, message: '请填写查看原因' }]}
            >
              <Input.TextArea rows={2} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={reveal.isPending}>
              查看
            </Button>
          </Form>
        )}
      </Modal>
    </>
  );
}
