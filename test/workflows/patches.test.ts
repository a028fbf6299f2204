/**
 * The baseline patch (workflows/shared/patches.ts): a case opened today records one patch marker,
 * the baseline's, however many patched paths its run takes — the opening's one timer and one
 * projection at a time, the steps of its clocks at each wake-up, a breach surviving the case's end.
 * Runs recorded before the baseline replay patch by patch (test/replay: histories v2–v7).
 */
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Actor } from '../../domain/case';
import * as claim from '../../workflows/claim/contract';
import { claimWorkflow } from '../../workflows/claim/workflow';
import { BASELINE } from '../../workflows/shared/patches';
import {
  createTimeSkippingEnv,
  fakeActivities,
  ProjectionLog,
  sleepUntil,
  sleepUntilWorkingDay,
  startWorker,
} from './harness';

const agent: Actor = { id: 'agent-li', role: 'agent', team: 'east' };

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
const log = new ProjectionLog();
const taskQueue = `patches-${randomUUID()}`;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  worker = await startWorker(env, taskQueue, fakeActivities(log), inject('workflowBundlePath') || undefined);
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

/** The patch ids of a history's patch markers, in the order they were recorded. */
async function patchMarkersOf(handle: WorkflowHandle): Promise<string[]> {
  const { events } = await handle.fetchHistory();
  return (events ?? [])
    .map((event) => event.markerRecordedEventAttributes)
    .filter((marker) => marker?.markerName === 'core_patch')
    .map((marker) => {
      const data = marker!.details!['patch-data']!.payloads![0]!.data!;
      return (JSON.parse(Buffer.from(data).toString('utf8')) as { id: string }).id;
    });
}

describe('the baseline patch', () => {
  it('a claim opened, breached, escalated and withdrawn records one patch marker: the baseline', async () => {
    await sleepUntilWorkingDay(env, '10:00');
    const claimNo = `T${randomUUID().slice(0, 8).toUpperCase()}`;
    const handle = await env.client.workflow.start(claimWorkflow, {
      taskQueue,
      workflowId: claim.claimWorkflowId(claimNo),
      args: [
        {
          claimNo,
          team: 'east',
          assignee: agent.id,
          policyNo: 'PDAA202611000001',
          coverage: 'compulsory',
          injuries: false,
          reportedAt: new Date(await env.currentTimeMs()).toISOString(),
          openedBy: agent,
        },
      ],
    });
    const opened = await handle.executeUpdate(claim.claimOpened);
    expect(await patchMarkersOf(handle)).toEqual([BASELINE]);

    // Past the first contact's breach and escalation: the one timer's wake-ups step the clocks.
    const firstContact = opened.clocks.find((c) => c.policy === 'claim.firstContact')!;
    await sleepUntil(env, 2 * Date.parse(firstContact.dueAt) - Date.parse(firstContact.startedAt) + 60_000);
    const withdrawn = await handle.executeUpdate(claim.withdrawClaim, { args: [{ actor: agent, reason: '客户撤案' }] });
    // The breach survives the case's end (BREACH_SURVIVES_END), asked without a marker of its own.
    expect(withdrawn.clocks.find((c) => c.policy === 'claim.firstContact')).toMatchObject({
      state: 'breached',
      endedAs: 'cancelled',
    });
    const kinds = log.events(claimNo).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['clock.warned', 'clock.breached', 'case.escalated']));
    expect(await patchMarkersOf(handle)).toEqual([BASELINE]);
  });
});
