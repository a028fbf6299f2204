/**
 * A change the read model can never store (here a NUL, which PostgreSQL refuses in jsonb) does not
 * wedge its case: the projection fails once, for good, visibly (a failed_projections row, an error
 * log line, the metric), the Update answers, and the case's later changes reach the read model. The
 * worker's log of it — the SDK's own lines included — carries no personal data. The claim runs on a
 * task queue of this file's own, so the lines are this worker's.
 */
import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import type { OpenedDatabase } from '../../db/connection';
import { listFailedProjections } from '../../db/repositories/failed-projections';
import { listTimeline } from '../../db/repositories/timeline';
import { installTemporalRuntime } from '../../infra/temporal-runtime';
import { createCaseWorker } from '../../worker';
import { claimOpened, claimWorkflowId } from '../../workflows/claim/contract';
import { claimWorkflow } from '../../workflows/claim/workflow';
import { addNote } from '../../workflows/shared/contract';
import { testConfig } from '../support/config';
import { openTestDatabase } from '../support/db';
import { testWorkflowBundlePath } from '../support/env';
import { eventually, listen } from '../support/http';
import { captureLogger } from '../support/logger';
import { connectTestTemporal } from '../support/temporal';

// Before anything creates the SDK's runtime: every line the worker's SDK writes lands here.
const sdk = captureLogger('warn');
const taskQueue = `projection-failures-${randomUUID()}`;
let env: TestWorkflowEnvironment;
let database: OpenedDatabase;
let worker: Worker;
let running: Promise<void>;

beforeAll(async () => {
  installTemporalRuntime(sdk.logger);
  env = await connectTestTemporal();
  database = await openTestDatabase();
  worker = await createCaseWorker({
    connection: env.nativeConnection,
    temporal: env.client,
    namespace: 'default',
    db: database.db,
    config: testConfig(),
    logger: sdk.logger,
    workflowBundle: { codePath: testWorkflowBundlePath() },
    taskQueue,
  });
  running = worker.run();
});
afterAll(async () => {
  if (worker?.getState() === 'RUNNING') worker.shutdown();
  await running;
  await env?.teardown();
  await database?.close();
});

const agent = { id: 'agent-pf', role: 'agent' as const, team: 'pf' };

describe('a projection the read model refuses', () => {
  it('is recorded and logged once, the Update answers, and later changes still reach the read model', async () => {
    const id = `CL20261202${randomUUID().slice(0, 6).toUpperCase()}`;
    await env.client.workflow.executeUpdateWithStart(claimOpened, {
      startWorkflowOperation: new WithStartWorkflowOperation(claimWorkflow, {
        workflowId: claimWorkflowId(id),
        taskQueue,
        args: [
          {
            claimNo: id,
            team: 'pf',
            assignee: agent.id,
            policyNo: 'PDAA202600000001',
            coverage: 'commercial',
            injuries: false,
            reportedAt: new Date().toISOString(),
            openedBy: agent,
          },
        ],
        workflowIdConflictPolicy: 'USE_EXISTING',
      }),
    });
    const workflow = env.client.workflow.getHandle(claimWorkflowId(id));

    // Past the API's edge (which refuses it): straight to the workflow, as any Temporal client could.
    const started = Date.now();
    await workflow.executeUpdate(addNote, { args: [{ actor: agent, text: '张伟 13812345678 a\u0000b' }] });
    expect(Date.now() - started).toBeLessThan(20_000);

    const failed = await listFailedProjections(database.db, id);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ sqlstate: '22P05', workflowId: claimWorkflowId(id) });
    expect(failed[0]!.eventKeys.length).toBeGreaterThan(0);

    await workflow.executeUpdate(addNote, { args: [{ actor: agent, text: '已回电' }] });
    const timeline = await eventually(async () => {
      const events = await listTimeline(database.db, id);
      expect(events.some((e) => e.kind === 'note.added' && e.detail.text === '已回电')).toBe(true);
      return events;
    });
    expect(timeline.filter((e) => e.kind === 'note.added')).toHaveLength(1);

    const app = await listen(
      createApp({ temporal: env.client, db: database.db, config: testConfig(), logger: captureLogger().logger }),
    );
    try {
      const metrics = await app.request('GET', '/metrics');
      expect(Number(/^motordesk_failed_projections (\d+)/m.exec(metrics.text)?.[1])).toBeGreaterThanOrEqual(1);
    } finally {
      await app.close();
    }

    // The runtime holds forwarded lines for 100 ms to sort them by time.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const logged = sdk.lines.join('\n');
    expect(logged).toContain('projection refused by the read model');
    expect(logged).toContain(id);
    expect(logged).not.toContain('13812345678');
    expect(logged).not.toContain('张伟');
  });
});
