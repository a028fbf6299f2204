/**
 * The workflow bundle carries only what workflow code needs. Every module in it is evaluated again
 * for each new workflow (issue 10): the working calendar (a holiday table built from chinese-days at
 * load) and zod cost a quarter of a workflow's start-up CPU, and belong to the activities. A domain
 * module that workflow code imports must not pull them in, not even through another module.
 */
import fs from 'node:fs';
import { describe, expect, inject, it } from 'vitest';

/** webpack's development bundle names each module in a `!*** ./path ***!` banner. */
function bundledModules(code: string): string[] {
  return [...code.matchAll(/!\*{3} (\S+) \*{3}!/g)].map((m) => m[1] ?? '');
}

describe('the workflow bundle', () => {
  it('holds no working calendar, no chinese-days data and no zod', () => {
    const bundlePath = inject('workflowBundlePath');
    expect(inject('workflowBundleError')).toBe('');
    const modules = bundledModules(fs.readFileSync(bundlePath, 'utf8'));
    expect(modules.length).toBeGreaterThan(20); // the banners are there: the check below means something
    expect(modules).toContain('./domain/civil-time.ts');
    const heavy = modules.filter((m) =>
      /node_modules\/(zod|chinese-days)\/|\/domain\/(calendar|deadline-policies)\.ts$/.test(m),
    );
    expect(heavy).toEqual([]);
  });
});
