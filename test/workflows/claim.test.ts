/**
 * The claim workflow under time skipping: each clock fires at its instant, warns, breaches and
 * escalates; the document notice is one consolidated notice; reminders end in a call task; refused
 * actions change nothing.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Actor } from '../../domain/case';
import type { Clock } from '../../domain/clock';
import { DOCUMENT_TYPES } from '../../domain/claim';
import * as claim from '../../workflows/claim/contract';
import { addNote, calendarChanged, notificationDelivered } from '../../workflows/shared/contract';
import { WorkCalendar } from '../../domain/calendar';
import { claimWorkflow } from '../../workflows/claim/workflow';
import {
  createTimeSkippingEnv,
  fakeActivities,
  officialYearResting,
  ProjectionLog,
  sleepUntil,
  sleepUntilWorkingDay,
  startWorker,
} from './harness';

const agent: Actor = { id: 'agent-li', role: 'agent', team: 'east' };
const supervisor: Actor = { id: 'sup-wang', role: 'supervisor', team: 'east' };
const ALL_BUT_BANK = DOCUMENT_TYPES.filter((d) => d !== 'bank_account' && d !== 'medical_records');

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
const log = new ProjectionLog();
/** The calendar the fake activities compute with; a test loads official 2027 data into it. */
let calendar = new WorkCalendar();
const taskQueue = `claims-${randomUUID()}`;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  worker = await startWorker(
    env,
    taskQueue,
    fakeActivities(log, {}, () => calendar),
    inject('workflowBundlePath') || undefined,
  );
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

async function openClaim(overrides: Partial<claim.ClaimInput> = {}) {
  const claimNo = `T${randomUUID().slice(0, 8).toUpperCase()}`;
  const now = new Date(await env.currentTimeMs()).toISOString();
  const input: claim.ClaimInput = {
    claimNo,
    team: 'east',
    assignee: agent.id,
    policyNo: 'PDAA202611000001',
    coverage: 'compulsory',
    injuries: false,
    reportedAt: now,
    openedBy: agent,
    ...overrides,
  };
  const handle = await env.client.workflow.start(claimWorkflow, {
    taskQueue,
    workflowId: claim.claimWorkflowId(claimNo),
    args: [input],
  });
  const view = await handle.executeUpdate(claim.claimOpened);
  return { handle, view, claimNo };
}

/** A claim whose reporter was reached and whose document notice went out: only later clocks can escalate. */
async function openAttendedClaim(overrides: Partial<claim.ClaimInput> = {}) {
  const opened = await openClaim(overrides);
  const sentAt = new Date(await env.currentTimeMs()).toISOString();
  await opened.handle.signal(notificationDelivered, { key: `${opened.handle.workflowId}:documentNotice`, sentAt });
  await opened.handle.executeUpdate(claim.recordContact, { args: [{ actor: agent, outcome: 'reached' }] });
  return opened;
}

async function refusal(promise: Promise<unknown>): Promise<string | undefined> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  return ((err as WorkflowUpdateFailedError).cause as { type?: string } | undefined)?.type;
}

const clockOf = (view: claim.ClaimView, policy: string): Clock => {
  const clock = view.clocks.find((c) => c.policy === policy);
  if (!clock) throw new Error(`no clock ${policy}`);
  return clock;
};

