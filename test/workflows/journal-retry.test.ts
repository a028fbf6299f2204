/**
 * The journal's keys survive a workflow task that fails and is retried (issue 8, found in the fault
 * drills): an Update's local activities project the case, the workflow then completes in that same
 * task, and a signal arriving meanwhile makes the server refuse the completion. The retried task
 * runs the signal before the Update, so every event is numbered differently than in the attempt
 * that already wrote to PostgreSQL. The read model must end up with the committed history's events,
 * each once: not "case.closed" twice, not the note lost under a key the failed attempt took.
 */
import path from 'node:path';
import { Client, Connection, ServiceError } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { applyProjection } from '../../db/repositories/case-projection';
import type { OpenedDatabase } from '../../db/connection';
import type { CaseProjection } from '../../domain/case';
import { FAILURE_CONVERTER_PATH, payloadKeyRingOf, sealedDataConverter } from '../../infra/payload-codec';
import { testConfig } from '../support/config';
import { openTestDatabase } from '../support/db';
import { testTemporalAddress } from '../support/env';
import type { CaseActivities } from '../../activities/types';
import {
  journalContinuedProbe,
  journalOpeningProbe,
  journalProbe,
  type OpeningProbeActivities,
  probeFinish,
  probeNote,
} from './fixtures/journal-probe';

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };
let database: OpenedDatabase;
/** The probes' bundle, built once for every test here. */
let probeBundle: { code: string };

beforeAll(async () => {
  database = await openTestDatabase();
  probeBundle = await bundleWorkflowCode({
    workflowsPath: path.join(__dirname, 'fixtures', 'journal-probe.ts'),
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: quiet,
  });
});
afterAll(async () => {
  await database?.close();
});

it('writes each committed event once, under its committed key, when a signal fails the closing workflow task', async () => {
  const id = `PROBE-${Date.now()}`;
  let held = false;
  let hold: () => void = () => undefined;
  const holding = new Promise<void>((resolve) => (hold = resolve));
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  const projections: CaseProjection[] = [];

  const { worker, taskQueue, connection, client } = await probeWorker('journal-retry', {
    async projectCase(p: CaseProjection) {
      projections.push(structuredClone(p));
      // The closing projection of the first attempt waits while the signal reaches the history.
      if (!held && p.events.some((e) => e.kind === 'case.closed')) {
        held = true;
        await applyProjection(database.db, p);
        hold();
        await released;
        return;
      }
      await applyProjection(database.db, p);
    },
  });
  try {
    await worker.runUntil(async () => {
      const handle = await client.workflow.start(journalProbe, { taskQueue, workflowId: id, args: [id] });
      await until(async () => projections.length > 0);
      // As api/case-access.ts does: an Update refused because its task failed is asked again.
      const finishing = (async () => {
        for (let attempt = 1; ; attempt++) {
          try {
            return await handle.executeUpdate(probeFinish);
          } catch (err) {
            const code = err instanceof ServiceError ? (err.cause as { code?: number } | undefined)?.code : undefined;
            if (code !== 9 || attempt >= 5) throw err;
            await new Promise((r) => setTimeout(r, 150 * attempt));
          }
        }
      })();
      await holding;
      await handle.signal(probeNote, 'arrived while the case closed');
      release();
      expect(await finishing).toBe('closed');
      await handle.result();
      const history = await handle.fetchHistory();
      const failedTasks = (history.events ?? []).filter((e) => e.workflowTaskFailedEventAttributes).length;
      expect(failedTasks).toBeGreaterThan(0); // the scenario happened: the closing task was refused
    });
    const { rows } = await sql<{ event_key: string; kind: string }>`
      select event_key, kind from timeline_events where case_id = ${id} order by event_key`.execute(database.db);
    const kinds = rows.map((r) => r.kind).sort();
    expect(kinds).toEqual(['case.closed', 'case.opened', 'note.added']);
    expect(rows.map((r) => r.event_key)).toEqual([`${id}:1`, `${id}:2`, `${id}:3`]);
    const row = await database.db
      .selectFrom('cases')
      .select(['status', 'version'])
      .where('id', '=', id)
      .executeTakeFirst();
    expect(row).toEqual({ status: 'closed', version: 3 });
  } finally {
    await connection.close();
  }
}, 60_000);

it('supersedes what a failed first attempt of the opening task wrote, and only then looks for it', async () => {
  const id = `PROBE-OPEN-${Date.now()}`;
  const projections: CaseProjection[] = [];
  let attempts = 0;
  const { worker, taskQueue, connection, client } = await probeWorker('journal-opening', {
    async openingAttempt() {
      return ++attempts;
    },
    projectCase: recordedInto(projections),
  });
  try {
    await worker.runUntil(async () => {
      const handle = await client.workflow.start(journalOpeningProbe, { taskQueue, workflowId: id, args: [id] });
      expect(await handle.result()).toBe(1);
    });
    // The first attempt had nothing before it to supersede; the retry supersedes that attempt's event.
    expect(projections.map((p) => p.supersede)).toEqual([undefined, 0]);
    const { rows } = await sql<{ event_key: string; kind: string }>`
      select event_key, kind from timeline_events where case_id = ${id} order by event_key`.execute(database.db);
    expect(rows).toEqual([{ event_key: `${id}:1`, kind: 'case.opened' }]);
  } finally {
    await connection.close();
  }
}, 60_000);

it('a run continued as new supersedes above the sequence it carried, even on its first try', async () => {
  // Its predecessor's last task may have projected, failed, and been retried with nothing to project.
  const id = `PROBE-CAN-${Date.now()}`;
  const projections: CaseProjection[] = [];
  const { worker, taskQueue, connection, client } = await probeWorker('journal-continued', {
    projectCase: recordedInto(projections),
  });
  try {
    await worker.runUntil(async () => {
      const handle = await client.workflow.start(journalContinuedProbe, { taskQueue, workflowId: id, args: [id] });
      expect(await handle.result()).toBe(2); // the continued run's answer: its sequence number
    });
    expect(projections.map((p) => p.supersede)).toEqual([undefined, 1]);
  } finally {
    await connection.close();
  }
}, 60_000);

/**
 * A worker running the probes on a task queue of its own, and a client. Both are sealed like every
 * client and worker of ours: the probes' notes are free text, and the dev server's raw histories
 * are scanned for them after the run.
 */
async function probeWorker(
  name: string,
  activities: Partial<Pick<CaseActivities, 'projectCase'> & OpeningProbeActivities>,
) {
  const address = testTemporalAddress();
  const taskQueue = `${name}-${Date.now()}`;
  const dataConverter = sealedDataConverter(payloadKeyRingOf(testConfig()));
  const worker = await Worker.create({
    connection: await NativeConnection.connect({ address }),
    taskQueue,
    dataConverter,
    workflowBundle: probeBundle,
    activities,
  });
  const connection = await Connection.connect({ address });
  return { worker, taskQueue, connection, client: new Client({ connection, dataConverter }) };
}

/** A projectCase that keeps a copy of each projection it writes. */
function recordedInto(projections: CaseProjection[]) {
  return async (p: CaseProjection) => {
    projections.push(structuredClone(p));
    await applyProjection(database.db, p);
  };
}

async function until(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
