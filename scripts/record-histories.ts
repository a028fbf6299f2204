/**
 * Records the histories that test/replay replays: real claim runs on the time-skipping server with
 * the real deadline engine. Run it (`npm run history:record`) when a workflow change is meant to be
 * incompatible and has been made safe with patching; commit the new files beside the old ones —
 * old histories stay, because running cases were started with them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import type { Actor } from '../domain/case';
import { DOCUMENT_TYPES } from '../domain/claim';
import * as claim from '../workflows/claim/contract';
import { claimWorkflow } from '../workflows/claim/workflow';
import { notificationDelivered } from '../workflows/shared/contract';
import { createTimeSkippingEnv, fakeActivities, ProjectionLog, startWorker } from '../test/workflows/harness';

const OUT = path.join(__dirname, '..', 'test', 'replay', 'histories');
const agent: Actor = { id: 'agent-li', role: 'agent', team: 'east' };
const supervisor: Actor = { id: 'sup-wang', role: 'supervisor', team: 'east' };
const EVERY_DOCUMENT = DOCUMENT_TYPES.filter((d) => d !== 'medical_records');

async function main(): Promise<void> {
  const env = await createTimeSkippingEnv();
  const log = new ProjectionLog();
  const taskQueue = `record-${randomUUID()}`;
  const worker = await startWorker(env, taskQueue, fakeActivities(log));
  const version = process.argv[2] ?? 'v1';
  await worker.runUntil(async () => {
    const start = async (name: string) => {
      const claimNo = `REC${name.toUpperCase()}`;
      const input: claim.ClaimInput = {
        claimNo,
        team: 'east',
        assignee: agent.id,
        policyNo: 'PDAA202611000001',
        coverage: 'compulsory',
        injuries: false,
        reportedAt: new Date(await env.currentTimeMs()).toISOString(),
        openedBy: agent,
      };
      const handle = await env.client.workflow.start(claimWorkflow, {
        taskQueue,
        workflowId: claim.claimWorkflowId(`${claimNo}-${randomUUID().slice(0, 6)}`),
        args: [input],
      });
      await handle.executeUpdate(claim.claimOpened);
      return handle;
    };
    const save = async (name: string, handle: Awaited<ReturnType<typeof start>>) => {
      const history = await handle.fetchHistory();
      fs.mkdirSync(OUT, { recursive: true });
      // protobufjs object form: @temporalio/common's historyToJSON trips over the two protobufjs copies npm installs.
      const json = temporal.api.history.v1.History.toObject(temporal.api.history.v1.History.fromObject(history), {
        longs: String,
        enums: String,
        bytes: String,
      });
      fs.writeFileSync(path.join(OUT, `claim-${name}-${version}.json`), JSON.stringify(json, null, 1));
      console.log(`recorded claim-${name}-${version}.json (${history.events?.length ?? 0} events)`);
    };

    const paid = await start('paid');
    await paid.signal(notificationDelivered, {
      key: `${paid.workflowId}:documentNotice`,
      sentAt: new Date(await env.currentTimeMs()).toISOString(),
    });
    await paid.executeUpdate(claim.recordContact, { args: [{ actor: agent, outcome: 'reached' }] });
    await paid.executeUpdate(claim.addDocuments, {
      args: [{ actor: agent, documents: ['id_card', 'driving_licence'] }],
    });
    await env.sleep('6 days');
    await paid.executeUpdate(claim.addDocuments, { args: [{ actor: agent, documents: EVERY_DOCUMENT }] });
    await paid.executeUpdate(claim.recordAssessment, { args: [{ actor: agent, amount: 8300.5 }] });
    await paid.executeUpdate(claim.recordDecision, { args: [{ actor: supervisor, outcome: 'approve' }] });
    await paid.executeUpdate(claim.recordPayment, {
      args: [{ actor: supervisor, amount: 8300.5, reference: 'ICBC-0001' }],
    });
    await paid.signal(notificationDelivered, {
      key: `${paid.workflowId}:satisfactionSurvey`,
      sentAt: new Date(await env.currentTimeMs()).toISOString(),
    });
    await paid.result();
    await save('paid', paid);

    const denied = await start('denied');
    await denied.executeUpdate(claim.addDocuments, { args: [{ actor: agent, documents: EVERY_DOCUMENT }] });
    await denied.executeUpdate(claim.recordDecision, {
      args: [{ actor: supervisor, outcome: 'deny', reason: '驾驶人无有效驾驶证' }],
    });
    await env.sleep('4 days');
    await denied.signal(notificationDelivered, {
      key: `${denied.workflowId}:denialNotice`,
      sentAt: new Date(await env.currentTimeMs()).toISOString(),
    });
    await denied.result();
    await save('denied-late-notice', denied);

    const neglected = await start('neglected');
    await env.sleep('20 days');
    await neglected.executeUpdate(claim.withdrawClaim, { args: [{ actor: agent, reason: '客户未再提交资料' }] });
    await neglected.result();
    await save('reminders-escalation-withdrawn', neglected);
  });
  await env.teardown();
}

void main();
