/**
 * The training record under time skipping: attended → exam passed; a first fail opens the retake
 * (training.retake) and a pass ends it; a second fail flags the record to HR (notification + timeline
 * fact); the onboarding clock counts from the hire and warns, breaches and escalates at its instants.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Actor } from '../../domain/case';
import type { Clock } from '../../domain/clock';
import { WorkCalendar } from '../../domain/calendar';
import { scheduleClock } from '../../domain/deadline';
import { DeadlinePolicyTable } from '../../domain/deadline-policies';
import * as training from '../../workflows/training/contract';
import { trainingWorkflow } from '../../workflows/training/workflow';
import { createTimeSkippingEnv, fakeActivities, ProjectionLog, sleepUntil, startWorker } from './harness';

const supervisor: Actor = { id: 'sup-wang', role: 'supervisor', team: 'east' };
const hr: Actor = { id: 'hr-zhao', role: 'hr' };
const agent: Actor = { id: 'agent-li', role: 'agent', team: 'east' };

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
const log = new ProjectionLog();
const taskQueue = `training-${randomUUID()}`;

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

async function assign(overrides: Partial<training.TrainingInput> = {}) {
  const now = new Date(await env.currentTimeMs()).toISOString();
  const planId = `TP${randomUUID().slice(0, 8).toUpperCase()}`;
  const staffId = `agent-${randomUUID().slice(0, 6)}`;
  const recordId = `${planId}-${staffId}`;
  const input: training.TrainingInput = {
    recordId,
    planId,
    staffId,
    team: 'east',
    kind: 'special',
    title: '投诉处理专项培训',
    topics: ['倾听', '安抚'],
    passMark: 60,
    reason: 'by hand',
    assessmentId: null,
    clockStartsAt: now,
    assignedAt: now,
    assignedBy: hr,
    ...overrides,
  };
  const handle = await env.client.workflow.start(trainingWorkflow, {
    taskQueue,
    workflowId: training.trainingWorkflowId(recordId),
    args: [input],
  });
  const view = await handle.executeUpdate(training.trainingOpened);
  return { handle, view, recordId, staffId };
}
type Handle = Awaited<ReturnType<typeof assign>>['handle'];

const clockOf = (view: training.TrainingView, policy: string, n = 1): Clock => {
  const clock = view.clocks.find((c) => c.id === `${policy}#${n}`);
  if (!clock) throw new Error(`no clock ${policy}#${n}`);
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

async function attend(handle: Handle, by: Actor = supervisor) {
  const attendedAt = new Date(await env.currentTimeMs()).toISOString();
  return handle.executeUpdate(training.recordAttendance, {
    args: [{ actor: by, topic: '倾听', attendedAt, hours: 2 }],
  });
}
const exam = (handle: Handle, score: number, by: Actor = supervisor) =>
  handle.executeUpdate(training.recordExam, { args: [{ actor: by, kind: 'theory', score }] });

describe('training record', () => {
  it('an exam before any session is refused (409); after attending, a pass at the mark ends the record', async () => {
    const { handle, recordId } = await assign();
    expect(await refusal(exam(handle, 90))).toBe('InvalidStateTransition');
    expect(await refusal(attend(handle, agent))).toBe('ActionForbidden');
    expect((await attend(handle)).status).toBe('attended');
    const passed = await exam(handle, 60, hr);
    expect(passed.status).toBe('passed');
    expect(passed.exams).toEqual([expect.objectContaining({ n: 1, kind: 'theory', score: 60, passed: true })]);
    expect(passed.clocks).toEqual([]);
    expect(await handle.result()).toMatchObject({ status: 'passed', endedAt: expect.any(String) });
    expect(log.notifications(recordId).map((n) => n.template)).toEqual(['training.assigned']);
  });

  it('a first fail opens the retake with training.retake (14 days); the retake passed ends it', async () => {
    const { handle, recordId, staffId } = await assign();
    await attend(handle);
    const failed = await exam(handle, 45);
    expect(failed.status).toBe('retake');
    expect(failed.retakes).toBe(1);
    const retake = clockOf(failed, 'training.retake');
    expect(Date.parse(retake.dueAt) - Date.parse(retake.startedAt)).toBeGreaterThanOrEqual(14 * 86_400_000);
    const statuses = log
      .events(recordId)
      .filter((e) => e.kind === 'status.changed')
      .map((e) => e.detail.to);
    expect(statuses).toEqual(['attended', 'failed', 'retake']);
    expect(log.notifications(recordId)).toContainEqual(
      expect.objectContaining({ template: 'training.retake', recipient: { kind: 'staff', staffId } }),
    );
    // A further session before the retake is fine; then the retake passes.
    expect((await attend(handle)).sessions).toHaveLength(2);
    const passed = await exam(handle, 75);
    expect(passed.status).toBe('passed');
    expect(clockOf(passed, 'training.retake').state).toBe('met');
    expect(passed.exams.map((e) => [e.score, e.passed, e.retake])).toEqual([
      [45, false, false],
      [75, true, true],
    ]);
  });

  it('a retake failed again flags the record to HR: a notification to HR and a timeline fact', async () => {
    const { handle, recordId, staffId } = await assign();
    await attend(handle);
    await exam(handle, 30);
    const flagged = await exam(handle, 50);
    expect(flagged.status).toBe('flagged');
    expect(flagged.flagged).toEqual({ at: expect.any(String), score: 50 });
    expect(clockOf(flagged, 'training.retake').state).toBe('met');
    // The record has ended: its workflow is closed (the API answers 409 from the read model).
    await handle.result();
    expect(log.events(recordId).find((e) => e.kind === 'training.flagged')?.detail).toMatchObject({
      staffId,
      score: 50,
      passMark: 60,
      to: 'hr',
    });
    expect(log.notifications(recordId)).toContainEqual(
      expect.objectContaining({ template: 'training.flagged', recipient: { kind: 'role', role: 'hr' } }),
    );
  });

  it('the onboarding clock runs from the hire: it warns, breaches and escalates at its instants', async () => {
    const now = await env.currentTimeMs();
    // Hired two days ago (the directory entry came later): the clock counts from the hire.
    const hiredAt = new Date(now - 2 * 86_400_000).toISOString();
    const { handle, view, recordId, staffId } = await assign({ kind: 'onboarding', clockStartsAt: hiredAt });
    const clock = clockOf(view, 'training.onboarding');
    const expected = scheduleClock(
      new DeadlinePolicyTable().clock('training.onboarding'),
      new Date(hiredAt),
      new WorkCalendar(),
    );
    expect(clock).toMatchObject({ startedAt: hiredAt, dueAt: expected.dueAt, warnAt: expected.warnAt });

    await sleepUntil(env, clock.warnAt, -60_000);
    expect(clockOf(await handle.query(training.getTraining), 'training.onboarding').state).toBe('pending');
    await sleepUntil(env, clock.warnAt);
    expect(clockOf(await handle.query(training.getTraining), 'training.onboarding').state).toBe('warned');
    await sleepUntil(env, clock.dueAt, -60_000);
    expect(clockOf(await handle.query(training.getTraining), 'training.onboarding').state).toBe('warned');
    await sleepUntil(env, clock.dueAt);
    let current = await handle.query(training.getTraining);
    expect(clockOf(current, 'training.onboarding').state).toBe('breached');
    expect(current.escalationLevel).toBe(1);
    const escalateAt = Date.parse(clock.dueAt) + (Date.parse(clock.dueAt) - Date.parse(clock.startedAt));
    await sleepUntil(env, escalateAt, -60_000);
    expect((await handle.query(training.getTraining)).escalationLevel).toBe(1);
    await sleepUntil(env, escalateAt);
    current = await handle.query(training.getTraining);
    expect(current.escalationLevel).toBe(2);
    expect(log.notifications(recordId).map((n) => [n.template, n.recipient])).toEqual(
      expect.arrayContaining([
        ['clock.warning', { kind: 'role', role: 'supervisor', team: 'east' }],
        ['clock.breached', { kind: 'role', role: 'supervisor', team: 'east' }],
        ['clock.breached', { kind: 'staff', staffId }],
        ['clock.escalated', { kind: 'role', role: 'manager' }],
      ]),
    );
    // Passed late: the breach stays on the record.
    await attend(handle);
    const passed = await exam(handle, 88);
    expect(clockOf(passed, 'training.onboarding').state).toBe('breached');
    expect(passed.status).toBe('passed');
  });
});
