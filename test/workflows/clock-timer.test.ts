/**
 * One timer per case (issue 10, goal 2): the ClockKeeper sleeps until the case's next clock event
 * (warning, due instant, escalation) or other instant (a document reminder) on a single timer, read
 * from the workflow's own history. The clocks still act at their instants after a pause, a resume and
 * an extension, each move of the clocks moving that one timer rather than adding one. The same
 * history holds one patch marker, the baseline's (workflows/shared/patches.ts), however many
 * patched paths the run takes; runs recorded before it replay patch by patch (test/replay).
 */
import { randomUUID } from 'node:crypto';
import type { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { WorkCalendar } from '../../domain/calendar';
import type { Actor, TimelineEvent } from '../../domain/case';
import type { Clock } from '../../domain/clock';
import { scheduleClock } from '../../domain/deadline';
import { DeadlinePolicyTable } from '../../domain/deadline-policies';
import * as claim from '../../workflows/claim/contract';
import { claimWorkflow } from '../../workflows/claim/workflow';
import * as complaint from '../../workflows/complaint/contract';
import { complaintWorkflow } from '../../workflows/complaint/workflow';
import * as inquiry from '../../workflows/inquiry/contract';
import { inquiryWorkflow } from '../../workflows/inquiry/workflow';
import { renewalCaseId } from '../../domain/renewal';
import * as renewal from '../../workflows/renewal/contract';
import { renewalWorkflow } from '../../workflows/renewal/workflow';
import { BASELINE } from '../../workflows/shared/patches';
import { FakeRenewalWorld, fakeRenewalActivities } from '../renewal/fake-activities';
import {
  createTimeSkippingEnv,
  fakeActivities,
  ProjectionLog,
  sleepUntil,
  sleepUntilWorkingDay,
  startWorker,
} from './harness';

const agent: Actor = { id: 'agent-li', role: 'agent', team: 'east' };
const supervisor: Actor = { id: 'sup-wang', role: 'supervisor', team: 'east' };
const HOUR = 3_600_000;

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
const log = new ProjectionLog();
const world = new FakeRenewalWorld();
const taskQueue = `clock-timer-${randomUUID()}`;
const DAY = 86_400_000;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  worker = await startWorker(
    env,
    taskQueue,
    { ...fakeActivities(log), ...fakeRenewalActivities(world) },
    inject('workflowBundlePath') || undefined,
  );
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

const now = async () => new Date(await env.currentTimeMs()).toISOString();

/** The workflow's timers as its history holds them: how many started, how many are pending, the most ever pending. */
async function timersOf(handle: { fetchHistory(): Promise<{ events?: unknown[] | null }> }) {
  const { events } = await handle.fetchHistory();
  let started = 0;
  let pending = 0;
  let most = 0;
  for (const event of (events ?? []) as Record<string, unknown>[]) {
    if (event.timerStartedEventAttributes) {
      started += 1;
      pending += 1;
      most = Math.max(most, pending);
    }
    if (event.timerFiredEventAttributes || event.timerCanceledEventAttributes) pending -= 1;
  }
  return { started, pending, most };
}

/** The patch ids of a history's patch markers, in the order they were recorded. */
async function patchMarkersOf(handle: { fetchHistory(): Promise<temporal.api.history.v1.IHistory> }) {
  const { events } = await handle.fetchHistory();
  return (events ?? [])
    .map((event) => event.markerRecordedEventAttributes)
    .filter((marker) => marker?.markerName === 'core_patch')
    .map((marker) => {
      const data = marker!.details!['patch-data']!.payloads![0]!.data!;
      return (JSON.parse(Buffer.from(data).toString('utf8')) as { id: string }).id;
    });
}

/** A claim reported now by our agent, its workflow started (the opening Update is the test's to send). */
async function openClaim(coverage: 'compulsory' | 'commercial') {
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
        coverage,
        injuries: false,
        reportedAt: await now(),
        openedBy: agent,
      },
    ],
  });
  return { claimNo, handle };
}

const clockOf = (view: { clocks: Clock[] }, policy: string): Clock => {
  const clock = view.clocks.find((c) => c.policy === policy);
  if (!clock) throw new Error(`no clock ${policy}`);
  return clock;
};

/** The one timeline event of a kind for a clock. */
function eventOf(caseId: string, kind: string, clock: Clock): TimelineEvent {
  const found = log.events(caseId).filter((e) => e.kind === kind && e.detail.clock === clock.id);
  expect(found, `${kind} of ${clock.id}`).toHaveLength(1);
  return found[0]!;
}

