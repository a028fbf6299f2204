/** The shell: sign-in until a token is held, then the side menu of the role and the current page. */
import { Button, Layout, Menu, Result, Space, Typography } from 'antd';
import type { MenuProps } from 'antd';
import { lazy, Suspense, type ReactNode } from 'react';
import { ROLE_ZH } from './glossary';
import { homeOf, PAGES, type PageEntry } from './pages';
import { matchPath, navigate, useLocationPath } from './router';
import { session, usePrincipal, type Principal } from './session';
import { SignIn } from '../pages/SignIn';
import { Desk } from '../pages/Desk';
import { Queue } from '../pages/Queue';
import { CasePage } from '../pages/CasePage';
import { NewClaim, NewComplaint, NewInquiry, NewPurchase } from '../pages/NewCase';
import { TeamBoard } from '../pages/TeamBoard';
import { DeadlinePolicies } from '../admin/DeadlinePolicies';
import { CalendarYears } from '../admin/CalendarYears';

// ECharts is large and only the dashboard draws charts: loaded with that page. The pages of HR,
// the directory, quality and compliance are not an agent's: each is loaded when first opened.
const Dashboard = lazy(() => import('../pages/Dashboard'));
const StaffDirectory = lazy(() => import('../admin/Staff'));
const HrHome = lazy(() => import('../pages/HrHome'));
const Training = lazy(() => import('../pages/Training'));
const Quality = lazy(() => import('../pages/Quality'));
const Compliance = lazy(() => import('../pages/Compliance'));
const Facilities = lazy(() => import('../pages/Facilities'));
const MyAssessment = lazy(() => import('../pages/Assessments').then((m) => ({ default: m.MyAssessment })));
const AssessmentScoring = lazy(() => import('../pages/Assessments').then((m) => ({ default: m.AssessmentScoring })));
const AssessmentHr = lazy(() => import('../pages/Assessments').then((m) => ({ default: m.AssessmentHr })));

const { Sider, Header, Content } = Layout;

function render(page: PageEntry, params: Record<string, string>, principal: Principal): ReactNode {
  switch (page.key) {
    case 'desk':
      return <Desk principal={principal} />;
    case 'queue':
      return <Queue principal={principal} />;
    case 'board':
      return <TeamBoard principal={principal} />;
    case 'dashboard':
      return <Dashboard principal={principal} />;
    case 'new-claim':
      return <NewClaim principal={principal} />;
    case 'new-complaint':
      return <NewComplaint principal={principal} />;
    case 'new-inquiry':
      return <NewInquiry principal={principal} />;
    case 'new-purchase':
      return <NewPurchase principal={principal} />;
    case 'policies':
      return <DeadlinePolicies />;
    case 'calendar':
      return <CalendarYears />;
    case 'hr':
      return <HrHome />;
    case 'training':
      return <Training principal={principal} />;
    case 'staff':
      return <StaffDirectory />;
    case 'my-assessment':
      return <MyAssessment principal={principal} />;
    case 'assessment-scoring':
      return <AssessmentScoring />;
    case 'assessment-hr':
      return <AssessmentHr />;
    case 'facilities':
      return <Facilities principal={principal} />;
    case 'quality':
      return <Quality principal={principal} />;
    case 'compliance':
      return <Compliance principal={principal} />;
    case 'case':
      return <CasePage principal={principal} type={params.type ?? ''} id={params.id ?? ''} />;
    default:
      return null;
  }
}

function menuItems(principal: Principal): MenuProps['items'] {
  const mine = PAGES.filter((p) => p.menu && p.roles.includes(principal.role));
  const items: NonNullable<MenuProps['items']> = [];
  const groups = new Map<string, { key: string; label: string }[]>();
  for (const page of mine) {
    if (page.group) {
      const list = groups.get(page.group) ?? [];
      if (!groups.has(page.group)) {
        groups.set(page.group, list);
        items.push({ key: `group:${page.group}`, label: page.group, children: list });
      }
      list.push({ key: page.path, label: page.title });
    } else items.push({ key: page.path, label: page.title });
  }
  return items;
}

export function Console() {
  const principal = usePrincipal();
  const path = useLocationPath();
  if (!principal) return <SignIn />;

  const found = PAGES.map((page) => ({ page, params: matchPath(page.path, path) })).find((m) => m.params);
  if (!found) {
    navigate(homeOf(principal.role));
    return null;
  }
  const { page, params } = found;
  const allowed = page.roles.includes(principal.role);
  const selected = PAGES.find((p) => p.menu && path.startsWith(p.path))?.path;

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider width={200} theme="light" breakpoint="lg" collapsedWidth={0}>
        <div style={{ padding: '16px 24px', fontWeight: 600, fontSize: 16 }}>motordesk 客服</div>
        <nav aria-label="主菜单">
          <Menu
            mode="inline"
            selectedKeys={selected ? [selected] : []}
            defaultOpenKeys={['group:新建']}
            items={menuItems(principal)}
            onClick={({ key }) => navigate(key)}
          />
        </nav>
      </Sider>
      <Layout>
        <Header
          style={{
            background: '#fff',
            padding: '0 24px',
            display: 'flex',
            justifyContent: 'space-between',
            alignItems: 'center',
          }}
        >
          <Typography.Text>
            <h1 style={{ display: 'inline', fontSize: 18, margin: 0 }}>{page.title}</h1>
            <Typography.Text type="secondary" style={{ marginLeft: 12 }}>
              {page.question}
            </Typography.Text>
          </Typography.Text>
          <Space>
            <span data-testid="whoami">
              {principal.name ?? principal.sub} · {ROLE_ZH[principal.role] ?? principal.role}
              {principal.team ? ` · ${principal.team}` : ''}
            </span>
            <Button size="small" onClick={() => session.signOut()}>
              退出
            </Button>
          </Space>
        </Header>
        <Content style={{ margin: 16 }}>
          <main>
            {allowed ? (
              <Suspense fallback={<div>加载中…</div>}>{render(page, params!, principal)}</Suspense>
            ) : (
              <Result
                status="403"
                title="无权访问"
                subTitle={`「${page.title}」仅对${page.roles.map((r) => ROLE_ZH[r]).join('、')}开放。`}
                extra={<Button onClick={() => navigate(homeOf(principal.role))}>返回我的首页</Button>}
              />
            )}
          </main>
        </Content>
      </Layout>
    </Layout>
  );
}
