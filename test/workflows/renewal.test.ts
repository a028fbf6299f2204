/**
 * The renewal workflow under time skipping: the reminder ladder fires at its offsets and carries the
 * offer, quiet hours hold a reminder until 08:00, the call cap refuses a 4th unanswered call a day,
 * opt-out / decline / renewal stop all outreach, and expiry without renewal ends `lapsed`.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { shanghaiDate, shanghaiInstant } from '../../domain/calendar';
import type { Actor } from '../../domain/case';
import { renewalCaseId } from '../../domain/renewal';
import * as renewal from '../../workflows/renewal/contract';
import { renewalSweepWorkflow } from '../../workflows/renewal/sweep';
import { renewalWorkflow } from '../../workflows/renewal/workflow';
import { REFUSAL } from '../../workflows/shared/contract';
import { FakeRenewalWorld, fakeRenewalActivities } from '../renewal/fake-activities';
import { eventually } from '../support/http';
import { createTimeSkippingEnv, fakeActivities, ProjectionLog, sleepUntil, startWorker } from './harness';

const agent: Actor = { id: 'agent-li', role: 'agent', team: 'renewals' };
const DAY = 86_400_000;

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
const log = new ProjectionLog();
const world = new FakeRenewalWorld();
const taskQueue = `renewals-${randomUUID()}`;

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

const now = async () => env.currentTimeMs();
/** The next instant after `from` at hh:mm Shanghai. */
function nextShanghai(from: number, hour: number, minute = 0): number {
  const today = shanghaiDate(new Date(from));
  const candidate = shanghaiInstant(today, hour * 60 + minute).getTime();
  return candidate > from ? candidate : candidate + DAY;
}

async function openRenewal(expiresAt: number, policy: Partial<ReturnType<FakeRenewalWorld['policy']>> = {}) {
  const policyNo = `PDAA${randomUUID().slice(0, 8).toUpperCase()}`;
  world.policies.set(policyNo, { ...world.policy(policyNo), ...policy });
  const expiry = new Date(expiresAt).toISOString();
  const caseId = renewalCaseId(policyNo, expiry);
  const input: renewal.RenewalInput = {
    caseId,
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
  const view = await handle.executeUpdate(renewal.renewalOpened);
  return { handle, view, caseId, policyNo, input };
}

const reminderNotices = (caseId: string) => log.notifications(caseId).filter((n) => n.template === 'renewal.reminder');

async function refusal(promise: Promise<unknown>): Promise<string | undefined> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  return ((err as WorkflowUpdateFailedError).cause as { type?: string } | undefined)?.type;
}

