/**
 * 绩效考核 pages, on the assessments API: 我的考核 (the agent: the month's figures, self-assessment,
 * the published result, an appeal inside the window), 考核评分 (the supervisor: the team's
 * assessments waiting for a score) and 考核公示 / 申诉 (HR: run and publish a month, answer appeals);
 * both of the last show the annual result (AnnualResult.tsx).
 * What each person may do follows the assessment's status; the API refuses the rest (409 / 403).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Drawer,
  Form,
  Input,
  InputNumber,
  Radio,
  Select,
  Space,
  Table,
  Tag,
} from 'antd';
import type { FormInstance } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useRef, useState, type ReactNode } from 'react';
import { getAssessment, listAssessments, type Assessment } from '../api/assessments';
import { api, idempotencyKey, unwrap } from '../api/client';
import { percent, shanghaiTime } from '../app/format';
import { ASSESSMENT_COMPONENT_ZH, ASSESSMENT_STATUS_ZH, KPI_ZH, label } from '../app/glossary';
import { problemMessage, showFieldErrors } from '../app/problems';
import type { Principal } from '../app/session';
import { GRADE_TONE, TONE } from '../app/tones';
import { ClockTag } from '../components/ClockTag';
import { AnnualResult } from './AnnualResult';

const OPEN_CLOCK = new Set(['pending', 'warned', 'breached', 'paused']);

function StatusTag({ status }: { status: Assessment['status'] }) {
  const tone = status === 'appealed' ? TONE.orange : status === 'final' ? TONE.grey : TONE.blue;
  return (
    <Tag color={tone} data-testid="assessment-status">
      {label(ASSESSMENT_STATUS_ZH, status)}
    </Tag>
  );
}

function Grade({ a }: { a: Pick<Assessment, 'grade' | 'total' | 'bonusCoefficient'> }) {
  if (!a.grade) return <span>—</span>;
  return (
    <Space size={4}>
      <Tag color={GRADE_TONE[a.grade] ?? TONE.grey}>{a.grade}</Tag>
      <span>
        {a.total?.toFixed(1)} 分 · 绩效系数 {a.bonusCoefficient ?? '—'}
      </span>
    </Space>
  );
}

/** One assessment as its person, supervisor or HR reads it. */
export function AssessmentDetail({ a }: { a: Assessment }) {
  const clocks = a.clocks.filter((c) => OPEN_CLOCK.has(c.state));
  return (
    <Space direction="vertical" size="small" style={{ width: '100%' }}>
      <Descriptions
        size="small"
        column={{ xs: 1, md: 3 }}
        items={[
          { key: 'staff', label: '员工', children: a.staffId },
          { key: 'period', label: '月份', children: a.period },
          { key: 'status', label: '状态', children: <StatusTag status={a.status} /> },
          { key: 'grade', label: '考核结果', children: <Grade a={a} /> },
          { key: 'published', label: '公示于', children: shanghaiTime(a.publishedAt) },
          { key: 'window', label: '申诉截止', children: shanghaiTime(a.appealWindowEndsAt) },
          {
            key: 'clocks',
            label: '时限',
            children: clocks.length ? clocks.map((c) => <ClockTag key={c.id} clock={c} />) : '—',
          },
        ]}
      />
      <Table
        size="small"
        rowKey="key"
        pagination={false}
        dataSource={a.figures}
        locale={{ emptyText: '暂无指标' }}
        columns={[
          { title: '考核指标', dataIndex: 'key', render: (k: string) => label(KPI_ZH, k) },
          { title: '本月', dataIndex: 'value', render: (v: number | null) => percent(v) },
          { title: '目标', dataIndex: 'target', render: (v: number) => percent(v) },
          { title: '分子/分母', key: 'ratio', render: (_: unknown, f) => `${f.numerator}/${f.denominator}` },
          {
            title: '达标',
            dataIndex: 'met',
            render: (m: boolean | null) =>
              m === null ? <Tag>无数据</Tag> : <Tag color={m ? TONE.green : TONE.red}>{m ? '达标' : '未达标'}</Tag>,
          },
        ]}
      />
      {a.scores && (
        <Descriptions
          size="small"
          title="分项得分（0–100）"
          column={{ xs: 1, md: 5 }}
          items={Object.entries(a.scores).map(([k, v]) => ({
            key: k,
            label: label(ASSESSMENT_COMPONENT_ZH, k),
            children: v == null ? '—' : v.toFixed(1),
          }))}
        />
      )}
      <Descriptions
        size="small"
        column={1}
        items={[
          {
            key: 'quality',
            label: '服务质检',
            children: `${a.qualityReviews.count} 次${a.qualityReviews.score == null ? '' : `，平均 ${a.qualityReviews.score.toFixed(1)} 分`}`,
          },
          { key: 'self', label: '自评', children: a.self ? a.self.summary : '尚未自评' },
          {
            key: 'appeal',
            label: '申诉',
            children: a.appeal
              ? `${a.appeal.reason}（${shanghaiTime(a.appeal.at)}${a.appeal.upheld == null ? '，待答复' : a.appeal.upheld ? '，已支持' : '，未支持'}）`
              : '无',
          },
        ]}
      />
    </Space>
  );
}

