/**
 * The inquiry workflow under time skipping: answered on the spot it closes at once; otherwise the
 * customer is told the promised time, the answer clock pauses while the customer owes information,
 * departments are consulted in parallel each on its own clock, and the delivered answer closes it.
 * A quality review is accepted after closing, within the review window.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError, WorkflowUpdateStage } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { SurveyActivities } from '../../activities/survey-activities';
import type { Actor } from '../../domain/case';
import type { Clock } from '../../domain/clock';
import { durationToMillis } from '../../domain/duration';
import { INQUIRY_REVIEW_WINDOW } from '../../domain/inquiry';
import type { SurveyEvent } from '../../domain/survey';
import * as inquiry from '../../workflows/inquiry/contract';
import { inquiryWorkflow } from '../../workflows/inquiry/workflow';
import { notificationDelivered } from '../../workflows/shared/contract';
import { toShanghaiISO } from '../../domain/calendar';
import {
  beforeRest,
  createTimeSkippingEnv,
  fakeActivities,
  ProjectionLog,
  sleepUntil,
  sleepUntilWorkingDay,
  startWorker,
} from './harness';

const agent: Actor = { id: 'agent-sun', role: 'agent', team: 'east' };
const supervisor: Actor = { id: 'sup-wang', role: 'supervisor', team: 'east' };
const HOUR = 3_600_000;
/** Whole minutes (the test server's clock moves on a few milliseconds while the workflow works). */
const minutes = (ms: number | undefined): number => Math.round((ms ?? 0) / 60_000);
/** `HH:MM` Asia/Shanghai of an instant, to the nearest minute. */
const shanghaiClockTime = (iso: string): string =>
  toShanghaiISO(new Date(Math.round(Date.parse(iso) / 60_000) * 60_000)).slice(11, 16);

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
const log = new ProjectionLog();
const surveys: SurveyEvent[] = [];
const surveyActivities: SurveyActivities = {
  async recordSurvey(event) {
    surveys.push(structuredClone(event));
  },
};
const taskQueue = `inquiries-${randomUUID()}`;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  worker = await startWorker(
    env,
    taskQueue,
    { ...fakeActivities(log), ...surveyActivities },
    inject('workflowBundlePath') || undefined,
  );
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

async function openInquiry(overrides: Partial<inquiry.InquiryInput> = {}) {
  const inquiryNo = `Q${randomUUID().slice(0, 8).toUpperCase()}`;
  const input: inquiry.InquiryInput = {
    inquiryNo,
    team: 'east',
    assignee: agent.id,
    channel: 'phone',
    topic: 'claim_progress',
    answer: null,
    receivedAt: new Date(await env.currentTimeMs()).toISOString(),
    openedBy: agent,
    ...overrides,
  };
  const handle = await env.client.workflow.start(inquiryWorkflow, {
    taskQueue,
    workflowId: inquiry.inquiryWorkflowId(inquiryNo),
    args: [input],
  });
  const view = await handle.executeUpdate(inquiry.inquiryOpened);
  return { handle, view, inquiryNo };
}
type Handle = Awaited<ReturnType<typeof openInquiry>>['handle'];

const clockOf = (view: inquiry.InquiryView, policy: string): Clock => {
  const clock = view.clocks.find((c) => c.policy === policy);
  if (!clock) throw new Error(`no clock ${policy}`);
  return clock;
};

const clockOfOrNone = (view: inquiry.InquiryView, policy: string): Clock | undefined =>
  view.clocks.find((c) => c.policy === policy);

async function refusal(promise: Promise<unknown>): Promise<string | undefined> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  return ((err as WorkflowUpdateFailedError).cause as { type?: string } | undefined)?.type;
}

async function deliverAnswer(handle: Handle) {
  await handle.signal(notificationDelivered, {
    key: `${handle.workflowId}:answer`,
    sentAt: new Date(await env.currentTimeMs()).toISOString(),
  });
  let view = await handle.query(inquiry.getInquiry);
  for (let i = 0; i < 50 && view.status !== 'closed'; i++) view = await handle.query(inquiry.getInquiry);
  return view;
}