describe('renewal workflow', () => {
  it('sends SMS and e-mail at 30, 15, 7 and 1 days before expiry, each with the offer, then lapses at expiry', async () => {
    // Expiry at 12:00 Shanghai: every nominal reminder instant lies inside outreach hours.
    const expiresAt = nextShanghai((await now()) + 35 * DAY, 12);
    const { handle, view, caseId, input } = await openRenewal(expiresAt, { premium: 4000, claimFreeYears: 2 });
    expect(view.status).toBe('scheduled');
    expect(view.reminders.map((r) => r.state)).toEqual(Array(8).fill('scheduled'));
    expect(view.offer).toMatchObject({ basePremium: 4000, premium: 2400, coefficient: 0.6 });
    // The workflow carries no personal data: its input names the policy, never the holder.
    expect(JSON.stringify(input)).not.toMatch(/1[3-9]\d{9}|@/);

    for (const [days, sent] of [
      [30, 2],
      [15, 4],
      [7, 6],
      [1, 8],
    ] as const) {
      await sleepUntil(env, expiresAt - days * DAY, -60_000);
      expect(reminderNotices(caseId)).toHaveLength(sent - 2);
      await sleepUntil(env, expiresAt - days * DAY);
      // The timer has fired; its projection may still be on its way on a loaded machine.
      await eventually(async () => expect(reminderNotices(caseId)).toHaveLength(sent));
    }
    const notices = reminderNotices(caseId);
    expect(new Set(notices.map((n) => n.channel))).toEqual(new Set(['sms', 'email']));
    expect(notices[0]!.recipient).toEqual({ kind: 'customer' });
    expect(notices[0]!.params).toMatchObject({ policyNo: view.policyNo, premium: 2400, discount: 1600 });

    await sleepUntil(env, expiresAt);
    await eventually(async () => expect((await handle.query(renewal.getRenewal)).status).toBe('lapsed'));
    // Expiry at 12:00 is inside outreach hours: the lapse notice goes straight out and the case ends.
    const result = await handle.result();
    expect(result.status).toBe('lapsed');
    expect(log.notifications(caseId).map((n) => n.template)).toContain('renewal.lapsed');
    const kinds = log.eventKinds(caseId);
    expect(kinds.filter((k) => k === 'reminder.sent')).toHaveLength(8);
    expect(kinds).toEqual(
      expect.arrayContaining(['case.opened', 'renewal.planned', 'task.created', 'status.changed', 'outreach.stopped']),
    );
    expect(log.projections.filter((p) => p.summary.id === caseId).at(-1)!.closed).toBe(true);
  });

  it('holds a reminder due at 21:00 Shanghai until 08:00 the next morning', async () => {
    const ninePm = nextShanghai((await now()) + DAY, 21);
    const expiresAt = ninePm + 30 * DAY;
    const { view, caseId } = await openRenewal(expiresAt);
    const first = view.reminders.filter((r) => r.offset === 'P30D');
    const eightAm = nextShanghai(ninePm, 8);
    expect(first.map((r) => r.dueAt)).toEqual([new Date(eightAm).toISOString(), new Date(eightAm).toISOString()]);

    await sleepUntil(env, ninePm);
    expect(reminderNotices(caseId)).toHaveLength(0);
    await sleepUntil(env, eightAm, -60_000);
    expect(reminderNotices(caseId)).toHaveLength(0);
    await sleepUntil(env, eightAm);
    // The timer has fired once the clock passed 08:00; its sends are activities that may still run.
    await eventually(async () => expect(reminderNotices(caseId)).toHaveLength(2));
  });

  it('refuses a fourth unanswered call on the same Shanghai day, and takes it again the next day', async () => {
    const nineAm = nextShanghai(await now(), 9);
    await sleepUntil(env, nineAm, 0);
    const { handle, caseId } = await openRenewal(nineAm + 20 * DAY);
    const call = (outcome: renewal.ContactInput['outcome']) =>
      handle.executeUpdate(renewal.recordContact, { args: [{ actor: agent, channel: 'phone', outcome }] });

    // Inside the 40-day window: the agents' call task is created at once.
    await env.sleep(1_000);
    expect(log.notifications(caseId).map((n) => n.template)).toContain('renewal.callTask');
    for (let i = 0; i < 3; i++) await call('no_answer');
    expect(await refusal(call('no_answer'))).toBe(REFUSAL.invalidState);
    const view = await handle.query(renewal.getRenewal);
    expect(view.calls).toHaveLength(3);
    expect(view.status).toBe('scheduled');

    await sleepUntil(env, nineAm + DAY, 0);
    const next = await call('no_answer');
    expect(next.calls).toHaveLength(4);
    const reached = await call('reached');
    expect(reached.status).toBe('contacted');
    expect(log.eventKinds(caseId).filter((k) => k === 'contact.recorded')).toHaveLength(5);
  });

  it('refuses calls before the call window opens and outside 08:00–20:00', async () => {
    const tenAm = nextShanghai(await now(), 10);
    await sleepUntil(env, tenAm, 0);
    const early = await openRenewal(tenAm + 44 * DAY);
    expect(
      await refusal(
        early.handle.executeUpdate(renewal.recordContact, {
          args: [{ actor: agent, channel: 'phone', outcome: 'reached' }],
        }),
      ),
    ).toBe(REFUSAL.invalidState);
    // An SMS reply from the customer is not a call: it is recorded whenever it comes.
    const sms = await early.handle.executeUpdate(renewal.recordContact, {
      args: [{ actor: agent, channel: 'sms', outcome: 'interested' }],
    });
    expect(sms.status).toBe('contacted');

    const late = await openRenewal(tenAm + 20 * DAY);
    await sleepUntil(env, nextShanghai(await now(), 21), 0);
    expect(
      await refusal(
        late.handle.executeUpdate(renewal.recordContact, {
          args: [{ actor: agent, channel: 'phone', outcome: 'reached' }],
        }),
      ),
    ).toBe(REFUSAL.invalidState);
  });

  it('stops every reminder on opt-out and puts the holder on the do-not-contact list', async () => {
    const expiresAt = nextShanghai((await now()) + 40 * DAY, 12);
    const { handle, caseId, policyNo } = await openRenewal(expiresAt);
    const view = await handle.executeUpdate(renewal.optOut, { args: [{ actor: agent, reason: '客户要求' }] });
    expect(view.status).toBe('opted_out');
    expect(view.reminders.every((r) => r.state === 'cancelled')).toBe(true);
    expect(world.doNotContact.get(policyNo)).toMatch(/^opt_out/);
    await handle.result();
    await sleepUntil(env, expiresAt);
    expect(reminderNotices(caseId)).toHaveLength(0);
    expect(log.eventKinds(caseId)).toEqual(expect.arrayContaining(['outreach.stopped', 'do_not_contact.added']));
    // The case has ended: nothing more is recorded on it.
    await expect(
      handle.executeUpdate(renewal.recordContact, { args: [{ actor: agent, channel: 'sms', outcome: 'reached' }] }),
    ).rejects.toThrow();
  });

  it('ends declined when the customer refuses on the phone, with the number on the do-not-contact list', async () => {
    const nineAm = nextShanghai(await now(), 9);
    await sleepUntil(env, nineAm, 0);
    const { handle, policyNo } = await openRenewal(nineAm + 10 * DAY);
    const view = await handle.executeUpdate(renewal.recordContact, {
      args: [{ actor: agent, channel: 'phone', outcome: 'declined', note: '已在他处投保' }],
    });
    expect(view.status).toBe('declined');
    expect(world.doNotContact.get(policyNo)).toBe('declined');
    expect((await handle.result()).status).toBe('declined');
  });

  it('stops the remaining reminders when the customer renews', async () => {
    const expiresAt = nextShanghai((await now()) + 20 * DAY, 12);
    const { handle, caseId, view: opened } = await openRenewal(expiresAt);
    // Opened 20 days out: the missed 30-day reminder goes out at once (one catch-up), the 15-day one later.
    expect(opened.reminders.filter((r) => r.offset === 'P30D').map((r) => r.dueAt)).toEqual([
      opened.createdAt,
      opened.createdAt,
    ]);
    await sleepUntil(env, expiresAt - 15 * DAY);
    expect(reminderNotices(caseId)).toHaveLength(4);
    expect(
      await refusal(
        handle.executeUpdate(renewal.recordRenewal, {
          args: [{ actor: agent, newPolicyNo: 'PDAA-NEW', premium: 1.234 }],
        }),
      ),
    ).toBe(REFUSAL.invalidInput);
    const view = await handle.executeUpdate(renewal.recordRenewal, {
      args: [{ actor: agent, newPolicyNo: 'PDAA2027000001', premium: 3400 }],
    });
    expect(view.status).toBe('renewed');
    expect(view.reminders.filter((r) => r.state === 'cancelled')).toHaveLength(4);
    await handle.result();
    await sleepUntil(env, expiresAt);
    expect(reminderNotices(caseId)).toHaveLength(4);
    expect(log.notifications(caseId).map((n) => n.template)).toContain('renewal.renewed');
  });

  it('suppresses reminders to a holder already on the do-not-contact list and creates no call task', async () => {
    const expiresAt = nextShanghai((await now()) + 20 * DAY, 12);
    const policyNo = `PDAA${randomUUID().slice(0, 8).toUpperCase()}`;
    world.doNotContact.set(policyNo, 'opt_out');
    world.policies.set(policyNo, world.policy(policyNo));
    const expiry = new Date(expiresAt).toISOString();
    const caseId = renewalCaseId(policyNo, expiry);
    const handle = await env.client.workflow.start(renewalWorkflow, {
      taskQueue,
      workflowId: renewal.renewalWorkflowId(policyNo, expiry),
      args: [
        {
          caseId,
          policyNo,
          product: 'commercial',
          startsAt: new Date(expiresAt - 365 * DAY).toISOString(),
          expiresAt: expiry,
          team: 'renewals',
          openedAt: new Date(await now()).toISOString(),
        },
      ],
    });
    await handle.executeUpdate(renewal.renewalOpened);
    await sleepUntil(env, expiresAt - 15 * DAY);
    const view = await handle.query(renewal.getRenewal);
    expect(view.reminders.filter((r) => r.offset === 'P15D').map((r) => r.state)).toEqual(['suppressed', 'suppressed']);
    expect(log.notifications(caseId)).toEqual([]);
    expect(log.eventKinds(caseId)).toEqual(expect.arrayContaining(['reminder.suppressed', 'task.skipped']));
  });
});

describe('renewal sweep workflow', () => {
  it('pages through due policies, continues as new, and sums started and existing', async () => {
    const handle = await env.client.workflow.start(renewalSweepWorkflow, {
      taskQueue,
      workflowId: `sweep-${randomUUID()}`,
      args: [{ pageSize: 2, pagesPerRun: 2 }],
    });
    expect(await handle.result()).toEqual({ started: 6, existing: 2 });
    const first = await env.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).describe();
    expect(first.status.name).toBe('CONTINUED_AS_NEW');
  });
});
