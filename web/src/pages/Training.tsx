/**
 * 培训: each person's training records (GET /training/records) — sessions, exams, scores, retakes,
 * status and the training clocks. The API scopes them: an agent reads their own, a supervisor the
 * team's, HR and managers anyone's. Whoever may record a session or an exam (supervisor+, HR) does
 * it here against the record (POST /training/{planId}/attendance and /exam). HR, managers and admins
 * plan a training here too (TrainingPlanForm.tsx).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, Input, InputNumber, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { api, idempotencyKey, unwrap } from '../api/client';
import { listTrainingRecords, type TrainingQuery, type TrainingRecord } from '../api/training';
import { shanghaiTime } from '../app/format';
import { EXAM_KIND_ZH, TRAINING_KIND_ZH, TRAINING_STATUS_ZH, label } from '../app/glossary';
import { problemMessage, showFieldErrors } from '../app/problems';
import { atLeast, type Principal } from '../app/session';
import { ClockTag } from '../components/ClockTag';
import { TONE } from '../app/tones';
import { NewTrainingPlan } from './TrainingPlanForm';

type Query = TrainingQuery;

const STATUS_TONE: Record<string, string> = {
  assigned: TONE.blue,
  attended: TONE.blue,
  passed: TONE.green,
  failed: TONE.orange,
  retake: TONE.orange,
  flagged: TONE.red,
};

export function TrainingStatusTag({ status }: { status: TrainingRecord['status'] }) {
  if (!status) return <Tag color={TONE.grey}>处理中</Tag>;
  return <Tag color={STATUS_TONE[status] ?? TONE.grey}>{label(TRAINING_STATUS_ZH, status)}</Tag>;
}

const OPEN_CLOCK = new Set(['pending', 'warned', 'breached', 'paused']);

export function TrainingTable({
  records,
  loading,
  canRecord,
}: {
  records: TrainingRecord[];
  loading?: boolean;
  canRecord: boolean;
}) {
  return (
    <Table<TrainingRecord>
      rowKey="id"
      size="middle"
      loading={loading}
      dataSource={records}
      pagination={{ pageSize: 20, showSizeChanger: false }}
      locale={{ emptyText: '暂无培训记录' }}
      expandable={{
        expandedRowRender: (r) => <RecordDetail record={r} canRecord={canRecord} />,
        expandRowByClick: false,
      }}
      columns={[
        { title: '员工', dataIndex: 'staffId' },
        { title: '团队', dataIndex: 'team', render: (t: string | null) => t ?? '—' },
        { title: '培训', dataIndex: 'title' },
        { title: '类别', dataIndex: 'kind', render: (k: string) => label(TRAINING_KIND_ZH, k) },
        {
          title: '状态',
          dataIndex: 'status',
          render: (s: TrainingRecord['status']) => <TrainingStatusTag status={s} />,
        },
        { title: '参训', key: 'sessions', render: (_: unknown, r) => `${r.sessions.length} 次` },
        {
          title: '最近成绩',
          key: 'score',
          render: (_: unknown, r) => {
            const last = r.exams[r.exams.length - 1];
            return last ? `${last.score}（合格线 ${r.passMark}）` : '—';
          },
        },
        { title: '补考', dataIndex: 'retakes' },
        {
          title: '时限',
          key: 'clocks',
          render: (_: unknown, r) => {
            const open = r.clocks.filter((c) => OPEN_CLOCK.has(c.state));
            return open.length ? open.map((c) => <ClockTag key={c.id} clock={c} />) : '—';
          },
        },
        { title: '分配于', dataIndex: 'assignedAt', render: (t: string) => shanghaiTime(t) },
      ]}
    />
  );
}

function RecordDetail({ record, canRecord }: { record: TrainingRecord; canRecord: boolean }) {
  const ended = record.status === 'passed' || record.status === 'flagged';
  return (
    <Space direction="vertical" size="small" style={{ width: '100%' }}>
      <Descriptions
        size="small"
        column={{ xs: 1, md: 3 }}
        items={[
          { key: 'topics', label: '内容', children: record.topics.join('、') },
          { key: 'passMark', label: '合格线', children: record.passMark },
          { key: 'passedAt', label: '通过于', children: shanghaiTime(record.passedAt) },
          ...(record.flagged
            ? [
                {
                  key: 'flagged',
                  label: '补考未通过',
                  children: `${shanghaiTime(record.flagged.at)}（${record.flagged.score} 分，已告知人力资源）`,
                },
              ]
            : []),
        ]}
      />
      <Table
        size="small"
        rowKey="n"
        pagination={false}
        dataSource={record.sessions}
        locale={{ emptyText: '尚未参训' }}
        columns={[
          { title: '参训', dataIndex: 'n', render: (n: number) => `第 ${n} 次` },
          { title: '主题', dataIndex: 'topic', render: (t: string | null) => t ?? '—' },
          { title: '时间', dataIndex: 'attendedAt', render: (t: string) => shanghaiTime(t) },
          { title: '课时', dataIndex: 'hours', render: (h: number | null) => (h == null ? '—' : `${h} 小时`) },
          { title: '登记人', dataIndex: 'by' },
        ]}
      />
      <Table
        size="small"
        rowKey="n"
        pagination={false}
        dataSource={record.exams}
        locale={{ emptyText: '尚无考试成绩' }}
        columns={[
          { title: '考试', dataIndex: 'kind', render: (k: string) => label(EXAM_KIND_ZH, k) },
          { title: '成绩', dataIndex: 'score' },
          {
            title: '结果',
            dataIndex: 'passed',
            render: (p: boolean, e) => (
              <Tag color={p ? TONE.green : TONE.red}>
                {p ? '通过' : '未通过'}
                {e.retake ? '（补考）' : ''}
              </Tag>
            ),
          },
          { title: '时间', dataIndex: 'at', render: (t: string) => shanghaiTime(t) },
          { title: '登记人', dataIndex: 'by' },
        ]}
      />
      {canRecord && !ended && <RecordForms record={record} />}
    </Space>
  );
}

/** 登记参训 / 登记考试 for one person's record: the plan id and staff id are the record's. */
function RecordForms({ record }: { record: TrainingRecord }) {
  const [attendance] = Form.useForm<{ topic?: string; hours?: number }>();
  const [exam] = Form.useForm<{ kind: 'theory' | 'practical' | 'satisfaction'; score: number }>();
  const { message } = App.useApp();
  const queries = useQueryClient();
  const path = { params: { path: { id: record.planId } } };
  const settle = () => queries.invalidateQueries({ queryKey: ['training'] });
  const attend = useMutation({
    mutationFn: (v: { topic?: string; hours?: number }) =>
      unwrap(
        api.POST('/api/v1/training/{id}/attendance', {
          ...path,
          params: { ...path.params, header: { 'Idempotency-Key': idempotencyKey() } },
          body: { staffId: record.staffId, ...(v.topic?.trim() ? { topic: v.topic.trim() } : {}), hours: v.hours },
        }),
      ),
    onSuccess: () => {
      attendance.resetFields();
      void message.success(`${record.staffId} 参训已登记`);
    },
    onError: (err) => {
      showFieldErrors(attendance, err);
      void message.error(problemMessage(err));
    },
    onSettled: settle,
  });
  const score = useMutation({
    mutationFn: (v: { kind: 'theory' | 'practical' | 'satisfaction'; score: number }) =>
      unwrap(
        api.POST('/api/v1/training/{id}/exam', {
          ...path,
          params: { ...path.params, header: { 'Idempotency-Key': idempotencyKey() } },
          body: { staffId: record.staffId, ...v },
        }),
      ),
    onSuccess: () => {
      exam.resetFields();
      void message.success(`${record.staffId} 考试成绩已登记`);
    },
    onError: (err) => {
      showFieldErrors(exam, err);
      void message.error(problemMessage(err));
    },
    onSettled: settle,
  });
  return (
    <Space wrap align="start">
      <Card size="small" title="登记参训">
        <Form
          form={attendance}
          name={`attendance-${record.id}`}
          layout="inline"
          aria-label={`登记参训 ${record.id}`}
          onFinish={(v) => attend.mutate(v)}
        >
          <Form.Item name="topic" label="主题">
            <Input style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="hours" label="课时">
            <InputNumber min={0.5} max={24} step={0.5} />
          </Form.Item>
          <Button htmlType="submit" loading={attend.isPending}>
            登记参训
          </Button>
        </Form>
      </Card>
      <Card size="small" title="登记考试">
        <Form
          form={exam}
          name={`exam-${record.id}`}
          layout="inline"
          aria-label={`登记考试 ${record.id}`}
          initialValues={{ kind: 'theory' }}
          onFinish={(v) => score.mutate(v)}
        >
          <Form.Item name="kind" label="考试">
            <Select
              style={{ width: 120 }}
              options={Object.entries(EXAM_KIND_ZH).map(([value, text]) => ({ value, label: text }))}
            />
          </Form.Item>
          <Form.Item name="score" label="成绩" rules={[{ required: true, message: '请填写成绩' }]}>
            <InputNumber min={0} max={100} step={0.1} precision={1} />
          </Form.Item>
          <Button htmlType="submit" loading={score.isPending}>
            登记成绩
          </Button>
        </Form>
      </Card>
    </Space>
  );
}