describe('inquiry workflow', () => {
  it('an inquiry answered on the spot is recorded and closed at once, projected for KPIs, and sends a survey', async () => {
    const { handle, view, inquiryNo } = await openInquiry({ answer: '交强险保单可在官网自助打印' });
    expect(view.status).toBe('closed');
    expect(view.answeredOnTheSpot).toBe(true);
    expect(view.clocks).toEqual([]);
    expect(view.answer).toMatchObject({ text: '交强险保单可在官网自助打印', by: agent.id });
    const projected = log.projections.filter((p) => p.summary.id === inquiryNo);
    expect(projected.at(-1)).toMatchObject({ closed: true, summary: { type: 'inquiry', status: 'closed' } });
    expect(log.notifications(inquiryNo).map((n) => n.template)).toEqual(['survey.request']);
    expect(surveys.filter((s) => s.survey.caseId === inquiryNo)).toEqual([
      expect.objectContaining({
        kind: 'sent',
        survey: expect.objectContaining({ caseType: 'inquiry', agent: agent.id }),
      }),
    ]);
    // Still open for its quality review.
    expect((await handle.describe()).status.name).toBe('RUNNING');
    expect(
      await refusal(handle.executeUpdate(inquiry.reviewInquiry, { args: [{ actor: agent, correct: true }] })),
    ).toBe('ActionForbidden');
    const reviewed = await handle.executeUpdate(inquiry.reviewInquiry, {
      args: [{ actor: supervisor, correct: false, note: '自助打印仅限电子保单' }],
    });
    expect(reviewed.review).toMatchObject({ correct: false, by: supervisor.id });
    expect(log.eventKinds(inquiryNo)).toContain('inquiry.reviewed');
    expect(await handle.result()).toMatchObject({ status: 'closed', review: { correct: false } });
  });

  it('an unreviewed closed inquiry ends with its review window; the window is open until then', async () => {
    const { handle, view } = await openInquiry({ answer: '可以' });
    expect(Date.parse(view.reviewOpenUntil!) - Date.parse(view.closedAt!)).toBe(
      durationToMillis(INQUIRY_REVIEW_WINDOW),
    );
    const done = await handle.result();
    expect(done.review).toBeNull();
    expect((await handle.describe()).status.name).toBe('COMPLETED');
  });

  it('not answered on the spot: the answer clock (1 working day) starts and the customer is told the promised time', async () => {
    const { view, inquiryNo } = await openInquiry();
    expect(view.status).toBe('open');
    const answer = clockOf(view, 'inquiry.answer');
    expect(answer.kind).toBe('internal');
    expect(view.promisedBy).toBe(answer.dueAt);
    const promised = log.notifications(inquiryNo).find((n) => n.template === 'inquiry.promisedTime');
    expect(promised).toMatchObject({ recipient: { kind: 'customer' }, params: { dueAt: answer.dueAt } });
  });

  it('waiting for the customer pauses the answer clock; the paused working time is excluded from it', async () => {
    await sleepUntilWorkingDay(env, '10:00');
    const { handle, view, inquiryNo } = await openInquiry();
    const before = clockOf(view, 'inquiry.answer');
    const waiting = await handle.executeUpdate(inquiry.awaitCustomer, {
      args: [{ actor: agent, reason: '请客户提供保单号' }],
    });
    expect(clockOf(waiting, 'inquiry.answer').state).toBe('paused');
    expect(await refusal(handle.executeUpdate(inquiry.awaitCustomer, { args: [{ actor: agent }] }))).toBe(
      'InvalidStateTransition',
    );
    await env.sleep(2 * HOUR);
    const resumed = await handle.executeUpdate(inquiry.customerReplied, {
      args: [{ actor: agent, note: '客户已提供' }],
    });
    const after = clockOf(resumed, 'inquiry.answer');
    expect(after.state).toBe('pending');
    // Two business hours, 10:00–12:00: the promise (24:00 of the next working day) moves to 11:00 of the one after.
    expect(minutes(after.pausedMs)).toBe(120);
    expect(Date.parse(after.dueAt)).toBeGreaterThan(Date.parse(before.dueAt));
    expect(shanghaiClockTime(after.dueAt)).toBe('11:00');
    expect(log.eventKinds(inquiryNo)).toEqual(
      expect.arrayContaining(['clock.paused', 'clock.resumed', 'customer.awaited', 'customer.replied']),
    );
    expect(await refusal(handle.executeUpdate(inquiry.customerReplied, { args: [{ actor: agent }] }))).toBe(
      'InvalidStateTransition',
    );
  });

  it('a pause over a night and a rest day moves the answer clock by the working time paused, not by the days', async () => {
    await sleepUntilWorkingDay(env, '17:00', beforeRest);
    const { handle, view } = await openInquiry();
    const before = clockOf(view, 'inquiry.answer');
    await handle.executeUpdate(inquiry.awaitCustomer, { args: [{ actor: agent }] });
    // The customer answers at 09:00 of the next working day: one business hour (17:00–18:00) was paused.
    await sleepUntilWorkingDay(env, '09:00');
    const resumed = await handle.executeUpdate(inquiry.customerReplied, { args: [{ actor: agent }] });
    const after = clockOf(resumed, 'inquiry.answer');
    expect(minutes(after.pausedMs)).toBe(60);
    expect(shanghaiClockTime(after.dueAt)).toBe('10:00');
    expect(Date.parse(after.dueAt) - Date.parse(before.dueAt)).toBeLessThan(24 * HOUR);
  });

  it('a consultation asked at 16:00 before a rest day warns at 80 % of its working time on the next working day, never in the night', async () => {
    await sleepUntilWorkingDay(env, '16:00', beforeRest);
    const { handle, inquiryNo } = await openInquiry();
    const asked = await handle.executeUpdate(inquiry.requestConsultation, {
      args: [{ actor: agent, department: 'claims', question: '该案定损进度？' }],
    });
    const clock = clockOf(asked, 'inquiry.consultation');
    // 4 business hours: 2 today, 2 on the next working day; 80 % is 3 h 12 min of them.
    expect(shanghaiClockTime(clock.dueAt)).toBe('11:00');
    expect(shanghaiClockTime(clock.warnAt)).toBe('10:12');
    const wallClockWarning =
      Date.parse(clock.startedAt) + 0.8 * (Date.parse(clock.dueAt) - Date.parse(clock.startedAt));
    await sleepUntil(env, wallClockWarning);
    expect(clockOf(await handle.query(inquiry.getInquiry), 'inquiry.consultation').state).toBe('pending');
    expect(log.notifications(inquiryNo).filter((n) => n.template === 'clock.warning')).toEqual([]);
    await sleepUntil(env, clock.warnAt);
    expect(clockOf(await handle.query(inquiry.getInquiry), 'inquiry.consultation').state).toBe('warned');
    expect(log.notifications(inquiryNo).filter((n) => n.template === 'clock.warning')).toHaveLength(1);
  });

  it('consults departments in parallel, each on its own 4-business-hour clock; a late department escalates', async () => {
    const { handle, inquiryNo } = await openInquiry();
    const first = await handle.executeUpdate(inquiry.requestConsultation, {
      args: [{ actor: agent, department: 'claims', question: '该案定损进度？' }],
    });
    expect(first.status).toBe('consulting');
    const both = await handle.executeUpdate(inquiry.requestConsultation, {
      args: [{ actor: agent, department: 'underwriting', question: '批改是否生效？' }],
    });
    expect(
      await refusal(
        handle.executeUpdate(inquiry.requestConsultation, {
          args: [{ actor: agent, department: 'claims', question: '再问一次' }],
        }),
      ),
    ).toBe('InvalidStateTransition');
    const clocks = both.clocks.filter((c) => c.policy === 'inquiry.consultation');
    expect(clocks.map((c) => c.id)).toEqual(['inquiry.consultation#1', 'inquiry.consultation#2']);
    expect(both.consultations.map((c) => [c.id, c.department, c.clockId])).toEqual([
      ['c1', 'claims', 'inquiry.consultation#1'],
      ['c2', 'underwriting', 'inquiry.consultation#2'],
    ]);
    const requests = log.notifications(inquiryNo).filter((n) => n.template === 'inquiry.consultationRequest');
    expect(requests.map((n) => n.recipient)).toEqual([
      { kind: 'role', role: 'supervisor', team: 'claims' },
      { kind: 'role', role: 'supervisor', team: 'underwriting' },
    ]);

    const replied = await handle.executeUpdate(inquiry.recordConsultationReply, {
      args: [{ actor: agent, consultationId: 'c1', reply: '已定损，待核价' }],
    });
    expect(replied.clocks.find((c) => c.id === 'inquiry.consultation#1')?.state).toBe('met');
    expect(
      await refusal(
        handle.executeUpdate(inquiry.recordConsultationReply, {
          args: [{ actor: agent, consultationId: 'c1', reply: '重复' }],
        }),
      ),
    ).toBe('InvalidStateTransition');

    const late = clocks[1]!;
    await sleepUntil(env, late.dueAt);
    const after = await handle.query(inquiry.getInquiry);
    expect(after.clocks.find((c) => c.id === late.id)?.state).toBe('breached');
    expect(after.clocks.find((c) => c.id === 'inquiry.consultation#1')?.state).toBe('met');
    expect(after.consultations.find((c) => c.id === 'c2')?.late).toBe(true);
    expect(after.escalationLevel).toBe(1);
    const lateNotice = log.notifications(inquiryNo).find((n) => n.template === 'inquiry.consultationLate');
    expect(lateNotice).toMatchObject({
      recipient: { kind: 'role', role: 'supervisor', team: 'east' },
      params: { department: 'underwriting' },
    });
    expect(log.events(inquiryNo).find((e) => e.kind === 'clock.breached')?.detail).toMatchObject({
      policy: 'inquiry.consultation',
      kind: 'internal',
    });

    // The late reply is still recorded; the breach stays on the record.
    const lateReply = await handle.executeUpdate(inquiry.recordConsultationReply, {
      args: [{ actor: agent, consultationId: 'c2', reply: '已生效' }],
    });
    expect(lateReply.clocks.find((c) => c.id === late.id)?.state).toBe('breached');
  });

  it('the answer is delivered to the customer and closes the inquiry, meeting the answer clock; a survey follows', async () => {
    const { handle, inquiryNo } = await openInquiry();
    await handle.executeUpdate(inquiry.requestConsultation, {
      args: [{ actor: agent, department: 'claims', question: '进度？' }],
    });
    const answered = await handle.executeUpdate(inquiry.answerInquiry, {
      args: [{ actor: agent, answer: '您的理赔已进入核价，预计三个工作日内赔付' }],
    });
    expect(answered.status).toBe('answered');
    expect(answered.consultations[0]?.state).toBe('cancelled');
    expect(clockOf(answered, 'inquiry.consultation').state).toBe('cancelled');
    const notice = log.notifications(inquiryNo).find((n) => n.template === 'inquiry.answer');
    expect(notice).toMatchObject({
      receipt: true,
      recipient: { kind: 'customer' },
      params: { answer: '您的理赔已进入核价，预计三个工作日内赔付' },
    });
    expect(
      await refusal(handle.executeUpdate(inquiry.answerInquiry, { args: [{ actor: agent, answer: '再答一次' }] })),
    ).toBe('InvalidStateTransition');

    const closed = await deliverAnswer(handle);
    expect(closed.status).toBe('closed');
    expect(clockOf(closed, 'inquiry.answer').state).toBe('met');
    expect(closed.answerDeliveredAt).not.toBeNull();
    expect(log.notifications(inquiryNo).filter((n) => n.template === 'survey.request')).toHaveLength(1);
    expect(surveys.filter((s) => s.survey.caseId === inquiryNo).map((s) => s.kind)).toEqual(['sent']);
    await handle.executeUpdate(inquiry.reviewInquiry, { args: [{ actor: supervisor, correct: true }] });
    expect(await handle.result()).toMatchObject({ status: 'closed', review: { correct: true } });
  });

  it('a delivery receipt that overtakes the answer (sent while its projection is still in flight) closes the inquiry', async () => {
    // The dispatcher can send the answer, and signal its receipt, the moment the projection that
    // wrote the outbox row commits, before that projection's completion reaches the workflow (a
    // worker killed then replays it). The answer must then still be met by the receipt.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let held = false;
    const base = fakeActivities(log);
    const slowQueue = `inquiries-slow-${randomUUID()}`;
    const slow = await startWorker(
      env,
      slowQueue,
      {
        ...base,
        ...surveyActivities,
        async projectCase(projection) {
          await base.projectCase(projection);
          if (projection.notifications.some((n) => n.template === 'inquiry.answer') && !held) {
            held = true;
            await gate;
          }
        },
      },
      inject('workflowBundlePath') || undefined,
    );
    await slow.runUntil(async () => {
      const inquiryNo = `Q${randomUUID().slice(0, 8).toUpperCase()}`;
      const handle = await env.client.workflow.start(inquiryWorkflow, {
        taskQueue: slowQueue,
        workflowId: inquiry.inquiryWorkflowId(inquiryNo),
        args: [
          {
            inquiryNo,
            team: 'east',
            assignee: agent.id,
            channel: 'phone',
            topic: 'claim_progress',
            answer: null,
            receivedAt: new Date(await env.currentTimeMs()).toISOString(),
            openedBy: agent,
          },
        ],
      });
      await handle.executeUpdate(inquiry.inquiryOpened);
      const answering = await handle.startUpdate(inquiry.answerInquiry, {
        args: [{ actor: agent, answer: '已办理' }],
        waitForStage: WorkflowUpdateStage.ACCEPTED,
      });
      for (let i = 0; i < 100 && !held; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(held).toBe(true);
      const sentAt = new Date(await env.currentTimeMs()).toISOString();
      await handle.signal(notificationDelivered, { key: `${handle.workflowId}:answer`, sentAt });
      // The receipt's workflow task has run (the query answers after it) while the answer's projection waits.
      expect((await handle.query(inquiry.getInquiry)).status).toBe('closed');
      release();
      const answered = await answering.result();
      expect(answered.status).toBe('closed');
      expect(clockOf(answered, 'inquiry.answer').state).toBe('met');
      expect(answered.answerDeliveredAt).toBe(sentAt);
      await handle.terminate('test done');
    });
  });

  it('a receipt of an answer given before the answer clock was open meets that clock once it opens', async () => {
    // The opening waits on its clock schedule while an answer comes in and is delivered: the answer
    // clock does not exist yet when the receipt arrives, and must not be left to breach.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const base = fakeActivities(log);
    const slowQueue = `inquiries-slow-${randomUUID()}`;
    const slow = await startWorker(
      env,
      slowQueue,
      {
        ...base,
        ...surveyActivities,
        async scheduleClocks(requests) {
          if (requests.some((r) => r.policy === 'inquiry.answer')) await gate;
          return base.scheduleClocks(requests);
        },
      },
      inject('workflowBundlePath') || undefined,
    );
    await slow.runUntil(async () => {
      const inquiryNo = `Q${randomUUID().slice(0, 8).toUpperCase()}`;
      const handle = await env.client.workflow.start(inquiryWorkflow, {
        taskQueue: slowQueue,
        workflowId: inquiry.inquiryWorkflowId(inquiryNo),
        args: [
          {
            inquiryNo,
            team: 'east',
            assignee: agent.id,
            channel: 'phone',
            topic: 'claim_progress',
            answer: null,
            receivedAt: new Date(await env.currentTimeMs()).toISOString(),
            openedBy: agent,
          },
        ],
      });
      await handle.startUpdate(inquiry.answerInquiry, {
        args: [{ actor: agent, answer: '已办理' }],
        waitForStage: WorkflowUpdateStage.ACCEPTED,
      });
      const sentAt = new Date(await env.currentTimeMs()).toISOString();
      await handle.signal(notificationDelivered, { key: `${handle.workflowId}:answer`, sentAt });
      expect(clockOfOrNone(await handle.query(inquiry.getInquiry), 'inquiry.answer')).toBeUndefined();
      release();
      const opened = await handle.executeUpdate(inquiry.inquiryOpened);
      expect(opened.status).toBe('closed');
      expect(clockOf(opened, 'inquiry.answer').state).toBe('met');
      expect(opened.answerDeliveredAt).toBe(sentAt);
      await handle.terminate('test done');
    });
  });

  it('an unanswered inquiry breaches its answer clock and escalates', async () => {
    const { handle, view, inquiryNo } = await openInquiry();
    const answer = clockOf(view, 'inquiry.answer');
    await sleepUntil(env, answer.dueAt);
    const after = await handle.query(inquiry.getInquiry);
    expect(clockOf(after, 'inquiry.answer').state).toBe('breached');
    expect(after.escalationLevel).toBe(1);
    expect(log.notifications(inquiryNo).some((n) => n.template === 'clock.breached')).toBe(true);
  });

  it('answering while waiting for the customer resumes the clock first; a review before the answer is refused', async () => {
    const { handle } = await openInquiry();
    expect(
      await refusal(handle.executeUpdate(inquiry.reviewInquiry, { args: [{ actor: supervisor, correct: true }] })),
    ).toBe('InvalidStateTransition');
    await sleepUntilWorkingDay(env, '10:00');
    await handle.executeUpdate(inquiry.awaitCustomer, { args: [{ actor: agent }] });
    await env.sleep(HOUR);
    const answered = await handle.executeUpdate(inquiry.answerInquiry, { args: [{ actor: agent, answer: '已办理' }] });
    expect(answered.awaitingCustomer).toBeNull();
    expect(clockOf(answered, 'inquiry.answer').state).toBe('pending');
    expect(minutes(clockOf(answered, 'inquiry.answer').pausedMs)).toBe(60);
  });
});
