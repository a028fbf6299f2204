/**
 * 新建: a claim 报案, a complaint 投诉, an inquiry 咨询 or a purchase 投保, posted with an Idempotency-Key; on success
 * the new case opens. Field names are the request bodies' (typed from the contract), so a 400's
 * `errors[].path` lands on its field.
 */
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, DatePicker, Form, Input, Select } from 'antd';
import type { FormInstance } from 'antd';
import type { Dayjs } from 'dayjs';
import { useRef, useState, type ReactNode } from 'react';
import { api, idempotencyKey, unwrap, type Schemas } from '../api/client';
import { CHANNEL_ZH, COVERAGE_ZH, PURCHASE_PRODUCT_ZH } from '../app/glossary';
import { problemMessage, showFieldErrors } from '../app/problems';
import { navigate } from '../app/router';
import type { Principal } from '../app/session';

const options = (table: Record<string, string>, only: readonly string[]) =>
  only.map((value) => ({ value, label: table[value] ?? value }));

/** Managers and admins name the team a case is opened for; agents and supervisors open their own. */
function TeamField({ principal }: { principal: Principal }) {
  if (principal.team) return null;
  return (
    <Form.Item name="team" label="团队" rules={[{ required: true, message: '请填写团队' }]}>
      <Input style={{ width: 200 }} />
    </Form.Item>
  );
}

function useCreate<B>(form: FormInstance, post: (body: B, key: string) => Promise<{ id: string; type: string }>) {
  const key = useRef(idempotencyKey());
  const [problem, setProblem] = useState<string | null>(null);
  const mutation = useMutation({
    mutationFn: (body: B) => post(body, key.current),
    onSuccess: (created) => navigate(`/cases/${created.type}/${encodeURIComponent(created.id)}`),
    onError: (err) => {
      key.current = idempotencyKey();
      const rest = showFieldErrors(form, err);
      setProblem([problemMessage(err), ...rest].join(' '));
    },
  });
  return { mutation, problem };
}

function Shell({ title, problem, children }: { title: string; problem: string | null; children: ReactNode }) {
  return (
    <Card title={title} style={{ maxWidth: 820 }}>
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 16 }} role="alert" />}
      {children}
    </Card>
  );
}

const required = (what: string) => [{ required: true, message: `请填写${what}` }];

export function NewClaim({ principal }: { principal: Principal }) {
  const [form] = Form.useForm();
  const { mutation, problem } = useCreate<Schemas['CreateClaim']>(form, (body, key) =>
    unwrap(api.POST('/api/v1/claims', { body, headers: { 'Idempotency-Key': key } })),
  );
  return (
    <Shell title="报案（理赔）" problem={problem}>
      <Form
        form={form}
        layout="vertical"
        aria-label="报案"
        initialValues={{ coverage: 'compulsory', accident: { injuries: false, policeReported: false } }}
        onFinish={(v: Schemas['CreateClaim'] & { accident: { occurredAt: Dayjs | string } }) =>
          mutation.mutate({
            ...v,
            accident: { ...v.accident, occurredAt: (v.accident.occurredAt as Dayjs).toISOString() },
          })
        }
      >
        <TeamField principal={principal} />
        <Form.Item name="policyNo" label="保单号" rules={required('保单号')}>
          <Input style={{ width: 260 }} />
        </Form.Item>
        <Form.Item name="coverage" label="险种" rules={required('险种')}>
          <Select style={{ width: 200 }} options={options(COVERAGE_ZH, ['compulsory', 'commercial'])} />
        </Form.Item>
        <Form.Item name={['reporter', 'name']} label="报案人姓名" rules={required('报案人姓名')}>
          <Input style={{ width: 200 }} autoComplete="off" />
        </Form.Item>
        <Form.Item name={['reporter', 'phone']} label="报案人手机" rules={required('报案人手机')}>
          <Input style={{ width: 200 }} autoComplete="off" />
        </Form.Item>
        <Form.Item name={['vehicle', 'plate']} label="车牌号" rules={required('车牌号')}>
          <Input style={{ width: 200 }} placeholder="粤B12345" autoComplete="off" />
        </Form.Item>
        <Form.Item name={['accident', 'occurredAt']} label="出险时间" rules={required('出险时间')}>
          <DatePicker showTime format="YYYY-MM-DD HH:mm" />
        </Form.Item>
        <Form.Item name={['accident', 'location']} label="出险地点" rules={required('出险地点')}>
          <Input />
        </Form.Item>
        <Form.Item name={['accident', 'description']} label="事故经过" rules={required('事故经过')}>
          <Input.TextArea rows={3} />
        </Form.Item>
        <Form.Item name={['accident', 'injuries']} valuePropName="checked">
          <Checkbox>有人员受伤</Checkbox>
        </Form.Item>
        <Form.Item name={['accident', 'policeReported']} valuePropName="checked">
          <Checkbox>已报警</Checkbox>
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={mutation.isPending}>
          提交报案
        </Button>
      </Form>
    </Shell>
  );
}

const COMPLAINT_CHANNELS = ['phone', 'email', 'letter', 'online', 'walk_in', 'regulator'] as const;
const INQUIRY_CHANNELS = ['phone', 'email', 'letter', 'online', 'walk_in'] as const;

