/**
 * 人员: the staff directory (GET /staff) with its filters, and a person's record added or changed
 * (PUT /staff/{staffId}) by an admin or HR. The directory decides who can be assigned, scored,
 * trained and counted; a new agent's onboarding training is the API's to assign.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Form, Input, Modal, Select, Space, Switch, Table, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, unwrap } from '../api/client';
import { listStaff, type StaffMember, type StaffQuery } from '../api/staff';
import { shanghaiDate, shanghaiTime } from '../app/format';
import { ROLE_ZH, label } from '../app/glossary';
import { problemMessage, showFieldErrors } from '../app/problems';
import { TONE } from '../app/tones';

type Member = StaffMember;
type Query = StaffQuery;

const ROLES = Object.entries(ROLE_ZH).map(([value, text]) => ({ value, label: text }));

export default function StaffDirectory() {
  const [query, setQuery] = useState<Query>({});
  const staff = useQuery({ queryKey: ['staff', 'directory', query], queryFn: () => listStaff(query) });
  const [editing, setEditing] = useState<Member | 'new' | null>(null);
  // Whom a person may report to: the whole directory's supervisors and managers, whatever the filter.
  const everyone = useQuery({ queryKey: ['staff', 'directory', {}], queryFn: () => listStaff({}) });
  const supervisors = (everyone.data?.items ?? []).filter((s) => s.role === 'supervisor' || s.role === 'manager');
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small">
        <Form
          name="staff-filter"
          layout="inline"
          aria-label="筛选人员"
          onFinish={(values: { team?: string; role?: Member['role']; active?: 'true' | 'false' }) =>
            setQuery({
              team: values.team?.trim() || undefined,
              role: values.role || undefined,
              active: values.active || undefined,
            })
          }
        >
          <Form.Item name="team" label="团队">
            <Input allowClear style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name="role" label="角色">
            <Select allowClear style={{ width: 120 }} options={ROLES} />
          </Form.Item>
          <Form.Item name="active" label="在职">
            <Select
              allowClear
              style={{ width: 90 }}
              options={[
                { value: 'true', label: '在职' },
                { value: 'false', label: '停用' },
              ]}
            />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit">
                查询
              </Button>
              <Button onClick={() => setEditing('new')}>新增人员</Button>
            </Space>
          </Form.Item>
        </Form>
      </Card>
      {staff.isError && <Alert type="error" showIcon title={problemMessage(staff.error)} />}
      <Table<Member>
        rowKey="id"
        size="middle"
        loading={staff.isPending}
        dataSource={staff.data?.items ?? []}
        pagination={{ pageSize: 20, showSizeChanger: false }}
        locale={{ emptyText: '暂无人员' }}
        columns={[
          { title: '员工编号', dataIndex: 'id' },
          { title: '姓名', dataIndex: 'name' },
          { title: '角色', dataIndex: 'role', render: (r: string) => label(ROLE_ZH, r) },
          { title: '团队', dataIndex: 'team', render: (t: string | null) => t ?? '—' },
          { title: '上级', dataIndex: 'supervisorId', render: (s: string | null) => s ?? '—' },
          { title: '入职日期', dataIndex: 'hiredAt' },
          {
            title: '状态',
            dataIndex: 'active',
            render: (a: boolean) => <Tag color={a ? TONE.green : TONE.grey}>{a ? '在职' : '停用'}</Tag>,
          },
          { title: '更新于', dataIndex: 'updatedAt', render: (t: string) => shanghaiTime(t) },
          {
            title: '操作',
            key: 'edit',
            render: (_: unknown, m) => (
              <Button size="small" onClick={() => setEditing(m)} aria-label={`编辑 ${m.id}`}>
                编辑
              </Button>
            ),
          },
        ]}
      />
      {editing && (
        <StaffForm
          member={editing === 'new' ? null : editing}
          supervisors={supervisors}
          onClose={() => setEditing(null)}
        />
      )}
    </Space>
  );
}

interface Values {
  staffId: string;
  name: string;
  role: Member['role'];
  team?: string;
  supervisorId?: string;
  hiredAt: Dayjs;
  active: boolean;
}

function StaffForm({
  member,
  supervisors,
  onClose,
}: {
  member: Member | null;
  supervisors: Member[];
  onClose: () => void;
}) {
  const [form] = Form.useForm<Values>();
  const { message } = App.useApp();
  const queries = useQueryClient();
  const [leftover, setLeftover] = useState<string[]>([]);
  const role = Form.useWatch('role', form);
  const save = useMutation({
    mutationFn: ({ staffId, hiredAt, team, supervisorId, ...rest }: Values) =>
      unwrap(
        api.PUT('/api/v1/staff/{staffId}', {
          params: { path: { staffId: staffId.trim() } },
          body: {
            ...rest,
            name: rest.name.trim(),
            hiredAt: hiredAt.format('YYYY-MM-DD'),
            ...(team?.trim() ? { team: team.trim() } : {}),
            ...(supervisorId ? { supervisorId } : {}),
          },
        }),
      ),
    onSuccess: (saved) => {
      void message.success(`${saved.name}（${saved.id}）已保存`);
      void queries.invalidateQueries({ queryKey: ['staff'] });
      onClose();
    },
    onError: (err) => {
      setLeftover(showFieldErrors(form, err));
      void message.error(problemMessage(err));
    },
  });
  const scoped = role === 'agent' || role === 'supervisor';
  return (
    <Modal
      open
      title={member ? `编辑人员 ${member.id}` : '新增人员'}
      okText="保存"
      cancelText="取消"
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: save.isPending }}
      destroyOnHidden
    >
      <Form<Values>
        form={form}
        name="staff-record"
        layout="vertical"
        aria-label="人员信息"
        initialValues={
          member
            ? {
                staffId: member.id,
                name: member.name,
                role: member.role,
                team: member.team ?? undefined,
                supervisorId: member.supervisorId ?? undefined,
                hiredAt: dayjs(member.hiredAt),
                active: member.active,
              }
            : { role: 'agent', active: true, hiredAt: dayjs(shanghaiDate()) }
        }
        onFinish={(values) => save.mutate(values)}
      >
        <Form.Item name="staffId" label="员工编号" rules={[{ required: true, message: '请填写员工编号' }]}>
          <Input disabled={!!member} />
        </Form.Item>
        <Form.Item name="name" label="姓名" rules={[{ required: true, message: '请填写姓名' }]}>
          <Input />
        </Form.Item>
        <Form.Item name="role" label="角色" rules={[{ required: true, message: '请选择角色' }]}>
          <Select options={ROLES} />
        </Form.Item>
        <Form.Item
          name="team"
          label="团队"
          rules={scoped ? [{ required: true, message: '坐席和主管必须属于一个团队' }] : []}
        >
          <Input />
        </Form.Item>
        <Form.Item name="supervisorId" label="上级">
          <Select
            allowClear
            showSearch
            options={supervisors
              .filter((s) => s.id !== member?.id)
              .map((s) => ({ value: s.id, label: `${s.name}（${s.id}）` }))}
          />
        </Form.Item>
        <Form.Item name="hiredAt" label="入职日期" rules={[{ required: true, message: '请选择入职日期' }]}>
          <DatePicker />
        </Form.Item>
        <Form.Item name="active" label="在职" valuePropName="checked">
          <Switch />
        </Form.Item>
        {leftover.length > 0 && <Alert type="error" showIcon title={leftover.join('；')} />}
      </Form>
    </Modal>
  );
}
