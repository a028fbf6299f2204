/**
 * The workflow bundle carries only what workflow code needs (issue 10): the working calendar (a
 * holiday table built from chinese-days at load) and zod cost a quarter of a workflow's start-up CPU
 * when every module was evaluated again for each new workflow, and belong to the activities. A domain
 * module that workflow code imports must not pull them in, not even through another module. The
 * bundle now preloads the workflows once per worker thread (infra/workflow-bundle.ts), so what it
 * carries is also what every thread keeps in memory.
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

  it('preloads the workflows entry, so a new workflow evaluates none of our modules again', () => {
    const code = fs.readFileSync(inject('workflowBundlePath'), 'utf8');
    const preload = /preloadModules = function preloadModules\(\) \{([^}]*)\}/.exec(code)?.[1] ?? '';
    expect(preload).toContain('"./workflows/index.ts"');
  });
});
