/**
 * 新建培训计划 (POST /training/plans), for HR, managers and admins: onboarding, periodic or special
 * training for named people or a whole team, with its topics and pass mark. A periodic plan is for a
 * team and repeats every N months; the API says which combinations it takes (400 against the field).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Drawer, Form, Input, InputNumber, Radio, Select } from 'antd';
import { useState } from 'react';
import { api, idempotencyKey, unwrap, type Schemas } from '../api/client';
import { listStaff } from '../api/staff';
import { TRAINING_KIND_ZH } from '../app/glossary';
import { problemMessage, showFieldErrors } from '../app/problems';

type Kind = Schemas['TrainingPlan']['kind'];

interface PlanValues {
  kind: Kind;
  title: string;
  topics: string[];
  passMark: number;
  durationDays?: number;
  everyMonths?: number;
  who: 'team' | 'staff';
  team?: string;
  staffIds?: string[];
  reason?: string;
}

export function NewTrainingPlan() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)}>
        新建培训计划
      </Button>
      <Drawer title="新建培训计划" width={560} open={open} onClose={() => setOpen(false)} destroyOnHidden>
        {open && <PlanForm onDone={() => setOpen(false)} />}
      </Drawer>
    </>
  );
}

function PlanForm({ onDone }: { onDone: () => void }) {
  const [form] = Form.useForm<PlanValues>();
  const kind = Form.useWatch('kind', form);
  const who = Form.useWatch('who', form);
  const { message } = App.useApp();
  const queries = useQueryClient();
  const staff = useQuery({ queryKey: ['staff', 'active'], queryFn: () => listStaff({ active: 'true' }) });
  const teams = [...new Set((staff.data?.items ?? []).map((m) => m.team).filter((t): t is string => !!t))].sort();
  // One key per form: a retry of the same plan after a lost answer is the same plan, not a second one.
  const [key] = useState(idempotencyKey);
  const create = useMutation({
    mutationFn: (v: PlanValues) => {
      const periodic = v.kind === 'periodic';
      const body = {
        kind: v.kind,
        title: v.title.trim(),
        topics: v.topics.map((t) => t.trim()).filter(Boolean),
        passMark: v.passMark,
        ...(v.durationDays === undefined ? {} : { durationDays: v.durationDays }),
        ...(periodic && v.everyMonths !== undefined ? { everyMonths: v.everyMonths } : {}),
        ...(v.reason?.trim() ? { reason: v.reason.trim() } : {}),
        ...(periodic || v.who === 'team' ? { team: v.team ?? '' } : { staffIds: v.staffIds ?? [] }),
      } as Schemas['TrainingPlanRequest'];
      return unwrap(api.POST('/api/v1/training/plans', { params: { header: { 'Idempotency-Key': key } }, body }));
    },
    onSuccess: (plan) => {
      void message.success(`培训计划「${plan.title}」已建立：${plan.recordIds.length} 人`);
      onDone();
    },
    onError: (err) => {
      showFieldErrors(form, err);
      void message.error(problemMessage(err));
    },
    onSettled: () => queries.invalidateQueries({ queryKey: ['training'] }),
  });
  return (
    <Form<PlanValues>
      form={form}
      name="training-plan"
      layout="vertical"
      aria-label="新建培训计划"
      initialValues={{ kind: 'special', who: 'staff', passMark: 60, topics: [] }}
      onFinish={(v) => create.mutate(v)}
    >
      <Form.Item name="kind" label="类别">
        <Radio.Group
          optionType="button"
          options={Object.entries(TRAINING_KIND_ZH).map(([value, text]) => ({ value, label: text }))}
        />
      </Form.Item>
      <Form.Item name="title" label="名称" rules={[{ required: true, whitespace: true, message: '请填写培训名称' }]}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="topics" label="内容" rules={[{ required: true, message: '请至少填写一项培训内容' }]}>
        <Select mode="tags" tokenSeparators={['、', ',', '，']} placeholder="输入后回车，可填多项" />
      </Form.Item>
      <Form.Item name="passMark" label="合格线" rules={[{ required: true, message: '请填写合格线' }]}>
        <InputNumber min={0} max={100} />
      </Form.Item>
      <Form.Item name="durationDays" label="培训天数">
        <InputNumber min={1} max={365} />
      </Form.Item>
      {kind === 'periodic' ? (
        <Form.Item name="everyMonths" label="每隔几个月一轮（默认 3）">
          <InputNumber min={1} max={24} />
        </Form.Item>
      ) : (
        <Form.Item name="who" label="对象">
          <Radio.Group
            optionType="button"
            options={[
              { value: 'staff', label: '指定人员' },
              { value: 'team', label: '整个团队' },
            ]}
          />
        </Form.Item>
      )}
      {kind === 'periodic' || who === 'team' ? (
        <Form.Item name="team" label="团队" rules={[{ required: true, message: '请选择团队' }]}>
          <Select options={teams.map((t) => ({ value: t, label: t }))} loading={staff.isPending} />
        </Form.Item>
      ) : (
        <Form.Item name="staffIds" label="人员" rules={[{ required: true, message: '请选择参训人员' }]}>
          <Select
            mode="multiple"
            loading={staff.isPending}
            optionFilterProp="label"
            options={(staff.data?.items ?? []).map((m) => ({ value: m.id, label: `${m.name}（${m.id}）` }))}
          />
        </Form.Item>
      )}
      <Form.Item name="reason" label="原因">
        <Input.TextArea maxLength={500} rows={2} placeholder="例如：季度服务规范复训" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={create.isPending}>
        建立计划
      </Button>
    </Form>
  );
}
