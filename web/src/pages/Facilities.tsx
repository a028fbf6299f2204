/**
 * 设施: the equipment register (设备台账, GET /facilities/equipment; `due=true` for 今日点检), one item's
 * checks and maintenance history (维修档案) in a drawer, a check recorded by anyone at the desk (a
 * fault opens a repair), and for managers the registration, the repair's outcome and a replacement.
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
  Modal,
  Radio,
  Select,
  Space,
  Switch,
  Table,
  Tag,
} from 'antd';
import type { FormInstance } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useRef, useState, type ReactNode } from 'react';
import { api, idempotencyKey, unwrap, type Schemas } from '../api/client';
import { shanghaiDate, shanghaiTime } from '../app/format';
import { problemMessage, showFieldErrors } from '../app/problems';
import { atLeast, type Principal } from '../app/session';
import { TONE } from '../app/tones';
import { ClockTag, DueCountdown } from '../components/ClockTag';

type Item = Schemas['EquipmentItem'];
type Detail = Schemas['EquipmentDetail'];
type Kind = Item['kind'];

const KIND_ZH: Record<Kind, string> = {
  computer: '电脑',
  telephone: '电话机',
  headset: '耳麦',
  printer: '打印机',
  copier: '复印机',
  fax: '传真机',
  network: '网络设备',
  projector: '投影仪',
  air_conditioner: '空调',
  fire_safety: '消防设施',
  other: '其他',
};
const STATUS_ZH: Record<Item['status'], [string, string]> = {
  in_service: ['在用', TONE.green],
  under_repair: ['维修中', TONE.orange],
  awaiting_replacement: ['待更换', TONE.red],
};
const REPAIR_STATUS_ZH: Record<string, string> = {
  open: '待维修',
  repaired: '已修复',
  replacement_requested: '已申请更换',
  closed: '已关闭',
};
const OPEN_CLOCK = new Set(['pending', 'warned', 'breached', 'paused']);
const header = (key: string) => ({ header: { 'Idempotency-Key': key } });

function StatusTag({ status }: { status: Item['status'] }) {
  const [text, tone] = STATUS_ZH[status];
  return <Tag color={tone}>{text}</Tag>;
}

/** One small form posting one action; errors against fields, the rest as a message; the register refreshes. */
function ActionForm<V extends object>({
  name,
  title,
  submit,
  done,
  form,
  post,
  children,
  danger,
}: {
  name: string;
  title: string;
  submit: string;
  done: string;
  form: FormInstance<V>;
  post: (values: V, key: string) => Promise<unknown>;
  children: ReactNode;
  danger?: boolean;
}) {
  const { message } = App.useApp();
  const queries = useQueryClient();
  const key = useRef(idempotencyKey());
  const action = useMutation({
    mutationFn: (values: V) => post(values, key.current),
    onSuccess: () => {
      form.resetFields();
      void message.success(done);
    },
    onError: (err) => {
      showFieldErrors(form, err);
      void message.error(problemMessage(err));
    },
    onSettled: () => {
      key.current = idempotencyKey();
      return queries.invalidateQueries({ queryKey: ['facilities'] });
    },
  });
  return (
    <Card size="small" title={title}>
      <Form<V> form={form} name={name} layout="vertical" aria-label={title} onFinish={(v) => action.mutate(v)}>
        {children}
        <Button type="primary" danger={danger} htmlType="submit" loading={action.isPending}>
          {submit}
        </Button>
      </Form>
    </Card>
  );
}

function CheckForm({ item }: { item: Detail }) {
  const [form] = Form.useForm<{ result: 'ok' | 'fault'; note?: string }>();
  return (
    <ActionForm
      name={`check-${item.assetId}`}
      title="点检"
      submit="登记点检"
      done={`${item.assetId} 点检已登记`}
      form={form}
      post={(v, key) =>
        unwrap(
          api.POST('/api/v1/facilities/equipment/{assetId}/checks', {
            params: { path: { assetId: item.assetId }, ...header(key) },
            body: { result: v.result, ...(v.note?.trim() ? { note: v.note.trim() } : {}) },
          }),
        )
      }
    >
      <Form.Item name="result" label="点检结果" rules={[{ required: true, message: '请选择点检结果' }]}>
        <Radio.Group
          options={[
            { value: 'ok', label: '正常' },
            { value: 'fault', label: '故障' },
          ]}
        />
      </Form.Item>
      <Form.Item name="note" label="情况说明">
        <Input.TextArea rows={2} />
      </Form.Item>
    </ActionForm>
  );
}

