/**
 * Records the complaint and inquiry histories that test/replay replays (the claim's are recorded by
 * scripts/record-histories.ts): real runs on the time-skipping server with the real deadline engine.
 * Run it (`npx tsx scripts/record-histories-cases.ts [version]`) when a workflow change is meant to be
 * incompatible and has been made safe with patching; commit the new files beside the old ones.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import type { SurveyActivities } from '../activities/survey-activities';
import type { Actor } from '../domain/case';
import * as complaint from '../workflows/complaint/contract';
import { complaintWorkflow } from '../workflows/complaint/workflow';
import * as inquiry from '../workflows/inquiry/contract';
import { inquiryWorkflow } from '../workflows/inquiry/workflow';
import { notificationDelivered } from '../workflows/shared/contract';
import { createTimeSkippingEnv, fakeActivities, ProjectionLog, startWorker } from '../test/workflows/harness';

const OUT = path.join(__dirname, '..', 'test', 'replay', 'histories');
const agent: Actor = { id: 'agent-zhao', role: 'agent', team: 'east' };
const supervisor: Actor = { id: 'sup-wang', role: 'supervisor', team: 'east' };
const manager: Actor = { id: 'mgr-chen', role: 'manager' };
const surveys: SurveyActivities = { recordSurvey: async () => undefined };

async function main(): Promise<void> {
  const env = await createTimeSkippingEnv();
  const taskQueue = `record-cases-${randomUUID()}`;
  const worker = await startWorker(env, taskQueue, { ...fakeActivities(new ProjectionLog()), ...surveys });
  const version = process.argv[2] ?? 'v1';
  const now = async () => new Date(await env.currentTimeMs()).toISOString();
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
    const openComplaint = async (name: string, channel: complaint.ComplaintInput['channel']) => {
      const complaintNo = `REC${name.toUpperCase()}-${randomUUID().slice(0, 6)}`;
      const input: complaint.ComplaintInput = {
        complaintNo,
        team: 'east',
        assignee: agent.id,
        channel,
        category: 'claim_delay',
        policyNo: 'PDAA202611000001',
        relatedCaseId: null,
        receivedAt: await now(),
        openedBy: agent,
      };
      const handle = await env.client.workflow.start(complaintWorkflow, {
        taskQueue,
        workflowId: complaint.complaintWorkflowId(complaintNo),
        args: [input],
      });
      await handle.executeUpdate(complaint.complaintOpened);
      return handle;
    };

    const resolved = await openComplaint('resolved', 'phone');
    await resolved.executeUpdate(complaint.acknowledgeComplaint, { args: [{ actor: agent, message: '非常抱歉' }] });
    await resolved.executeUpdate(complaint.recordInvestigation, { args: [{ actor: agent, note: '调取理赔记录' }] });
    await resolved.executeUpdate(complaint.extendDecision, {
      args: [{ actor: supervisor, reason: '需第三方定损报告' }],
    });
    await resolved.executeUpdate(complaint.extendDecision, { args: [{ actor: manager, reason: '涉及诉讼' }] });
    await resolved.executeUpdate(complaint.proposeResolution, {
      args: [{ actor: agent, resolution: 'apology', detail: '书面致歉' }],
    });
    await env.sleep('2 days');
    await resolved.executeUpdate(complaint.recordCustomerResponse, {
      args: [{ actor: agent, accepted: false, comment: '要求补偿' }],
    });
    await resolved.executeUpdate(complaint.proposeResolution, {
      args: [{ actor: agent, resolution: 'compensation', detail: '补偿交通费', amount: 300 }],
    });
    await resolved.executeUpdate(complaint.recordCustomerResponse, { args: [{ actor: agent, accepted: true }] });
    await resolved.executeUpdate(complaint.recordSatisfaction, { args: [{ actor: agent, score: 4 }] });
    await resolved.result();
    await save('complaint-extended-rejected-resolved', resolved);

    const regulator = await openComplaint('regulator', 'regulator');
    await env.sleep('3 days');
    await regulator.executeUpdate(complaint.acknowledgeComplaint, { args: [{ actor: supervisor }] });
    await regulator.executeUpdate(complaint.recordInvestigation, { args: [{ actor: agent, note: '核实' }] });
    await regulator.executeUpdate(complaint.proposeResolution, {
      args: [{ actor: agent, resolution: 'claim_review', detail: '重新审核理赔' }],
    });
    await regulator.executeUpdate(complaint.recordCustomerResponse, { args: [{ actor: agent, accepted: true }] });
    await regulator.result();
    await save('complaint-regulator-late-unanswered', regulator);

    const openInquiry = async (name: string, answer: string | null) => {
      const inquiryNo = `REC${name.toUpperCase()}-${randomUUID().slice(0, 6)}`;
      const input: inquiry.InquiryInput = {
        inquiryNo,
        team: 'east',
        assignee: agent.id,
        channel: 'phone',
        topic: 'claim_progress',
        answer,
        receivedAt: await now(),
        openedBy: agent,
      };
      const handle = await env.client.workflow.start(inquiryWorkflow, {
        taskQueue,
        workflowId: inquiry.inquiryWorkflowId(inquiryNo),
        args: [input],
      });
      await handle.executeUpdate(inquiry.inquiryOpened);
      return handle;
    };

    const consulted = await openInquiry('consulted', null);
    await consulted.executeUpdate(inquiry.awaitCustomer, { args: [{ actor: agent, reason: '请提供保单号' }] });
    await env.sleep('2 hours');
    await consulted.executeUpdate(inquiry.customerReplied, { args: [{ actor: agent }] });
    await consulted.executeUpdate(inquiry.requestConsultation, {
      args: [{ actor: agent, department: 'claims', question: '定损进度？' }],
    });
    await consulted.executeUpdate(inquiry.requestConsultation, {
      args: [{ actor: agent, department: 'underwriting', question: '批改生效？' }],
    });
    await consulted.executeUpdate(inquiry.recordConsultationReply, {
      args: [{ actor: agent, consultationId: 'c1', reply: '待核价' }],
    });
    await env.sleep('1 day');
    await consulted.executeUpdate(inquiry.answerInquiry, { args: [{ actor: agent, answer: '理赔已进入核价' }] });
    await consulted.signal(notificationDelivered, { key: `${consulted.workflowId}:answer`, sentAt: await now() });
    for (let i = 0; i < 50 && (await consulted.query(inquiry.getInquiry)).status !== 'closed'; i++)
      await env.sleep('1 second');
    await consulted.executeUpdate(inquiry.reviewInquiry, { args: [{ actor: supervisor, correct: true }] });
    await consulted.result();
    await save('inquiry-paused-consulted-late-answered', consulted);

    const onTheSpot = await openInquiry('spot', '可在官网自助打印保单');
    await onTheSpot.result();
    await save('inquiry-on-the-spot-review-window', onTheSpot);
  });
  await env.teardown();
}

void main();
