/**
 * The monthly assessment run and its Schedule, against the dev server and PostgreSQL: a run starts
 * one assessment per active agent for the period and a second starts nothing twice; December's run
 * (the one in January) starts the year's annual result, which fixes the combined months and names
 * the year's excellent staff once they are final; the `monthly-assessment` Schedule is created once
 * for the 1st at 09:00 Asia/Shanghai.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyProjection } from '../../db/repositories/case-projection';
import { shanghaiMinuteOfDay } from '../../domain/calendar';
import { assessmentId } from '../../domain/assessment';
import { shanghaiDate } from '../../domain/civil-time';
import { ensureMonthlyAssessmentSchedule } from '../../services/monthly-assessment-schedule';
import { annualAssessmentWorkflow, monthlyAssessmentWorkflow } from '../../workflows/assessment/monthly-run';
import { caseWorkflowId, TASK_QUEUE } from '../../workflows/shared/contract';
import { tokenFor, uniqueTeam } from '../support/auth';
import { startApiHarness, type ApiHarness } from '../support/harness';
import { eventually } from '../support/http';
import { hire } from '../support/staff';
import { projection } from '../db/fixtures';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(async () => {
  await h?.close();
});

const uid = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/** A month the API tests never run (they assess the month just ended). */
const DECEMBER = '2025-12';

describe('monthly assessment run', () => {
  it('starts one per active agent, idempotently; December’s run starts the annual result', async () => {
    const team = uniqueTeam();
    const a = await hire(h.database.db, uid('agent'), team);
    const b = await hire(h.database.db, uid('agent'), team);
    await hire(h.database.db, uid('agent'), team, { active: false });
    const run = () =>
      h.env.client.workflow.execute(monthlyAssessmentWorkflow, {
        taskQueue: TASK_QUEUE,
        workflowId: uid('monthly-assessment-test'),
        args: [{ period: DECEMBER }],
      });
    const first = await run();
    expect(first.annualYear).toBe(2025);
    expect(first.started).toBeGreaterThanOrEqual(2);
    const rows = await eventually(async () => {
      const res = await h.api.request('GET', `/api/v1/assessments?period=${DECEMBER}&team=${team}`, {
        token: tokenFor('hr'),
      });
      expect(res.body.items).toHaveLength(2);
      return res.body.items as { id: string }[];
    });
    expect(rows.map((r) => r.id).sort()).toEqual([assessmentId(a, DECEMBER), assessmentId(b, DECEMBER)].sort());
    const runIds = async () =>
      Promise.all(
        [a, b].map(async (staffId) => {
          const wf = h.env.client.workflow.getHandle(caseWorkflowId('assessment', assessmentId(staffId, DECEMBER)));
          return (await wf.describe()).runId;
        }),
      );
    const before = await runIds();
    const second = await run();
    // Other test files share the directory and may hire agents between the two runs: the second
    // run may start theirs, but finds every one the first run started, and starts ours again never.
    expect(second.existing).toBeGreaterThanOrEqual(first.started + first.existing);
    expect(await runIds()).toEqual(before);
    const annual = h.env.client.workflow.getHandle('annual-assessment-2025');
    expect((await annual.describe()).type).toBe('annualAssessmentWorkflow');
    await annual.terminate('test done').catch(() => undefined);
  });

  it('the annual result fixes the final months and names the year’s excellent staff (年度优秀客服人员)', async () => {
    const team = uniqueTeam();
    const star = uid('agent');
    const steady = uid('agent');
    const year = 2024;
    for (let m = 1; m <= 12; m++) {
      const period = `${year}-${String(m).padStart(2, '0')}`;
      for (const [staffId, total, grade] of [
        [star, 95, '优秀'],
        [steady, 82, '良好'],
      ] as const) {
        const p = projection(assessmentId(staffId, period), { team, assignee: staffId, status: 'final', closed: true });
        await applyProjection(h.database.db, {
          ...p,
          summary: { ...p.summary, type: 'assessment' },
          data: { status: 'final', period, total, grade },
        });
      }
    }
    const fixed = await h.env.client.workflow.execute(annualAssessmentWorkflow, {
      taskQueue: TASK_QUEUE,
      workflowId: uid('annual-assessment-test'),
      args: [{ year, waitDays: 1 }],
    });
    expect(fixed.excellentStaff).toContain(star);
    expect(fixed.excellentStaff).not.toContain(steady);
    const res = await h.api.request('GET', `/api/v1/assessments/annual/${year}?team=${team}`, {
      token: tokenFor('manager'),
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.computedAt).toEqual(expect.any(String));
    expect(res.body.excellentStaff).toEqual([star]);
    expect(res.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ staffId: star, months: 12, total: 95, grade: '优秀', excellent: true }),
        expect.objectContaining({ staffId: steady, months: 12, total: 82, grade: '良好', excellent: false }),
      ]),
    );
  });

  it('the monthly-assessment Schedule is created once, for the 1st at 09:00 Asia/Shanghai', async () => {
    const scheduleId = uid('monthly-assessment-test');
    const client = h.env.client;
    try {
      expect(await ensureMonthlyAssessmentSchedule(client, { scheduleId })).toBe('created');
      const before = await client.schedule.getHandle(scheduleId).describe();
      expect(await ensureMonthlyAssessmentSchedule(client, { scheduleId })).toBe('unchanged');
      const after = await client.schedule.getHandle(scheduleId).describe();
      expect(after.info.lastUpdatedAt).toEqual(before.info.lastUpdatedAt);
      expect(after.action).toMatchObject({ type: 'startWorkflow', workflowType: 'monthlyAssessmentWorkflow' });
      for (const next of after.info.nextActionTimes.slice(0, 2)) {
        expect(shanghaiDate(next).slice(8)).toBe('01');
        expect(shanghaiMinuteOfDay(next)).toBe(9 * 60);
      }
    } finally {
      await client.schedule
        .getHandle(scheduleId)
        .delete()
        .catch(() => undefined);
    }
  });
});
