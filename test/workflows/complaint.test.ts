/**
 * The complaint workflow under time skipping: the acknowledgement clock escalates, the statutory
 * decision clock runs through rejected proposals and moves only by an approved extension, the
 * regulator channel starts escalated, and the follow-up closes the case by a score or as unanswered.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { SurveyActivities } from '../../activities/survey-activities';
import { shanghaiDate, statutoryHolidays, WorkCalendar, yearOf } from '../../domain/calendar';
import type { Actor } from '../../domain/case';
import type { Clock } from '../../domain/clock';
import { scheduleClock } from '../../domain/deadline';
import { DeadlinePolicyTable } from '../../domain/deadline-policies';
import type { SurveyEvent } from '../../domain/survey';
import * as complaint from '../../workflows/complaint/contract';
import { complaintWorkflow } from '../../workflows/complaint/workflow';
import { addNote, calendarChanged, notificationDelivered } from '../../workflows/shared/contract';
import {
  createTimeSkippingEnv,
  fakeActivities,
  officialYearResting,
  ProjectionLog,
  sleepUntil,
  sleepUntilWorkingDay,
  startWorker,
} from './harness';

const agent: Actor = { id: 'agent-zhao', role: 'agent', team: 'east' };
const supervisor: Actor = { id: 'sup-wang', role: 'supervisor', team: 'east' };
const manager: Actor = { id: 'mgr-chen', role: 'manager' };
const DAY = 86_400_000;

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
const taskQueue = `complaints-${randomUUID()}`;
/** The calendar the fake activities compute with; a test loads official 2027 data into it. */
let calendar = new WorkCalendar();

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  worker = await startWorker(
    env,
    taskQueue,
    { ...fakeActivities(log, {}, () => calendar), ...surveyActivities },
    inject('workflowBundlePath') || undefined,
  );
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

async function openComplaint(overrides: Partial<complaint.ComplaintInput> = {}) {
  const complaintNo = `C${randomUUID().slice(0, 8).toUpperCase()}`;
  const input: complaint.ComplaintInput = {
    complaintNo,
    team: 'east',
    assignee: agent.id,
    channel: 'phone',
    category: 'claim_delay',
    policyNo: 'PDAA202611000001',
    relatedCaseId: null,
    receivedAt: new Date(await env.currentTimeMs()).toISOString(),
    openedBy: agent,
    ...overrides,
  };
  const handle = await env.client.workflow.start(complaintWorkflow, {
    taskQueue,
    workflowId: complaint.complaintWorkflowId(complaintNo),
    args: [input],
  });
  const view = await handle.executeUpdate(complaint.complaintOpened);
  return { handle, view, complaintNo, input };
}
type Handle = Awaited<ReturnType<typeof openComplaint>>['handle'];

/** Acknowledged and under investigation: only the statutory clock is still running. */
async function openInvestigated(overrides: Partial<complaint.ComplaintInput> = {}) {
  const opened = await openComplaint(overrides);
  await opened.handle.executeUpdate(complaint.acknowledgeComplaint, {
    args: [{ actor: agent, message: '非常抱歉给您带来不便' }],
  });
  await opened.handle.executeUpdate(complaint.recordInvestigation, {
    args: [{ actor: agent, note: '调取理赔记录，核实延误原因' }],
  });
  return opened;
}

async function resolve(handle: Handle) {
  await handle.executeUpdate(complaint.proposeResolution, {
    args: [{ actor: agent, resolution: 'compensation', detail: '补偿延误造成的交通费', amount: 300 }],
  });
  return handle.executeUpdate(complaint.recordCustomerResponse, { args: [{ actor: agent, accepted: true }] });
}

const clockOf = (view: complaint.ComplaintView, policy: string): Clock => {
  const clock = view.clocks.find((c) => c.policy === policy);
  if (!clock) throw new Error(`no clock ${policy}`);
  return clock;
};

