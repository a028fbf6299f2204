/**
 * Builds the workflow bundle once for production (`npm run build:workflows`): workers then start
 * with WORKFLOW_BUNDLE_PATH and skip bundling at start-up. The benchmarks build theirs (and report
 * its size) through `workflowBundleCode`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowBundleOptions } from '../infra/workflow-bundle';

const quiet = () => undefined;
/** The bundler's logger when a caller prints its own lines (the benchmarks). */
export const QUIET_LOGGER = { log: quiet, trace: quiet, debug: quiet, info: quiet, warn: quiet, error: quiet };

/** The bundle's code; the failure converter is the one every worker and client of ours uses. */
export async function workflowBundleCode(workflowsPath?: string, opts: { quiet?: boolean } = {}): Promise<string> {
  const { code } = await bundleWorkflowCode({
    ...workflowBundleOptions(workflowsPath),
    ...(opts.quiet ? { logger: QUIET_LOGGER } : {}),
  });
  return code;
}

async function main(): Promise<void> {
  const out = path.resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
  const code = await workflowBundleCode();
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, code);
  console.log(`workflow bundle: ${out} (${(code.length / 1024).toFixed(0)} KiB)`);
}

if (require.main === module) void main();
