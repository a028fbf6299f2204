/**
 * 人力资源 home: the assessments waiting for HR (scored ones to publish, appeals to answer), who is in
 * the directory, and the training that needs HR now — records whose retake failed (flagged to HR),
 * retakes due and training clocks breached.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Row, Space, Statistic } from 'antd';
import { listAssessments } from '../api/assessments';
import { listStaff } from '../api/staff';
import { listTrainingRecords } from '../api/training';
import { problemMessage } from '../app/problems';
import { navigate } from '../app/router';
import { TEXT_TONE } from '../app/tones';
import { TrainingTable } from './Training';

export default function HrHome() {
  const staff = useQuery({
    queryKey: ['staff', 'directory', { active: 'true' }],
    queryFn: () => listStaff({ active: 'true' }),
  });
  const records = useQuery({
    queryKey: ['training', 'records', {}],
    queryFn: () => listTrainingRecords({}),
    refetchInterval: 15_000,
  });
  const toPublish = useQuery({
    queryKey: ['assessments', 'scored'],
    queryFn: () => listAssessments({ status: 'scored' }),
    refetchInterval: 15_000,
  });
  const appeals = useQuery({
    queryKey: ['assessments', 'appeals'],
    queryFn: () => listAssessments({ status: 'appealed' }),
    refetchInterval: 15_000,
  });
  const items = records.data?.items ?? [];
  const flagged = items.filter((r) => r.status === 'flagged');
  const retakes = items.filter((r) => r.status === 'failed' || r.status === 'retake');
  const late = items.filter((r) => r.clocks.some((c) => c.state === 'breached'));
  const open = items.filter((r) => r.status !== 'passed' && r.status !== 'flagged');
  const attention = items.filter((r) => flagged.includes(r) || retakes.includes(r) || late.includes(r));
  const agents = (staff.data?.items ?? []).filter((s) => s.role === 'agent').length;
  const error = staff.error ?? records.error ?? toPublish.error ?? appeals.error;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {error && <Alert type="error" showIcon title={problemMessage(error)} />}
      <Row gutter={[12, 12]}>
        <Col xs={24} md={8}>
          <Card
            size="small"
            title="绩效考核"
            extra={<Button onClick={() => navigate('/assessment/publication')}>考核公示 / 申诉</Button>}
          >
            <Space size="large">
              <Statistic title="待公示" value={toPublish.data?.items.length ?? 0} loading={toPublish.isPending} />
              <Statistic
                title="待答复申诉"
                value={appeals.data?.items.length ?? 0}
                loading={appeals.isPending}
                valueStyle={appeals.data?.items.length ? { color: TEXT_TONE.amber } : undefined}
              />
            </Space>
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card size="small" title="人员" extra={<Button onClick={() => navigate('/staff')}>人员名录</Button>}>
            <Space size="large">
              <Statistic title="在职人员" value={staff.data?.items.length ?? 0} loading={staff.isPending} />
              <Statistic title="在职坐席" value={agents} loading={staff.isPending} />
            </Space>
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card size="small" title="培训" extra={<Button onClick={() => navigate('/training')}>全部培训记录</Button>}>
            <Space size="large">
              <Statistic title="进行中" value={open.length} loading={records.isPending} />
              <Statistic
                title="待补考"
                value={retakes.length}
                loading={records.isPending}
                valueStyle={retakes.length ? { color: TEXT_TONE.amber } : undefined}
              />
              <Statistic
                title="补考未通过"
                value={flagged.length}
                loading={records.isPending}
                valueStyle={flagged.length ? { color: TEXT_TONE.red } : undefined}
              />
              <Statistic
                title="培训超时"
                value={late.length}
                loading={records.isPending}
                valueStyle={late.length ? { color: TEXT_TONE.red } : undefined}
              />
            </Space>
          </Card>
        </Col>
      </Row>
      <section aria-label="需要处理的培训">
        <Card size="small" title="需要处理的培训（补考未通过、待补考、已超时）">
          <TrainingTable records={attention} loading={records.isPending} canRecord />
        </Card>
      </section>
    </Space>
  );
}
