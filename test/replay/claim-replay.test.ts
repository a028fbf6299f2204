/**
 * Replays committed histories of real claim runs against today's workflow code. A change that would
 * break claims already running in production fails here (non-determinism), not in production.
 */
import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';
import { workflowBundle } from '../workflows/harness';
import { installTemporalRuntime } from '../../infra/temporal-runtime';
import pino from 'pino';

const DIR = path.join(__dirname, 'histories');

installTemporalRuntime(pino({ level: 'warn' }));

describe('replay of committed histories', () => {
  const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.json'));

  it('has histories for every workflow type', () => {
    expect(files.some((f) => f.startsWith('claim-'))).toBe(true);
  });

  it('replays every committed history without non-determinism', async () => {
    const histories = files.map((file) => ({
      workflowId: file.replace(/\.json$/, ''),
      history: temporal.api.history.v1.History.fromObject(JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8'))),
    }));
    const results = [];
    const bundlePath = inject('workflowBundlePath');
    const bundle = bundlePath ? { codePath: bundlePath } : await workflowBundle();
    for await (const result of Worker.runReplayHistories({ workflowBundle: bundle }, histories)) {
      results.push({ workflowId: result.workflowId, error: result.error?.message });
    }
    expect(results).toHaveLength(files.length);
    expect(results.filter((r) => r.error)).toEqual([]);
  });
});
