/**
 * Debian's Chromium driven by playwright-core (scripts/chromium.ts has the flags and why); a missing
 * browser fails the run: `npm run setup` installs it. Axe and screenshots for every page.
 */
import AxeBuilder from '@axe-core/playwright';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../../scripts/chromium';

export const SCREENSHOT_DIR = path.resolve(__dirname, '..', '..', '..', 'test-output', 'console');

export interface TestBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A fresh profile (its own --user-data-dir) per run, Chinese locale, Shanghai time. */
export async function launchBrowser(): Promise<TestBrowser> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'motordesk-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: findChromium(),
    headless: true,
    args: CHROMIUM_ARGS,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1440, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Serious and critical accessibility violations on the page as it is now (WCAG 2 A/AA rules). */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    // A form message on its way out (antd fades it for 0.3 s) is judged mid-fade at half its contrast.
    .exclude('.ant-form-show-help-item-leave')
    .analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} (${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join('; ')})`,
    );
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
