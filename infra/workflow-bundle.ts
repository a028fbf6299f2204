/**
 * How our workflow code is bundled, by the worker, the production build, the tests and the benchmarks
 * alike: one set of options, so what is tested and measured is what runs.
 *
 * The worker evaluates a bundle's modules again for every new workflow (each gets its own module
 * cache in the reusable V8 context), except the modules the bundle preloads: those are evaluated once
 * per workflow thread and shared, deep-frozen, by every workflow in it. We preload the whole entry,
 * which is every module workflow code imports, because none of them holds state of its own at module
 * level (eslint.config.mjs refuses a module-level `let` or an unannotated Map or Set in workflows/ and
 * domain/): a module-level variable would be shared by every case on the thread and break replay.
 * Measured by `npm run bench:replay` (issue 10).
 */
import path from 'node:path';
import type { BundleOptions } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from './payload-codec';

export const WORKFLOWS_PATH = path.join(__dirname, '..', 'workflows', 'index.ts');

/** Worker.create's options that bundle our workflows as the worker starts, with the same options. */
export function bundledAtWorkerStart() {
  const { workflowsPath, preloadModules } = workflowBundleOptions();
  return { workflowsPath, bundlerOptions: { preloadModules } };
}

/** The bundler's options for a workflows entry (ours unless a benchmark names its own). */
export function workflowBundleOptions(
  workflowsPath = WORKFLOWS_PATH,
): Pick<BundleOptions, 'workflowsPath' | 'failureConverterPath' | 'preloadModules'> {
  return { workflowsPath, failureConverterPath: FAILURE_CONVERTER_PATH, preloadModules: [workflowsPath] };
}
