/**
 * The pages and who may open each (CONSOLE.md, "Pages by role"). The menu shows a role its pages;
 * a page opened by URL without the role says so instead of rendering (the API would answer 403 anyway).
 */
import type { Role } from './session';

export interface PageEntry {
  key: string;
  path: string;
  title: string;
  /** The one question the page answers, shown in its header. */
  question: string;
  /** Roles that may open the page. */
  roles: readonly Role[];
  /** Shown in the menu (case pages are reached from lists). */
  menu: boolean;
  group?: string;
}

const FRONT_LINE: readonly Role[] = ['agent', 'supervisor', 'manager', 'admin'];

export const PAGES: readonly PageEntry[] = [
  {
    key: 'desk',
    path: '/desk',
    title: '我的工作台',
    question: '我接下来要做什么？',
    roles: ['agent', 'supervisor'],
    menu: true,
  },
  {
    key: 'board',
    path: '/board',
    title: '团队看板',
    question: '哪些案件即将超时、已超时或已升级？',
    roles: ['supervisor', 'manager', 'admin'],
    menu: true,
  },
  {
    key: 'dashboard',
    path: '/dashboard',
    title: '运营看板',
    question: '考核指标是否达标？',
    roles: ['manager', 'admin'],
    menu: true,
  },
  { key: 'queue', path: '/queue', title: '团队队列', question: '团队有哪些案件？', roles: FRONT_LINE, menu: true },
  {
    key: 'new-claim',
    path: '/new/claim',
    title: '报案',
    question: '登记一笔理赔报案',
    roles: FRONT_LINE,
    menu: true,
    group: '新建',
  },
  {
    key: 'new-complaint',
    path: '/new/complaint',
    title: '投诉',
    question: '登记一件客户投诉',
    roles: FRONT_LINE,
    menu: true,
    group: '新建',
  },
  {
    key: 'new-inquiry',
    path: '/new/inquiry',
    title: '咨询',
    question: '登记一次客户咨询',
    roles: FRONT_LINE,
    menu: true,
    group: '新建',
  },
  {
    key: 'new-purchase',
    path: '/new/purchase',
    title: '投保',
    question: '为客户新建一笔投保',
    roles: FRONT_LINE,
    menu: true,
    group: '新建',
  },
  {
    key: 'policies',
    path: '/admin/policies',
    title: '时限规则',
    question: '每个时限的期限和法律依据是什么？',
    roles: ['admin'],
    menu: true,
  },
  {
    key: 'calendar',
    path: '/admin/calendar',
    title: '工作日历',
    question: '哪些年份已载入官方节假日，哪些仍是暂定？',
    roles: ['admin'],
    menu: true,
  },
  {
    key: 'hr',
    path: '/hr',
    title: '人力资源',
    question: '哪些人员和培训需要我处理？',
    roles: ['hr'],
    menu: true,
  },
  {
    key: 'my-assessment',
    path: '/my-assessment',
    title: '我的考核',
    question: '我这个月的考核怎样？',
    roles: ['agent'],
    menu: true,
  },
  {
    key: 'assessment-scoring',
    path: '/assessment/scoring',
    title: '考核评分',
    question: '团队哪些考核等待我评分？',
    roles: ['supervisor', 'manager', 'admin'],
    menu: true,
  },
  {
    key: 'assessment-hr',
    path: '/assessment/publication',
    title: '考核公示 / 申诉',
    question: '本月考核是否已公示，哪些申诉待答复？',
    roles: ['hr'],
    menu: true,
  },
  {
    key: 'quality',
    path: '/quality',
    title: '质检',
    question: '团队处理过的案件服务质量如何？',
    roles: ['supervisor', 'manager', 'admin'],
    menu: true,
  },
  {
    key: 'compliance',
    path: '/compliance',
    title: '合规',
    question: '本期有哪些超时和合规异常？',
    roles: ['manager', 'admin'],
    menu: true,
  },
  {
    key: 'training',
    path: '/training',
    title: '培训',
    question: '培训、考试和补考进展如何？',
    roles: ['agent', 'supervisor', 'manager', 'admin', 'hr'],
    menu: true,
  },
  {
    key: 'facilities',
    path: '/facilities',
    title: '设施',
    question: '哪些设备今天要点检，哪些在维修？',
    roles: FRONT_LINE,
    menu: true,
  },
  {
    key: 'staff',
    path: '/staff',
    title: '人员',
    question: '谁在名录中、属于哪个团队、是否在职？',
    roles: ['admin', 'hr'],
    menu: true,
  },
  {
    key: 'case',
    path: '/cases/:type/:id',
    title: '案件详情',
    question: '这个案件现在怎样、下一步做什么？',
    roles: FRONT_LINE,
    menu: false,
  },
];

/** Where a role lands after signing in. */
export function homeOf(role: Role): string {
  switch (role) {
    case 'agent':
      return '/desk';
    case 'supervisor':
      return '/board';
    case 'manager':
      return '/dashboard';
    case 'admin':
      return '/admin/policies';
    case 'hr':
      return '/hr';
  }
}
