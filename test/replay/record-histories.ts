/**
 * Records the histories that test/replay replays: real runs of every case workflow on the
 * time-skipping server with the real deadline engine and the real renewal planning (the workflow
 * test harness's in-memory activities). Run it when a workflow change is meant to be incompatible
 * and has been made safe with patching:
 *
 *   npm run history:record -- v2                 # every workflow type
 *   npm run history:record -- v2 claim renewal   # only these
 *
 * and commit the new files beside the old ones: old histories stay, because running cases were
 * started with them. An existing file is never overwritten: its scenario still runs (the ones after
 * it keep their timing) and is kept as it was, so a new scenario is recorded with the version at hand.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateStage } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { shanghaiDate, shanghaiInstant } from '../../domain/calendar';
import type { Actor } from '../../domain/case';
import { DOCUMENT_TYPES } from '../../domain/claim';
import { renewalCaseId } from '../../domain/renewal';
import * as claim from '../../workflows/claim/contract';
import { claimWorkflow } from '../../workflows/claim/workflow';
import * as complaint from '../../workflows/complaint/contract';
import { complaintWorkflow } from '../../workflows/complaint/workflow';
import * as inquiry from '../../workflows/inquiry/contract';
import { inquiryWorkflow } from '../../workflows/inquiry/workflow';
import * as purchase from '../../workflows/purchase/contract';
import { purchaseWorkflow } from '../../workflows/purchase/workflow';
import * as renewal from '../../workflows/renewal/contract';
import { renewalSweepWorkflow } from '../../workflows/renewal/sweep';
import { renewalWorkflow } from '../../workflows/renewal/workflow';
import { notificationDelivered } from '../../workflows/shared/contract';
import * as assessment from '../../workflows/assessment/contract';
import { monthlyAssessmentWorkflow } from '../../workflows/assessment/monthly-run';
import { assessmentWorkflow } from '../../workflows/assessment/workflow';
import * as equipment from '../../workflows/facilities/equipment-contract';
import { facilitiesCheckSweepWorkflow } from '../../workflows/facilities/check-sweep';
import { equipmentWorkflow } from '../../workflows/facilities/equipment';
import * as repair from '../../workflows/facilities/repair-contract';
import * as training from '../../workflows/training/contract';
import { personalDataRetentionWorkflow } from '../../workflows/retention/sweep';
import { periodicTrainingWorkflow } from '../../workflows/training/periodic-rounds';
import { trainingWorkflow } from '../../workflows/training/workflow';
import { FakeRenewalWorld, fakeRenewalActivities } from '../renewal/fake-activities';
import {
  beforeRest,
  createTimeSkippingEnv,
  fakeActivities,
  fakeFacilitiesActivities,
  FakeFacilitiesWorld,
  fakeAssessmentActivities,
  fakePurchaseActivities,
  FakePurchaseWorld,
  ProjectionLog,
  sleepUntilWorkingDay,
  startWorker,
} from '../workflows/harness';

const OUT = path.join(__dirname, 'histories');
const DAY = 86_400_000;

interface Recording {
  env: TestWorkflowEnvironment;
  taskQueue: string;
  /** The test server's current time as an ISO instant. */
  now: () => Promise<string>;
  /** Writes `<name>-<version>.json`. */
  save: (name: string, handle: { fetchHistory(): Promise<temporal.api.history.v1.IHistory> }) => Promise<void>;
  /** Holds the next call of an activity whose argument matches, until released: to record races. */
  hold: Holds['hold'];
}

type HeldActivity = 'projectCase' | 'scheduleClocks';

/**
 * An activity call held in the middle (after its work, before it answers) so that a signal can
 * arrive while it is in flight, as a fast dispatcher's receipt does in production.
 */
class Holds {
  private readonly pending: {
    at: HeldActivity;
    match: (arg: unknown) => boolean;
    reach: () => void;
    gate: Promise<void>;
  }[] = [];

