/**
 * Facilities under time skipping: an item's check clock counts checkEveryDays from its registration,
 * an overdue check warns, breaches (the supervisor) and escalates to the manager; a fault opens a
 * repair record (its own workflow, facilities.repair) that the manager closes as repaired, or turns
 * into a replacement request (facilities.replacement) closed as replaced — the item back in service
 * with a new check interval either way.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Actor } from '../../domain/case';
import { WorkCalendar } from '../../domain/calendar';
import type { Clock } from '../../domain/clock';
import { scheduleClock } from '../../domain/deadline';
import { DeadlinePolicyTable } from '../../domain/deadline-policies';
import { checkInterval } from '../../domain/facilities';
import * as equipment from '../../workflows/facilities/equipment-contract';
import { facilitiesCheckSweepWorkflow } from '../../workflows/facilities/check-sweep';
import { equipmentWorkflow } from '../../workflows/facilities/equipment';
import * as repair from '../../workflows/facilities/repair-contract';
import {
  createTimeSkippingEnv,
  fakeActivities,
  fakeFacilitiesActivities,
  FakeFacilitiesWorld,
  ProjectionLog,
  sleepUntil,
  startWorker,
} from './harness';

const manager: Actor = { id: 'mgr-chen', role: 'manager', team: 'east' };
const agent: Actor = { id: 'agent-li', role: 'agent', team: 'east' };
const check1 = new DeadlinePolicyTable({}).clock('facilities.check');

/** Where the engine puts a check due `days` after `from` (calendar days, civil-code rule: whole days, rest days extend). */
const checkDueAfter = (from: string, days: number): string =>
  scheduleClock({ ...check1, duration: checkInterval(check1.duration, days) }, new Date(from), new WorkCalendar())
    .dueAt;

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
const log = new ProjectionLog();
const world = new FakeFacilitiesWorld();
const taskQueue = `facilities-${randomUUID()}`;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  worker = await startWorker(
    env,
    taskQueue,
    { ...fakeActivities(log), ...fakeFacilitiesActivities(world) },
    inject('workflowBundlePath') || undefined,
  );
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

async function register(checkEveryDays = 7) {
  const assetId = `PC-${randomUUID().slice(0, 8).toUpperCase()}`;
  const input: equipment.EquipmentInput = {
    assetId,
    team: 'east',
    kind: 'computer',
    location: '三楼坐席区 A-12',
    purchasedAt: '2026-01-15',
    checkEveryDays,
    registeredAt: new Date(await env.currentTimeMs()).toISOString(),
    registeredBy: manager.id,
  };
  const handle = await env.client.workflow.start(equipmentWorkflow, {
    taskQueue,
    workflowId: equipment.equipmentWorkflowId(assetId),
    args: [input],
  });
  const view = await handle.executeUpdate(equipment.equipmentOpened);
  return { handle, view, assetId, caseId: view.id };
}

