/**
 * The workflow threads' promise hook follows WORKER_WORKFLOW_STACK_TRACES (issue 10): off, the
 * stack-trace query is refused with the SDK's own words and no promise pays for a stack; on, it shows
 * where the workflow waits. Proves the patch in patches/ is applied and that the switch reaches the
 * threads a worker spawns after it is set.
 */
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { installTemporalRuntime } from '../../infra/temporal-runtime';
import { useWorkflowStackTraces } from '../../infra/workflow-stack-traces';
import { QUIET_LOGGER } from '../../scripts/bundle-workflows';
import { captureLogger } from '../support/logger';
import { testTemporalAddress } from '../support/env';
import { waitingForever } from './fixtures/waiting';

let bundle: { code: string };
let connection: Connection;
const before = process.env.TEMPORAL_WORKFLOW_STACK_TRACES;

beforeAll(async () => {
  installTemporalRuntime(captureLogger('warn').logger);
  bundle = await bundleWorkflowCode({
    workflowsPath: path.join(__dirname, 'fixtures', 'waiting.ts'),
    logger: QUIET_LOGGER,
  });
  connection = await Connection.connect({ address: testTemporalAddress() });
});

afterAll(async () => {
  await connection?.close();
  if (before === undefined) delete process.env.TEMPORAL_WORKFLOW_STACK_TRACES;
  else process.env.TEMPORAL_WORKFLOW_STACK_TRACES = before;
});

/** The stack-trace query's answer from a worker started after the switch was set. */
async function stackTraceWith(enabled: boolean): Promise<{ answer: Promise<string>; warnings: string[] }> {
  const { logger, lines } = captureLogger('warn');
  useWorkflowStackTraces(enabled, logger);
  const taskQueue = `stack-traces-${enabled ? 'on' : 'off'}-${Date.now()}`;
  const workerConnection = await NativeConnection.connect({ address: testTemporalAddress() });
  const worker = await Worker.create({
    connection: workerConnection,
    taskQueue,
    workflowBundle: bundle,
  });
  const client = new Client({ connection });
  const answer = worker.runUntil(async () => {
    const handle = await client.workflow.start(waitingForever, { taskQueue, workflowId: taskQueue });
    try {
      return await handle.query<string>('__stack_trace');
    } finally {
      await handle.terminate();
    }
  });
  // Settled either way before the next worker starts: a refused query rejects `answer`.
  await answer.catch(() => undefined);
  await workerConnection.close();
  return { answer, warnings: lines };
}

it('off: the stack-trace query is refused, and the patched SDK is found (no warning)', async () => {
  const { answer, warnings } = await stackTraceWith(false);
  await expect(answer).rejects.toThrow(/Workflow stack traces are not enabled on this worker/);
  expect(warnings).toEqual([]);
});

it('on: the stack-trace query shows where the workflow waits', async () => {
  const { answer } = await stackTraceWith(true);
  await expect(answer).resolves.toMatch(/waitingForever/);
});