  hold(at: HeldActivity, match: (arg: unknown) => boolean): { reached: Promise<void>; release: () => void } {
    let reach!: () => void;
    let release!: () => void;
    const reached = new Promise<void>((resolve) => (reach = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    this.pending.push({ at, match, reach, gate });
    return { reached, release };
  }

  async pass(at: HeldActivity, arg: unknown): Promise<void> {
    const i = this.pending.findIndex((h) => h.at === at && h.match(arg));
    if (i < 0) return;
    const [held] = this.pending.splice(i, 1);
    held!.reach();
    await held!.gate;
  }
}

const RECORDERS = {
  claim: recordClaims,
  complaint: recordComplaints,
  inquiry: recordInquiries,
  renewal: recordRenewals,
  purchase: recordPurchases,
  training: recordTraining,
  assessment: recordAssessments,
  facilities: recordFacilities,
  retention: recordRetention,
} satisfies Record<string, (r: Recording) => Promise<void>>;
type RecordedType = keyof typeof RECORDERS;

async function main(): Promise<void> {
  const [version, ...requested] = process.argv.slice(2);
  if (!version || !/^v\d+$/.test(version)) throw new Error('usage: npm run history:record -- <vN> [type ...]');
  const unknown = requested.filter((t) => !(t in RECORDERS));
  if (unknown.length) throw new Error(`unknown workflow types: ${unknown.join(', ')}`);
  const types = (requested.length ? requested : Object.keys(RECORDERS)) as RecordedType[];
  // Each type on a server of its own: the cases an earlier type leaves running (claims, renewals,
  // sweeps with their timers) would otherwise all wake up in a later type's skipped days and keep
  // its recording waiting on their work (the facilities recording stalled after the others).
  for (const type of types) await recordOn(version, RECORDERS[type]);
}

async function recordOn(version: string, recorder: (r: Recording) => Promise<void>): Promise<void> {
  const env = await createTimeSkippingEnv();
  const taskQueue = `record-${randomUUID()}`;
  const holds = new Holds();
  const caseActivities = fakeActivities(new ProjectionLog());
  const worker = await startWorker(env, taskQueue, {
    ...caseActivities,
    async projectCase(projection) {
      await caseActivities.projectCase(projection);
      await holds.pass('projectCase', projection);
    },
    async scheduleClocks(requests) {
      await holds.pass('scheduleClocks', requests);
      return caseActivities.scheduleClocks(requests);
    },
    ...fakeRenewalActivities(new FakeRenewalWorld()),
    ...fakePurchaseActivities(new FakePurchaseWorld()),
    // The periodic round's one activity, as the real one answers for a team due its round.
    assignPeriodicRounds: ({ month }) =>
      Promise.resolve({ month, assigned: [{ team: 'east', planId: 'TPRECPERIODIC', people: 2 }], notDue: [] }),
    ...fakeAssessmentActivities(),
    ...fakeFacilitiesActivities(new FakeFacilitiesWorld()),
    // The retention sweep's page, as the real one answers: a full page, then the last.
    anonymiseExpiredPage: ({ cursor }) =>
      Promise.resolve(
        cursor === null
          ? { checked: 2, anonymised: 1, cursor: 'CLRECRETENTION01' }
          : { checked: 1, anonymised: 1, cursor: null },
      ),
  });
  const recording: Recording = {
    env,
    taskQueue,
    hold: (at, match) => holds.hold(at, match),
    now: async () => new Date(await env.currentTimeMs()).toISOString(),
    save: async (name, handle) => {
      const file = path.join(OUT, `${name}-${version}.json`);
      if (fs.existsSync(file)) {
        console.log(`kept ${path.basename(file)} (committed histories are never overwritten)`);
        return;
      }
      const history = await handle.fetchHistory();
      fs.mkdirSync(OUT, { recursive: true });
      // protobufjs object form: @temporalio/common's historyToJSON trips over the two protobufjs copies npm installs.
      const json = temporal.api.history.v1.History.toObject(temporal.api.history.v1.History.fromObject(history), {
        longs: String,
        enums: String,
        bytes: String,
      });
      fs.writeFileSync(file, JSON.stringify(json, null, 1));
      console.log(`recorded ${path.basename(file)} (${history.events?.length ?? 0} events)`);
    },
  };
  try {
    await worker.runUntil(() => recorder(recording));
  } finally {
    await env.teardown();
  }
}

async function recordClaims({ env, taskQueue, now, save, hold }: Recording): Promise<void> {
  const agent: Actor = { id: 'agent-li', role: 'agent', team: 'east' };
  const supervisor: Actor = { id: 'sup-wang', role: 'supervisor', team: 'east' };
  const everyDocument = DOCUMENT_TYPES.filter((d) => d !== 'medical_records');
  const begin = async (name: string) => {
    const claimNo = `REC${name.toUpperCase()}`;
    const input: claim.ClaimInput = {
      claimNo,
      team: 'east',
      assignee: agent.id,
      policyNo: 'PDAA202611000001',
      coverage: 'compulsory',
      injuries: false,
      reportedAt: await now(),
      openedBy: agent,
    };
    const handle = await env.client.workflow.start(claimWorkflow, {
      taskQueue,
      workflowId: claim.claimWorkflowId(`${claimNo}-${randomUUID().slice(0, 6)}`),
      args: [input],
    });
    return handle;
  };
  const start = async (name: string) => {
    const handle = await begin(name);
    await handle.executeUpdate(claim.claimOpened);
    return handle;
  };

  const paid = await start('paid');
  await paid.signal(notificationDelivered, { key: `${paid.workflowId}:documentNotice`, sentAt: await now() });
  await paid.executeUpdate(claim.recordContact, { args: [{ actor: agent, outcome: 'reached' }] });
  await paid.executeUpdate(claim.addDocuments, { args: [{ actor: agent, documents: ['id_card', 'driving_licence'] }] });
  await env.sleep('6 days');
  await paid.executeUpdate(claim.addDocuments, { args: [{ actor: agent, documents: everyDocument }] });
  await paid.executeUpdate(claim.recordAssessment, { args: [{ actor: agent, amount: 8300.5 }] });
  await paid.executeUpdate(claim.recordDecision, { args: [{ actor: supervisor, outcome: 'approve' }] });
  await paid.executeUpdate(claim.recordPayment, {
    args: [{ actor: supervisor, amount: 8300.5, reference: 'ICBC-0001' }],
  });
  await paid.signal(notificationDelivered, { key: `${paid.workflowId}:satisfactionSurvey`, sentAt: await now() });
  await paid.result();
  await save('claim-paid', paid);

  const denied = await start('denied');
  await denied.executeUpdate(claim.addDocuments, { args: [{ actor: agent, documents: everyDocument }] });
  await denied.executeUpdate(claim.recordDecision, {
    args: [{ actor: supervisor, outcome: 'deny', reason: '驾驶人无有效驾驶证' }],
  });
  await env.sleep('4 days');
  await denied.signal(notificationDelivered, { key: `${denied.workflowId}:denialNotice`, sentAt: await now() });
  await denied.result();
  await save('claim-denied-late-notice', denied);

  const neglected = await start('neglected');
  await env.sleep('20 days');
  await neglected.executeUpdate(claim.withdrawClaim, { args: [{ actor: agent, reason: '客户未再提交资料' }] });
  await neglected.result();
  await save('claim-reminders-escalation-withdrawn', neglected);

  // A breach met late, then a withdrawal: the first-contact clock stays breached and is not escalated again.
  const late = await start('latecontact');
  await env.sleep('40 minutes');
  await late.executeUpdate(claim.recordContact, { args: [{ actor: agent, outcome: 'reached' }] });
  await env.sleep('1 hour');
  await late.executeUpdate(claim.withdrawClaim, { args: [{ actor: agent, reason: '客户撤案' }] });
  await late.result();
  await save('claim-first-contact-breached-met-late-withdrawn', late);

  // The notice's receipt arrives while the opening still schedules its clocks (kept for the opening),
  // and, in another claim, while the opening's projection that wrote the notice is completing.
  const noticeOf = (arg: unknown) =>
    (arg as { notifications?: { template: string }[] }).notifications?.some(
      (n) => n.template === 'claim.documentNotice',
    ) === true;
  for (const [name, at, match] of [
    ['claim-receipt-before-clocks', 'scheduleClocks', () => true],
    ['claim-receipt-during-opening-projection', 'projectCase', noticeOf],
  ] as const) {
    const held = hold(at, match);
    const early = await begin(name.replace(/^claim-receipt-/, '').replace(/-/g, ''));
    await held.reached;
    await early.signal(notificationDelivered, { key: `${early.workflowId}:documentNotice`, sentAt: await now() });
    await early.query(claim.getClaim);
    held.release();
    await early.executeUpdate(claim.claimOpened);
    await early.executeUpdate(claim.withdrawClaim, { args: [{ actor: agent, reason: '客户撤案' }] });
    await early.result();
    await save(name, early);
  }

  // At night the first contact's warning to staff waits for the due instant, and the breach comes in
  // the same wake-up (steps-due-together); then the late contact and a withdrawal.
  await sleepUntilWorkingDay(env, '22:00');
  const night = await start('night');
  await env.sleep('35 minutes');
  await night.executeUpdate(claim.recordContact, { args: [{ actor: agent, outcome: 'reached' }] });
  await night.executeUpdate(claim.withdrawClaim, { args: [{ actor: agent, reason: '客户撤案' }] });
  await night.result();
  await save('claim-night-warned-and-breached-together', night);
}

async function recordComplaints({ env, taskQueue, now, save }: Recording): Promise<void> {
  const agent: Actor = { id: 'agent-zhao', role: 'agent', team: 'east' };
  const supervisor: Actor = { id: 'sup-wang', role: 'supervisor', team: 'east' };
  const manager: Actor = { id: 'mgr-chen', role: 'manager' };
  const open = async (name: string, channel: complaint.ComplaintInput['channel']) => {
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

  const resolved = await open('resolved', 'phone');
  await resolved.executeUpdate(complaint.acknowledgeComplaint, { args: [{ actor: agent, message: '非常抱歉' }] });
  await resolved.executeUpdate(complaint.recordInvestigation, { args: [{ actor: agent, note: '调取理赔记录' }] });
  await resolved.executeUpdate(complaint.extendDecision, { args: [{ actor: supervisor, reason: '需第三方定损报告' }] });
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

  const regulator = await open('regulator', 'regulator');
  await env.sleep('3 days');
  await regulator.executeUpdate(complaint.acknowledgeComplaint, { args: [{ actor: supervisor }] });
  await regulator.executeUpdate(complaint.recordInvestigation, { args: [{ actor: agent, note: '核实' }] });
  await regulator.executeUpdate(complaint.proposeResolution, {
    args: [{ actor: agent, resolution: 'claim_review', detail: '重新审核理赔' }],
  });
  await regulator.executeUpdate(complaint.recordCustomerResponse, { args: [{ actor: agent, accepted: true }] });
  await regulator.result();
  await save('complaint-regulator-late-unanswered', regulator);

  // The decision met on the proposal's delivery, disputed (复核) and decided by a manager.
  const reviewed = await open('reviewed', 'phone');
  await reviewed.executeUpdate(complaint.acknowledgeComplaint, { args: [{ actor: agent }] });
  await reviewed.executeUpdate(complaint.recordInvestigation, { args: [{ actor: agent, note: '核实' }] });
  await reviewed.executeUpdate(complaint.proposeResolution, {
    args: [{ actor: agent, resolution: 'apology', detail: '书面致歉' }],
  });
  await env.sleep('1 day');
  await reviewed.signal(notificationDelivered, { key: `${reviewed.workflowId}:proposal:1`, sentAt: await now() });
  await env.sleep('5 days');
  await reviewed.executeUpdate(complaint.requestReview, { args: [{ actor: agent, reason: '不认可处理决定' }] });
  await env.sleep('10 days');
  await reviewed.executeUpdate(complaint.decideReview, {
    args: [{ actor: manager, upheld: false, detail: '改为补偿交通费' }],
  });
  await reviewed.signal(notificationDelivered, { key: `${reviewed.workflowId}:reviewDecision`, sentAt: await now() });
  await env.sleep('1 hour');
  await reviewed.executeUpdate(complaint.recordSatisfaction, { args: [{ actor: agent, score: 3 }] });
  await reviewed.result();
  await save('complaint-decision-delivered-review-decided', reviewed);
}

async function recordInquiries({ env, taskQueue, now, save, hold }: Recording): Promise<void> {
  const agent: Actor = { id: 'agent-zhao', role: 'agent', team: 'east' };
  const supervisor: Actor = { id: 'sup-wang', role: 'supervisor', team: 'east' };
  const begin = async (name: string, answer: string | null) => {
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
    return handle;
  };
  const open = async (name: string, answer: string | null) => {
    const handle = await begin(name, answer);
    await handle.executeUpdate(inquiry.inquiryOpened);
    return handle;
  };

  const consulted = await open('consulted', null);
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

  const onTheSpot = await open('spot', '可在官网自助打印保单');
  await onTheSpot.result();
  await save('inquiry-on-the-spot-review-window', onTheSpot);

  // Paused at 17:00 before a rest day, resumed at 09:00 of the next working day: one business hour excluded.
  await sleepUntilWorkingDay(env, '17:00', beforeRest);
  const overnight = await open('overnight', null);
  await overnight.executeUpdate(inquiry.awaitCustomer, { args: [{ actor: agent, reason: '请提供事故照片' }] });
  await sleepUntilWorkingDay(env, '09:00');
  await overnight.executeUpdate(inquiry.customerReplied, { args: [{ actor: agent }] });
  await overnight.executeUpdate(inquiry.answerInquiry, { args: [{ actor: agent, answer: '照片已收到，正在处理' }] });
  await overnight.signal(notificationDelivered, { key: `${overnight.workflowId}:answer`, sentAt: await now() });
  for (let i = 0; i < 50 && (await overnight.query(inquiry.getInquiry)).status !== 'closed'; i++)
    await env.sleep('1 second');
  await overnight.executeUpdate(inquiry.reviewInquiry, { args: [{ actor: supervisor, correct: true }] });
  await overnight.result();
  await save('inquiry-paused-over-rest-day-working-time', overnight);

  // Answered, and the answer delivered, while the opening still schedules the answer clock.
  const held = hold('scheduleClocks', (arg) =>
    (arg as { policy: string }[]).some((r) => r.policy === 'inquiry.answer'),
  );
  const early = await begin('earlyreceipt', null);
  await held.reached;
  await early.startUpdate(inquiry.answerInquiry, {
    args: [{ actor: agent, answer: '已办理' }],
    waitForStage: WorkflowUpdateStage.ACCEPTED,
  });
  await early.signal(notificationDelivered, { key: `${early.workflowId}:answer`, sentAt: await now() });
  await early.query(inquiry.getInquiry);
  held.release();
  await early.executeUpdate(inquiry.inquiryOpened);
  await early.executeUpdate(inquiry.reviewInquiry, { args: [{ actor: supervisor, correct: true }] });
  await early.result();
  await save('inquiry-answered-receipt-before-answer-clock', early);
}

async function recordRenewals({ env, taskQueue, now, save }: Recording): Promise<void> {
  const agent: Actor = { id: 'agent-li', role: 'agent', team: 'renewals' };
  const nowMs = () => env.currentTimeMs();
  /** The next instant at `hour`:00 Asia/Shanghai. */
  const at = async (hour: number) => {
    const t = await nowMs();
    const candidate = shanghaiInstant(shanghaiDate(new Date(t)), hour * 60).getTime();
    return candidate > t ? candidate : candidate + DAY;
  };
  const sleepTo = async (instant: number) => {
    const t = await nowMs();
    if (instant > t) await env.sleep(instant - t);
  };
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
      openedAt: await now(),
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
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

async function recordPurchases({ env, taskQueue, now, save }: Recording): Promise<void> {
  const agent: Actor = { id: 'agent-li', role: 'agent', team: 'east' };
  const reviewer: Actor = { id: 'agent-zhou', role: 'agent', team: 'east' };
  const supervisor: Actor = { id: 'sup-wang', role: 'supervisor', team: 'east' };
  const coverages = [
    { code: 'compulsory', sumInsured: 200_000, deductible: null, premium: 950 },
    { code: 'vehicle_damage', sumInsured: 150_000, deductible: 0, premium: 2_400.5 },
  ];
  const tomorrow = async () => new Date(Date.parse(await now()) + DAY).toISOString();
  const start = async (name: string, renewalOf: purchase.RenewalLink | null) => {
    const purchaseNo = `REC${name.toUpperCase()}`;
    const input: purchase.PurchaseInput = {
      purchaseNo,
      team: 'east',
      assignee: agent.id,
      product: 'both',
      usage: 'private',
      renewalOf,
      openedAt: await now(),
      openedBy: agent,
    };
    const handle = await env.client.workflow.start(purchaseWorkflow, {
      taskQueue,
      workflowId: purchase.purchaseWorkflowId(`${purchaseNo}-${randomUUID().slice(0, 6)}`),
      args: [input],
    });
    await handle.executeUpdate(purchase.purchaseOpened);
    return handle;
  };

  // A renewal bought again: quoted, sent back once, corrected, paid, issued (two policies), confirmed.
  const renewed = await start('renewed', {
    caseId: 'PDREC0001-20261220',
    policyNo: 'PDREC0001',
    product: 'compulsory',
    expiresAt: '2026-12-19T16:00:00.000Z',
    offeredPremium: 950,
  });
  await renewed.executeUpdate(purchase.quotePurchase, { args: [{ actor: agent, coverages }] });
  await renewed.executeUpdate(purchase.submitApplication, {
    args: [{ actor: agent, submissionId: 's0000000000000001', startsAt: await tomorrow() }],
  });
  await env.sleep('2 hours');
  await renewed.executeUpdate(purchase.reviewApplication, {
    args: [{ actor: reviewer, approved: false, problems: [{ field: 'vehicle.vin', message: 'VIN 与行驶证不符' }] }],
  });
  await renewed.executeUpdate(purchase.submitCorrection, {
    args: [{ actor: agent, submissionId: 's0000000000000002' }],
  });
  await renewed.executeUpdate(purchase.reviewApplication, { args: [{ actor: reviewer, approved: true }] });
  await renewed.executeUpdate(purchase.recordPurchasePayment, {
    args: [{ actor: agent, amount: 3_350.5, method: 'wechat', reference: 'WX-REC-1', invoiceNo: 'FP-REC-1' }],
  });
  await renewed.executeUpdate(purchase.issuePolicy, {
    args: [
      {
        actor: supervisor,
        policyNo: 'PDREC0002',
        compulsoryPolicyNo: 'PCREC0002',
        effectiveAt: await tomorrow(),
        delivery: 'electronic',
      },
    ],
  });
  await renewed.signal(notificationDelivered, { key: `${renewed.workflowId}:confirmation`, sentAt: await now() });
  await renewed.result();
  await save('purchase-renewal-corrected-issued-confirmed', renewed);

  // A quote never applied for: the review and payment never start; the quote warns, then expires.
  const expired = await start('expired', null);
  await expired.executeUpdate(purchase.quotePurchase, { args: [{ actor: agent, coverages }] });
  await expired.result();
  await save('purchase-quote-warned-expired', expired);

  // Approved but paid late: the payment clock breaches and escalates, then the purchase is abandoned.
  const late = await start('late', null);
  await late.executeUpdate(purchase.quotePurchase, { args: [{ actor: agent, coverages }] });
  await late.executeUpdate(purchase.submitApplication, {
    args: [{ actor: agent, submissionId: 's0000000000000003', startsAt: await tomorrow() }],
  });
  await late.executeUpdate(purchase.reviewApplication, { args: [{ actor: reviewer, approved: true }] });
  await env.sleep('8 days');
  await late.executeUpdate(purchase.abandonPurchase, { args: [{ actor: agent, reason: '客户改投他司' }] });
  await late.result();
  await save('purchase-payment-breached-abandoned', late);
}

async function recordTraining({ env, taskQueue, now, save }: Recording): Promise<void> {
  const supervisor: Actor = { id: 'sup-wang', role: 'supervisor', team: 'east' };
  const hr: Actor = { id: 'hr-zhao', role: 'hr' };
  const start = async (name: string, kind: training.TrainingInput['kind'], clockStartsAt?: string) => {
    const planId = `TPREC${name.toUpperCase()}`;
    const recordId = `${planId}-agent-li`;
    const at = await now();
    const input: training.TrainingInput = {
      recordId,
      planId,
      staffId: 'agent-li',
      team: 'east',
      kind,
      title: '录制培训',
      topics: ['服务规范'],
      passMark: 60,
      reason: 'recording',
      assessmentId: null,
      clockStartsAt: clockStartsAt ?? at,
      assignedAt: at,
      assignedBy: hr,
    };
    const handle = await env.client.workflow.start(trainingWorkflow, {
      taskQueue,
      workflowId: training.trainingWorkflowId(`${recordId}-${randomUUID().slice(0, 6)}`),
      args: [input],
    });
    await handle.executeUpdate(training.trainingOpened);
    return handle;
  };
  const attend = async (handle: Awaited<ReturnType<typeof start>>) =>
    handle.executeUpdate(training.recordAttendance, {
      args: [{ actor: supervisor, topic: '服务规范', attendedAt: await now(), hours: 2 }],
    });
  const exam = (handle: Awaited<ReturnType<typeof start>>, score: number, actor: Actor = supervisor) =>
    handle.executeUpdate(training.recordExam, { args: [{ actor, kind: 'theory', score }] });

  // An onboarding whose clock warns while the agent attends, failed once, retaken and passed.
  const retaken = await start('retaken', 'onboarding');
  await env.sleep('9 days');
  await attend(retaken);
  await exam(retaken, 45);
  await env.sleep('2 days');
  await attend(retaken);
  await exam(retaken, 80);
  await retaken.result();
  await save('training-onboarding-retake-passed', retaken);

  // A special training failed twice: flagged to HR.
  const flagged = await start('flagged', 'special');
  await attend(flagged);
  await exam(flagged, 30);
  await env.sleep('15 days');
  await exam(flagged, 50, hr);
  await flagged.result();
  await save('training-special-retake-breached-flagged', flagged);

  // The periodic-training Schedule's run: one team due its round.
  const rounds = await env.client.workflow.start(periodicTrainingWorkflow, {
    taskQueue,
    workflowId: `periodic-training-rec-${randomUUID().slice(0, 6)}`,
    args: [{}],
  });
  await rounds.result();
  await save('training-periodic-round', rounds);
}

async function recordAssessments({ env, taskQueue, now, save }: Recording): Promise<void> {
  const supervisor: Actor = { id: 'sup-wang', role: 'supervisor', team: 'east' };
  const hr: Actor = { id: 'hr-zhao', role: 'hr' };
  const agent: Actor = { id: 'agent-li', role: 'agent', team: 'east' };
  const start = async (name: string) => {
    const input: assessment.AssessmentInput = {
      staffId: 'agent-li',
      team: 'east',
      supervisorId: supervisor.id,
      period: '2026-11',
      openedAt: await now(),
      openedBy: { id: 'system', role: 'admin' },
    };
    const handle = await env.client.workflow.start(assessmentWorkflow, {
      taskQueue,
      workflowId: `${assessment.assessmentWorkflowId('agent-li', '2026-11')}-${name}-${randomUUID().slice(0, 6)}`,
      args: [input],
    });
    await handle.executeUpdate(assessment.assessmentOpened);
    return handle;
  };
  const score = (handle: Awaited<ReturnType<typeof start>>, actor: Actor, initiative: number) =>
    handle.executeUpdate(assessment.scoreAssessment, {
      args: [
        {
          actor,
          attendance: { late: 0, leftEarly: 0, absent: 0, leaveDays: 0 },
          initiative,
          teamwork: 4,
          comment: '录制',
        },
      ],
    });

  // The whole month: self, score, publish, an appeal upheld with an adjusted score, final.
  const appealed = await start('appealed');
  await appealed.executeUpdate(assessment.submitSelfAssessment, { args: [{ actor: agent, summary: '本月工作总结' }] });
  await score(appealed, supervisor, 4);
  await appealed.executeUpdate(assessment.publishAssessment, { args: [{ actor: hr }] });
  await appealed.executeUpdate(assessment.appealAssessment, { args: [{ actor: agent, reason: '质检样本偏少' }] });
  await appealed.executeUpdate(assessment.decideAppeal, {
    args: [{ actor: hr, upheld: true, adjustedScores: { quality: 90 }, answer: '调整' }],
  });
  await appealed.result();
  await save('assessment-self-scored-appealed-upheld-final', appealed);

  // A late supervisor (breach to the manager), scored by the manager, published late, window closed: final.
  const late = await start('late');
  await env.sleep('11 days');
  await score(late, { id: 'mgr-liu', role: 'manager' }, 1);
  await env.sleep('6 days');
  await late.executeUpdate(assessment.publishAssessment, { args: [{ actor: hr }] });
  await env.sleep('10 days');
  await late.result();
  await save('assessment-supervisor-late-window-closed-final', late);

  // December's run (on the 1st of January): the month's starts, then the year's annual result.
  const december = await env.client.workflow.start(monthlyAssessmentWorkflow, {
    taskQueue,
    workflowId: `monthly-assessment-rec-${randomUUID().slice(0, 6)}`,
    args: [{ period: '2026-12' }],
  });
  await december.result();
  await save('assessment-monthly-run-december', december);
  const annual = env.client.workflow.getHandle('annual-assessment-2026');
  await annual.result();
  await save('assessment-annual-fixed', annual);
}

async function recordFacilities({ env, taskQueue, now, save }: Recording): Promise<void> {
  const manager: Actor = { id: 'mgr-chen', role: 'manager', team: 'east' };
  const agent: Actor = { id: 'agent-li', role: 'agent', team: 'east' };
  const register = async (name: string, checkEveryDays: number) => {
    const assetId = `REC-${name.toUpperCase()}-${randomUUID().slice(0, 6).toUpperCase()}`;
    const input: equipment.EquipmentInput = {
      assetId,
      team: 'east',
      kind: 'computer',
      location: '三楼坐席区',
      purchasedAt: '2026-01-15',
      checkEveryDays,
      registeredAt: await now(),
      registeredBy: manager.id,
    };
    const handle = await env.client.workflow.start(equipmentWorkflow, {
      taskQueue,
      workflowId: equipment.equipmentWorkflowId(assetId),
      args: [input],
    });
    await handle.executeUpdate(equipment.equipmentOpened);
    return { handle, assetId };
  };
  const check = (handle: Awaited<ReturnType<typeof register>>['handle'], result: 'ok' | 'fault') =>
    handle.executeUpdate(equipment.recordCheck, { args: [{ actor: agent, result, note: `${result} (recording)` }] });
  const repairOf = async (assetId: string, n: number) => {
    const handle = env.client.workflow.getHandle(repair.repairWorkflowId(`RP-${assetId}-${n}`));
    await handle.executeUpdate(repair.repairOpened);
    return handle;
  };
  /** The item hears from its repair by signal: wait for it before the next step. */
  const inService = async (handle: Awaited<ReturnType<typeof register>>['handle']) => {
    while ((await handle.query(equipment.getEquipment)).status !== 'in_service')
      await new Promise((resolve) => setTimeout(resolve, 50));
  };

  // An item checked in time, then overdue (warned, breached, escalated to the manager), checked late
  // with a fault; repaired; then a fault beyond repair, replaced. The item's history runs on.
  const item = await register('cycle', 2);
  await check(item.handle, 'ok');
  await item.handle.executeUpdate(equipment.updateRegistration, {
    args: [{ actor: manager, kind: 'computer', location: '三楼坐席区', purchasedAt: '2026-01-15', checkEveryDays: 1 }],
  });
  const opening = (await item.handle.query(equipment.getEquipment)).nextCheckDue ?? (await now());
  await item.handle.signal(equipment.checkOpened, {
    day: shanghaiDate(new Date(opening)),
    dueBy: opening,
  });
  await env.sleep('6 days');
  await check(item.handle, 'fault');
  const repaired = await repairOf(item.assetId, 1);
  await repaired.executeUpdate(repair.completeRepair, { args: [{ actor: manager, note: '更换电源' }] });
  await repaired.result();
  await inService(item.handle);
  await check(item.handle, 'fault');
  const replaced = await repairOf(item.assetId, 2);
  await env.sleep('4 days');
  await replaced.executeUpdate(repair.requestReplacement, { args: [{ actor: manager, reason: '主板损坏，无法修复' }] });
  await env.sleep('2 days');
  await replaced.executeUpdate(repair.completeRepair, { args: [{ actor: manager }] });
  await replaced.result();
  await inService(item.handle);
  await save('equipment-overdue-escalated-fault-repaired-replaced', item.handle);
  await save('repair-repaired-closed', repaired);
  await save('repair-breached-replacement-replaced', replaced);

  // The daily opening of the checks: two pages.
  const sweep = await env.client.workflow.start(facilitiesCheckSweepWorkflow, {
    taskQueue,
    workflowId: `facilities-checks-rec-${randomUUID().slice(0, 6)}`,
    args: [{}],
  });
  await sweep.result();
  await save('facilities-check-sweep-two-pages', sweep);
}

async function recordRetention({ env, taskQueue, save }: Recording): Promise<void> {
  // The personal-data-retention Schedule's run: two pages, the second the last.
  const run = await env.client.workflow.start(personalDataRetentionWorkflow, {
    taskQueue,
    workflowId: `personal-data-retention-rec-${randomUUID().slice(0, 6)}`,
    args: [{ pageSize: 2 }],
  });
  await run.result();
  await save('retention-sweep-two-pages', run);
}
