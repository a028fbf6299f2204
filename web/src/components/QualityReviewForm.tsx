/**
 * 服务质检: a supervisor's checklist (eight items, 0..5 each) on one handled case, for someone the
 * case was assigned to (POST /quality-reviews). The API scores it 0..100 and counts it in the month's
 * assessment; the form shows that score back.
 */
import { useMutation } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Radio, Select } from 'antd';
import { useRef, useState } from 'react';
import { api, idempotencyKey, unwrap, type Schemas } from '../api/client';
import { QUALITY_ITEM_ZH } from '../app/glossary';
import { problemMessage, showFieldErrors } from '../app/problems';

type Checklist = Schemas['QualityChecklist'];
type Item = keyof Checklist;
const ITEMS = Object.entries(QUALITY_ITEM_ZH) as [Item, string][];
const POINTS = [0, 1, 2, 3, 4, 5].map((n) => ({ value: n, label: String(n) }));

interface Values {
  staffId: string;
  checklist: Checklist;
  comment?: string;
}

export function QualityReviewForm({
  caseId,
  handlers,
  onSaved,
}: {
  caseId: string;
  /** Who the case was assigned to, now or before (the ones a review may be about). */
  handlers: string[];
  onSaved?: (review: Schemas['QualityReview']) => void;
}) {
  const [form] = Form.useForm<Values>();
  const { message } = App.useApp();
  const key = useRef(idempotencyKey());
  const [leftover, setLeftover] = useState<string[]>([]);
  const save = useMutation({
    mutationFn: ({ staffId, checklist, comment }: Values) =>
      unwrap(
        api.POST('/api/v1/quality-reviews', {
          params: { header: { 'Idempotency-Key': key.current } },
          body: { caseId, staffId, checklist, ...(comment?.trim() ? { comment: comment.trim() } : {}) },
        }),
      ),
    onSuccess: (review) => {
      key.current = idempotencyKey();
      form.resetFields();
      setLeftover([]);
      void message.success(
        `服务质检已提交：${review.staffId} 得分 ${review.score.toFixed(1)}（计入 ${review.period} 考核）`,
      );
      onSaved?.(review);
    },
    onError: (err) => {
      key.current = idempotencyKey();
      setLeftover(showFieldErrors(form, err));
      void message.error(problemMessage(err));
    },
  });
  return (
    <Card size="small" title="服务质检" data-action="quality-review">
      <Form<Values>
        form={form}
        name={`quality-review-${caseId}`}
        layout="horizontal"
        labelCol={{ span: 10 }}
        aria-label="服务质检"
        initialValues={{ staffId: handlers.length === 1 ? handlers[0] : undefined }}
        onFinish={(values) => save.mutate(values)}
      >
        <Form.Item name="staffId" label="被质检人员" rules={[{ required: true, message: '请选择被质检人员' }]}>
          <Select options={handlers.map((h) => ({ value: h, label: h }))} />
        </Form.Item>
        {ITEMS.map(([item, text]) => (
          <Form.Item
            key={item}
            name={['checklist', item]}
            label={text}
            rules={[{ required: true, message: `请为「${text}」打分` }]}
          >
            <Radio.Group options={POINTS} optionType="button" size="small" aria-label={text} />
          </Form.Item>
        ))}
        <Form.Item name="comment" label="评语">
          <Input.TextArea rows={2} />
        </Form.Item>
        {leftover.length > 0 && (
          <Alert type="error" showIcon title={leftover.join('；')} style={{ marginBottom: 12 }} />
        )}
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          提交质检
        </Button>
      </Form>
    </Card>
  );
}

/** Everyone the case was ever assigned to: the current assignee and each assignment's before and after. */
export function handlersOf(assignee: string | null, timeline: Schemas['Timeline'] | undefined): string[] {
  const seen = new Set<string>();
  if (assignee) seen.add(assignee);
  for (const e of timeline?.items ?? []) {
    if (e.kind !== 'case.assigned') continue;
    for (const k of ['from', 'to'] as const) {
      const v = e.detail[k];
      if (typeof v === 'string' && v) seen.add(v);
    }
  }
  return [...seen];
}