/**
 * A form posting one assessment action: a fresh Idempotency-Key per submit, field errors against the
 * fields, anything else (a 409 because the assessment moved on) as a message; the lists refresh.
 */
function ActionCard<V extends object>({
  name,
  title,
  submit,
  form,
  post,
  done,
  initialValues,
  children,
}: {
  /** The form's name: its fields' ids, unique on the page. */
  name: string;
  title: string;
  submit: string;
  form: FormInstance<V>;
  post: (values: V, key: string) => Promise<unknown>;
  done: string;
  initialValues?: Partial<V>;
  children: ReactNode;
}) {
  const { message } = App.useApp();
  const queries = useQueryClient();
  const key = useRef(idempotencyKey());
  const [leftover, setLeftover] = useState<string[]>([]);
  const action = useMutation({
    mutationFn: (values: V) => post(values, key.current),
    onSuccess: () => {
      key.current = idempotencyKey();
      form.resetFields();
      setLeftover([]);
      void message.success(done);
    },
    onError: (err) => {
      key.current = idempotencyKey();
      setLeftover(showFieldErrors(form, err));
      void message.error(problemMessage(err));
    },
    onSettled: () => queries.invalidateQueries({ queryKey: ['assessments'] }),
  });
  return (
    <Card size="small" title={title}>
      <Form<V>
        form={form}
        name={name}
        layout="vertical"
        aria-label={title}
        initialValues={initialValues}
        onFinish={(values) => action.mutate(values)}
      >
        {children}
        {leftover.length > 0 && (
          <Alert type="error" showIcon title={leftover.join('；')} style={{ marginBottom: 12 }} />
        )}
        <Button type="primary" htmlType="submit" loading={action.isPending}>
          {submit}
        </Button>
      </Form>
    </Card>
  );
}

const header = (key: string) => ({ header: { 'Idempotency-Key': key } });
const text = (v: string | undefined) => (v?.trim() ? v.trim() : undefined);

function SelfForm({ a }: { a: Assessment }) {
  const [form] = Form.useForm<{ summary: string; strengths?: string; improvements?: string }>();
  return (
    <ActionCard
      name="assessment-self"
      title="个人工作自评"
      submit="提交自评"
      done="自评已提交"
      form={form}
      post={(v, key) =>
        unwrap(
          api.POST('/api/v1/assessments/{id}/self', {
            params: { path: { id: a.id }, ...header(key) },
            body: { summary: v.summary.trim(), strengths: text(v.strengths), improvements: text(v.improvements) },
          }),
        )
      }
    >
      <Form.Item name="summary" label="本月工作总结" rules={[{ required: true, message: '请填写本月工作总结' }]}>
        <Input.TextArea rows={3} />
      </Form.Item>
      <Form.Item name="strengths" label="做得好的方面">
        <Input.TextArea rows={2} />
      </Form.Item>
      <Form.Item name="improvements" label="需要改进的方面">
        <Input.TextArea rows={2} />
      </Form.Item>
    </ActionCard>
  );
}

