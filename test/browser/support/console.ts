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

/**
 * Waits until no toast (antd message) is on the page: one fading out is judged mid-animation at a
 * fraction of its contrast, so axe must not see it.
 */
export async function toastsGone(page: Page): Promise<void> {
  await expect.poll(() => page.locator('.ant-message-notice').count(), { timeout: 15_000 }).toBe(0);
}

export async function expectAccessible(page: Page): Promise<void> {
  // Let the page settle (lazy chunks, first queries) and its toasts go before judging it.
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await toastsGone(page);
  // Judge the page at rest, not a button under the pointer in its lighter hover colour, nor one
  // still fading back from it (antd's 0.2 s colour transition, judged mid-way, fails on contrast).
  await page.mouse.move(0, 0);
  await animationsSettled(page);
  expect(await seriousViolations(page)).toEqual([]);
}

/** Waits for the page's finite CSS transitions and animations to end (at most 2 s; spinners never do). */
async function animationsSettled(page: Page): Promise<void> {
  // Run in the page (a string: this project's TypeScript has no DOM types). Two frames first, so
  // that the pointer's move is styled and the transitions it starts exist.
  await page.evaluate(`(async () => {
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    const finite = document
      .getAnimations()
      .filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
      .map((a) => a.finished.catch(() => undefined));
    await Promise.race([Promise.all(finite), new Promise((resolve) => setTimeout(resolve, 2000))]);
  })()`);
}
