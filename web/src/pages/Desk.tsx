/** 我的工作台: my open cases, nearest deadline first, each clock counting down live. */
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Space, Statistic } from 'antd';
import { listAllCases } from '../api/cases';
import { problemMessage } from '../app/problems';
import { navigate } from '../app/router';
import type { Principal } from '../app/session';
import { byNextDue, CaseTable } from '../components/CaseTable';
import { TEXT_TONE } from '../app/tones';

export function Desk({ principal }: { principal: Principal }) {
  const mine = useQuery({
    queryKey: ['cases', 'mine', principal.sub],
    queryFn: () => listAllCases({ assignee: principal.sub, open: 'true' }),
    refetchInterval: 5_000,
  });
  const open = [...(mine.data ?? [])].sort(byNextDue);
  const now = Date.now();
  const overdue = open.filter((c) => c.nextDueAt && Date.parse(c.nextDueAt) < now).length;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card>
        <Space size="large" wrap>
          <Statistic title="我的未结案件" value={open.length} />
          <Statistic title="已超时" value={overdue} valueStyle={overdue ? { color: TEXT_TONE.red } : undefined} />
          <Statistic title="已升级" value={open.filter((c) => c.escalationLevel > 0).length} />
          <Space>
            <Button type="primary" onClick={() => navigate('/new/claim')}>
              报案
            </Button>
            <Button onClick={() => navigate('/new/complaint')}>投诉</Button>
            <Button onClick={() => navigate('/new/inquiry')}>咨询</Button>
          </Space>
        </Space>
      </Card>
      {mine.isError && <Alert type="error" showIcon title={problemMessage(mine.error)} />}
      <CaseTable caption="我的案件（按最近时限排序）" items={open} loading={mine.isPending} />
    </Space>
  );
}
