/**
 * One allowed action as a form. Posts through the public API with an Idempotency-Key (a double
 * click joins the first submit), shows a 400's field errors against the fields and anything else —
 * a 409 because the case moved on meanwhile — as a message, then refreshes the case.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Form, Input, InputNumber, Radio, Select, Space } from 'antd';
import { useRef, useState } from 'react';
import { fetchJson, idempotencyKey, type CaseType } from '../api/client';
import { problemMessage, showFieldErrors } from '../app/problems';
import type { ActionSpec, FieldSpec } from './actions';

/** A plan's coverages (投保方案): one row per coverage, code, sum insured, deductible, premium. */
function CoverageList({ field }: { field: FieldSpec }) {
  return (
    <Form.Item label={field.label} required={field.required}>
      <Form.List name={field.name} initialValue={[{}]}>
        {(rows, { add, remove }) => (
          <>
            {rows.map((row) => (
              <Space key={row.key} align="baseline" wrap>
                <Form.Item name={[row.name, 'code']} rules={[{ required: true, message: '请选择险别' }]}>
                  <Select options={field.options} placeholder="险别" style={{ minWidth: 150 }} aria-label="险别" />
                </Form.Item>
                <Form.Item name={[row.name, 'sumInsured']}>
                  <InputNumber min={0} step={1000} precision={2} placeholder="保额" aria-label="保额" />
                </Form.Item>
                <Form.Item name={[row.name, 'deductible']}>
                  <InputNumber min={0} step={100} precision={2} placeholder="免赔额" aria-label="免赔额" />
                </Form.Item>
                <Form.Item name={[row.name, 'premium']} rules={[{ required: true, message: '请填写保费' }]}>
                  <InputNumber min={0} step={0.01} precision={2} placeholder="保费" aria-label="保费" />
                </Form.Item>
                <Button onClick={() => remove(row.name)}>删除</Button>
              </Space>
            ))}
            <Button onClick={() => add({})}>添加险别</Button>
          </>
        )}
      </Form.List>
    </Form.Item>
  );
}

function Field({ field }: { field: FieldSpec }) {
  if (field.kind === 'coverages') return <CoverageList field={field} />;
  const rules = field.required ? [{ required: true, message: `请填写${field.label}` }] : [];
  const control = (() => {
    switch (field.kind) {
      case 'textarea':
        return <Input.TextArea rows={2} />;
      case 'money':
        return <InputNumber min={0} step={0.01} precision={2} style={{ width: 200 }} />;
      case 'select':
        return <Select options={field.options} style={{ minWidth: 160 }} />;
      case 'multiselect':
        return <Select mode="multiple" options={field.options} />;
      case 'yesno':
        return (
          <Radio.Group
            options={[
              { value: true, label: '是' },
              { value: false, label: '否' },
            ]}
          />
        );
      case 'datetime':
        return <DatePicker showTime format="YYYY-MM-DD HH:mm" />;
      case 'score':
        return <Radio.Group options={[1, 2, 3, 4, 5].map((n) => ({ value: n, label: String(n) }))} />;
      default:
        return <Input />;
    }
  })();
  return (
    <Form.Item
      name={field.name.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k))}
      label={field.label}
      rules={rules}
    >
      {control}
    </Form.Item>
  );
}

/**
 * The body without the fields left empty (optional fields are absent, never empty strings), nested
 * objects (`holder.name`) and lists (coverages) alike; a picked date is sent as its ISO instant.
 */
function bodyOf(values: Record<string, unknown>): Record<string, unknown> {
  const clean = (v: unknown): unknown => {
    if (v && typeof v === 'object' && 'toISOString' in v && typeof v.toISOString === 'function')
      return (v as { toISOString: () => string }).toISOString();
    if (Array.isArray(v)) return v.map(clean).filter((x) => x !== undefined);
    if (v && typeof v === 'object') {
      const inner = bodyOf(v as Record<string, unknown>);
      return Object.keys(inner).length > 0 ? inner : undefined;
    }
    if (v === null || v === undefined || (typeof v === 'string' && !v.trim())) return undefined;
    return v;
  };
  return Object.fromEntries(
    Object.entries(values)
      .map(([k, v]) => [k, clean(v)] as const)
      .filter(([, v]) => v !== undefined),
  );
}

export function ActionForm({ type, caseId, spec }: { type: CaseType; caseId: string; spec: ActionSpec }) {
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const queries = useQueryClient();
  const key = useRef(idempotencyKey());
  const [leftover, setLeftover] = useState<string[]>([]);
  const submit = useMutation({
    mutationFn: (values: Record<string, unknown>) => {
      const pathValues: Record<string, string> = { id: caseId };
      for (const f of spec.pathFields ?? []) pathValues[f.name] = String(values[f.name] ?? '');
      const body = bodyOf(Object.fromEntries(Object.entries(values).filter(([k]) => !(k in pathValues))));
      const url = spec.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(pathValues[name] ?? ''));
      return fetchJson(url, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'Idempotency-Key': key.current },
      });
    },
    onSuccess: () => {
      key.current = idempotencyKey();
      form.resetFields();
      setLeftover([]);
      void message.success(`${spec.title}：已提交`);
    },
    onError: (err) => {
      key.current = idempotencyKey();
      setLeftover(showFieldErrors(form, err));
      void message.error(problemMessage(err));
    },
    onSettled: () =>
      Promise.all([
        queries.invalidateQueries({ queryKey: ['case', type, caseId] }),
        queries.invalidateQueries({ queryKey: ['timeline', caseId] }),
        queries.invalidateQueries({ queryKey: ['notifications', caseId] }),
        queries.invalidateQueries({ queryKey: ['cases'] }),
      ]),
  });
  const slug = spec.path.split('/').slice(5).join('-').replace(/[{}]/g, '');
  return (
    <Card size="small" title={spec.title} data-action={slug}>
      <Form
        form={form}
        layout="vertical"
        aria-label={spec.title}
        onFinish={(values: Record<string, unknown>) => submit.mutate(values)}
      >
        {(spec.pathFields ?? []).map((f) => (
          <Field key={f.name} field={f} />
        ))}
        {spec.fields.map((f) => (
          <Field key={f.name} field={f} />
        ))}
        {leftover.length > 0 && (
          <Alert type="error" showIcon title={leftover.join('；')} style={{ marginBottom: 12 }} />
        )}
        <Button type="primary" danger={spec.danger} htmlType="submit" loading={submit.isPending}>
          {spec.submit}
        </Button>
      </Form>
    </Card>
  );
}
