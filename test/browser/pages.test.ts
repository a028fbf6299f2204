/**
 * The console's directory, training, queue search and export, quality review, figures and
 * compliance pages in a real browser against `npm start` (its own database and Temporal dev server,
 * a five-second first-contact clock): an admin adds a person to the directory, HR records the new
 * agent's onboarding training until it is passed, plans a special training for two agents and reads
 * the last year's annual result with its excellent staff, a supervisor finds a claim by plate and policy
 * number, exports the queue as CSV and reviews the claim's service, and the manager's CSV, breach
 * chart and compliance page hold exactly what the report endpoints answer. Every page is checked
 * with axe and screenshotted into test-output/console/.
 */
import fs from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Download, Page } from 'playwright-core';
import { stackApi, type StackApi } from './support/api';
import { launchBrowser, screenshot, type TestBrowser } from './support/browser';
import { choose, expectAccessible, go, signInAs } from './support/console';
import { startConsoleStack, type ConsoleStack } from './support/stack';

const FIRST_CONTACT_S = 5;
const POLICIES = { 'claim.firstContact': { duration: `PT${FIRST_CONTACT_S}S`, mode: 'elapsed', warnAt: 0.5 } };

vi.setConfig({ testTimeout: 150_000 });

let stack: ConsoleStack;
let browser: TestBrowser;
let api: StackApi;
/** Ids of this run: the database is fresh, but a name that says which run made it reads better in a failure. */
const run = String(Date.now() % 1_000_000).padStart(6, '0');