function AppealForm({ a }: { a: Assessment }) {
  const [form] = Form.useForm<{ reason: string }>();
  return (
    <ActionCard
      name="assessment-appeal"
      title="申诉"
      submit="提交申诉"
      done="申诉已提交"
      form={form}
      post={(v, key) =>
        unwrap(
          api.POST('/api/v1/assessments/{id}/appeal', {
            params: { path: { id: a.id }, ...header(key) },
            body: { reason: v.reason.trim() },
          }),
        )
      }
    >
      <Form.Item name="reason" label="申诉理由" rules={[{ required: true, message: '请填写申诉理由' }]}>
        <Input.TextArea rows={3} />
      </Form.Item>
    </ActionCard>
  );
}

const ONE_TO_FIVE = [1, 2, 3, 4, 5].map((n) => ({ value: n, label: String(n) }));

interface ScoreValues {
  attendance: { late: number; leftEarly: number; absent: number; leaveDays: number };
  initiative: number;
  teamwork: number;
  comment: string;
}

function ScoreForm({ a, onDone }: { a: Assessment; onDone?: () => void }) {
  const [form] = Form.useForm<ScoreValues>();
  return (
    <ActionCard
      name={`supervisor-score-${a.id}`}
      title="主管评分"
      submit="提交评分"
      done={`${a.staffId} ${a.period} 已评分`}
      form={form}
      initialValues={{ attendance: { late: 0, leftEarly: 0, absent: 0, leaveDays: 0 } }}
      post={async (v, key) => {
        const scored = await unwrap(
          api.POST('/api/v1/assessments/{id}/supervisor-score', {
            params: { path: { id: a.id }, ...header(key) },
            body: { ...v, comment: v.comment.trim() },
          }),
        );
        onDone?.();
        return scored;
      }}
    >
      <Space wrap>
        {(
          [
            ['late', '迟到（次）'],
            ['leftEarly', '早退（次）'],
            ['absent', '缺勤（天）'],
            ['leaveDays', '请假（天）'],
          ] as const
        ).map(([k, text]) => (
          <Form.Item key={k} name={['attendance', k]} label={text} rules={[{ required: true, message: '必填' }]}>
            <InputNumber min={0} max={31} precision={0} />
          </Form.Item>
        ))}
      </Space>
      <Form.Item name="initiative" label="工作积极性（1–5）" rules={[{ required: true, message: '请打分' }]}>
        <Radio.Group options={ONE_TO_FIVE} optionType="button" size="small" />
      </Form.Item>
      <Form.Item name="teamwork" label="团队协作（1–5）" rules={[{ required: true, message: '请打分' }]}>
        <Radio.Group options={ONE_TO_FIVE} optionType="button" size="small" />
      </Form.Item>
      <Form.Item name="comment" label="评语" rules={[{ required: true, message: '请填写评语' }]}>
        <Input.TextArea rows={2} />
      </Form.Item>
    </ActionCard>
  );
}

function DecisionForm({ a }: { a: Assessment }) {
  const [form] = Form.useForm<{ upheld: boolean; answer: string; figures?: number }>();
  const upheld = Form.useWatch('upheld', form);
  return (
    <ActionCard
      name={`appeal-decision-${a.id}`}
      title={`答复申诉 ${a.id}`}
      submit="提交答复"
      done={`${a.staffId} 的申诉已答复`}
      form={form}
      post={(v, key) =>
        unwrap(
          api.POST('/api/v1/assessments/{id}/appeal-decision', {
            params: { path: { id: a.id }, ...header(key) },
            body: {
              upheld: v.upheld,
              answer: v.answer.trim(),
              ...(v.upheld && v.figures != null ? { adjustedScores: { figures: v.figures } } : {}),
            },
          }),
        )
      }
    >
      <Form.Item name="upheld" label="是否支持申诉" rules={[{ required: true, message: '请选择' }]}>
        <Radio.Group
          options={[
            { value: true, label: '支持' },
            { value: false, label: '不支持' },
          ]}
        />
      </Form.Item>
      {upheld && (
        <Form.Item name="figures" label="调整后的考核指标得分（0–100，可不填）">
          <InputNumber min={0} max={100} precision={1} />
        </Form.Item>
      )}
      <Form.Item name="answer" label="答复" rules={[{ required: true, message: '请填写答复' }]}>
        <Input.TextArea rows={2} />
      </Form.Item>
    </ActionCard>
  );
}

