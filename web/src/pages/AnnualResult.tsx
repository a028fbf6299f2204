/**
 * 年度考核结果: the year's final monthly assessments combined per agent (GET /assessments/annual/{year}),
 * the grade and bonus coefficient, and the year's excellent staff (年度优秀客服人员). The January run
 * fixes the result; until then it is the year so far. A supervisor sees the own team (the API scopes it).
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, DatePicker, Form, Space, Table, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, unwrap, type Schemas } from '../api/client';
import { shanghaiTime } from '../app/format';
import { problemMessage } from '../app/problems';
import { GRADE_TONE, TONE } from '../app/tones';

type AnnualItem = Schemas['AnnualAssessment']['items'][number];

export function AnnualResult() {
  // In January the year just ended is the one being fixed; later in the year, still last year's.
  const [year, setYear] = useState<Dayjs>(dayjs().subtract(1, 'year').startOf('year'));
  const y = year.year();
  const annual = useQuery({
    queryKey: ['assessments', 'annual', y],
    queryFn: () => unwrap(api.GET('/api/v1/assessments/annual/{year}', { params: { path: { year: y } } })),
  });
  const data = annual.data;
  return (
    <section aria-label="年度考核结果">
      <Card
        size="small"
        title={`${y} 年度考核结果`}
        extra={
          <Form name="annual-year" layout="inline" aria-label="考核年度">
            <Form.Item label="年度" style={{ marginBottom: 0 }}>
              <DatePicker picker="year" value={year} allowClear={false} onChange={(d) => d && setYear(d)} />
            </Form.Item>
          </Form>
        }
      >
        <Space direction="vertical" size="small" style={{ width: '100%' }}>
          {annual.isError && <Alert type="error" showIcon title={problemMessage(annual.error)} />}
          {data && (
            <Alert
              type={data.computedAt ? 'success' : 'info'}
              showIcon
              title={
                data.computedAt
                  ? `已于 ${shanghaiTime(data.computedAt)} 定稿`
                  : '尚未定稿：以下为截至目前已定稿月份的合计，次年 1 月考核运行后定稿'
              }
            />
          )}
          {data && (
            <div data-testid="excellent-staff">
              年度优秀客服人员：
              {data.excellentStaff.length
                ? data.excellentStaff.map((s) => (
                    <Tag key={s} color={TONE.green}>
                      {s}
                    </Tag>
                  ))
                : '暂无'}
            </div>
          )}
          <Table<AnnualItem>
            rowKey="staffId"
            size="middle"
            loading={annual.isPending}
            dataSource={data?.items ?? []}
            pagination={{ pageSize: 20, showSizeChanger: false }}
            locale={{ emptyText: '该年度暂无已定稿的月度考核' }}
            columns={[
              { title: '员工', dataIndex: 'staffId' },
              { title: '团队', dataIndex: 'team' },
              { title: '考核月数', dataIndex: 'months' },
              { title: '年度总分', dataIndex: 'total', render: (t: number) => t.toFixed(1) },
              {
                title: '等级',
                dataIndex: 'grade',
                render: (g: string) => <Tag color={GRADE_TONE[g] ?? TONE.grey}>{g}</Tag>,
              },
              { title: '绩效系数', dataIndex: 'bonusCoefficient' },
              { title: '优秀月数', dataIndex: 'excellentMonths' },
              {
                title: '年度优秀',
                dataIndex: 'excellent',
                render: (e: boolean) => (e ? <Tag color={TONE.green}>年度优秀客服人员</Tag> : '—'),
              },
            ]}
          />
        </Space>
      </Card>
    </section>
  );
}