export function NewComplaint({ principal }: { principal: Principal }) {
  const [form] = Form.useForm();
  const { mutation, problem } = useCreate<Schemas['CreateComplaint']>(form, (body, key) =>
    unwrap(api.POST('/api/v1/complaints', { body, headers: { 'Idempotency-Key': key } })),
  );
  return (
    <Shell title="登记投诉" problem={problem}>
      <Form
        form={form}
        layout="vertical"
        aria-label="登记投诉"
        initialValues={{ channel: 'phone' }}
        onFinish={(v: Schemas['CreateComplaint']) => mutation.mutate({ ...v, policyNo: v.policyNo || undefined })}
      >
        <TeamField principal={principal} />
        <Form.Item name={['customer', 'name']} label="投诉人姓名" rules={required('投诉人姓名')}>
          <Input style={{ width: 200 }} autoComplete="off" />
        </Form.Item>
        <Form.Item name={['customer', 'phone']} label="投诉人手机" rules={required('投诉人手机')}>
          <Input style={{ width: 200 }} autoComplete="off" />
        </Form.Item>
        <Form.Item name="channel" label="渠道" rules={required('渠道')}>
          <Select style={{ width: 200 }} options={options(CHANNEL_ZH, COMPLAINT_CHANNELS)} />
        </Form.Item>
        <Form.Item name="category" label="类别（代码，如 claim_delay）" rules={required('类别')}>
          <Input style={{ width: 260 }} />
        </Form.Item>
        <Form.Item name="policyNo" label="保单号（可选）">
          <Input style={{ width: 260 }} />
        </Form.Item>
        <Form.Item name="description" label="投诉内容" rules={required('投诉内容')}>
          <Input.TextArea rows={4} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={mutation.isPending}>
          提交投诉
        </Button>
      </Form>
    </Shell>
  );
}

export function NewInquiry({ principal }: { principal: Principal }) {
  const [form] = Form.useForm();
  const { mutation, problem } = useCreate<Schemas['CreateInquiry']>(form, (body, key) =>
    unwrap(api.POST('/api/v1/inquiries', { body, headers: { 'Idempotency-Key': key } })),
  );
  return (
    <Shell title="登记咨询" problem={problem}>
      <Form
        form={form}
        layout="vertical"
        aria-label="登记咨询"
        initialValues={{ channel: 'phone' }}
        onFinish={(v: Schemas['CreateInquiry']) => mutation.mutate({ ...v, answer: v.answer?.trim() || undefined })}
      >
        <TeamField principal={principal} />
        <Form.Item name={['customer', 'name']} label="咨询人姓名" rules={required('咨询人姓名')}>
          <Input style={{ width: 200 }} autoComplete="off" />
        </Form.Item>
        <Form.Item name={['customer', 'phone']} label="咨询人手机" rules={required('咨询人手机')}>
          <Input style={{ width: 200 }} autoComplete="off" />
        </Form.Item>
        <Form.Item name="channel" label="渠道" rules={required('渠道')}>
          <Select style={{ width: 200 }} options={options(CHANNEL_ZH, INQUIRY_CHANNELS)} />
        </Form.Item>
        <Form.Item name="topic" label="主题（代码，如 claim_progress）" rules={required('主题')}>
          <Input style={{ width: 260 }} />
        </Form.Item>
        <Form.Item name="question" label="问题" rules={required('问题')}>
          <Input.TextArea rows={3} />
        </Form.Item>
        <Form.Item name="answer" label="当场答复（填写则直接结案）">
          <Input.TextArea rows={3} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={mutation.isPending}>
          提交咨询
        </Button>
      </Form>
    </Shell>
  );
}

export function NewPurchase({ principal }: { principal: Principal }) {
  const [form] = Form.useForm();
  const { mutation, problem } = useCreate<Schemas['CreatePurchase']>(form, (body, key) =>
    unwrap(api.POST('/api/v1/purchases', { body, headers: { 'Idempotency-Key': key } })),
  );
  return (
    <Shell title="新建投保" problem={problem}>
      <Form
        form={form}
        layout="vertical"
        aria-label="新建投保"
        initialValues={{ product: 'both', vehicle: { usage: 'private' } }}
        onFinish={(v: Schemas['CreatePurchase']) =>
          mutation.mutate({
            ...v,
            customer: { ...v.customer, email: v.customer.email?.trim() || undefined },
            needs: v.needs?.trim() || undefined,
          })
        }
      >
        <TeamField principal={principal} />
        <Form.Item name={['customer', 'name']} label="客户姓名" rules={required('客户姓名')}>
          <Input style={{ width: 200 }} autoComplete="off" />
        </Form.Item>
        <Form.Item name={['customer', 'phone']} label="客户手机" rules={required('客户手机')}>
          <Input style={{ width: 200 }} autoComplete="off" />
        </Form.Item>
        <Form.Item name={['customer', 'email']} label="客户邮箱">
          <Input style={{ width: 260 }} autoComplete="off" />
        </Form.Item>
        <Form.Item name={['vehicle', 'plate']} label="车牌号" rules={required('车牌号')}>
          <Input style={{ width: 200 }} autoComplete="off" />
        </Form.Item>
        <Form.Item name={['vehicle', 'usage']} label="使用性质">
          <Select
            style={{ width: 200 }}
            options={[
              { value: 'private', label: '家庭自用' },
              { value: 'business', label: '营业' },
            ]}
          />
        </Form.Item>
        <Form.Item name="product" label="险种" rules={required('险种')}>
          <Select
            style={{ width: 200 }}
            options={Object.entries(PURCHASE_PRODUCT_ZH).map(([value, label]) => ({ value, label }))}
          />
        </Form.Item>
        <Form.Item name="needs" label="客户需求">
          <Input.TextArea rows={3} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={mutation.isPending}>
          新建投保
        </Button>
      </Form>
    </Shell>
  );
}
