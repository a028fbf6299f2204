/**
 * Records the renewal histories that test/replay replays (every .json in the folder): real runs on
 * the time-skipping server with the real planning rules (fake activities over an in-memory policy
 * table). Run it (`npx tsx scripts/record-histories-renewal.ts [version]`) when a workflow change is
 * meant to be incompatible and has been made safe with patching; commit the new files beside the old.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { shanghaiDate, shanghaiInstant } from '../domain/calendar';
import type { Actor } from '../domain/case';
import { renewalCaseId } from '../domain/renewal';
import * as renewal from '../workflows/renewal/contract';
import { renewalSweepWorkflow } from '../workflows/renewal/sweep';
import { renewalWorkflow } from '../workflows/renewal/workflow';
import { FakeRenewalWorld, fakeRenewalActivities } from '../test/renewal/fake-activities';
import { createTimeSkippingEnv, fakeActivities, ProjectionLog, startWorker } from '../test/workflows/harness';

const OUT = path.join(__dirname, '..', 'test', 'replay', 'histories');
const agent: Actor = { id: 'agent-li', role: 'agent', team: 'renewals' };
const DAY = 86_400_000;

async function main(): Promise<void> {
  const env = await createTimeSkippingEnv();
  const world = new FakeRenewalWorld();
  const taskQueue = `record-renewal-${randomUUID()}`;
  const worker = await startWorker(env, taskQueue, {
    ...fakeActivities(new ProjectionLog()),
    ...fakeRenewalActivities(world),
  });
  const version = process.argv[2] ?? 'v1';
  const now = () => env.currentTimeMs();
  const at = async (hour: number) => {
    const t = await now();
    const candidate = shanghaiInstant(shanghaiDate(new Date(t)), hour * 60).getTime();
    return candidate > t ? candidate : candidate + DAY;
  };
  const sleepTo = async (instant: number) => {
    const t = await now();
    if (instant > t) await env.sleep(instant - t);
  };
  const save = async (name: string, handle: { fetchHistory(): Promise<temporal.api.history.v1.IHistory> }) => {
    const history = await handle.fetchHistory();
    fs.mkdirSync(OUT, { recursive: true });
    // protobufjs object form: @temporalio/common's historyToJSON trips over the two protobufjs copies npm installs.
    const json = temporal.api.history.v1.History.toObject(temporal.api.history.v1.History.fromObject(history), {
      longs: String,
      enums: String,
      bytes: String,
    });
    fs.writeFileSync(path.join(OUT, `${name}-${version}.json`), JSON.stringify(json, null, 1));
    console.log(`recorded ${name}-${version}.json (${history.events?.length ?? 0} events)`);
  };

  await worker.runUntil(async () => {
    const open = async (name: string, expiresAt: number) => {
      const policyNo = `REC${name.toUpperCase()}${randomUUID().slice(0, 4).toUpperCase()}`;
      const expiry = new Date(expiresAt).toISOString();
      const input: renewal.RenewalInput = {
        caseId: renewalCaseId(policyNo, expiry),
        policyNo,
        product: 'commercial',
        startsAt: new Date(expiresAt - 365 * DAY).toISOString(),
        expiresAt: expiry,
        team: 'renewals',
        openedAt: new Date(await now()).toISOString(),
      };
      const handle = await env.client.workflow.start(renewalWorkflow, {
        taskQueue,
        workflowId: renewal.renewalWorkflowId(policyNo, expiry),
        args: [input],
      });
      await handle.executeUpdate(renewal.renewalOpened);
      return handle;
    };
    const contact = (outcome: renewal.ContactInput['outcome'], channel: renewal.ContactInput['channel'] = 'phone') => ({
      args: [{ actor: agent, channel, outcome }] as [renewal.ContactInput],
    });

    // Expiry at 00:00: every reminder is moved out of the night to 08:00; then the lapse in quiet hours.
    const lapsed = await open('lapsed', (await at(0)) + 35 * DAY);
    await lapsed.result();
    await save('renewal-reminders-quiet-hours-lapsed', lapsed);

    await sleepTo(await at(9));
    const renewed = await open('renewed', (await at(12)) + 20 * DAY);
    for (let i = 0; i < 3; i++) await renewed.executeUpdate(renewal.recordContact, contact('no_answer'));
    await renewed.executeUpdate(renewal.recordContact, contact('no_answer')).catch(() => undefined);
    await sleepTo(await at(10));
    await renewed.executeUpdate(renewal.recordContact, contact('callback'));
    await renewed.executeUpdate(renewal.recordContact, contact('interested'));
    await renewed.executeUpdate(renewal.recordRenewal, {
      args: [{ actor: agent, newPolicyNo: 'PDAA2027000001', premium: 3400 }],
    });
    await renewed.result();
    await save('renewal-calls-capped-renewed', renewed);

    const optedOut = await open('optout', (await at(12)) + 40 * DAY);
    await env.sleep(11 * DAY);
    await optedOut.executeUpdate(renewal.optOut, { args: [{ actor: agent, reason: '客户要求' }] });
    await optedOut.result();
    await save('renewal-reminded-opted-out', optedOut);

    await sleepTo(await at(9));
    const declined = await open('declined', (await at(12)) + 10 * DAY);
    await declined.executeUpdate(renewal.recordContact, contact('declined'));
    await declined.result();
    await save('renewal-declined-by-phone', declined);

    const sweep = await env.client.workflow.start(renewalSweepWorkflow, {
      taskQueue,
      workflowId: `renewal-sweep-record-${randomUUID().slice(0, 6)}`,
      args: [{ pageSize: 2, pagesPerRun: 2 }],
    });
    await sweep.result();
    await save('renewal-sweep-continued', sweep);
  });
  await env.teardown();
}

void main();