async function refusal(promise: Promise<unknown>): Promise<string | undefined> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  return ((err as WorkflowUpdateFailedError).cause as { type?: string } | undefined)?.type;
}

/** The due instant the deadline engine gives a policy counted from the complaint's receipt. */
const dueFrom = (policy: string, receivedAt: string) =>
  scheduleClock(new DeadlinePolicyTable().clock(policy), new Date(receivedAt), new WorkCalendar()).dueAt;

describe('complaint workflow', () => {
  it('starts the internal acknowledgement clock and the 15-day statutory decision clock at receipt', async () => {
    const { view, input } = await openComplaint();
    expect(view.status).toBe('received');
    expect(view.escalationLevel).toBe(0);
    const ack = clockOf(view, 'complaint.acknowledge');
    const decision = clockOf(view, 'complaint.decision');
    expect(ack.kind).toBe('internal');
    expect(decision.kind).toBe('statutory');
    expect(decision.dueAt).toBe(dueFrom('complaint.decision', input.receivedAt));
    expect(decision.dueAt.endsWith('T16:00:00.000Z')).toBe(true);
    expect(view.decisionDueAt).toBe(decision.dueAt);
  });

  it('acknowledging meets the acknowledgement clock and tells the customer by when the decision comes', async () => {
    const { handle, complaintNo } = await openComplaint();
    const view = await handle.executeUpdate(complaint.acknowledgeComplaint, { args: [{ actor: agent }] });
    expect(view.status).toBe('acknowledged');
    expect(clockOf(view, 'complaint.acknowledge').state).toBe('met');
    const notice = log.notifications(complaintNo).find((n) => n.template === 'complaint.acknowledgement');
    expect(notice).toMatchObject({ recipient: { kind: 'customer' }, params: { decisionDueAt: view.decisionDueAt } });
  });

  it('an unacknowledged complaint warns, breaches its internal clock and escalates to supervisor, then manager', async () => {
    const { handle, view, complaintNo } = await openComplaint();
    const ack = clockOf(view, 'complaint.acknowledge');
    await sleepUntil(env, ack.warnAt);
    expect(clockOf(await handle.query(complaint.getComplaint), 'complaint.acknowledge').state).toBe('warned');
    await sleepUntil(env, ack.dueAt);
    let now = await handle.query(complaint.getComplaint);
    expect(clockOf(now, 'complaint.acknowledge').state).toBe('breached');
    expect(now.escalationLevel).toBe(1);
    await sleepUntil(env, Date.parse(ack.dueAt) + (Date.parse(ack.dueAt) - Date.parse(ack.startedAt)));
    now = await handle.query(complaint.getComplaint);
    expect(now.escalationLevel).toBe(2);
    const breach = log.events(complaintNo).find((e) => e.kind === 'clock.breached');
    expect(breach?.detail).toMatchObject({ policy: 'complaint.acknowledge', kind: 'internal' });
    const templates = log.notifications(complaintNo).map((n) => [n.template, n.recipient]);
    expect(templates).toEqual(
      expect.arrayContaining([
        ['clock.warning', { kind: 'role', role: 'supervisor', team: 'east' }],
        ['clock.breached', { kind: 'role', role: 'supervisor', team: 'east' }],
        ['clock.escalated', { kind: 'role', role: 'manager' }],
      ]),
    );
    // Acknowledging late still works; the breach stays on the record.
    const late = await handle.executeUpdate(complaint.acknowledgeComplaint, { args: [{ actor: agent }] });
    expect(clockOf(late, 'complaint.acknowledge').state).toBe('breached');
  });

  it('a complaint forwarded by the regulator starts at escalation level 1 and notifies the supervisor at once', async () => {
    const { view, complaintNo } = await openComplaint({ channel: 'regulator' });
    expect(view.escalationLevel).toBe(1);
    const escalated = log.events(complaintNo).find((e) => e.kind === 'case.escalated');
    expect(escalated?.detail).toMatchObject({ from: 0, to: 1, reason: 'regulator_channel' });
    const notice = log.notifications(complaintNo).find((n) => n.template === 'complaint.regulator');
    expect(notice?.recipient).toEqual({ kind: 'role', role: 'supervisor', team: 'east' });
    const first = log.projections.find((p) => p.summary.id === complaintNo);
    expect(first?.summary.escalationLevel).toBe(1);
  });

  it('extensions: an agent is refused, a supervisor grants the first (30 days), a supervisor may not grant the second, a manager does (60 days), a third is refused', async () => {
    const { handle, complaintNo, input } = await openInvestigated();
    const before = await handle.query(complaint.getComplaint);
    expect(
      await refusal(handle.executeUpdate(complaint.extendDecision, { args: [{ actor: agent, reason: '案情复杂' }] })),
    ).toBe('ActionForbidden');
    expect(
      await refusal(handle.executeUpdate(complaint.extendDecision, { args: [{ actor: supervisor, reason: '  ' }] })),
    ).toBe('InvalidCaseInput');
    expect(await handle.query(complaint.getComplaint)).toEqual(before);

    const first = await handle.executeUpdate(complaint.extendDecision, {
      args: [{ actor: supervisor, reason: '需调取第三方定损报告' }],
    });
    expect(first.extensions).toHaveLength(1);
    expect(clockOf(first, 'complaint.decision').dueAt).toBe(dueFrom('complaint.decision.extended30', input.receivedAt));
    expect(first.decisionDueAt).toBe(clockOf(first, 'complaint.decision').dueAt);
    expect(Date.parse(first.decisionDueAt!) - Date.parse(before.decisionDueAt!)).toBeGreaterThanOrEqual(14 * DAY);

    expect(
      await refusal(
        handle.executeUpdate(complaint.extendDecision, { args: [{ actor: supervisor, reason: '仍需核实' }] }),
      ),
    ).toBe('ActionForbidden');
    const second = await handle.executeUpdate(complaint.extendDecision, {
      args: [{ actor: manager, reason: '涉及诉讼，特别复杂' }],
    });
    expect(clockOf(second, 'complaint.decision').dueAt).toBe(
      dueFrom('complaint.decision.extended60', input.receivedAt),
    );
    expect(second.extensions.map((e) => [e.n, e.approverRole])).toEqual([
      [1, 'supervisor'],
      [2, 'manager'],
    ]);
    expect(
      await refusal(handle.executeUpdate(complaint.extendDecision, { args: [{ actor: manager, reason: '再次延长' }] })),
    ).toBe('InvalidStateTransition');

    const notices = log.notifications(complaintNo).filter((n) => n.template === 'complaint.extensionNotice');
    expect(notices.map((n) => [n.recipient, n.params.extension, n.params.dueAt])).toEqual([
      [{ kind: 'customer' }, 1, first.decisionDueAt],
      [{ kind: 'customer' }, 2, second.decisionDueAt],
    ]);
    expect(log.eventKinds(complaintNo).filter((k) => k === 'clock.extended')).toHaveLength(2);
  });

  it('an extended decision clock due in a year without official data is recomputed with the extended period when the year is loaded', async () => {
    const { handle, input } = await openInvestigated();
    await handle.executeUpdate(complaint.extendDecision, { args: [{ actor: supervisor, reason: '案情复杂' }] });
    const extended = clockOf(
      await handle.executeUpdate(complaint.extendDecision, { args: [{ actor: manager, reason: '特别复杂' }] }),
      'complaint.decision',
    );
    const dueYear = Number(extended.dueAt.slice(0, 4));
    expect(extended.provisional).toBe(dueYear > 2026);
    if (!extended.provisional) return;
    // Official data makes the period's last day and the next four rest days: the due date moves later.
    calendar = officialYearResting(dueYear, extended.dueAt);
    try {
      await handle.signal(calendarChanged, { year: dueYear });
      let after = clockOf(await handle.query(complaint.getComplaint), 'complaint.decision');
      for (let i = 0; i < 50 && after.provisional; i++)
        after = clockOf(await handle.query(complaint.getComplaint), 'complaint.decision');
      expect(after.provisional).toBe(false);
      expect(Date.parse(after.dueAt)).toBeGreaterThan(Date.parse(extended.dueAt));
      expect(after.dueAt).toBe(
        scheduleClock(
          new DeadlinePolicyTable().clock('complaint.decision.extended60'),
          new Date(input.receivedAt),
          calendar,
        ).dueAt,
      );
    } finally {
      calendar = new WorkCalendar();
    }
  });

  it("a decision clock on official data that reaches a December day fixed by the next year's holiday file is recomputed", async () => {
    // Received in early December, so the 15-day period ends in December of the same year Y.
    const receivedAt = await sleepUntilWorkingDay(
      env,
      '09:00',
      (date) => date.slice(5, 7) === '12' && date <= `${date.slice(0, 8)}10`,
    );
    const year = yearOf(shanghaiDate(new Date(receivedAt)));
    // Official data for Y (the package's, else a loaded list), so the clock is not provisional.
    const base = new WorkCalendar().hasOfficialData(year)
      ? new WorkCalendar()
      : new WorkCalendar({ [year]: statutoryHolidays(year) });
    calendar = base;
    try {
      const { handle, complaintNo, input } = await openInvestigated();
      const before = clockOf(await handle.query(complaint.getComplaint), 'complaint.decision');
      expect(before.provisional).toBe(false);
      const lastDay = before.dueAt.slice(0, 10);
      expect(lastDay.slice(0, 7)).toBe(`${year}-12`);
      // Year Y+1's notice starts its 元旦 block on the period's last day: five December days off.
      const december = Array.from({ length: 5 }, (_, i) =>
        shanghaiDate(new Date(Date.parse(before.dueAt) + i * DAY - 1)),
      );
      const notice = december.map((date) => ({ date, name: '元旦', isOffDay: true }));
      calendar = base.withYear(year + 1, notice);

      await handle.signal(calendarChanged, { year: year + 1, days: december });
      let after = clockOf(await handle.query(complaint.getComplaint), 'complaint.decision');
      for (let i = 0; i < 50 && after.dueAt === before.dueAt; i++)
        after = clockOf(await handle.query(complaint.getComplaint), 'complaint.decision');
      expect(after.dueAt).toBe(
        scheduleClock(new DeadlinePolicyTable().clock('complaint.decision'), new Date(input.receivedAt), calendar)
          .dueAt,
      );
      expect(Date.parse(after.dueAt)).toBeGreaterThan(Date.parse(before.dueAt));
      expect(after).toMatchObject({ startedAt: before.startedAt, provisional: false, state: 'pending' });
      expect(log.events(complaintNo).find((e) => e.kind === 'clock.recomputed')?.detail).toMatchObject({
        policy: 'complaint.decision',
        from: before.dueAt,
        dueAt: after.dueAt,
      });
    } finally {
      calendar = new WorkCalendar();
    }
  });

  it('the statutory decision clock breaches on day 15 as a statutory breach, and a missed period can no longer be extended', async () => {
    const { handle, view, complaintNo } = await openInvestigated();
    const decision = clockOf(view, 'complaint.decision');
    await sleepUntil(env, decision.dueAt);
    const after = await handle.query(complaint.getComplaint);
    expect(clockOf(after, 'complaint.decision').state).toBe('breached');
    expect(after.escalationLevel).toBe(1);
    const breaches = log
      .events(complaintNo)
      .filter((e) => e.kind === 'clock.breached')
      .map((e) => e.detail);
    expect(breaches).toEqual([expect.objectContaining({ policy: 'complaint.decision', kind: 'statutory' })]);
    const notice = log.notifications(complaintNo).find((n) => n.template === 'clock.breached');
    expect(notice?.params).toMatchObject({ kind: 'statutory', policy: 'complaint.decision' });
    expect(
      await refusal(
        handle.executeUpdate(complaint.extendDecision, { args: [{ actor: supervisor, reason: '案情复杂' }] }),
      ),
    ).toBe('InvalidStateTransition');
  });

  it('a rejected proposal goes back to investigating while the statutory clock keeps running, never paused', async () => {
    const { handle, view } = await openInvestigated();
    const decision = clockOf(view, 'complaint.decision');
    const proposed = await handle.executeUpdate(complaint.proposeResolution, {
      args: [{ actor: agent, resolution: 'apology', detail: '书面致歉' }],
    });
    expect(proposed.status).toBe('proposed');
    expect(clockOf(proposed, 'complaint.decision').state).toBe('pending');
    await env.sleep('3 days');
    const rejected = await handle.executeUpdate(complaint.recordCustomerResponse, {
      args: [{ actor: agent, accepted: false, comment: '要求赔偿' }],
    });
    expect(rejected.status).toBe('investigating');
    const running = clockOf(rejected, 'complaint.decision');
    expect(running.state).toBe('pending');
    expect(running.dueAt).toBe(decision.dueAt);
    expect(running.pausedMs ?? 0).toBe(0);
    expect(rejected.proposals[0]?.response).toMatchObject({ accepted: false });
    // Waiting on the customer did not stop the statutory clock: it warns on schedule.
    await sleepUntil(env, decision.warnAt);
    expect(clockOf(await handle.query(complaint.getComplaint), 'complaint.decision').state).toBe('warned');
    const second = await handle.executeUpdate(complaint.proposeResolution, {
      args: [{ actor: agent, resolution: 'compensation', detail: '补偿', amount: 500 }],
    });
    expect(second.proposals.map((p) => p.n)).toEqual([1, 2]);
  });

  it('accepted → resolved: the decision clock is met, the survey goes out, the follow-up clock starts; a score closes the case', async () => {
    const { handle, complaintNo } = await openInvestigated();
    const resolved = await resolve(handle);
    expect(resolved.status).toBe('resolved');
    expect(clockOf(resolved, 'complaint.decision').state).toBe('met');
    const followUp = clockOf(resolved, 'complaint.followUp');
    expect(followUp.kind).toBe('internal');
    expect(resolved.surveySentAt).not.toBeNull();
    expect(log.notifications(complaintNo).filter((n) => n.template === 'survey.request')).toEqual([
      expect.objectContaining({
        key: `complaint-${complaintNo}:satisfactionSurvey`,
        recipient: { kind: 'customer' },
        params: { caseId: complaintNo, caseType: 'complaint' },
      }),
    ]);
    expect(surveys.filter((s) => s.survey.caseId === complaintNo).map((s) => s.kind)).toEqual(['sent']);

    expect(
      await refusal(handle.executeUpdate(complaint.recordSatisfaction, { args: [{ actor: agent, score: 6 }] })),
    ).toBe('InvalidCaseInput');
    const closed = await handle.executeUpdate(complaint.recordSatisfaction, {
      args: [{ actor: agent, score: 4, comment: '处理及时' }],
    });
    expect(closed.status).toBe('closed');
    expect(clockOf(closed, 'complaint.followUp').state).toBe('met');
    expect(closed.satisfaction).toMatchObject({ outcome: 'answered', score: 4 });
    expect(surveys.filter((s) => s.survey.caseId === complaintNo)).toEqual([
      expect.objectContaining({
        kind: 'sent',
        survey: expect.objectContaining({ caseType: 'complaint', team: 'east', agent: agent.id, channel: 'phone' }),
      }),
      expect.objectContaining({ kind: 'answered', score: 4, comment: '处理及时' }),
    ]);
    expect(await handle.result()).toMatchObject({ status: 'closed' });
    const last = log.projections.filter((p) => p.summary.id === complaintNo).at(-1);
    expect(last?.closed).toBe(true);
  });

  it('no score by the follow-up clock closes the case as unanswered, without a breach or an escalation', async () => {
    const { handle, complaintNo } = await openInvestigated();
    const resolved = await resolve(handle);
    const followUp = clockOf(resolved, 'complaint.followUp');
    await sleepUntil(env, followUp.dueAt);
    const closed = await handle.result();
    expect(closed.status).toBe('closed');
    expect(closed.satisfaction).toMatchObject({ outcome: 'unanswered' });
    expect(clockOf(closed, 'complaint.followUp').state).toBe('met');
    expect(closed.escalationLevel).toBe(0);
    expect(log.eventKinds(complaintNo)).toContain('survey.unanswered');
    expect(log.eventKinds(complaintNo)).not.toContain('clock.breached');
    expect(surveys.filter((s) => s.survey.caseId === complaintNo).map((s) => s.kind)).toEqual(['sent', 'unanswered']);
  });

  it('refuses actions the status does not allow, and changes nothing', async () => {
    const { handle } = await openComplaint();
    const before = await handle.query(complaint.getComplaint);
    expect(
      await refusal(
        handle.executeUpdate(complaint.proposeResolution, {
          args: [{ actor: agent, resolution: 'apology', detail: '致歉' }],
        }),
      ),
    ).toBe('InvalidStateTransition');
    expect(
      await refusal(handle.executeUpdate(complaint.recordSatisfaction, { args: [{ actor: agent, score: 5 }] })),
    ).toBe('InvalidStateTransition');
    expect(
      await refusal(handle.executeUpdate(complaint.recordInvestigation, { args: [{ actor: agent, note: '核实' }] })),
    ).toBe('InvalidStateTransition');
    expect(await handle.query(complaint.getComplaint)).toEqual(before);
    await handle.executeUpdate(complaint.acknowledgeComplaint, { args: [{ actor: agent }] });
    await handle.executeUpdate(complaint.recordInvestigation, { args: [{ actor: agent, note: '核实' }] });
    expect(
      await refusal(
        handle.executeUpdate(complaint.proposeResolution, {
          args: [{ actor: agent, resolution: 'refund', detail: '退还保费差额' }],
        }),
      ),
    ).toBe('InvalidCaseInput');
  });

  it('a long-lived complaint continues as new with its clocks and extensions intact', async () => {
    const { handle, complaintNo } = await openInvestigated();
    await handle.executeUpdate(complaint.extendDecision, { args: [{ actor: supervisor, reason: '案情复杂' }] });
    const firstRun = (await handle.describe()).runId;
    for (let i = 0; i < 400; i++) await handle.executeUpdate(addNote, { args: [{ actor: agent, text: `跟进 ${i}` }] });
    expect((await env.client.workflow.getHandle(handle.workflowId).describe()).runId).not.toBe(firstRun);
    const view = await handle.query(complaint.getComplaint);
    expect(view.extensions).toHaveLength(1);
    expect(clockOf(view, 'complaint.decision').state).toBe('pending');
    const keys = log.events(complaintNo).map((e) => Number(e.key.split(':')[1]));
    expect(new Set(keys).size).toBe(keys.length);
    const resolved = await resolve(handle);
    expect(resolved.status).toBe('resolved');
  });
});