export default function Training({ principal }: { principal: Principal }) {
  const [query, setQuery] = useState<Query>({});
  const records = useQuery({
    queryKey: ['training', 'records', query],
    queryFn: () => listTrainingRecords(query),
    refetchInterval: 15_000,
  });
  const canRecord = principal.role === 'hr' || atLeast(principal, 'supervisor');
  const canPlan = principal.role === 'hr' || atLeast(principal, 'manager');
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {canPlan && <NewTrainingPlan />}
      {principal.role !== 'agent' && (
        <Card size="small">
          <Form
            name="training-filter"
            layout="inline"
            aria-label="筛选培训记录"
            onFinish={(v: { staffId?: string; team?: string }) =>
              setQuery({ staffId: v.staffId?.trim() || undefined, team: v.team?.trim() || undefined })
            }
          >
            <Form.Item name="staffId" label="员工编号">
              <Input allowClear style={{ width: 140 }} />
            </Form.Item>
            {principal.role !== 'supervisor' && (
              <Form.Item name="team" label="团队">
                <Input allowClear style={{ width: 120 }} />
              </Form.Item>
            )}
            <Form.Item>
              <Button type="primary" htmlType="submit">
                查询
              </Button>
            </Form.Item>
          </Form>
        </Card>
      )}
      {records.isError && <Alert type="error" showIcon title={problemMessage(records.error)} />}
      <TrainingTable records={records.data?.items ?? []} loading={records.isPending} canRecord={canRecord} />
    </Space>
  );
}