const clockOf = (clocks: Clock[], policy: string, n = 1): Clock => {
  const clock = clocks.find((c) => c.id === `${policy}#${n}`);
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

/** Polls a query until it holds: the repair reports back to the item by signal. */
async function eventually<T>(read: () => Promise<T>, holds: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await read();
    if (holds(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('condition never held');
}

const check = (handle: Awaited<ReturnType<typeof register>>['handle'], result: 'ok' | 'fault', note?: string) =>
  handle.executeUpdate(equipment.recordCheck, { args: [{ actor: agent, result, ...(note ? { note } : {}) }] });

describe('equipment check cycle', () => {
  it('the first check falls due checkEveryDays after registration; an ok check starts the next interval', async () => {
    const { handle, view } = await register(7);
    const first = clockOf(view.clocks, 'facilities.check');
    expect(first.dueAt).toBe(checkDueAfter(first.startedAt, 7));
    expect(Date.parse(first.dueAt) - Date.parse(first.startedAt)).toBeGreaterThanOrEqual(7 * 86_400_000);
    expect(view.nextCheckDue).toBe(first.dueAt);
    await env.sleep('3 days');
    const checked = await check(handle, 'ok');
    expect(clockOf(checked.clocks, 'facilities.check').state).toBe('met');
    const next = clockOf(checked.clocks, 'facilities.check', 2);
    expect(next.dueAt).toBe(checkDueAfter(checked.lastCheck?.at ?? '', 7));
    expect(checked).toMatchObject({ status: 'in_service', checks: 1, nextCheckDue: next.dueAt });
    expect(world.checks).toContainEqual(expect.objectContaining({ assetId: view.assetId, n: 1, result: 'ok' }));
    expect(world.states.filter((s) => s.assetId === view.assetId).at(-1)).toMatchObject({
      nextCheckDue: next.dueAt,
      status: 'in_service',
    });
  });

  it('an overdue check warns the supervisor, breaches, and escalates to the manager a full interval later; the check ends it', async () => {
    const { handle, caseId } = await register(2);
    const due = clockOf((await handle.query(equipment.getEquipment)).clocks, 'facilities.check');
    await sleepUntil(env, due.dueAt);
    const breached = await handle.query(equipment.getEquipment);
    expect(clockOf(breached.clocks, 'facilities.check').state).toBe('breached');
    expect(breached.escalationLevel).toBe(1);
    // The ladder's next step: a full span (start → due) after the breach.
    await sleepUntil(env, 2 * Date.parse(due.dueAt) - Date.parse(due.startedAt));
    const escalated = await handle.query(equipment.getEquipment);
    expect(escalated.escalationLevel).toBe(2);
    expect(log.notifications(caseId).map((n) => [n.template, n.recipient])).toEqual([
      ['clock.warning', { kind: 'role', role: 'supervisor', team: 'east' }],
      ['clock.breached', { kind: 'role', role: 'supervisor', team: 'east' }],
      ['clock.escalated', { kind: 'role', role: 'manager' }],
    ]);
    const checked = await check(handle, 'ok');
    expect(checked.escalationLevel).toBe(0);
    // A late check leaves the breach on record: it is a fact for the breach report.
    expect(clockOf(checked.clocks, 'facilities.check').state).toBe('breached');
    expect(clockOf(checked.clocks, 'facilities.check', 2).state).toBe('pending');
  });

  it("the daily sweep's opening tells the team once a day", async () => {
    const { handle, caseId, view: registered } = await register(1);
    const dueAt = clockOf(registered.clocks, 'facilities.check').dueAt;
    // The day before the check falls due: nothing to open yet.
    await handle.signal(equipment.checkOpened, {
      day: 'the day before',
      dueBy: new Date(Date.parse(dueAt) - 1).toISOString(),
    });
    const opening = { day: 'the due day', dueBy: dueAt };
    await handle.signal(equipment.checkOpened, opening);
    await handle.signal(equipment.checkOpened, opening);
    const view = await eventually(
      () => handle.query(equipment.getEquipment),
      (v) => v.checkOpenedFor === opening.day,
    );
    expect(view.checkOpenedFor).toBe(opening.day);
    await check(handle, 'ok');
    expect(log.notifications(caseId).filter((n) => n.template === 'facilities.checkDue')).toEqual([
      expect.objectContaining({ recipient: { kind: 'role', role: 'agent', team: 'east' } }),
    ]);
  });

  it('an item checked for a long time keeps its open clock and its last five ended ones; clock numbers keep counting', async () => {
    const { handle } = await register(1);
    let view = await handle.query(equipment.getEquipment);
    for (let i = 0; i < 8; i++) view = await check(handle, 'ok');
    expect(view.clocks.map((c) => c.id)).toEqual([4, 5, 6, 7, 8, 9].map((n) => `facilities.check#${n}`));
    expect(view.clocks.at(-1)?.state).toBe('pending');
    expect(view.checks).toBe(8);
  });

  it('the same registration again changes nothing; a new interval counts again from the last check', async () => {
    const { handle, view } = await register(7);
    const same = { actor: manager, kind: view.kind, location: view.location, purchasedAt: view.purchasedAt };
    const unchanged = await handle.executeUpdate(equipment.updateRegistration, {
      args: [{ ...same, checkEveryDays: 7 }],
    });
    expect(unchanged.updatedAt).toBe(view.updatedAt);
    expect(
      await refusal(
        handle.executeUpdate(equipment.updateRegistration, { args: [{ ...same, actor: agent, checkEveryDays: 3 }] }),
      ),
    ).toBe('ActionForbidden');
    const changed = await handle.executeUpdate(equipment.updateRegistration, {
      args: [{ ...same, checkEveryDays: 3 }],
    });
    expect(clockOf(changed.clocks, 'facilities.check').state).toBe('cancelled');
    const next = clockOf(changed.clocks, 'facilities.check', 2);
    expect(next.startedAt).toBe(view.createdAt);
    expect(next.dueAt).toBe(checkDueAfter(view.createdAt, 3));
  });
});

describe('repair record (维修档案)', () => {
  it('a fault opens a repair with facilities.repair; done closes it repaired and the item is back in service', async () => {
    const { handle, assetId } = await register(7);
    const faulty = await check(handle, 'fault', '开机无显示');
    const repairId = `RP-${assetId}-1`;
    expect(faulty).toMatchObject({ status: 'under_repair', openRepairId: repairId, nextCheckDue: null });
    expect(await refusal(check(handle, 'ok'))).toBe('InvalidStateTransition');

    const repairHandle = env.client.workflow.getHandle(repair.repairWorkflowId(repairId));
    const opened = await repairHandle.executeUpdate(repair.repairOpened);
    expect(opened).toMatchObject({ status: 'open', fault: '开机无显示', checkN: 1 });
    expect(clockOf(opened.clocks, 'facilities.repair').state).toBe('pending');
    expect(log.notifications(repairId).map((n) => [n.template, n.recipient])).toEqual([
      ['facilities.repairOpened', { kind: 'role', role: 'manager' }],
    ]);
    expect(await refusal(repairHandle.executeUpdate(repair.completeRepair, { args: [{ actor: agent }] }))).toBe(
      'ActionForbidden',
    );

    const done = await repairHandle.executeUpdate(repair.completeRepair, {
      args: [{ actor: manager, note: '更换电源' }],
    });
    expect(done).toMatchObject({ status: 'closed', outcome: 'repaired', doneNote: '更换电源' });
    expect(clockOf(done.clocks, 'facilities.repair').state).toBe('met');
    expect(await repairHandle.result()).toMatchObject({ status: 'closed' });
    const statuses = log
      .events(repairId)
      .filter((e) => e.kind === 'status.changed')
      .map((e) => e.detail.to);
    expect(statuses).toEqual(['repaired', 'closed']);
    expect(world.repairs.filter((r) => r.repairId === repairId).at(-1)).toMatchObject({
      status: 'closed',
      outcome: 'repaired',
      fault: '开机无显示',
    });

    const back = await eventually(
      () => handle.query(equipment.getEquipment),
      (v) => v.status === 'in_service',
    );
    expect(back.openRepairId).toBeNull();
    expect(clockOf(back.clocks, 'facilities.check', 2).state).toBe('pending');
    expect(back.nextCheckDue).toBe(clockOf(back.clocks, 'facilities.check', 2).dueAt);
  });

  it('beyond repair: a replacement request to the manager with facilities.replacement, then done closes it replaced', async () => {
    const { handle, assetId, caseId } = await register(7);
    await check(handle, 'fault', '主板损坏');
    const repairId = `RP-${assetId}-1`;
    const repairHandle = env.client.workflow.getHandle(repair.repairWorkflowId(repairId));
    await repairHandle.executeUpdate(repair.repairOpened);
    expect(
      await refusal(repairHandle.executeUpdate(repair.requestReplacement, { args: [{ actor: manager, reason: ' ' }] })),
    ).toBe('InvalidCaseInput');
    // The repair clock (3 working days) passes first: the request meets it late, the breach stays.
    await env.sleep('8 days');
    const requested = await repairHandle.executeUpdate(repair.requestReplacement, {
      args: [{ actor: manager, reason: '主板停产，无法修复' }],
    });
    expect(requested).toMatchObject({ status: 'replacement_requested', replacement: { reason: '主板停产，无法修复' } });
    expect(clockOf(requested.clocks, 'facilities.repair').state).toBe('breached');
    const replacement = clockOf(requested.clocks, 'facilities.replacement');
    expect(replacement.state).toBe('pending');
    expect(log.notifications(repairId).map((n) => n.template)).toContain('facilities.replacement');
    expect(
      await eventually(
        () => handle.query(equipment.getEquipment),
        (v) => v.status === 'awaiting_replacement',
      ),
    ).toMatchObject({ openRepairId: repairId });
    expect(await refusal(check(handle, 'ok'))).toBe('InvalidStateTransition');

    const closed = await repairHandle.executeUpdate(repair.completeRepair, { args: [{ actor: manager }] });
    expect(closed).toMatchObject({ status: 'closed', outcome: 'replaced' });
    expect(clockOf(closed.clocks, 'facilities.replacement').state).toBe('met');
    const back = await eventually(
      () => handle.query(equipment.getEquipment),
      (v) => v.status === 'in_service',
    );
    expect(back.repairs).toBe(1);
    // The query sees the item back in service as soon as its state changes; the projection that
    // records the change is written a moment later.
    const itemStatuses = await eventually(
      async () =>
        log
          .events(caseId)
          .filter((e) => e.kind === 'status.changed')
          .map((e) => e.detail.to),
      (statuses) => statuses.length >= 3,
    );
    expect(itemStatuses).toEqual(['under_repair', 'awaiting_replacement', 'in_service']);
  });
});

describe('the daily opening of the checks', () => {
  it('asks for every page of the day, each up to the end of the Shanghai day', async () => {
    const result = await env.client.workflow.execute(facilitiesCheckSweepWorkflow, {
      taskQueue,
      workflowId: `facilities-checks-${randomUUID()}`,
      args: [{ day: '2026-12-03' }],
    });
    expect(result).toEqual({ day: '2026-12-03', opened: 2 });
    expect(world.sweepPages.slice(-2)).toEqual([
      { day: '2026-12-03', dueBy: '2026-12-03T16:00:00.000Z', after: null, limit: 200 },
      { day: '2026-12-03', dueBy: '2026-12-03T16:00:00.000Z', after: 'PAGE-1', limit: 200 },
    ]);
  });
});
