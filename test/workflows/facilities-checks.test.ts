/**
 * The daily opening of the checks (今日点检) and its Schedule, against the dev server and PostgreSQL:
 * an item due today is told once however often the sweep runs that day, an item whose workflow never
 * started is started by the sweep, an item not yet due is left alone; `facilities-checks` is created
 * once for 08:30 Asia/Shanghai and a second call changes nothing.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiMinuteOfDay } from '../../domain/calendar';
import { shanghaiDate } from '../../domain/civil-time';
import { findEquipment, saveEquipmentRegistration } from '../../db/repositories/facilities';
import { ensureFacilitiesCheckSchedule } from '../../services/facilities-check-schedule';
import { facilitiesCheckSweepWorkflow } from '../../workflows/facilities/check-sweep';
import { TASK_QUEUE } from '../../workflows/shared/contract';
import { tokenFor, uniqueTeam } from '../support/auth';
import { startApiHarness, type ApiHarness } from '../support/harness';
import { eventually } from '../support/http';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(async () => {
  await h?.close();
});

const uid = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
const assetId = () => `SW-${randomUUID().slice(0, 8).toUpperCase()}`;

const sweep = (day: string) =>
  h.env.client.workflow.execute(facilitiesCheckSweepWorkflow, {
    taskQueue: TASK_QUEUE,
    workflowId: uid('facilities-checks-test'),
    args: [{ day, pageSize: 2 }],
  });

async function register(team: string, checkEveryDays: number): Promise<string> {
  const id = assetId();
  const res = await h.api.request('PUT', `/api/v1/facilities/equipment/${id}`, {
    token: tokenFor('manager', team),
    body: { kind: 'telephone', location: '二楼', purchasedAt: '2025-01-01', checkEveryDays },
  });
  expect(res.status, res.text).toBe(201);
  return id;
}

const notificationsOf = (caseId: string) =>
  h.database.db.selectFrom('notifications').select('template').where('case_id', '=', caseId).execute();

describe('the daily opening of the checks', () => {
  it('tells the team of an item due today once, starts a registered item without a workflow, leaves the rest', async () => {
    const team = uniqueTeam();
    const due = await register(team, 1);
    const notDue = await register(team, 30);
    // Run on the day the first item's check falls due (a run by hand may open a later day's list).
    const dueAt = (await findEquipment(h.database.db, due))?.nextCheckDue;
    if (!dueAt) throw new Error('no check due');
    const day = shanghaiDate(new Date(Date.parse(dueAt) - 1));
    // Registered, but its workflow's start was lost (the API died between the two).
    const orphan = assetId();
    await saveEquipmentRegistration(h.database.db, {
      assetId: orphan,
      kind: 'headset',
      location: '二楼',
      purchasedAt: '2025-01-01',
      checkEveryDays: 7,
      team,
      actor: 'mgr-test',
    });

    const first = await sweep(day);
    expect(first).toMatchObject({ day });
    expect(first.opened).toBeGreaterThanOrEqual(2);
    await sweep(day);
    await eventually(async () => {
      expect((await notificationsOf(`EQ-${due}`)).map((n) => n.template)).toEqual(['facilities.checkDue']);
      expect((await findEquipment(h.database.db, orphan))?.nextCheckDue).not.toBeNull();
    });
    expect(await notificationsOf(`EQ-${notDue}`)).toEqual([]);
    // Started by the sweep, but not due that day: no check opened for it.
    expect(await notificationsOf(`EQ-${orphan}`)).toEqual([]);
    const timeline = await h.database.db
      .selectFrom('timeline_events')
      .select('kind')
      .where('case_id', '=', `EQ-${due}`)
      .execute();
    expect(timeline.filter((e) => e.kind === 'check.opened')).toHaveLength(1);
  });
});

describe('facilities-checks schedule', () => {
  it('is created for 08:30 Asia/Shanghai every day, and a second call changes nothing', async () => {
    const scheduleId = uid('facilities-checks-test');
    const client = h.env.client;
    try {
      expect(await ensureFacilitiesCheckSchedule(client, { scheduleId })).toBe('created');
      const before = await client.schedule.getHandle(scheduleId).describe();
      expect(await ensureFacilitiesCheckSchedule(client, { scheduleId })).toBe('unchanged');
      const after = await client.schedule.getHandle(scheduleId).describe();
      expect(after.info.lastUpdatedAt).toEqual(before.info.lastUpdatedAt);
      expect(after.action).toMatchObject({ type: 'startWorkflow', workflowType: 'facilitiesCheckSweepWorkflow' });
      const [next, second] = after.info.nextActionTimes;
      expect(next && shanghaiMinuteOfDay(next)).toBe(8 * 60 + 30);
      expect(next && second && second.getTime() - next.getTime()).toBe(86_400_000);
    } finally {
      await client.schedule
        .getHandle(scheduleId)
        .delete()
        .catch(() => undefined);
    }
  });
});