describe('the decision communicated, and its review (复核)', () => {
  const policies = new DeadlinePolicyTable();
  const dueOf = (policy: string, from: string) => scheduleClock(policies.clock(policy), new Date(from), calendar).dueAt;

  /** Proposed, and the proposal's notice delivered (the dispatcher's receipt). */
  async function openCommunicated() {
    const opened = await openInvestigated();
    await opened.handle.executeUpdate(complaint.proposeResolution, {
      args: [{ actor: agent, resolution: 'apology', detail: '书面致歉并改进服务' }],
    });
    const notice = log.notifications(opened.complaintNo).find((n) => n.template === 'complaint.proposal');
    const sentAt = new Date(await env.currentTimeMs()).toISOString();
    await opened.handle.signal(notificationDelivered, { key: notice!.key, sentAt });
    let view = await opened.handle.query(complaint.getComplaint);
    for (let i = 0; i < 50 && !view.reviewWindowEndsAt; i++) view = await opened.handle.query(complaint.getComplaint);
    return { ...opened, notice: notice!, sentAt, view };
  }

  it('complaint.decision is met when the notice of the proposed resolution is delivered, not when the customer accepts', async () => {
    const { handle, complaintNo } = await openInvestigated();
    const proposed = await handle.executeUpdate(complaint.proposeResolution, {
      args: [{ actor: agent, resolution: 'apology', detail: '书面致歉' }],
    });
    expect(clockOf(proposed, 'complaint.decision').state).toBe('pending');
    expect(proposed.decisionCommunicatedAt).toBeNull();
    const notice = log.notifications(complaintNo).find((n) => n.template === 'complaint.proposal');
    expect(notice?.receipt).toBe(true);

    await env.sleep('2 days');
    const sentAt = new Date(await env.currentTimeMs()).toISOString();
    await handle.signal(notificationDelivered, { key: notice!.key, sentAt });
    let view = await handle.query(complaint.getComplaint);
    for (let i = 0; i < 50 && !view.reviewWindowEndsAt; i++) view = await handle.query(complaint.getComplaint);
    expect(view.status).toBe('proposed');
    expect(clockOf(view, 'complaint.decision')).toMatchObject({ state: 'met', endedAs: 'met' });
    expect(view.decisionCommunicatedAt).toBe(sentAt);
    expect(view.reviewWindowEndsAt).toBe(dueOf('complaint.reviewWindow', sentAt));
    expect(log.events(complaintNo).find((e) => e.kind === 'decision.communicated')?.detail).toMatchObject({
      proposal: 1,
      at: sentAt,
    });
    // The customer disagrees: the decision was still made and communicated in time.
    const rejected = await handle.executeUpdate(complaint.recordCustomerResponse, {
      args: [{ actor: agent, accepted: false, comment: '不接受' }],
    });
    expect(rejected.status).toBe('investigating');
    expect(clockOf(rejected, 'complaint.decision').state).toBe('met');
    expect(
      await refusal(handle.executeUpdate(complaint.extendDecision, { args: [{ actor: supervisor, reason: '复杂' }] })),
    ).toBe('InvalidStateTransition');
  });

  it('a review asked for within the window runs complaint.reviewDecision (30 days); only a manager decides it, and its delivery meets the clock', async () => {
    const { handle, complaintNo } = await openCommunicated();
    await env.sleep('10 days');
    const under = await handle.executeUpdate(complaint.requestReview, {
      args: [{ actor: agent, reason: '客户认为补偿不足，申请复核' }],
    });
    expect(under.status).toBe('under_review');
    const reviewClock = clockOf(under, 'complaint.reviewDecision');
    expect(reviewClock).toMatchObject({ kind: 'statutory', state: 'pending' });
    expect(reviewClock.dueAt).toBe(dueOf('complaint.reviewDecision', under.review!.requestedAt));
    expect(under.review).toMatchObject({ reason: '客户认为补偿不足，申请复核', requestedBy: agent.id, decision: null });
    expect(log.notifications(complaintNo).find((n) => n.template === 'complaint.reviewRequested')?.recipient).toEqual({
      kind: 'role',
      role: 'manager',
    });
    // One review per complaint; the customer's answer to the proposal is no longer asked for.
    expect(
      await refusal(handle.executeUpdate(complaint.requestReview, { args: [{ actor: agent, reason: '再次' }] })),
    ).toBe('InvalidStateTransition');
    expect(
      await refusal(
        handle.executeUpdate(complaint.recordCustomerResponse, { args: [{ actor: agent, accepted: true }] }),
      ),
    ).toBe('InvalidStateTransition');
    for (const actor of [agent, supervisor])
      expect(
        await refusal(
          handle.executeUpdate(complaint.decideReview, { args: [{ actor, upheld: true, detail: '维持原处理决定' }] }),
        ),
      ).toBe('ActionForbidden');

    const decided = await handle.executeUpdate(complaint.decideReview, {
      args: [{ actor: manager, upheld: false, detail: '改为补偿 500 元' }],
    });
    expect(decided.status).toBe('resolved');
    expect(decided.review?.decision).toMatchObject({ upheld: false, detail: '改为补偿 500 元', decidedBy: manager.id });
    expect(clockOf(decided, 'complaint.reviewDecision').state).toBe('pending');
    expect(clockOf(decided, 'complaint.followUp').state).toBe('pending');
    const result = log.notifications(complaintNo).find((n) => n.template === 'complaint.reviewDecision');
    expect(result).toMatchObject({ recipient: { kind: 'customer' }, receipt: true, params: { upheld: false } });

    const sentAt = new Date(await env.currentTimeMs()).toISOString();
    await handle.signal(notificationDelivered, { key: result!.key, sentAt });
    let view = await handle.query(complaint.getComplaint);
    for (let i = 0; i < 50 && !view.review?.communicatedAt; i++) view = await handle.query(complaint.getComplaint);
    expect(view.review?.communicatedAt).toBe(sentAt);
    expect(clockOf(view, 'complaint.reviewDecision')).toMatchObject({ state: 'met', endedAs: 'met' });
    const closed = await handle.executeUpdate(complaint.recordSatisfaction, { args: [{ actor: agent, score: 4 }] });
    expect(closed.status).toBe('closed');
    expect(await handle.result()).toMatchObject({ status: 'closed' });
    expect(log.eventKinds(complaintNo)).toEqual(expect.arrayContaining(['review.communicated']));
  });

  it('a review is refused before the decision was communicated and after complaint.reviewWindow has run out', async () => {
    const { handle } = await openInvestigated();
    await handle.executeUpdate(complaint.proposeResolution, {
      args: [{ actor: agent, resolution: 'apology', detail: '书面致歉' }],
    });
    expect(
      await refusal(handle.executeUpdate(complaint.requestReview, { args: [{ actor: agent, reason: '申请复核' }] })),
    ).toBe('InvalidStateTransition');

    const communicated = await openCommunicated();
    await sleepUntil(env, communicated.view.reviewWindowEndsAt!);
    expect(
      await refusal(
        communicated.handle.executeUpdate(complaint.requestReview, { args: [{ actor: agent, reason: '申请复核' }] }),
      ),
    ).toBe('InvalidStateTransition');
    expect((await communicated.handle.query(complaint.getComplaint)).status).toBe('proposed');
  });

  it('a review decision whose result never reaches the complainant breaches complaint.reviewDecision, even once the case is closed', async () => {
    const { handle, complaintNo } = await openCommunicated();
    await handle.executeUpdate(complaint.requestReview, { args: [{ actor: agent, reason: '申请复核' }] });
    const decided = await handle.executeUpdate(complaint.decideReview, {
      args: [{ actor: manager, upheld: true, detail: '维持原处理决定' }],
    });
    await handle.executeUpdate(complaint.recordSatisfaction, { args: [{ actor: agent, score: 2 }] });
    await sleepUntil(env, clockOf(decided, 'complaint.reviewDecision').dueAt);
    const view = await handle.query(complaint.getComplaint);
    expect(view.status).toBe('closed');
    expect(clockOf(view, 'complaint.reviewDecision').state).toBe('breached');
    expect(log.events(complaintNo).some((e) => e.kind === 'clock.breached')).toBe(true);
    // The late receipt still records the communication; the breach stays, and the workflow ends.
    await handle.signal(notificationDelivered, {
      key: log.notifications(complaintNo).find((n) => n.template === 'complaint.reviewDecision')!.key,
      sentAt: new Date(await env.currentTimeMs()).toISOString(),
    });
    expect(await handle.result()).toMatchObject({ status: 'closed' });
    expect(clockOf(await handle.result(), 'complaint.reviewDecision')).toMatchObject({
      state: 'breached',
      endedAs: 'met',
    });
  });
});