/** 我的考核: the agent's months, newest first; the chosen one with what it allows now. */
export function MyAssessment({ principal }: { principal: Principal }) {
  const list = useQuery({
    queryKey: ['assessments', 'mine', principal.sub],
    queryFn: () => listAssessments({ staffId: principal.sub }),
    refetchInterval: 10_000,
  });
  const [chosen, setChosen] = useState<string | undefined>();
  const items = list.data?.items ?? [];
  const current = items.find((a) => a.id === chosen) ?? items[0];
  const inWindow =
    current?.status === 'published' &&
    (!current.appealWindowEndsAt || Date.parse(current.appealWindowEndsAt) > Date.now());
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {list.isError && <Alert type="error" showIcon title={problemMessage(list.error)} />}
      <Card
        size="small"
        loading={list.isPending}
        title="我的考核"
        extra={
          items.length > 1 && (
            <Select
              aria-label="月份"
              style={{ width: 140 }}
              value={current?.id}
              onChange={setChosen}
              options={items.map((a) => ({ value: a.id, label: a.period }))}
            />
          )
        }
      >
        {current ? <AssessmentDetail a={current} /> : '暂无考核。'}
      </Card>
      {current?.status === 'open' && <SelfForm a={current} />}
      {inWindow && <AppealForm a={current} />}
    </Space>
  );
}

function AssessmentTable({
  items,
  loading,
  action,
}: {
  items: Assessment[];
  loading?: boolean;
  action?: (a: Assessment) => ReactNode;
}) {
  return (
    <Table<Assessment>
      rowKey="id"
      size="middle"
      loading={loading}
      dataSource={items}
      pagination={{ pageSize: 20, showSizeChanger: false }}
      locale={{ emptyText: '暂无考核' }}
      expandable={{ expandedRowRender: (a) => <AssessmentDetail a={a} /> }}
      columns={[
        { title: '员工', dataIndex: 'staffId' },
        { title: '团队', dataIndex: 'team' },
        { title: '月份', dataIndex: 'period' },
        { title: '状态', dataIndex: 'status', render: (s: Assessment['status']) => <StatusTag status={s} /> },
        { title: '自评', key: 'self', render: (_: unknown, a) => (a.self ? '已自评' : '—') },
        { title: '结果', key: 'grade', render: (_: unknown, a) => <Grade a={a} /> },
        ...(action ? [{ title: '操作', key: 'action', render: (_: unknown, a: Assessment) => action(a) }] : []),
      ]}
    />
  );
}

/** 考核评分: the team's assessments not yet scored (open or self-assessed), each scored in a drawer. */
export function AssessmentScoring() {
  const list = useQuery({
    queryKey: ['assessments', 'to-score'],
    queryFn: async () => {
      const [open, self] = await Promise.all([
        listAssessments({ status: 'open' }),
        listAssessments({ status: 'self_assessed' }),
      ]);
      return [...self.items, ...open.items];
    },
    refetchInterval: 10_000,
  });
  const [scoring, setScoring] = useState<string | null>(null);
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {list.isError && <Alert type="error" showIcon title={problemMessage(list.error)} />}
      <Card size="small" title="待评分的考核（已自评在前）">
        <AssessmentTable
          items={list.data ?? []}
          loading={list.isPending}
          action={(a) => (
            <Button size="small" onClick={() => setScoring(a.id)} aria-label={`评分 ${a.id}`}>
              评分
            </Button>
          )}
        />
      </Card>
      <Drawer
        open={!!scoring}
        title={scoring ? `主管评分 ${scoring}` : ''}
        width={640}
        onClose={() => setScoring(null)}
        destroyOnHidden
      >
        {scoring && <ScoreOf id={scoring} onDone={() => setScoring(null)} />}
      </Drawer>
      <AnnualResult />
    </Space>
  );
}

