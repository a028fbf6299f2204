/** Steps a person takes in the console, as Playwright calls. */
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { seriousViolations } from './browser';

/** The dev sign-in of `npm start`: one click on the person. */
export async function signInAs(page: Page, consoleUrl: string, name: string): Promise<void> {
  await page.goto(consoleUrl);
  await page.getByRole('button', { name: `以 ${name} 登录` }).click();
  await page.getByTestId('whoami').waitFor();
}

export async function go(page: Page, consoleUrl: string, hash: string): Promise<void> {
  await page.goto(`${consoleUrl.replace(/\/$/, '')}/#${hash}`);
}

/** Picks options of the antd Select labelled `label` inside `scope`. */
export async function choose(
  page: Page,
  label: string,
  options: string[],
  scope = page.locator('body'),
): Promise<void> {
  await scope.getByLabel(label, { exact: true }).click();
  for (const option of options) {
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first().click();
  }
  await page.keyboard.press('Escape');
}

export async function expectAccessible(page: Page): Promise<void> {
  // Let the page settle (lazy chunks, first queries) before judging it.
  await page.waitForLoadState('networkidle').catch(() => undefined);
  expect(await seriousViolations(page)).toEqual([]);
}
