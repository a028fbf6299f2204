/**
 * Signing in. In the embedded mode (`npm start`) the launcher offers a dev sign-in listing the seeded
 * staff (GET /dev/staff, POST /dev/sign-in): one click per person. Elsewhere that endpoint does not
 * exist and staff paste the bearer token their identity provider issued.
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, List, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { ApiProblem, fetchJson } from '../api/client';
import { ROLE_ZH } from '../app/glossary';
import { homeOf } from '../app/pages';
import { navigate } from '../app/router';
import { session, type Role } from '../app/session';
import { TONE } from '../app/tones';

interface DevStaff {
  id: string;
  name: string;
  role: Role;
  team: string | null;
}

export function SignIn() {
  const staff = useQuery({
    queryKey: ['dev-staff'],
    queryFn: () => fetchJson<{ items: DevStaff[] }>('/dev/staff'),
    retry: false,
  });
  const devMode = staff.isSuccess;
  return (
    <main style={{ maxWidth: 560, margin: '64px auto', padding: 16 }}>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        motordesk 客服工作台 · 登录
      </Typography.Title>
      {staff.isPending ? <Card loading /> : devMode ? <DevSignIn staff={staff.data.items} /> : <TokenSignIn />}
    </main>
  );
}

function DevSignIn({ staff }: { staff: DevStaff[] }) {
  const signIn = useMutation({
    mutationFn: (person: DevStaff) =>
      fetchJson<{ token: string }>('/dev/sign-in', {
        method: 'POST',
        body: JSON.stringify({ staffId: person.id }),
      }).then(({ token }) => ({ token, person })),
    onSuccess: ({ token, person }) => {
      if (session.signIn(token, person.name)) navigate(homeOf(person.role));
    },
  });
  return (
    <Card title="开发环境登录（npm start）">
      <Typography.Paragraph type="secondary">
        本地嵌入模式下的人员名单，点击即以该身份登录。生产环境不提供此入口。
      </Typography.Paragraph>
      {signIn.isError && <Alert type="error" showIcon title="登录失败，请重试。" style={{ marginBottom: 12 }} />}
      <List
        dataSource={staff}
        renderItem={(person) => (
          <List.Item
            actions={[
              <Button
                key="go"
                type="primary"
                aria-label={`以 ${person.name} 登录`}
                loading={signIn.isPending && signIn.variables?.id === person.id}
                onClick={() => signIn.mutate(person)}
              >
                登录
              </Button>,
            ]}
          >
            <Space>
              <strong>{person.name}</strong>
              <Tag>{ROLE_ZH[person.role] ?? person.role}</Tag>
              {person.team && <Tag color={TONE.blue}>{person.team}</Tag>}
              <Typography.Text type="secondary">{person.id}</Typography.Text>
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}

function TokenSignIn() {
  const [error, setError] = useState<string | null>(null);
  return (
    <Card title="使用访问令牌登录">
      <Form
        layout="vertical"
        onFinish={({ token }: { token: string }) => {
          if (!session.signIn(token)) setError('令牌无效或已过期。');
          else navigate(homeOf(session.principal()!.role));
        }}
      >
        <Form.Item
          name="token"
          label="访问令牌（Bearer token，由公司统一身份认证签发）"
          rules={[{ required: true, message: '请粘贴访问令牌' }]}
        >
          <Input.TextArea rows={4} autoComplete="off" />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Button type="primary" htmlType="submit">
          登录
        </Button>
      </Form>
    </Card>
  );
}

export function isNotFound(err: unknown): boolean {
  return err instanceof ApiProblem && err.status === 404;
}