function RepairForms({ item }: { item: Detail }) {
  const [done] = Form.useForm<{ note?: string }>();
  const [replace] = Form.useForm<{ reason: string }>();
  const repairId = item.openRepairId;
  if (!repairId) return null;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <ActionForm
        name={`repair-done-${repairId}`}
        title={item.status === 'awaiting_replacement' ? `更换完成 ${repairId}` : `维修完成 ${repairId}`}
        submit={item.status === 'awaiting_replacement' ? '登记已更换' : '登记已修复'}
        done={`${repairId} 已关闭`}
        form={done}
        post={(v, key) =>
          unwrap(
            api.POST('/api/v1/facilities/repairs/{id}/done', {
              params: { path: { id: repairId }, ...header(key) },
              body: v.note?.trim() ? { note: v.note.trim() } : {},
            }),
          )
        }
      >
        <Form.Item name="note" label="维修内容">
          <Input.TextArea rows={2} />
        </Form.Item>
      </ActionForm>
      {item.status === 'under_repair' && (
        <ActionForm
          name={`replacement-${item.assetId}`}
          title="无法修复，申请更换"
          submit="申请更换"
          danger
          done={`${item.assetId} 已申请更换`}
          form={replace}
          post={(v, key) =>
            unwrap(
              api.POST('/api/v1/facilities/equipment/{assetId}/replacement', {
                params: { path: { assetId: item.assetId }, ...header(key) },
                body: { reason: v.reason.trim() },
              }),
            )
          }
        >
          <Form.Item name="reason" label="无法修复的原因" rules={[{ required: true, message: '请填写原因' }]}>
            <Input.TextArea rows={2} />
          </Form.Item>
        </ActionForm>
      )}
    </Space>
  );
}

function ItemDrawer({ assetId, manager, onClose }: { assetId: string; manager: boolean; onClose: () => void }) {
  const one = useQuery({
    queryKey: ['facilities', 'item', assetId],
    queryFn: () => unwrap(api.GET('/api/v1/facilities/equipment/{assetId}', { params: { path: { assetId } } })),
    refetchInterval: 5_000,
  });
  const d = one.data;
  return (
    <Drawer open title={`设备 ${assetId}`} width={720} onClose={onClose} destroyOnHidden>
      {one.isError && <Alert type="error" showIcon title={problemMessage(one.error)} />}
      {d && (
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <Descriptions
            size="small"
            column={2}
            items={[
              { key: 'kind', label: '类别', children: KIND_ZH[d.kind] },
              { key: 'location', label: '位置', children: d.location },
              { key: 'status', label: '状态', children: <StatusTag status={d.status} /> },
              { key: 'every', label: '点检周期', children: `${d.checkEveryDays} 天` },
              { key: 'next', label: '下次点检', children: shanghaiTime(d.nextCheckDueAt) },
              {
                key: 'clocks',
                label: '时限',
                children: d.clocks.filter((c) => OPEN_CLOCK.has(c.state)).map((c) => <ClockTag key={c.id} clock={c} />),
              },
            ]}
          />
          {d.status === 'in_service' && <CheckForm item={d} />}
          {manager && <RepairForms item={d} />}
          <Card size="small" title="点检记录">
            <Table
              size="small"
              rowKey="n"
              pagination={false}
              dataSource={d.checks}
              locale={{ emptyText: '尚无点检' }}
              columns={[
                { title: '时间', dataIndex: 'checkedAt', render: (t: string) => shanghaiTime(t) },
                {
                  title: '结果',
                  dataIndex: 'result',
                  render: (r: string) => (
                    <Tag color={r === 'ok' ? TONE.green : TONE.red}>{r === 'ok' ? '正常' : '故障'}</Tag>
                  ),
                },
                { title: '说明', dataIndex: 'note', render: (n: string | null) => n ?? '—' },
                { title: '点检人', dataIndex: 'checkedBy' },
              ]}
            />
          </Card>
          <Card size="small" title="维修档案">
            <Table
              size="small"
              rowKey="repairId"
              pagination={false}
              dataSource={d.repairs}
              locale={{ emptyText: '无维修记录' }}
              columns={[
                { title: '维修单', dataIndex: 'repairId' },
                { title: '状态', dataIndex: 'status', render: (s: string) => REPAIR_STATUS_ZH[s] ?? s },
                { title: '故障', dataIndex: 'fault', render: (f: string | null) => f ?? '—' },
                { title: '报修于', dataIndex: 'openedAt', render: (t: string) => shanghaiTime(t) },
                { title: '关闭于', dataIndex: 'closedAt', render: (t: string | null) => shanghaiTime(t) },
              ]}
            />
          </Card>
        </Space>
      )}
    </Drawer>
  );
}

interface Registration {
  assetId: string;
  kind: Kind;
  location: string;
  purchasedAt: Dayjs;
  checkEveryDays: number;
  team?: string;
}