beforeAll(async () => {
  [stack, browser] = await Promise.all([startConsoleStack(POLICIES, '_browser_pages'), launchBrowser()]);
  api = stackApi(stack.consoleUrl);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** This month in Shanghai as the reports take it (the dashboard's default period). */
function thisMonth(): { from: string; to: string } {
  const shanghai = new Date(Date.now() + 8 * 3600_000);
  const next = new Date(Date.UTC(shanghai.getUTCFullYear(), shanghai.getUTCMonth() + 1, 1));
  return { from: `${shanghai.toISOString().slice(0, 7)}-01`, to: next.toISOString().slice(0, 10) };
}

async function fileClaim(policyNo: string, plate: string): Promise<{ id: string }> {
  const res = await api.call('POST', '/api/v1/claims', await api.token('agent-li'), {
    policyNo,
    coverage: 'commercial',
    reporter: { name: '黄磊', phone: '13700001234' },
    vehicle: { plate },
    accident: {
      occurredAt: new Date(Date.now() - 3600_000).toISOString(),
      location: '深圳市罗湖区',
      description: '倒车时碰到护栏',
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** Clicks `trigger` and returns the file the browser saved. */
async function downloaded(page: Page, trigger: () => Promise<void>): Promise<{ download: Download; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), trigger()]);
  const file = await download.path();
  return { download, bytes: fs.readFileSync(file) };
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

describe('the admin and HR', () => {
  it('add a new agent to the directory, and HR records the onboarding training until it is passed', async () => {
    const staffId = `agent-n${run}`;
    const admin = await browser.context.newPage();
    await signInAs(admin, stack.consoleUrl, '陈刚');
    await admin.getByRole('navigation', { name: '主菜单' }).getByText('人员').click();
    await admin.getByRole('cell', { name: '李娜' }).waitFor();
    await admin.getByRole('button', { name: '新增人员' }).click();
    const dialog = admin.getByRole('dialog').filter({ hasText: '新增人员' });
    await dialog.getByLabel('员工编号').fill(staffId);
    await dialog.getByLabel('姓名').fill('郑洁');
    await dialog.getByLabel('团队').fill('east');
    await choose(admin, '上级', ['王磊（sup-wang）'], dialog);
    await dialog.getByRole('button', { name: '保存' }).click();
    await admin.getByText(`郑洁（${staffId}）已保存`).waitFor();
    await admin.getByRole('cell', { name: staffId, exact: true }).waitFor();
    const saved = await api.call('GET', `/api/v1/staff?team=east&role=agent`, await api.token('admin-chen'));
    expect(saved.body.items.find((s: { id: string }) => s.id === staffId)).toMatchObject({
      name: '郑洁',
      team: 'east',
      supervisorId: 'sup-wang',
      active: true,
    });
    await expectAccessible(admin);
    await screenshot(admin, 'staff-directory');
    await admin.close();

    const hr = await browser.context.newPage();
    await signInAs(hr, stack.consoleUrl, '刘洋');
    await expect.poll(() => hr.url()).toMatch(/#\/hr$/);
    await hr.getByText('在职坐席').waitFor();
    await expectAccessible(hr);
    await screenshot(hr, 'hr-home');

    await go(hr, stack.consoleUrl, '/training');
    const row = hr.locator('tr.ant-table-row', { hasText: staffId });
    await row.waitFor({ timeout: 20_000 });
    await expect.poll(() => row.textContent(), { timeout: 20_000 }).toContain('待参加');
    expect(await row.textContent()).toContain('入职培训');
    await row.getByRole('button', { name: /展开/ }).click();

    const attendance = hr.getByRole('form', { name: /^登记参训/ });
    await attendance.getByLabel('主题').fill('服务规范');
    await attendance.getByLabel('课时').fill('2');
    await attendance.getByRole('button', { name: '登记参训' }).click();
    await hr.getByText(`${staffId} 参训已登记`).waitFor();
    await expect.poll(() => row.textContent(), { timeout: 20_000 }).toContain('已参训');

    const exam = hr.getByRole('form', { name: /^登记考试/ });
    await exam.getByLabel('成绩').fill('86');
    await exam.getByRole('button', { name: '登记成绩' }).click();
    await hr.getByText(`${staffId} 考试成绩已登记`).waitFor();
    await expect.poll(() => row.textContent(), { timeout: 20_000 }).toContain('已通过');
    const records = await api.call('GET', `/api/v1/training/records?staffId=${staffId}`, await api.token('hr-liu'));
    expect(records.body.items[0]).toMatchObject({ status: 'passed', kind: 'onboarding' });
    expect(records.body.items[0].exams[0]).toMatchObject({ score: 86, passed: true });
    await expectAccessible(hr);
    await screenshot(hr, 'training-records');
    await hr.close();
  });
});

describe('HR plans and reads', () => {
  it('plans a special training for two agents, and reads last year’s annual result with its excellent staff', async () => {
    // Last year's result as the January run fixed it (the page opens on last year).
    const year = new Date().getUTCFullYear() - 1;
    const db = new pg.Client({ connectionString: stack.databaseUrl });
    await db.connect();
    try {
      for (const [staffId, total, grade, coefficient, excellentMonths, excellent] of [
        ['agent-li', 93.5, '优秀', 1.2, 9, true],
        ['agent-sun', 84, '良好', 1.0, 2, false],
      ] as const)
        await db.query(
          `insert into annual_assessments (year, staff_id, team, months, periods, total, grade, bonus_coefficient, excellent_months, excellent)
           values ($1, $2, 'east', 12, $3, $4, $5, $6, $7, $8)`,
          [year, staffId, JSON.stringify([`${year}-01`]), total, grade, coefficient, excellentMonths, excellent],
        );
    } finally {
      await db.end();
    }

    const hr = await browser.context.newPage();
    await signInAs(hr, stack.consoleUrl, '刘洋');
    await go(hr, stack.consoleUrl, '/training');
    await hr.getByRole('button', { name: '新建培训计划' }).click();
    const form = hr.getByRole('form', { name: '新建培训计划' });
    const title = `理赔时效专项培训 ${run}`;
    await form.getByLabel('名称').fill(title);
    await form.getByLabel('内容', { exact: true }).click();
    await hr.keyboard.type('保险法第二十三条');
    await hr.keyboard.press('Enter');
    await hr.keyboard.press('Escape');
    await choose(hr, '人员', ['李娜（agent-li）', '孙浩（agent-sun）'], form);
    await form.getByRole('button', { name: '建立计划' }).click();
    await hr.getByText(`培训计划「${title}」已建立：2 人`).waitFor();
    for (const staffId of ['agent-li', 'agent-sun'])
      await hr
        .locator('tr.ant-table-row', { hasText: title })
        .filter({ hasText: staffId })
        .waitFor({ timeout: 20_000 });
    const records = await api.call('GET', '/api/v1/training/records?team=east', await api.token('hr-liu'));
    const planned = records.body.items.filter((r: { title: string }) => r.title === title);
    expect(planned.map((r: { staffId: string }) => r.staffId).sort()).toEqual(['agent-li', 'agent-sun']);
    expect(planned[0]).toMatchObject({ kind: 'special', passMark: 60, topics: ['保险法第二十三条'] });
    await expectAccessible(hr);
    await screenshot(hr, 'training-plan');

    await go(hr, stack.consoleUrl, '/assessment/publication');
    const annual = hr.getByRole('region', { name: '年度考核结果' });
    await annual.getByText(`${year} 年度考核结果`).waitFor();
    await expect.poll(() => annual.getByTestId('excellent-staff').textContent()).toContain('agent-li');
    expect(await annual.getByTestId('excellent-staff').textContent()).not.toContain('agent-sun');
    const star = annual.locator('tr.ant-table-row', { hasText: 'agent-li' });
    expect(await star.textContent()).toContain('年度优秀客服人员');
    expect(await star.textContent()).toContain('93.5');
    await expectAccessible(hr);
    await screenshot(hr, 'annual-result');
    await hr.close();
  });
});

describe('the supervisor', () => {
  it('finds a claim by plate and by policy number, exports the queue as CSV and reviews the service', async () => {
    const policyNo = `PDQS2026${run}`;
    const claim = await fileClaim(policyNo, '粤B6A789');
    const other = await fileClaim(`PDQT2026${run}`, '粤B7C123');
    const page = await browser.context.newPage();
    await signInAs(page, stack.consoleUrl, '王磊');
    await go(page, stack.consoleUrl, '/queue');
    const filters = page.getByRole('form', { name: '筛选' });
    await page.getByRole('link', { name: other.id }).waitFor();

    // The rows shown, once the new query has answered (while it runs the table is empty).
    const shown = () => page.locator('tbody tr.ant-table-row td:first-child a').allTextContents();
    await filters.getByLabel('搜索').fill('粤B6A789');
    await filters.getByRole('button', { name: '查询' }).click();
    await expect.poll(shown).toEqual([claim.id]);

    await filters.getByLabel('搜索').fill('');
    await filters.getByLabel('保单号', { exact: true }).fill(policyNo);
    await filters.getByRole('button', { name: '查询' }).click();
    await expect.poll(shown).toEqual([claim.id]);

    const { download, bytes } = await downloaded(page, () => filters.getByRole('button', { name: '导出 CSV' }).click());
    expect(download.suggestedFilename()).toMatch(/^cases-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(bytes.subarray(0, 3)).toEqual(BOM);
    const lines = bytes.subarray(3).toString('utf8').trim().split(/\r?\n/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(claim.id);
    const exported = await api.bytes(
      `/api/v1/cases/export?policyNo=${policyNo}&open=true`,
      await api.token('sup-wang'),
    );
    // The same selection as the endpoint's (the claim's five-second clock may breach between the two
    // reads, so its row's clock columns may differ): the same header and the same cases.
    const apiLines = exported.bytes.subarray(3).toString('utf8').trim().split(/\r?\n/);
    expect(lines[0]).toBe(apiLines[0]);
    expect(lines.map((l) => l.split(',')[0])).toEqual(apiLines.map((l) => l.split(',')[0]));
    await expectAccessible(page);
    await screenshot(page, 'queue-search');

    await go(page, stack.consoleUrl, `/cases/claim/${claim.id}`);
    const review = page.getByRole('form', { name: '服务质检' });
    await review.waitFor();
    const items = [
      '文明用语',
      '耐心倾听、不打断',
      '响应及时',
      '表达清晰',
      '解答准确',
      '通俗易懂、少用术语',
      '无口头禅',
      '耐心细致',
    ];
    for (const item of items) {
      await review.locator('.ant-form-item', { hasText: item }).getByText('4', { exact: true }).click();
    }
    await review.getByLabel('评语').fill('语气亲切，解释清楚');
    await review.getByRole('button', { name: '提交质检' }).click();
    await page.getByText(/服务质检已提交：agent-li 得分 80\.0/).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'case-quality-review');

    await go(page, stack.consoleUrl, '/quality');
    await page.getByRole('button', { name: `质检 ${claim.id}` }).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'quality-reviews');
    await page.close();
  });
});

/** Last month in Shanghai (an assessment's period must have ended): `2026-11`. */
function lastMonth(): string {
  const shanghai = new Date(Date.now() + 8 * 3600_000);
  return new Date(Date.UTC(shanghai.getUTCFullYear(), shanghai.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
}

describe('an assessment month', () => {
  it('the agent self-assesses, the supervisor scores, HR publishes and answers the appeal', async () => {
    const period = lastMonth();
    const id = `agent-li-${period.replace('-', '')}`;
    const hrToken = await api.token('hr-liu');
    const started = await api.call('POST', '/api/v1/assessments/run', hrToken, { period });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const status = async () => (await api.call('GET', `/api/v1/assessments/${id}`, hrToken)).body?.status;
    await expect.poll(status, { timeout: 30_000, interval: 1000 }).toBe('open');

    const agent = await browser.context.newPage();
    await signInAs(agent, stack.consoleUrl, '李娜');
    await agent.getByRole('navigation', { name: '主菜单' }).getByText('我的考核').click();
    await expect.poll(() => agent.getByTestId('assessment-status').first().textContent()).toBe('待自评');
    const self = agent.getByRole('form', { name: '个人工作自评' });
    await self.getByLabel('本月工作总结').fill('本月处理理赔案件，按时完成首次联系');
    await self.getByLabel('做得好的方面').fill('耐心解释理赔资料');
    await self.getByRole('button', { name: '提交自评' }).click();
    await agent.getByText('自评已提交').waitFor();
    await expect.poll(() => agent.getByTestId('assessment-status').first().textContent()).toBe('已自评');
    await expect.poll(status).toBe('self_assessed');
    await expectAccessible(agent);
    await screenshot(agent, 'my-assessment');
    await agent.close();

    const supervisor = await browser.context.newPage();
    await signInAs(supervisor, stack.consoleUrl, '王磊');
    await go(supervisor, stack.consoleUrl, '/assessment/scoring');
    await supervisor.getByRole('button', { name: `评分 ${id}` }).click();
    const score = supervisor.getByRole('form', { name: '主管评分' });
    await score.getByLabel('迟到（次）').fill('1');
    await score.locator('.ant-form-item', { hasText: '工作积极性' }).getByText('4', { exact: true }).click();
    await score.locator('.ant-form-item', { hasText: '团队协作' }).getByText('5', { exact: true }).click();
    await score.getByLabel('评语').fill('积极主动，配合团队');
    await score.getByRole('button', { name: '提交评分' }).click();
    await supervisor.getByText(`agent-li ${period} 已评分`).waitFor();
    await expect.poll(status).toBe('scored');
    await expectAccessible(supervisor);
    await screenshot(supervisor, 'assessment-scoring');
    await supervisor.close();

    const hr = await browser.context.newPage();
    await signInAs(hr, stack.consoleUrl, '刘洋');
    await go(hr, stack.consoleUrl, '/assessment/publication');
    await hr.getByRole('button', { name: /公示已评分考核（[1-9]/ }).click();
    await hr.getByText(new RegExp(`${period}：已公示 [1-9]`)).waitFor();
    await expect.poll(status).toBe('published');

    const appeal = await api.call('POST', `/api/v1/assessments/${id}/appeal`, await api.token('agent-li'), {
      reason: '迟到一次系交通管制，已报备',
    });
    expect(appeal.status, JSON.stringify(appeal.body)).toBe(200);
    const decision = hr.getByRole('form', { name: `答复申诉 ${id}` });
    await decision.waitFor({ timeout: 30_000 });
    await decision.getByText('不支持', { exact: true }).click();
    await decision.getByLabel('答复').fill('交通管制未提前报备，维持原结果');
    await decision.getByRole('button', { name: '提交答复' }).click();
    await hr.getByText('agent-li 的申诉已答复').waitFor();
    await expect.poll(status, { timeout: 20_000 }).toMatch(/^(appeal_answered|final)$/);
    await expectAccessible(hr);
    await screenshot(hr, 'assessment-publication');
    await hr.close();
  });
});

describe('the equipment register', () => {
  it('a manager registers a headset, an agent finds it faulty at the check, the manager closes the repair', async () => {
    const assetId = `HS-${run}`;
    const manager = await browser.context.newPage();
    await signInAs(manager, stack.consoleUrl, '赵敏');
    await go(manager, stack.consoleUrl, '/facilities');
    await manager.getByRole('button', { name: '登记设备' }).click();
    const dialog = manager.getByRole('dialog').filter({ hasText: '登记设备' });
    await dialog.getByLabel('资产编号').fill(assetId);
    await choose(manager, '类别', ['耳麦'], dialog);
    await dialog.getByLabel('位置').fill('三楼坐席区 A-12');
    await dialog.getByLabel('所属团队（默认登记人的团队）').fill('east');
    await dialog.getByRole('button', { name: '保存' }).click();
    await manager.getByText(`${assetId} 已登记`).waitFor();

    const agent = await browser.context.newPage();
    await signInAs(agent, stack.consoleUrl, '李娜');
    await agent.getByRole('navigation', { name: '主菜单' }).getByText('设施').click();
    await agent.getByRole('button', { name: `查看 ${assetId}` }).click();
    const check = agent.getByRole('form', { name: '点检' });
    await check.getByText('故障', { exact: true }).click();
    await check.getByLabel('情况说明').fill('左耳无声');
    await check.getByRole('button', { name: '登记点检' }).click();
    await agent.getByText(`${assetId} 点检已登记`).waitFor();
    const drawer = agent.getByRole('dialog').filter({ hasText: `设备 ${assetId}` });
    await drawer.getByText('维修中').waitFor({ timeout: 20_000 });
    await drawer.getByText('左耳无声').first().waitFor();
    await expectAccessible(agent);
    await screenshot(agent, 'facilities-item');
    await agent.close();

    await manager.getByRole('button', { name: `查看 ${assetId}` }).click();
    const done = manager.getByRole('form', { name: /^维修完成/ });
    await done.getByLabel('维修内容').fill('更换耳机线');
    await done.getByRole('button', { name: '登记已修复' }).click();
    await expect
      .poll(
        async () =>
          (await api.call('GET', `/api/v1/facilities/equipment/${assetId}`, await api.token('mgr-zhao'))).body.status,
        { timeout: 20_000 },
      )
      .toBe('in_service');
    await manager.keyboard.press('Escape');
    await expectAccessible(manager);
    await screenshot(manager, 'facilities-register');
    await manager.close();
  });
});

describe('the manager', () => {
  it('downloads the KPI CSV the report endpoint answers and sees its breaches and compliance exceptions', async () => {
    const claim = await fileClaim(`PDCP2026${run}`, '粤B8D456');
    const agent = await api.token('agent-li');
    const omitted = await api.call('POST', `/api/v1/claims/${claim.id}/document-request`, agent, {
      documents: ['loss_assessment'],
      cause: 'omitted',
      note: '首次告知漏列定损单',
    });
    expect(omitted.status, JSON.stringify(omitted.body)).toBe(200);
    await expect
      .poll(
        async () =>
          (await api.call('GET', `/api/v1/claims/${claim.id}`, agent)).body.clocks.find(
            (c: { policy: string }) => c.policy === 'claim.firstContact',
          )?.state,
        { timeout: (FIRST_CONTACT_S + 30) * 1000, interval: 1000 },
      )
      .toBe('breached');

    const manager = await api.token('mgr-zhao');
    const { from, to } = thisMonth();
    const page = await browser.context.newPage();
    await signInAs(page, stack.consoleUrl, '赵敏');
    await expect.poll(() => page.url()).toMatch(/#\/dashboard$/);
    await page.locator('[data-kpi]').first().waitFor();
    const { download, bytes } = await downloaded(page, () =>
      page.getByRole('button', { name: '下载考核指标 CSV' }).click(),
    );
    expect(download.suggestedFilename()).toBe(`kpis-${from.slice(0, 7)}.csv`);
    const csv = await api.bytes(`/api/v1/reports/kpis?from=${from}&to=${to}&format=csv`, manager);
    expect(csv.status).toBe(200);
    expect(bytes.subarray(0, 3)).toEqual(BOM);
    expect(bytes.equals(csv.bytes)).toBe(true);

    const report = await api.call('GET', `/api/v1/reports/breaches?from=${from}&to=${to}`, manager);
    expect(report.status).toBe(200);
    const { statutory, internal, complianceExceptions } = report.body.totals;
    expect(internal).toBeGreaterThanOrEqual(1);
    expect(complianceExceptions).toBeGreaterThanOrEqual(1);
    await expect
      .poll(() => page.getByTestId('breach-totals').textContent(), { timeout: 40_000 })
      .toBe(`法定 ${statutory} · 内部 ${internal} · 合规异常 ${complianceExceptions}`);
    await page.getByRole('img', { name: '按时限规则统计的超时数量（法定 / 内部）' }).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'manager-dashboard-breaches');

    await go(page, stack.consoleUrl, '/compliance');
    await page.getByRole('region', { name: '合规异常' }).getByRole('link', { name: claim.id }).waitFor();
    const internalSection = page.getByRole('region', { name: '内部时限超时' });
    await internalSection.locator('[data-policy="claim.firstContact"]').waitFor();
    await internalSection.getByRole('link', { name: claim.id }).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'compliance');
    await page.close();
  });

  it('an agent reaches neither the directory nor the compliance page', async () => {
    const page = await browser.context.newPage();
    await signInAs(page, stack.consoleUrl, '李娜');
    const menu = page.getByRole('navigation', { name: '主菜单' });
    await menu.getByText('我的工作台').waitFor();
    for (const entry of ['人员', '合规', '质检']) expect(await menu.getByText(entry, { exact: true }).count()).toBe(0);
    for (const hash of ['/staff', '/compliance', '/quality', '/hr']) {
      await go(page, stack.consoleUrl, hash);
      await page.getByText('无权访问').waitFor();
    }
    await page.close();
  });
});