function ScoreOf({ id, onDone }: { id: string; onDone: () => void }) {
  const one = useQuery({ queryKey: ['assessments', 'one', id], queryFn: () => getAssessment(id) });
  if (one.isPending) return <Card loading />;
  if (one.isError) return <Alert type="error" showIcon title={problemMessage(one.error)} />;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <AssessmentDetail a={one.data} />
      <ScoreForm a={one.data} onDone={onDone} />
    </Space>
  );
}

/** 考核公示 / 申诉: HR runs a month's assessments, publishes the scored ones and answers appeals. */
export function AssessmentHr() {
  const [month, setMonth] = useState<Dayjs>(dayjs().subtract(1, 'month').startOf('month'));
  const period = month.format('YYYY-MM');
  const list = useQuery({
    queryKey: ['assessments', 'hr', period],
    queryFn: () => listAssessments({ period }),
    refetchInterval: 10_000,
  });
  const appeals = useQuery({
    queryKey: ['assessments', 'appeals'],
    queryFn: () => listAssessments({ status: 'appealed' }),
    refetchInterval: 10_000,
  });
  const { message } = App.useApp();
  const queries = useQueryClient();
  const settle = () => queries.invalidateQueries({ queryKey: ['assessments'] });
  const run = useMutation({
    mutationFn: () =>
      unwrap(api.POST('/api/v1/assessments/run', { params: header(idempotencyKey()), body: { period } })),
    onSuccess: (r) => void message.success(`${r.period}：新开考核 ${r.started} 份，已有 ${r.existing} 份`),
    onError: (err) => void message.error(problemMessage(err)),
    onSettled: settle,
  });
  const publish = useMutation({
    mutationFn: () =>
      unwrap(api.POST('/api/v1/assessments/publish', { params: header(idempotencyKey()), body: { period } })),
    onSuccess: (r) =>
      void message.success(
        `${r.period}：已公示 ${r.published.length} 份${r.skipped.length ? `，未公示 ${r.skipped.length} 份` : ''}`,
      ),
    onError: (err) => void message.error(problemMessage(err)),
    onSettled: settle,
  });
  const items = list.data?.items ?? [];
  const scored = items.filter((a) => a.status === 'scored').length;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small">
        <Form name="assessment-period" layout="inline" aria-label="考核月份">
          <Form.Item label="月份">
            <DatePicker
              picker="month"
              value={month}
              allowClear={false}
              onChange={(m) => m && setMonth(m.startOf('month'))}
            />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button onClick={() => run.mutate()} loading={run.isPending}>
                开启本月考核
              </Button>
              <Button type="primary" onClick={() => publish.mutate()} loading={publish.isPending} disabled={!scored}>
                公示已评分考核（{scored}）
              </Button>
            </Space>
          </Form.Item>
        </Form>
      </Card>
      {(list.error ?? appeals.error) && (
        <Alert type="error" showIcon title={problemMessage(list.error ?? appeals.error)} />
      )}
      <section aria-label="待答复的申诉">
        <Card size="small" title={`待答复的申诉（${appeals.data?.items.length ?? 0}）`} loading={appeals.isPending}>
          <Space direction="vertical" size="middle" style={{ width: '100%' }}>
            {(appeals.data?.items ?? []).length === 0 && '暂无待答复的申诉。'}
            {(appeals.data?.items ?? []).map((a) => (
              <Space key={a.id} direction="vertical" style={{ width: '100%' }}>
                <AssessmentDetail a={a} />
                <DecisionForm a={a} />
              </Space>
            ))}
          </Space>
        </Card>
      </section>
      <section aria-label="本月考核">
        <Card size="small" title={`${period} 考核`}>
          <AssessmentTable items={items} loading={list.isPending} />
        </Card>
      </section>
      <AnnualResult />
    </Space>
  );
}
