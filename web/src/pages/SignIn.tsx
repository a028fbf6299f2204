/**
 * Signing in. In the embedded mode (`npm start`) the launcher offers a dev sign-in listing the seeded
 * staff (GET /dev/staff, POST /dev/sign-in): one click per person. When the API names a company
 * identity provider (GET /api/v1/auth/config), staff sign in with OpenID Connect (authorization code
 * + PKCE, app/oidc.ts) and come back here with a code. Otherwise they paste a bearer token.
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, List, Space, Spin, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { completeOidcSignIn, isOidcCallback, startOidcSignIn, type OidcSettings } from '../app/oidc';
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
  const authConfig = useQuery({
    queryKey: ['auth-config'],
    queryFn: () => fetchJson<{ embedded: boolean; oidc: OidcSettings | null }>('/api/v1/auth/config'),
    retry: false,
  });
  const devMode = staff.isSuccess;
  const oidc = authConfig.data?.oidc ?? null;
  let body;
  if (isOidcCallback()) body = <OidcCallback />;
  else if (staff.isPending || authConfig.isPending) body = <Card loading />;
  else if (devMode) body = <DevSignIn staff={staff.data.items} />;
  else
    body = (
      <Space orientation="vertical" size="large" style={{ width: '100%' }}>
        {oidc && <OidcSignIn settings={oidc} />}
        <TokenSignIn />
      </Space>
    );
  return (
    <main style={{ maxWidth: 560, margin: '64px auto', padding: 16 }}>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        motordesk 客服工作台 · 登录
      </Typography.Title>
      {body}
    </main>
  );
}

function OidcSignIn({ settings }: { settings: OidcSettings }) {
  const start = useMutation({ mutationFn: () => startOidcSignIn(settings) });
  return (
    <Card title="公司统一身份认证">
      <Typography.Paragraph type="secondary">
        将跳转到公司身份认证页面（{settings.issuer}），登录后自动返回。
      </Typography.Paragraph>
      {start.isError && (
        <Alert type="error" showIcon title="无法连接身份认证服务，请稍后重试。" style={{ marginBottom: 12 }} />
      )}
      <Button type="primary" loading={start.isPending} onClick={() => start.mutate()}>
        使用统一身份认证登录
      </Button>
    </Card>
  );
}

/** The provider's answer: exchange the code once (a remount must not spend it twice). */
let completing: ReturnType<typeof completeOidcSignIn> | undefined;

function OidcCallback() {
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    completing ??= completeOidcSignIn();
    completing.then(
      ({ token, principal, name }) => {
        if (session.signIn(token, name, principal)) navigate(homeOf(principal.role));
        else setError('令牌已过期，请重新登录。');
      },
      () => setError('统一身份认证登录未完成，请重新登录。'),
    );
  }, []);
  return (
    <Card title="公司统一身份认证">
      {error ? (
        <Alert
          type="error"
          showIcon
          title={error}
          action={
            <Button size="small" onClick={() => window.location.reload()}>
              返回登录
            </Button>
          }
        />
      ) : (
        <Spin description="正在完成登录…">
          <div style={{ height: 48 }} />
        </Spin>
      )}
    </Card>
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
