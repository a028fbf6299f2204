/**
 * Periodic training rounds (定期培训) and their Schedule, against the dev server and PostgreSQL: a
 * team with no round yet gets one (one record per active member, the department's default plan), a
 * second run in the month assigns nothing, a team whose HR plan this month repeats every 3 months is
 * not due; the `periodic-training` Schedule is created once for the 1st at 09:30 Asia/Shanghai.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiMinuteOfDay } from '../../domain/calendar';
import { shanghaiDate, shanghaiMonth } from '../../domain/civil-time';
import { DEFAULT_PERIODIC_PLAN } from '../../domain/training';
import { listTrainingRecords } from '../../db/repositories/training';
import { assignTraining } from '../../services/training-assignments';
import { ensurePeriodicTrainingSchedule } from '../../services/periodic-training-schedule';
import { TASK_QUEUE } from '../../workflows/shared/contract';
import { periodicTrainingWorkflow } from '../../workflows/training/periodic-rounds';
import { uniqueTeam } from '../support/auth';
import { startApiHarness, type ApiHarness } from '../support/harness';
import { hire } from '../support/staff';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(async () => {
  await h?.close();
});

const uid = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

function runRounds(teams: string[]) {
  return h.env.client.workflow.execute(periodicTrainingWorkflow, {
    taskQueue: TASK_QUEUE,
    workflowId: uid('periodic-training-test'),
    args: [{ teams }],
  });
}

describe('periodic training rounds', () => {
  it('give a team with no round one, once a month, to each active member', async () => {
    const team = uniqueTeam();
    const a = await hire(h.database.db, uid('agent'), team);
    const b = await hire(h.database.db, uid('agent'), team);
    await hire(h.database.db, uid('agent'), team, { active: false });
    const month = shanghaiMonth(new Date());

    const first = await runRounds([team]);
    expect(first.month).toBe(month);
    expect(first.assigned).toHaveLength(1);
    expect(first.assigned[0]).toMatchObject({ team, people: 2 });
    const records = await listTrainingRecords(h.database.db, { planId: first.assigned[0]!.planId, limit: 10 });
    expect(records.map((r) => r.staffId).sort()).toEqual([a, b].sort());
    expect(records.every((r) => r.title === DEFAULT_PERIODIC_PLAN.title && r.kind === 'periodic')).toBe(true);

    const second = await runRounds([team]);
    expect(second).toEqual({ month, assigned: [], notDue: [team] });
  });

  it("follow the team's own plan: HR's round this month every 3 months is not due again", async () => {
    const team = uniqueTeam();
    const a = await hire(h.database.db, uid('agent'), team);
    await assignTraining(
      { db: h.database.db, temporal: h.env.client },
      {
        kind: 'periodic',
        title: '季度服务规范复训',
        topics: ['文明用语'],
        passMark: 70,
        staffIds: [a],
        team,
        everyMonths: 3,
        reason: 'HR plan',
        source: { periodicRound: { team, month: shanghaiMonth(new Date()) } },
      },
    );
    expect(await runRounds([team])).toMatchObject({ assigned: [], notDue: [team] });
  });
});

describe('periodic-training schedule', () => {
  it('is created for the 1st of each month at 09:30 Asia/Shanghai, and a second call changes nothing', async () => {
    const scheduleId = uid('periodic-training-test');
    const client = h.env.client;
    try {
      expect(await ensurePeriodicTrainingSchedule(client, { scheduleId })).toBe('created');
      const before = await client.schedule.getHandle(scheduleId).describe();
      expect(await ensurePeriodicTrainingSchedule(client, { scheduleId })).toBe('unchanged');
      const after = await client.schedule.getHandle(scheduleId).describe();
      expect(after.info.lastUpdatedAt).toEqual(before.info.lastUpdatedAt);
      expect(after.action).toMatchObject({ type: 'startWorkflow', workflowType: 'periodicTrainingWorkflow' });
      for (const next of after.info.nextActionTimes.slice(0, 2)) {
        expect(shanghaiDate(next).slice(8)).toBe('01');
        expect(shanghaiMinuteOfDay(next)).toBe(9 * 60 + 30);
      }
    } finally {
      await client.schedule
        .getHandle(scheduleId)
        .delete()
        .catch(() => undefined);
    }
  });
});
