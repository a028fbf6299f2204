/** 时限规则: every deadline policy with its legal basis, where its value comes from, and changing one. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, InputNumber, Modal, Select, Table, Tag } from 'antd';
import { useState } from 'react';
import { api, unwrap, type Schemas } from '../api/client';
import { CLOCK_KIND_ZH, CLOCK_POLICY_ZH, label } from '../app/glossary';
import { shanghaiTime } from '../app/format';
import { problemMessage, showFieldErrors } from '../app/problems';
import { TONE } from '../app/tones';

type Policy = Schemas['DeadlinePolicy'];
type Override = Schemas['DeadlinePolicyOverride'];

const MODE_ZH: Record<string, string> = {
  calendar_days: '自然日',
  working_days: '工作日',
  business_hours: '工作小时',
  elapsed: '连续时长',
};
const SOURCE_ZH: Record<string, string> = { default: '默认', file: '配置文件', admin: '管理员修改' };

export function DeadlinePolicies() {
  const policies = useQuery({
    queryKey: ['deadline-policies'],
    queryFn: () => unwrap(api.GET('/api/v1/admin/deadline-policies')),
  });
  const [editing, setEditing] = useState<Policy | null>(null);
  return (
    <>
      {policies.isError && <Alert type="error" showIcon title={problemMessage(policies.error)} />}
      <Table<Policy>
        rowKey="name"
        size="small"
        loading={policies.isPending}
        dataSource={policies.data?.items ?? []}
        pagination={false}
        columns={[
          {
            title: '规则',
            dataIndex: 'name',
            render: (n: string) => <span title={n}>{CLOCK_POLICY_ZH[n] ? `${CLOCK_POLICY_ZH[n]}（${n}）` : n}</span>,
          },
          {
            title: '类别',
            dataIndex: 'kind',
            render: (k: string) => (
              <Tag color={k === 'statutory' ? TONE.red : TONE.blue}>{label(CLOCK_KIND_ZH, k)}</Tag>
            ),
          },
          { title: '期限', dataIndex: 'duration' },
          { title: '计算方式', dataIndex: 'mode', render: (m: string) => label(MODE_ZH, m) },
          { title: '预警点', dataIndex: 'warnAt', render: (w: number) => `${Math.round(w * 100)}%` },
          { title: '依据', dataIndex: 'basis' },
          {
            title: '来源',
            dataIndex: 'source',
            render: (s: string, p) =>
              `${label(SOURCE_ZH, s)}${p.updatedAt ? ` · ${p.updatedBy ?? ''} ${shanghaiTime(p.updatedAt)}` : ''}`,
          },
          {
            title: '操作',
            key: 'edit',
            render: (_: unknown, p) => (
              <Button size="small" onClick={() => setEditing(p)} aria-label={`修改 ${p.name}`}>
                修改
              </Button>
            ),
          },
        ]}
      />
      {editing && <EditPolicy policy={editing} onClose={() => setEditing(null)} />}
    </>
  );
}

function EditPolicy({ policy, onClose }: { policy: Policy; onClose: () => void }) {
  const [form] = Form.useForm<Override>();
  const { message } = App.useApp();
  const queries = useQueryClient();
  const save = useMutation({
    mutationFn: (body: Override) =>
      unwrap(api.PUT('/api/v1/admin/deadline-policies/{name}', { params: { path: { name: policy.name } }, body })),
    onSuccess: () => {
      void message.success(`${policy.name} 已保存，对此后开始的时限生效`);
      void queries.invalidateQueries({ queryKey: ['deadline-policies'] });
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
      title={`修改时限规则 ${policy.name}`}
      okText="保存"
      cancelText="取消"
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
    >
      <p>依据：{policy.basis}</p>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ duration: policy.duration, mode: policy.mode, warnAt: policy.warnAt }}
        onFinish={(v) => save.mutate({ ...v, warnAt: v.warnAt ?? undefined })}
      >
        <Form.Item
          name="duration"
          label="期限（ISO-8601，如 P15D、PT30M）"
          rules={[{ required: true, message: '请填写期限' }]}
        >
          <Input />
        </Form.Item>
        <Form.Item name="mode" label="计算方式" rules={[{ required: true, message: '请选择计算方式' }]}>
          <Select options={Object.entries(MODE_ZH).map(([value, label]) => ({ value, label }))} />
        </Form.Item>
        <Form.Item name="warnAt" label="预警点（0–1）">
          <InputNumber min={0.05} max={0.99} step={0.05} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