function RegisterModal({ onClose }: { onClose: () => void }) {
  const [form] = Form.useForm<Registration>();
  const { message } = App.useApp();
  const queries = useQueryClient();
  const save = useMutation({
    mutationFn: ({ assetId, purchasedAt, team, ...rest }: Registration) =>
      unwrap(
        api.PUT('/api/v1/facilities/equipment/{assetId}', {
          params: { path: { assetId: assetId.trim() } },
          body: {
            ...rest,
            location: rest.location.trim(),
            purchasedAt: purchasedAt.format('YYYY-MM-DD'),
            ...(team?.trim() ? { team: team.trim() } : {}),
          },
        }),
      ),
    onSuccess: (d) => {
      void message.success(`${d.assetId} 已登记`);
      void queries.invalidateQueries({ queryKey: ['facilities'] });
      onClose();
    },
    onError: (err) => {
      showFieldErrors(form, err);
      void message.error(problemMessage(err));
    },
  });
  return (
    <Modal
      open
      title="登记设备"
      okText="保存"
      cancelText="取消"
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: save.isPending }}
      destroyOnHidden
    >
      <Form<Registration>
        form={form}
        name="equipment-registration"
        layout="vertical"
        aria-label="设备登记"
        initialValues={{ kind: 'computer', checkEveryDays: 30, purchasedAt: dayjs(shanghaiDate()) }}
        onFinish={(v) => save.mutate(v)}
      >
        <Form.Item name="assetId" label="资产编号" rules={[{ required: true, message: '请填写资产编号' }]}>
          <Input />
        </Form.Item>
        <Form.Item name="kind" label="类别" rules={[{ required: true, message: '请选择类别' }]}>
          <Select options={Object.entries(KIND_ZH).map(([value, label]) => ({ value, label }))} />
        </Form.Item>
        <Form.Item name="location" label="位置" rules={[{ required: true, message: '请填写位置' }]}>
          <Input placeholder="三楼坐席区 A-12" />
        </Form.Item>
        <Form.Item name="purchasedAt" label="购置日期" rules={[{ required: true, message: '请选择购置日期' }]}>
          <DatePicker />
        </Form.Item>
        <Form.Item name="checkEveryDays" label="点检周期（天）" rules={[{ required: true, message: '请填写点检周期' }]}>
          <InputNumber min={1} max={366} precision={0} />
        </Form.Item>
        <Form.Item name="team" label="所属团队（默认登记人的团队）">
          <Input />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function Facilities({ principal }: { principal: Principal }) {
  const [dueOnly, setDueOnly] = useState(false);
  const register = useQuery({
    queryKey: ['facilities', 'register', dueOnly],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/facilities/equipment', {
          params: { query: { ...(dueOnly ? { due: 'true' } : {}), limit: 200 } },
        }),
      ),
    refetchInterval: 10_000,
  });
  const [open, setOpen] = useState<string | null>(null);
  const [registering, setRegistering] = useState(false);
  const manager = atLeast(principal, 'manager');
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small">
        <Space size="large">
          <label>
            <Switch checked={dueOnly} onChange={setDueOnly} aria-label="仅看今日点检" /> 仅看今日点检（含逾期）
          </label>
          {manager && <Button onClick={() => setRegistering(true)}>登记设备</Button>}
        </Space>
      </Card>
      {register.isError && <Alert type="error" showIcon title={problemMessage(register.error)} />}
      <Table<Item>
        rowKey="assetId"
        size="middle"
        loading={register.isPending}
        dataSource={register.data?.items ?? []}
        pagination={{ pageSize: 20, showSizeChanger: false }}
        locale={{ emptyText: '暂无设备' }}
        columns={[
          { title: '资产编号', dataIndex: 'assetId' },
          { title: '类别', dataIndex: 'kind', render: (k: Kind) => KIND_ZH[k] },
          { title: '位置', dataIndex: 'location' },
          { title: '团队', dataIndex: 'team' },
          { title: '状态', dataIndex: 'status', render: (s: Item['status']) => <StatusTag status={s} /> },
          { title: '下次点检', dataIndex: 'nextCheckDueAt', render: (d: string | null) => <DueCountdown dueAt={d} /> },
          { title: '上次点检', dataIndex: 'lastCheckedAt', render: (t: string | null) => shanghaiTime(t) },
          {
            title: '操作',
            key: 'open',
            render: (_: unknown, i) => (
              <Button size="small" onClick={() => setOpen(i.assetId)} aria-label={`查看 ${i.assetId}`}>
                {i.status === 'in_service' ? '点检' : '查看'}
              </Button>
            ),
          },
        ]}
      />
      {open && <ItemDrawer assetId={open} manager={manager} onClose={() => setOpen(null)} />}
      {registering && <RegisterModal onClose={() => setRegistering(false)} />}
    </Space>
  );
}