/** The event landed at the instant (the test server's clock moves on a few ms while the workflow works). */
function expectAt(event: TimelineEvent, instant: string | number): void {
  const at = typeof instant === 'string' ? Date.parse(instant) : instant;
  const landed = Date.parse(event.at);
  expect(landed, `${event.kind} at ${event.at}`).toBeGreaterThanOrEqual(at);
  expect(landed - at, `${event.kind} at ${event.at}`).toBeLessThan(2_000);
}

/** The instant a breached clock climbs to the manager: a full span (start → due) after its breach. */
const escalationAt = (clock: Clock) => 2 * Date.parse(clock.dueAt) - Date.parse(clock.startedAt);

/**
 * Checks each clock warned, breached and went to the manager at its own instants (the manager's notice:
 * a case already at level 2 through another clock records no second case.escalated).
 */
function expectLadder(caseId: string, ...clocks: Clock[]): void {
  for (const clock of clocks) {
    expectAt(eventOf(caseId, 'clock.warned', clock), clock.warnAt);
    expectAt(eventOf(caseId, 'clock.breached', clock), clock.dueAt);
  }
  const toManager = log
    .events(caseId)
    .filter((e) => e.kind === 'notification.queued' && e.detail.template === 'clock.escalated');
  for (const clock of clocks) {
    // Clocks started within moments of each other climb together: one notice each about then.
    const together = clocks.filter((c) => Math.abs(escalationAt(c) - escalationAt(clock)) < 2_000).length;
    const landed = toManager.filter((e) => {
      const late = Date.parse(e.at) - escalationAt(clock);
      return late > -2_000 && late < 2_000;
    });
    expect(landed, `manager told of ${clock.id}`).toHaveLength(together);
  }
}

