/**
 * 质检: the team's handled cases (assigned to someone; ended ones included), each reviewable with the
 * 服务质检 checklist in a drawer. The reviewed person is one the case's assignment history names.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Drawer, Form, Select, Space } from 'antd';
import { useState } from 'react';
import { getTimeline, listCases, type CaseListQuery } from '../api/cases';
import type { CaseListItem } from '../api/client';
import { CASE_TYPE_ZH, label } from '../app/glossary';
import { problemMessage } from '../app/problems';
import type { Principal } from '../app/session';
import { CaseTable } from '../components/CaseTable';
import { handlersOf, QualityReviewForm } from '../components/QualityReviewForm';

export default function Quality({ principal }: { principal: Principal }) {
  const [query, setQuery] = useState<Pick<CaseListQuery, 'type' | 'open'>>({});
  const cases = useQuery({
    queryKey: ['cases', 'quality', query, principal.team],
    queryFn: () => listCases({ ...query, limit: 100 }),
    refetchInterval: 15_000,
  });
  const [reviewing, setReviewing] = useState<CaseListItem | null>(null);
  const handled = (cases.data?.items ?? []).filter((c) => c.assignee);
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small">
        <Form
          name="quality-filter"
          layout="inline"
          aria-label="筛选质检案件"
          onFinish={(v: { type?: CaseListQuery['type']; open?: CaseListQuery['open'] }) =>
            setQuery({ type: v.type || undefined, open: v.open || undefined })
          }
        >
          <Form.Item name="type" label="类型">
            <Select
              allowClear
              style={{ width: 100 }}
              options={Object.keys(CASE_TYPE_ZH).map((value) => ({ value, label: label(CASE_TYPE_ZH, value) }))}
            />
          </Form.Item>
          <Form.Item name="open" label="仅未结">
            <Select
              allowClear
              style={{ width: 80 }}
              options={[
                { value: 'true', label: '是' },
                { value: 'false', label: '否' },
              ]}
            />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit">
              查询
            </Button>
          </Form.Item>
        </Form>
      </Card>
      {cases.isError && <Alert type="error" showIcon title={problemMessage(cases.error)} />}
      <CaseTable
        caption="已分配经办人的案件"
        items={handled}
        loading={cases.isPending}
        showClocks={false}
        extraColumns={[
          {
            title: '质检',
            key: 'review',
            render: (_: unknown, item: CaseListItem) => (
              <Button size="small" onClick={() => setReviewing(item)} aria-label={`质检 ${item.id}`}>
                质检
              </Button>
            ),
          },
        ]}
      />
      <Drawer
        open={!!reviewing}
        title={reviewing ? `服务质检 ${reviewing.id}` : ''}
        width={520}
        onClose={() => setReviewing(null)}
        destroyOnHidden
      >
        {reviewing && <ReviewOf item={reviewing} onSaved={() => setReviewing(null)} />}
      </Drawer>
    </Space>
  );
}

function ReviewOf({ item, onSaved }: { item: CaseListItem; onSaved: () => void }) {
  const timeline = useQuery({ queryKey: ['timeline', item.id], queryFn: () => getTimeline(item.id) });
  if (timeline.isPending) return <Card loading />;
  if (timeline.isError) return <Alert type="error" showIcon title={problemMessage(timeline.error)} />;
  return <QualityReviewForm caseId={item.id} handlers={handlersOf(item.assignee, timeline.data)} onSaved={onSaved} />;
}
