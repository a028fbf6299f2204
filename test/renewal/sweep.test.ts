/**
 * The sweep end to end on the shared dev server with the real PostgreSQL: due policies get one
 * renewal workflow per term (with the holder's data where the notifier reads it), a second sweep
 * starts nothing, an opt-out lands on the do-not-contact list; and the daily Schedule is created
 * once and left alone by a second call (the time-skipping server has no Schedules).
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseActivities } from '../../activities/case-activities';
import { createRenewalActivities } from '../../activities/renewal-activities';
import { createSurveyActivities } from '../../activities/survey-activities';
import type { OpenedDatabase } from '../../db/connection';
import { isOnDoNotContact } from '../../db/repositories/do-not-contact';
import { upsertInsurancePolicies } from '../../db/repositories/insurance-policies';
import { getPersonalData } from '../../db/repositories/personal-data';
import { shanghaiMinuteOfDay } from '../../domain/calendar';
import { type DeadlinePolicyFile, deadlinePolicyFileSchema } from '../../domain/deadline-policies';
import type { InsurancePolicy } from '../../domain/insurance-policy';
import { renewalCaseId } from '../../domain/renewal';
import { ensureRenewalSchedule } from '../../services/renewal-schedule';
import { runRenewalSweep } from '../../services/renewal-sweep';
import * as renewal from '../../workflows/renewal/contract';
import { openTestDatabase } from '../support/db';
import { testWorkflowBundlePath } from '../support/env';
import { eventually } from '../support/http';
import { connectTestTemporal } from '../support/temporal';
import { payloadKeyRingOf, sealedDataConverter } from '../../infra/payload-codec';
import { testConfig } from '../support/config';

const DAY = 86_400_000;
const taskQueue = `renewal-sweep-${randomUUID()}`;
// Reminders in seconds and no quiet hours: a reminder reaches the outbox while the test watches.
const policyFile: DeadlinePolicyFile = deadlinePolicyFileSchema.parse({
  'renewal.reminders': { offsets: ['PT25S'], channels: ['sms'] },
  'renewal.outreachHours': { start: '00:00', end: '24:00' },
});

let database: OpenedDatabase;
let env: TestWorkflowEnvironment;
let client: Client;
let worker: Worker;
let running: Promise<void>;

beforeAll(async () => {
  database = await openTestDatabase();
  env = await connectTestTemporal();
  client = env.client;
  const db = database.db;
  worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue,
    workflowBundle: { codePath: testWorkflowBundlePath() },
    dataConverter: sealedDataConverter(payloadKeyRingOf(testConfig())),
    activities: {
      ...createCaseActivities({ db, policyFile }),
      ...createSurveyActivities({ db }),
      ...createRenewalActivities({ db, policyFile, temporal: client, taskQueue }),
    },
  });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  await database?.close();
});

const record = (policyNo: string, expiresInMs: number): InsurancePolicy => ({
  policyNo,
  holder: { name: '陈静', phone: `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`, email: null },
  plate: '浙A12345',
  product: 'commercial',
  startsAt: new Date(Date.now() + expiresInMs - 365 * DAY).toISOString(),
  expiresAt: new Date(Date.now() + expiresInMs).toISOString(),
  premium: 3000,
  claimFreeYears: 1,
});

describe('renewal sweep', () => {
  it('starts one renewal per due policy term, writes the holder for the notifier, and starts nothing twice', async () => {
    const p = `SWP${randomUUID().slice(0, 6).toUpperCase()}`;
    const due = [record(`${p}-1`, 30_000), record(`${p}-2`, 20 * DAY), record(`${p}-3`, 44 * DAY)];
    const notDue = [record(`${p}-4`, 60 * DAY), { ...record(`${p}-5`, -DAY) }];
    await upsertInsurancePolicies(database.db, [...due, ...notDue]);

    const first = await runRenewalSweep(client, { taskQueue, workflowId: `sweep-${randomUUID()}`, pageSize: 2 });
    expect(first.started).toBeGreaterThanOrEqual(3);
    for (const policy of due) {
      const view = await client.workflow
        .getHandle(renewal.renewalWorkflowId(policy.policyNo, policy.expiresAt))
        .executeUpdate(renewal.renewalOpened);
      expect(view).toMatchObject({ policyNo: policy.policyNo, status: 'scheduled', type: 'renewal' });
      const personal = await getPersonalData(database.db, renewalCaseId(policy.policyNo, policy.expiresAt));
      expect(personal).toMatchObject({ holder: { phone: policy.holder.phone }, vehicle: { plate: '浙A12345' } });
    }
    for (const policy of notDue) {
      await expect(
        client.workflow.getHandle(renewal.renewalWorkflowId(policy.policyNo, policy.expiresAt)).describe(),
      ).rejects.toThrow();
    }

    const second = await runRenewalSweep(client, { taskQueue, workflowId: `sweep-${randomUUID()}`, pageSize: 2 });
    expect(second.started).toBe(0);
    expect(second.existing).toBeGreaterThanOrEqual(3);

    // The policy expiring in 30 s: its (seconds-long) reminder reaches the outbox, the case row says scheduled.
    const soon = due[0]!;
    const caseId = renewalCaseId(soon.policyNo, soon.expiresAt);
    const row = await eventually(
      async () => {
        const n = await database.db
          .selectFrom('notifications')
          .select(['template', 'channel', 'recipient_kind'])
          .where('case_id', '=', caseId)
          .where('template', '=', 'renewal.reminder')
          .executeTakeFirst();
        expect(n).toBeDefined();
        return n!;
      },
      { timeoutMs: 20_000 },
    );
    expect(row).toMatchObject({ channel: 'sms', recipient_kind: 'customer' });
    const kase = await database.db
      .selectFrom('cases')
      .select(['type', 'status', 'policy_no'])
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow();
    expect(kase).toEqual({ type: 'renewal', status: 'scheduled', policy_no: soon.policyNo });
  });

  it('puts the holder on the do-not-contact list when the customer opts out', async () => {
    const policy = record(`OPT${randomUUID().slice(0, 6).toUpperCase()}`, 30 * DAY);
    await upsertInsurancePolicies(database.db, [policy]);
    await runRenewalSweep(client, { taskQueue, workflowId: `sweep-${randomUUID()}` });
    const handle = client.workflow.getHandle(renewal.renewalWorkflowId(policy.policyNo, policy.expiresAt));
    const view = await handle.executeUpdate(renewal.optOut, { args: [{ actor: { id: 'agent-li', role: 'agent' } }] });
    expect(view.status).toBe('opted_out');
    expect(await isOnDoNotContact(database.db, { phone: policy.holder.phone })).toBe(true);
    const kase = await eventually(async () => {
      const row = await database.db
        .selectFrom('cases')
        .select(['status', 'closed_at'])
        .where('id', '=', view.id)
        .executeTakeFirstOrThrow();
      expect(row.closed_at).not.toBeNull();
      return row;
    });
    expect(kase.status).toBe('opted_out');
  });
});

describe('renewal-sweep schedule', () => {
  it('is created at 08:00 Asia/Shanghai daily, and a second call changes nothing', async () => {
    const scheduleId = `renewal-sweep-test-${randomUUID()}`;
    try {
      expect(await ensureRenewalSchedule(client, { scheduleId, taskQueue })).toBe('created');
      const before = await client.schedule.getHandle(scheduleId).describe();
      expect(await ensureRenewalSchedule(client, { scheduleId, taskQueue })).toBe('unchanged');
      const after = await client.schedule.getHandle(scheduleId).describe();
      expect(after.info.lastUpdatedAt).toEqual(before.info.lastUpdatedAt);
      expect(after.spec.timezone).toBe('Asia/Shanghai');
      expect(after.action).toMatchObject({ type: 'startWorkflow', workflowType: 'renewalSweepWorkflow', taskQueue });
      const next = after.info.nextActionTimes[0]!;
      expect(shanghaiMinuteOfDay(next)).toBe(8 * 60);

      // What the code wants changed (another task queue): the schedule is updated in place.
      expect(await ensureRenewalSchedule(client, { scheduleId, taskQueue: `${taskQueue}-v2` })).toBe('updated');
      expect((await client.schedule.getHandle(scheduleId).describe()).action).toMatchObject({
        taskQueue: `${taskQueue}-v2`,
      });
      expect(await ensureRenewalSchedule(client, { scheduleId, taskQueue: `${taskQueue}-v2` })).toBe('unchanged');
    } finally {
      await client.schedule
        .getHandle(scheduleId)
        .delete()
        .catch(() => undefined);
    }
  });
});