describe('one timer per case', () => {
  it('a newly opened claim has one timer pending, not one per clock and reminder; it still warns, breaches, escalates and reminds on time', async () => {
    await sleepUntilWorkingDay(env, '10:00');
    const { claimNo, handle } = await openClaim('compulsory');
    const view = await handle.executeUpdate(claim.claimOpened);
    // Two clocks (first contact, the document notice) and the first document reminder: one timer.
    expect(view.clocks.map((c) => c.policy)).toEqual(['claim.firstContact', 'claim.documentNotice.compulsory']);
    expect(await timersOf(handle)).toEqual({ started: 1, pending: 1, most: 1 });

    const firstContact = clockOf(view, 'claim.firstContact');
    const notice = clockOf(view, 'claim.documentNotice.compulsory');
    const reminderAt = scheduleClock(
      new DeadlinePolicyTable().clock('claim.documentReminder'),
      new Date(view.createdAt),
      new WorkCalendar(),
    ).dueAt;
    await sleepUntil(env, Math.max(escalationAt(notice), Date.parse(reminderAt)));
    await handle.query(claim.getClaim);

    expectLadder(claimNo, firstContact);
    expectLadder(claimNo, notice);
    const reminded = log.events(claimNo).filter((e) => e.kind === 'documents.reminded');
    expect(reminded.length).toBeGreaterThanOrEqual(1);
    expectAt(reminded[0]!, reminderAt);
    const timers = await timersOf(handle);
    expect(timers.most).toBe(1);
    // A timer per instant acted on, never two at once: a watcher per clock started one per step and the reminder's.
    expect(timers.started).toBeGreaterThanOrEqual(7);
    await handle.terminate('test done');
  });

  it('a warning put off to the due instant and the breach land in the same wake-up, with no timer for "now" between them', async () => {
    // 22:00: first contact's 30 minutes end at night, so its warning to staff waits for the due instant.
    await sleepUntilWorkingDay(env, '22:00');
    const { claimNo, handle } = await openClaim('commercial');
    const firstContact = clockOf(await handle.executeUpdate(claim.claimOpened), 'claim.firstContact');
    expect(firstContact.warnAt).toBe(firstContact.dueAt);
    await sleepUntil(env, firstContact.dueAt, 60_000);
    await handle.query(claim.getClaim);
    expectAt(eventOf(claimNo, 'clock.warned', firstContact), firstContact.dueAt);
    expectAt(eventOf(claimNo, 'clock.breached', firstContact), firstContact.dueAt);
    // A timer for an instant already come fires only as the server's timer queue turns (about 1 s on
    // the dev server): none was started.
    const { events } = await handle.fetchHistory();
    const shortest = ((events ?? []) as Record<string, Record<string, { seconds?: unknown; nanos?: number }>>[])
      .map((e) => e.timerStartedEventAttributes?.startToFireTimeout)
      .filter((t) => t !== undefined)
      .map((t) => Number(t.seconds ?? 0) * 1000 + (t.nanos ?? 0) / 1e6);
    expect(Math.min(...shortest)).toBeGreaterThan(1_000);
    await handle.terminate('test done');
  });

  it('a paused clock lets the timer go; resumed and moved by the working time paused, it warns, breaches and escalates at its new instants', async () => {
    await sleepUntilWorkingDay(env, '10:00');
    const inquiryNo = `Q${randomUUID().slice(0, 8).toUpperCase()}`;
    const handle = await env.client.workflow.start(inquiryWorkflow, {
      taskQueue,
      workflowId: inquiry.inquiryWorkflowId(inquiryNo),
      args: [
        {
          inquiryNo,
          team: 'east',
          assignee: agent.id,
          channel: 'phone',
          topic: 'claim_progress',
          answer: null,
          receivedAt: await now(),
          openedBy: agent,
        },
      ],
    });
    const opened = await handle.executeUpdate(inquiry.inquiryOpened);
    expect(await timersOf(handle)).toMatchObject({ started: 1, pending: 1 });
    const before = clockOf(opened, 'inquiry.answer');

    await handle.executeUpdate(inquiry.awaitCustomer, { args: [{ actor: agent, reason: '请客户提供保单号' }] });
    // Nothing runs while the customer is awaited: the timer was cancelled, none took its place.
    expect(await timersOf(handle)).toMatchObject({ started: 1, pending: 0 });
    await env.sleep(2 * HOUR);
    const resumed = await handle.executeUpdate(inquiry.customerReplied, {
      args: [{ actor: agent, note: '客户已提供' }],
    });
    const answer = clockOf(resumed, 'inquiry.answer');
    expect(answer.state).toBe('pending');
    expect(Date.parse(answer.dueAt)).toBeGreaterThan(Date.parse(before.dueAt));
    expect(Date.parse(answer.warnAt)).toBeGreaterThan(Date.parse(before.warnAt));

    await sleepUntil(env, escalationAt(answer));
    await handle.query(inquiry.getInquiry);
    expectLadder(inquiryNo, answer);
    expect((await timersOf(handle)).most).toBe(1);
    await handle.terminate('test done');
  });

  it('an extended clock moves the timer: no warning at the old instant, the ladder at the extended instants', async () => {
    const complaintNo = `C${randomUUID().slice(0, 8).toUpperCase()}`;
    const handle = await env.client.workflow.start(complaintWorkflow, {
      taskQueue,
      workflowId: complaint.complaintWorkflowId(complaintNo),
      args: [
        {
          complaintNo,
          team: 'east',
          assignee: agent.id,
          channel: 'phone',
          category: 'claim_delay',
          policyNo: 'PDAA202611000001',
          relatedCaseId: null,
          receivedAt: await now(),
          openedBy: agent,
        },
      ],
    });
    await handle.executeUpdate(complaint.complaintOpened);
    expect(await timersOf(handle)).toMatchObject({ started: 1, pending: 1 });
    await handle.executeUpdate(complaint.acknowledgeComplaint, {
      args: [{ actor: agent, message: '非常抱歉给您带来不便' }],
    });
    const investigating = await handle.executeUpdate(complaint.recordInvestigation, {
      args: [{ actor: agent, note: '调取理赔记录，核实延误原因' }],
    });
    const before = clockOf(investigating, 'complaint.decision');
    const extended = await handle.executeUpdate(complaint.extendDecision, {
      args: [{ actor: supervisor, reason: '需调取第三方定损报告' }],
    });
    const decision = clockOf(extended, 'complaint.decision');
    expect(Date.parse(decision.warnAt)).toBeGreaterThan(Date.parse(before.dueAt));

    await sleepUntil(env, before.dueAt);
    expect(clockOf(await handle.query(complaint.getComplaint), 'complaint.decision').state).toBe('pending');
    expect(log.events(complaintNo).filter((e) => e.kind === 'clock.warned' && e.detail.clock === decision.id)).toEqual(
      [],
    );

    await sleepUntil(env, escalationAt(decision));
    await handle.query(complaint.getComplaint);
    expectLadder(complaintNo, decision);
    expect((await timersOf(handle)).most).toBe(1);
    await handle.terminate('test done');
  });

  it('consultations wait on the same timer as the clocks: two departments asked, one timer; each late one named at its due instant', async () => {
    await sleepUntilWorkingDay(env, '10:00');
    const inquiryNo = `Q${randomUUID().slice(0, 8).toUpperCase()}`;
    const handle = await env.client.workflow.start(inquiryWorkflow, {
      taskQueue,
      workflowId: inquiry.inquiryWorkflowId(inquiryNo),
      args: [
        {
          inquiryNo,
          team: 'east',
          assignee: agent.id,
          channel: 'phone',
          topic: 'claim_progress',
          answer: null,
          receivedAt: await now(),
          openedBy: agent,
        },
      ],
    });
    await handle.executeUpdate(inquiry.inquiryOpened);
    await handle.executeUpdate(inquiry.requestConsultation, {
      args: [{ actor: agent, department: 'claims', question: '该案定损进度？' }],
    });
    const both = await handle.executeUpdate(inquiry.requestConsultation, {
      args: [{ actor: agent, department: 'underwriting', question: '批改是否生效？' }],
    });
    // The answer clock, two consultation clocks and the two consultations' own instants: one timer pending.
    expect(await timersOf(handle)).toMatchObject({ pending: 1, most: 1 });
    const consulted = both.clocks.filter((c) => c.policy === 'inquiry.consultation');
    expect(consulted).toHaveLength(2);
    await sleepUntil(env, Math.max(...consulted.map(escalationAt)));
    await handle.query(inquiry.getInquiry);
    expectLadder(inquiryNo, ...consulted);
    const late = log.events(inquiryNo).filter((e) => e.kind === 'consultation.late');
    expect(late.map((e) => e.detail.consultation)).toEqual(['c1', 'c2']);
    late.forEach((e, i) => expectAt(e, consulted[i]!.dueAt));
    expect((await timersOf(handle)).most).toBe(1);
    await handle.terminate('test done');
  });

  it('a renewal waits for its reminders, its call window and its expiry on one timer', async () => {
    const policyNo = `PDAA${randomUUID().slice(0, 8).toUpperCase()}`;
    world.policies.set(policyNo, world.policy(policyNo));
    const expiresAt = (await env.currentTimeMs()) + 60 * DAY;
    const expiry = new Date(expiresAt).toISOString();
    const handle = await env.client.workflow.start(renewalWorkflow, {
      taskQueue,
      workflowId: renewal.renewalWorkflowId(policyNo, expiry),
      args: [
        {
          caseId: renewalCaseId(policyNo, expiry),
          policyNo,
          product: 'commercial',
          startsAt: new Date(expiresAt - 365 * DAY).toISOString(),
          expiresAt: expiry,
          team: 'renewals',
          openedAt: await now(),
        },
      ],
    });
    const view = await handle.executeUpdate(renewal.renewalOpened);
    expect(view.callWindow).not.toBeNull();
    expect(await timersOf(handle)).toEqual({ started: 1, pending: 1, most: 1 });
    await sleepUntil(env, expiresAt);
    const lapsed = await handle.query(renewal.getRenewal);
    expect(lapsed.status).toBe('lapsed');
    expect(lapsed.reminders.filter((r) => r.state === 'sent').length).toBeGreaterThan(0);
    expect(lapsed.tasks.map((t) => t.kind)).toContain('call_for_renewal');
    expect((await timersOf(handle)).most).toBe(1);
  });
});

describe('the baseline patch', () => {
  it('a claim opened, breached, escalated and withdrawn records one patch marker: the baseline', async () => {
    await sleepUntilWorkingDay(env, '10:00');
    const { claimNo, handle } = await openClaim('compulsory');
    const opened = await handle.executeUpdate(claim.claimOpened);
    expect(await patchMarkersOf(handle)).toEqual([BASELINE]);

    // Past the first contact's breach and escalation: the one timer's wake-ups step the clocks.
    await sleepUntil(env, escalationAt(clockOf(opened, 'claim.firstContact')) + 60_000);
    const withdrawn = await handle.executeUpdate(claim.withdrawClaim, { args: [{ actor: agent, reason: '客户撤案' }] });
    // The breach survives the case's end (BREACH_SURVIVES_END), asked without a marker of its own.
    expect(clockOf(withdrawn, 'claim.firstContact')).toMatchObject({ state: 'breached', endedAs: 'cancelled' });
    const kinds = log.events(claimNo).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['clock.warned', 'clock.breached', 'case.escalated']));
    expect(await patchMarkersOf(handle)).toEqual([BASELINE]);
  });
});