describe('claim workflow', () => {
  it('sends one consolidated notice listing every missing document when the claim is reported', async () => {
    const { handle, view, claimNo } = await openClaim({ injuries: true });
    expect(view.status).toBe('awaiting_documents');
    const notices = log.notifications(claimNo).filter((n) => n.template === 'claim.documentNotice');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.params.missing).toEqual(view.requiredDocuments);
    expect(view.requiredDocuments).toContain('medical_records');
    expect(notices[0]!.recipient).toEqual({ kind: 'customer' });

    await handle.executeUpdate(claim.addDocuments, { args: [{ actor: agent, documents: ['id_card'] }] });
    expect(log.notifications(claimNo).filter((n) => n.template === 'claim.documentNotice')).toHaveLength(1);
  });

  it('meets the statutory document-notice clock when the notice is delivered', async () => {
    const { handle, claimNo } = await openClaim();
    await handle.signal(notificationDelivered, {
      key: `${claim.claimWorkflowId(claimNo)}:documentNotice`,
      sentAt: new Date(await env.currentTimeMs()).toISOString(),
    });
    const view = await handle.query(claim.getClaim);
    expect(clockOf(view, 'claim.documentNotice.compulsory').state).toBe('met');
    expect(view.documentNoticeSentAt).not.toBeNull();
  });

  it('meets the document-notice clock with a receipt that arrived before the claim was open (a worker crash replayed the opening)', async () => {
    // The opening waits on its clock schedule while the receipt comes in, as on a replay after a crash.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const base = fakeActivities(log, {}, () => calendar);
    const slowQueue = `claims-slow-${randomUUID()}`;
    const slow = await startWorker(
      env,
      slowQueue,
      {
        ...base,
        async scheduleClocks(requests) {
          await gate;
          return base.scheduleClocks(requests);
        },
      },
      inject('workflowBundlePath') || undefined,
    );
    await slow.runUntil(async () => {
      const claimNo = `T${randomUUID().slice(0, 8).toUpperCase()}`;
      const now = new Date(await env.currentTimeMs()).toISOString();
      const handle = await env.client.workflow.start(claimWorkflow, {
        taskQueue: slowQueue,
        workflowId: claim.claimWorkflowId(claimNo),
        args: [
          {
            claimNo,
            team: 'east',
            assignee: agent.id,
            policyNo: 'PDAA202611000001',
            coverage: 'compulsory',
            injuries: false,
            reportedAt: now,
            openedBy: agent,
          },
        ],
      });
      await handle.signal(notificationDelivered, { key: `${handle.workflowId}:documentNotice`, sentAt: now });
      // The signal's workflow task has run (the query answers after it) while the opening still waits.
      expect((await handle.query(claim.getClaim)).status).toBe('reported');
      release();
      const view = await handle.executeUpdate(claim.claimOpened);
      expect(clockOf(view, 'claim.documentNotice.compulsory').state).toBe('met');
      expect(view.documentNoticeSentAt).toBe(now);
      await handle.terminate('test done');
    });
  });

  it('meets the document-notice clock with a receipt that arrives while the opening projection is still in flight', async () => {
    // The dispatcher sends the notice, and signals its receipt, the moment the opening's projection
    // commits the outbox row: the receipt can reach the workflow before that projection's completion.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let held = false;
    const base = fakeActivities(log, {}, () => calendar);
    const slowQueue = `claims-slow-${randomUUID()}`;
    const slow = await startWorker(
      env,
      slowQueue,
      {
        ...base,
        async projectCase(projection) {
          await base.projectCase(projection);
          if (!held && projection.notifications.some((n) => n.template === 'claim.documentNotice')) {
            held = true;
            await gate;
          }
        },
      },
      inject('workflowBundlePath') || undefined,
    );
    await slow.runUntil(async () => {
      const claimNo = `T${randomUUID().slice(0, 8).toUpperCase()}`;
      const now = new Date(await env.currentTimeMs()).toISOString();
      const handle = await env.client.workflow.start(claimWorkflow, {
        taskQueue: slowQueue,
        workflowId: claim.claimWorkflowId(claimNo),
        args: [
          {
            claimNo,
            team: 'east',
            assignee: agent.id,
            policyNo: 'PDAA202611000001',
            coverage: 'compulsory',
            injuries: false,
            reportedAt: now,
            openedBy: agent,
          },
        ],
      });
      for (let i = 0; i < 200 && !held; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(held).toBe(true);
      await handle.signal(notificationDelivered, { key: `${handle.workflowId}:documentNotice`, sentAt: now });
      await handle.query(claim.getClaim); // the receipt's workflow task has run
      release();
      const view = await handle.executeUpdate(claim.claimOpened);
      expect(clockOf(view, 'claim.documentNotice.compulsory').state).toBe('met');
      expect(view.documentNoticeSentAt).toBe(now);
      await handle.terminate('test done');
    });
  });

  it('warns at 80% of the first-contact clock, breaches at 30 minutes and escalates to the manager a span later', async () => {
    // In business hours: a staff warning that would fall at night waits for the morning (never past due).
    await sleepUntilWorkingDay(env, '10:00');
    const { handle, view, claimNo } = await openClaim();
    const clock = clockOf(view, 'claim.firstContact');
    expect(Date.parse(clock.dueAt) - Date.parse(clock.startedAt)).toBe(30 * 60_000);

    await sleepUntil(env, clock.warnAt, -5_000);
    expect(clockOf(await handle.query(claim.getClaim), 'claim.firstContact').state).toBe('pending');
    await sleepUntil(env, clock.warnAt);
    expect(clockOf(await handle.query(claim.getClaim), 'claim.firstContact').state).toBe('warned');

    await sleepUntil(env, clock.dueAt);
    let now = await handle.query(claim.getClaim);
    expect(clockOf(now, 'claim.firstContact').state).toBe('breached');
    expect(now.escalationLevel).toBe(1);

    await sleepUntil(env, Date.parse(clock.dueAt) + 30 * 60_000);
    now = await handle.query(claim.getClaim);
    expect(now.escalationLevel).toBe(2);

    const kinds = log.eventKinds(claimNo);
    expect(kinds).toEqual(expect.arrayContaining(['clock.warned', 'clock.breached', 'case.escalated']));
    const internal = log
      .notifications(claimNo)
      .filter((n) => n.channel === 'internal')
      .map((n) => [n.template, n.recipient]);
    expect(internal).toEqual(
      expect.arrayContaining([
        ['clock.warning', { kind: 'role', role: 'supervisor', team: 'east' }],
        ['clock.breached', { kind: 'role', role: 'supervisor', team: 'east' }],
        ['clock.breached', { kind: 'staff', staffId: agent.id }],
        ['clock.escalated', { kind: 'role', role: 'manager' }],
      ]),
    );
  });

  it('a breach is never erased: a breached clock cancelled by a withdrawal stays breached in the view, the projection and the timeline', async () => {
    const { handle, view, claimNo } = await openClaim();
    await sleepUntil(env, clockOf(view, 'claim.firstContact').dueAt);
    expect(clockOf(await handle.query(claim.getClaim), 'claim.firstContact').state).toBe('breached');

    const withdrawn = await handle.executeUpdate(claim.withdrawClaim, { args: [{ actor: agent, reason: '客户撤案' }] });
    const firstContact = clockOf(withdrawn, 'claim.firstContact');
    expect(firstContact).toMatchObject({ state: 'breached', endedAs: 'cancelled', endedAt: expect.any(String) });
    expect(clockOf(withdrawn, 'claim.documentNotice.compulsory')).toMatchObject({ state: 'cancelled' });
    const final = await handle.result();
    expect(clockOf(final, 'claim.firstContact').state).toBe('breached');
    const projected = log.projections.filter((p) => p.summary.id === claimNo).at(-1)!;
    expect(projected.closed).toBe(true);
    expect(projected.summary.clocks.find((c) => c.policy === 'claim.firstContact')?.state).toBe('breached');
    const cancelled = log
      .events(claimNo)
      .find((e) => e.kind === 'clock.cancelled' && e.detail.policy === 'claim.firstContact');
    expect(cancelled?.detail).toMatchObject({ state: 'breached' });
  });

  it('a breached clock met late stays breached and is not escalated again once it has ended', async () => {
    const { handle, view, claimNo } = await openClaim();
    const clock = clockOf(view, 'claim.firstContact');
    await sleepUntil(env, clock.dueAt);
    expect((await handle.query(claim.getClaim)).escalationLevel).toBe(1);
    const reached = await handle.executeUpdate(claim.recordContact, { args: [{ actor: agent, outcome: 'reached' }] });
    expect(clockOf(reached, 'claim.firstContact')).toMatchObject({ state: 'breached', endedAs: 'met' });

    await sleepUntil(env, Date.parse(clock.dueAt) + 2 * 30 * 60_000);
    const later = await handle.query(claim.getClaim);
    expect(later.escalationLevel).toBe(1);
    expect(log.notifications(claimNo).filter((n) => n.template === 'clock.escalated')).toEqual([]);
  });

  it('a reached call-back meets the first-contact clock', async () => {
    const { handle } = await openClaim();
    const view = await handle.executeUpdate(claim.recordContact, { args: [{ actor: agent, outcome: 'reached' }] });
    expect(clockOf(view, 'claim.firstContact').state).toBe('met');
    expect(view.escalationLevel).toBe(0);
  });

  it('when the documents are still missing after three reminders, an agent call task is created', async () => {
    const { handle, claimNo } = await openClaim();
    await handle.executeUpdate(claim.recordContact, { args: [{ actor: agent, outcome: 'reached' }] });
    for (let i = 1; i <= 3; i++) {
      await env.sleep('5 days');
      await env.sleep('1 minute');
      const view = await handle.query(claim.getClaim);
      expect(view.documentReminders).toBe(i);
    }
    const view = await handle.query(claim.getClaim);
    expect(view.tasks).toEqual([expect.objectContaining({ kind: 'call_customer_for_documents', done: false })]);
    const reminders = log.notifications(claimNo).filter((n) => n.template === 'claim.documentReminder');
    expect(reminders).toHaveLength(3);
    expect(log.notifications(claimNo).some((n) => n.template === 'claim.callTask')).toBe(true);
    await env.sleep('10 days');
    expect((await handle.query(claim.getClaim)).documentReminders).toBe(3);
  });

  it('starts the 5-day statutory verification clock when the documents are complete, and breaches it on day 6', async () => {
    const { handle } = await openAttendedClaim();
    const view = await handle.executeUpdate(claim.addDocuments, {
      args: [{ actor: agent, documents: [...ALL_BUT_BANK, 'bank_account'] }],
    });
    expect(view.status).toBe('under_review');
    expect(view.missingDocuments).toEqual([]);
    const verification = clockOf(view, 'claim.verification.compulsory');
    expect(verification.kind).toBe('statutory');
    // Calendar days: the period ends at 24:00 Asia/Shanghai (16:00Z) of its last day.
    expect(verification.dueAt.endsWith('T16:00:00.000Z')).toBe(true);
    await sleepUntil(env, verification.dueAt, -60_000);
    expect(clockOf(await handle.query(claim.getClaim), 'claim.verification.compulsory').state).toBe('warned');
    await sleepUntil(env, verification.dueAt);
    const after = await handle.query(claim.getClaim);
    expect(clockOf(after, 'claim.verification.compulsory').state).toBe('breached');
    expect(after.escalationLevel).toBeGreaterThanOrEqual(1);
  });

  it('refuses a payment before approval and changes nothing', async () => {
    const { handle } = await openClaim();
    const before = await handle.query(claim.getClaim);
    const err = await handle
      .executeUpdate(claim.recordPayment, { args: [{ actor: supervisor, amount: 100, reference: 'BANK-1' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((err as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'InvalidStateTransition' });
    const after = await handle.query(claim.getClaim);
    expect(after).toEqual(before);
  });

  it('refuses a decision from an agent', async () => {
    const { handle } = await openClaim();
    await handle.executeUpdate(claim.addDocuments, {
      args: [{ actor: agent, documents: [...ALL_BUT_BANK, 'bank_account'] }],
    });
    const err = await handle
      .executeUpdate(claim.recordDecision, { args: [{ actor: agent, outcome: 'approve', amount: 10 }] })
      .catch((e: unknown) => e);
    expect((err as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'ActionForbidden' });
    expect((await handle.query(claim.getClaim)).status).toBe('under_review');
  });

  it('meets the payment clock when paid within 10 days, then closes with a satisfaction survey', async () => {
    const { handle, claimNo } = await openClaim();
    await handle.executeUpdate(claim.addDocuments, {
      args: [{ actor: agent, documents: [...ALL_BUT_BANK, 'bank_account'] }],
    });
    await handle.executeUpdate(claim.recordAssessment, { args: [{ actor: agent, amount: 5200 }] });
    const approved = await handle.executeUpdate(claim.recordDecision, {
      args: [{ actor: supervisor, outcome: 'approve' }],
    });
    expect(approved.status).toBe('approved');
    expect(approved.decision?.amount).toBe(5200);
    const payment = clockOf(approved, 'claim.payment');
    await sleepUntil(env, Date.parse(payment.startedAt) + 3 * 86_400_000);
    const paid = await handle.executeUpdate(claim.recordPayment, {
      args: [{ actor: supervisor, amount: 5200, reference: 'BANK-42' }],
    });
    expect(paid.status).toBe('paid');
    expect(clockOf(paid, 'claim.payment').state).toBe('met');
    expect(clockOf(paid, 'claim.verification.compulsory').state).toBe('met');
    const surveys = log.notifications(claimNo).filter((n) => n.template === 'survey.request');
    expect(surveys).toHaveLength(1);
    // The survey is also a row for the satisfaction KPI, rating the claim's agent.
    expect(log.surveys.filter((e) => e.survey.caseId === claimNo)).toEqual([
      expect.objectContaining({
        kind: 'sent',
        survey: expect.objectContaining({ caseType: 'claim', agent: agent.id, team: 'east' }),
      }),
    ]);
    await handle.signal(notificationDelivered, {
      key: surveys[0]!.key,
      sentAt: new Date(await env.currentTimeMs()).toISOString(),
    });
    expect(await handle.result()).toMatchObject({ status: 'closed', payment: { amount: 5200 } });
  });

  it('sends the denial notice with reasons and closes once it is delivered, meeting the denial clock', async () => {
    const { handle, claimNo } = await openClaim();
    await handle.executeUpdate(claim.addDocuments, {
      args: [{ actor: agent, documents: [...ALL_BUT_BANK, 'bank_account'] }],
    });
    const denied = await handle.executeUpdate(claim.recordDecision, {
      args: [{ actor: supervisor, outcome: 'deny', reason: '事故发生在保险期间之外' }],
    });
    expect(denied.status).toBe('denied');
    const notice = log.notifications(claimNo).find((n) => n.template === 'claim.denialNotice');
    expect(notice?.params.reason).toBe('事故发生在保险期间之外');
    expect(notice?.receipt).toBe(true);
    await env.sleep('1 day');
    await handle.signal(notificationDelivered, {
      key: notice!.key,
      sentAt: new Date(await env.currentTimeMs()).toISOString(),
    });
    const closed = await handle.result();
    expect(closed.status).toBe('closed');
    expect(clockOf(closed, 'claim.denialNotice').state).toBe('met');
  });

  it('breaches the denial-notice clock after 3 days when the notice never goes out', async () => {
    const { handle, claimNo } = await openAttendedClaim();
    await handle.executeUpdate(claim.addDocuments, {
      args: [{ actor: agent, documents: [...ALL_BUT_BANK, 'bank_account'] }],
    });
    const denied = await handle.executeUpdate(claim.recordDecision, {
      args: [{ actor: supervisor, outcome: 'deny', reason: '不属于保险责任' }],
    });
    const clock = clockOf(denied, 'claim.denialNotice');
    await sleepUntil(env, clock.dueAt);
    const view = await handle.query(claim.getClaim);
    expect(clockOf(view, 'claim.denialNotice').state).toBe('breached');
    expect(view.escalationLevel).toBe(1);
    const escalation = log.events(claimNo).find((e) => e.kind === 'case.escalated');
    expect(escalation?.detail).toMatchObject({ from: 0, to: 1, policy: 'claim.denialNotice' });
  });

  it('asks for an advance payment of the determinable part when the amount is still open at the warning', async () => {
    const { handle } = await openClaim({ coverage: 'commercial' });
    const view = await handle.executeUpdate(claim.addDocuments, {
      args: [{ actor: agent, documents: [...ALL_BUT_BANK, 'bank_account'] }],
    });
    const advance = clockOf(view, 'claim.advancePayment');
    expect(Date.parse(advance.dueAt) - Date.parse(advance.startedAt)).toBeGreaterThan(59 * 86_400_000);
    await sleepUntil(env, advance.warnAt);
    const after = await handle.query(claim.getClaim);
    expect(after.tasks).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'advance_payment' })]));
  });

  it('a clock due in a year without official data is provisional, and is recomputed when the year is loaded', async () => {
    const { handle } = await openAttendedClaim({ coverage: 'commercial' });
    const view = await handle.executeUpdate(claim.addDocuments, {
      args: [{ actor: agent, documents: DOCUMENT_TYPES.filter((d) => d !== 'medical_records') }],
    });
    const advance = clockOf(view, 'claim.advancePayment');
    const dueYear = Number(advance.dueAt.slice(0, 4));
    expect(dueYear).toBeGreaterThan(2026);
    expect(advance.provisional).toBe(true);
    // Official data for that year makes the period's last day and the four after it rest days, so the due date moves.
    calendar = officialYearResting(dueYear, advance.dueAt);
    try {
      await handle.signal(calendarChanged, { year: dueYear });
      let after = clockOf(await handle.query(claim.getClaim), 'claim.advancePayment');
      for (let i = 0; i < 50 && after.provisional; i++)
        after = clockOf(await handle.query(claim.getClaim), 'claim.advancePayment');
      expect(after.provisional).toBe(false);
      expect(Date.parse(after.dueAt)).toBeGreaterThan(Date.parse(advance.dueAt));
      expect(after.startedAt).toBe(advance.startedAt);
    } finally {
      calendar = new WorkCalendar();
    }
  });

  it('withdrawing cancels every open clock', async () => {
    const { handle } = await openClaim();
    const view = await handle.executeUpdate(claim.withdrawClaim, {
      args: [{ actor: agent, reason: '客户自行协商解决' }],
    });
    expect(view.status).toBe('withdrawn');
    expect(view.clocks.every((c) => c.state === 'cancelled' || c.state === 'met')).toBe(true);
    expect(await handle.result()).toMatchObject({ status: 'withdrawn' });
  });

  it('a long-lived claim continues as new with its clocks, timeline sequence and documents intact', async () => {
    const { handle, claimNo } = await openAttendedClaim();
    await handle.executeUpdate(claim.addDocuments, { args: [{ actor: agent, documents: ['id_card'] }] });
    const firstRun = (await handle.describe()).runId;
    for (let i = 0; i < 400; i++) {
      await handle.executeUpdate(addNote, { args: [{ actor: agent, text: `跟进记录 ${i}` }] });
    }
    const described = await env.client.workflow.getHandle(handle.workflowId).describe();
    expect(described.runId).not.toBe(firstRun);
    const view = await handle.query(claim.getClaim);
    expect(view.receivedDocuments).toEqual(['id_card']);
    expect(clockOf(view, 'claim.firstContact').state).toBe('met');
    // The timeline keys stay unique across runs: no event overwritten, none missing.
    const keys = log.events(claimNo).map((e) => Number(e.key.split(':')[1]));
    expect(new Set(keys).size).toBe(keys.length);
    expect(Math.max(...keys)).toBe(keys.length);
    const after = await handle.executeUpdate(claim.addDocuments, {
      args: [{ actor: agent, documents: DOCUMENT_TYPES.filter((d) => d !== 'medical_records') }],
    });
    expect(after.status).toBe('under_review');
  });

  it('a projection that fails (database down) is retried and written exactly once', async () => {
    const { handle, claimNo } = await openClaim();
    log.failNext(2);
    await handle.executeUpdate(claim.recordContact, {
      args: [{ actor: agent, outcome: 'no_answer', note: 'no answer' }],
    });
    const written = log.projections
      .filter((p) => p.summary.id === claimNo)
      .flatMap((p) => p.events.filter((e) => e.kind === 'contact.recorded'));
    expect(written).toHaveLength(1);
  });

  it('a further document request for new facts is a notice without a compliance exception; documents arriving for it move the claim on', async () => {
    const { handle, claimNo } = await openAttendedClaim({ coverage: 'commercial', injuries: false });
    const review = await handle.executeUpdate(claim.addDocuments, {
      args: [{ actor: agent, documents: [...ALL_BUT_BANK, 'bank_account'] }],
    });
    expect(review.status).toBe('under_review');
    const requested = await handle.executeUpdate(claim.requestDocuments, {
      args: [{ actor: agent, documents: ['medical_records'], cause: 'new_facts', note: '报案后得知乘客受伤住院' }],
    });
    expect(requested.status).toBe('awaiting_documents');
    expect(requested.missingDocuments).toEqual(['medical_records']);
    expect(requested.complianceExceptions ?? []).toEqual([]);
    expect(requested.documentRequests).toEqual([
      expect.objectContaining({
        n: 1,
        documents: ['medical_records'],
        cause: 'new_facts',
        note: '报案后得知乘客受伤住院',
      }),
    ]);
    expect(clockOf(requested, 'claim.verification.commercial').state).toBe('cancelled');
    const notice = log.notifications(claimNo).find((n) => n.template === 'claim.documentRequest');
    expect(notice).toMatchObject({
      recipient: { kind: 'customer' },
      params: { documents: ['medical_records'], fact: '报案后得知乘客受伤住院' },
    });
    expect(log.eventKinds(claimNo)).not.toContain('compliance.exception');

    const complete = await handle.executeUpdate(claim.addDocuments, {
      args: [{ actor: agent, documents: ['medical_records'] }],
    });
    expect(complete.status).toBe('under_review');
    expect(complete.clocks.filter((c) => c.policy === 'claim.verification.commercial').map((c) => c.state)).toEqual([
      'cancelled',
      'pending',
    ]);
  });

  it('a further request for a document the first notice omitted records a compliance exception on the claim and its timeline', async () => {
    const { handle, claimNo } = await openAttendedClaim({ coverage: 'compulsory' });
    const requested = await handle.executeUpdate(claim.requestDocuments, {
      args: [{ actor: agent, documents: ['loss_assessment', 'id_card'], cause: 'omitted', note: '首次告知漏列定损单' }],
    });
    expect(requested.status).toBe('awaiting_documents');
    expect(requested.complianceExceptions).toEqual([
      { at: expect.any(String), documents: ['loss_assessment', 'id_card'], cause: 'omitted', actor: agent.id },
    ]);
    const event = log.events(claimNo).find((e) => e.kind === 'compliance.exception');
    expect(event).toMatchObject({
      actor: agent.id,
      detail: { kind: 'document_request', cause: 'omitted', documents: ['loss_assessment', 'id_card'] },
    });
    expect(
      await refusal(
        handle.executeUpdate(claim.requestDocuments, {
          args: [{ actor: agent, documents: ['id_card'], cause: 'omitted', note: ' ' }],
        }),
      ),
    ).toBe('InvalidCaseInput');
  });
});
