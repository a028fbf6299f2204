/**
 * The agent's day in the console, in a real browser against `npm start`: sign in from the dev
 * sign-in, file a claim, register the documents, and watch status and clocks move; pages the role
 * may not open stay closed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, screenshot, type TestBrowser } from './support/browser';
import { choose, expectAccessible, go, signInAs } from './support/console';
import { startConsoleStack, type ConsoleStack } from './support/stack';

let stack: ConsoleStack;
let browser: TestBrowser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startConsoleStack({}), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** An hour ago in Shanghai, as the date picker takes it. */
function anHourAgo(): string {
  return new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

async function fileClaim(page: Page): Promise<string> {
  await go(page, stack.consoleUrl, '/new/claim');
  const form = page.getByRole('form', { name: '报案' });
  await form.getByLabel('保单号').fill('PDAA202611000001');
  await form.getByLabel('报案人姓名').fill('张伟');
  await form.getByLabel('报案人手机').fill('13812341234');
  await form.getByLabel('车牌号').fill('粤B12345');
  await form.getByLabel('出险时间').click();
  await form.getByLabel('出险时间').fill(anHourAgo());
  await page.keyboard.press('Enter');
  await form.getByLabel('出险地点').fill('深圳市南山区深南大道');
  await form.getByLabel('事故经过').fill('追尾，后保险杠受损');
  await expectAccessible(page);
  await screenshot(page, 'new-claim');
  await form.getByRole('button', { name: '提交报案' }).click();
  await page.waitForURL(/#\/cases\/claim\//);
  return (await page.getByTestId('case-id').textContent()) ?? '';
}

describe('the agent desk', () => {
  it('an agent signs in, files a claim, adds the documents and sees the status and the clocks change', async () => {
    const page = await browser.context.newPage();
    await signInAs(page, stack.consoleUrl, '李娜');
    await expect.poll(() => page.url()).toMatch(/#\/desk$/);

    const claimId = await fileClaim(page);
    expect(claimId).toMatch(/^CL\d{8}/);
    await expect.poll(() => page.getByTestId('case-status').textContent()).toBe('待补资料');
    // Personal data arrives masked.
    await expect.poll(() => page.getByText('张* 138****1234').count()).toBe(1);
    await page.locator('[data-clock="claim.firstContact"]').first().waitFor();
    expect(await page.locator('[data-clock="claim.firstContact"]').first().textContent()).toMatch(
      /^内部 · 首次联系 · 剩余/,
    );
    expect(await page.locator('[data-clock="claim.verification.compulsory"]').count()).toBe(0);
    await expectAccessible(page);
    await screenshot(page, 'case-claim-awaiting-documents');

    const documents = page.locator('[data-action="documents"]');
    await choose(
      page,
      '收到的资料',
      ['事故证明', '维修发票', '定损单', '驾驶证', '行驶证', '身份证', '收款账户'],
      documents,
    );
    await documents.getByRole('button', { name: '登记资料' }).click();

    await expect.poll(() => page.getByTestId('case-status').textContent(), { timeout: 15_000 }).toBe('审核中');
    const verification = page.locator('[data-clock="claim.verification.compulsory"]').first();
    await verification.waitFor();
    expect(await verification.textContent()).toMatch(/^法定 · 核定时限 · 剩余 \d+天/);
    // The form of an action the case no longer allows is gone; the timeline shows the step.
    expect(await page.locator('[data-action="documents"]').count()).toBe(0);
    await expect.poll(() => page.getByText('资料已收到').count()).toBeGreaterThan(0);

    await go(page, stack.consoleUrl, '/desk');
    await page.getByRole('link', { name: claimId }).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'agent-desk');
    await page.close();
  });

  it('an agent cannot reach the manager pages: no menu entry, and the page says 无权访问', async () => {
    const page = await browser.context.newPage();
    await signInAs(page, stack.consoleUrl, '李娜');
    const menu = page.getByRole('navigation', { name: '主菜单' });
    await menu.getByText('我的工作台').waitFor();
    expect(await menu.getByText('运营看板').count()).toBe(0);
    expect(await menu.getByText('时限规则').count()).toBe(0);
    for (const hash of ['/dashboard', '/admin/policies', '/board']) {
      await go(page, stack.consoleUrl, hash);
      await page.getByText('无权访问').waitFor();
    }
    await expectAccessible(page);
    await page.close();
  });
});
