/**
 * Once per `npm run test:faults`: the workflow bundle the drills' workers load (a worker restarted
 * by a drill is up in seconds instead of bundling again). Each drill starts its own world.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowBundleOptions } from '../../../infra/workflow-bundle';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    drillBundlePath: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const silent = () => undefined;
  const { code } = await bundleWorkflowCode({
    ...workflowBundleOptions(),
    logger: { log: silent, trace: silent, debug: silent, info: silent, warn: silent, error: silent },
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motordesk-drill-bundle-'));
  const file = path.join(dir, 'workflows.js');
  fs.writeFileSync(file, code);
  project.provide('drillBundlePath', file);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
