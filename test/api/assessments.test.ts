/**
 * The monthly assessment through the real API, dev server and PostgreSQL: HR runs a month
 * (idempotently); an agent reads and acts only on their own; only the agent's own supervisor (by the
 * directory) scores; HR publishes and answers appeals, and sees no customer case; an appeal after the
 * window is 409; the annual result combines the final months.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveDeadlinePolicyOverride } from '../../db/repositories/deadline-policies';
import { saveStaffMember } from '../../db/repositories/staff';
import { previousPeriod } from '../../domain/assessment';
import type { Role } from '../../domain/case';
import { tokenFor, uniqueTeam } from '../support/auth';
import { startApiHarness, type ApiHarness } from '../support/harness';
import { eventually } from '../support/http';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
  // Shared by every worker of the run through the database: a window of seconds for this file.
  await saveDeadlinePolicyOverride(
    h.database.db,
    'assessment.appealWindow',
    { mode: 'elapsed', duration: 'PT4S' },
    'assessments-test',
  );
});
afterAll(async () => {
  await h?.close();
});

const uid = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
const period = previousPeriod(new Date());

async function staff(team: string, role: Role, supervisorId: string | null = null): Promise<string> {
  const id = uid(role);
  await saveStaffMember(
    h.database.db,
    id,
    { name: '测试员', role, team, supervisorId, hiredAt: '2025-01-02', active: true },
    'test',
  );
  return id;
}

interface Assessment {
  id: string;
  staffId: string;
  status: string;
  total: number | null;
  grade: string | null;
  figures: { key: string; target: number }[];
  appealWindowEndsAt: string | null;
  clocks: { policy: string; state: string }[];
}

const hr = tokenFor('hr');
const post = (path: string, token: string, body: unknown) => h.api.request('POST', `/api/v1${path}`, { token, body });
const get = (path: string, token: string) => h.api.request('GET', `/api/v1${path}`, { token });

async function month() {
  const team = uniqueTeam();
  const sup = await staff(team, 'supervisor');
  const otherSup = await staff(team, 'supervisor');
  const a = await staff(team, 'agent', sup);
  const b = await staff(team, 'agent', sup);
  const run = await post('/assessments/run', hr, { period, team });
  expect(run.status, run.text).toBe(200);
  expect(run.body).toEqual({ period, started: 2, existing: 0 });
  const items = await eventually(async () => {
    const res = await get(`/assessments?period=${period}&team=${team}`, hr);
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(2);
    return res.body.items as Assessment[];
  });
  const idOf = (staffId: string) => items.find((i) => i.staffId === staffId)!.id;
  return {
    team,
    a: { id: idOf(a), token: tokenFor('agent', team, a) },
    b: { id: idOf(b), token: tokenFor('agent', team, b) },
    sup: tokenFor('supervisor', team, sup),
    otherSup: tokenFor('supervisor', team, otherSup),
  };
}

const scoreBody = {
  attendance: { late: 1, leftEarly: 0, absent: 0, leaveDays: 0 },
  initiative: 4,
  teamwork: 4,
  comment: '表现稳定',
};

describe('assessments API', () => {
  it('HR runs a month idempotently; a month not yet ended is 400', async () => {
    const { team } = await month();
    expect((await post('/assessments/run', hr, { period, team })).body).toEqual({ period, started: 0, existing: 2 });
    const current = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
    expect((await post('/assessments/run', hr, { period: current, team })).status).toBe(400);
    expect((await post('/assessments/run', tokenFor('manager'), { period, team })).status).toBe(403);
  });

  it('an agent reads and acts only on their own; only their own supervisor scores; HR publishes and answers', async () => {
    const { a, b, sup, otherSup, team } = await month();
    const mine = await get('/assessments', a.token);
    expect(mine.body.items.map((i: Assessment) => i.id)).toEqual([a.id]);
    expect((await get(`/assessments/${b.id}`, a.token)).status).toBe(404);
    expect((await get(`/assessments?staffId=${b.id.slice(0, -7)}`, a.token)).status).toBe(404);
    const own = await get(`/assessments/${a.id}`, a.token);
    expect(own.status).toBe(200);
    expect(own.body.figures.map((f: { key: string }) => f.key)).toContain('customer_satisfaction');
    expect(own.body.clocks.map((c: { policy: string }) => c.policy)).toEqual([
      'assessment.self',
      'assessment.supervisor',
    ]);

    expect((await post(`/assessments/${b.id}/self`, a.token, { summary: '冒名' })).status).toBe(404);
    const self = await post(`/assessments/${a.id}/self`, a.token, {
      summary: '本月接听咨询 300 通',
      strengths: '耐心',
    });
    expect(self.status, self.text).toBe(200);
    expect(self.body.status).toBe('self_assessed');

    // Another team's supervisor cannot see it; a supervisor of the team who is not the agent's may not score.
    expect(
      (await post(`/assessments/${a.id}/supervisor-score`, tokenFor('supervisor', uniqueTeam()), scoreBody)).status,
    ).toBe(404);
    expect((await post(`/assessments/${a.id}/supervisor-score`, otherSup, scoreBody)).status).toBe(403);
    const scored = await post(`/assessments/${a.id}/supervisor-score`, sup, scoreBody);
    expect(scored.status, scored.text).toBe(200);
    expect(scored.body).toMatchObject({
      status: 'scored',
      grade: expect.any(String),
      bonusCoefficient: expect.any(Number),
    });
    expect((await post(`/assessments/${a.id}/supervisor-score`, sup, scoreBody)).status).toBe(409);

    // HR keeps staff records, not customers' cases.
    expect((await get('/cases', hr)).status).toBe(403);
    expect((await get(`/assessments/${a.id}`, hr)).status).toBe(200);

    const published = await post('/assessments/publish', hr, { period, team });
    expect(published.status, published.text).toBe(200);
    expect(published.body).toEqual({ period, published: [a.id], skipped: [] });
    // b is not scored: left as it was.
    expect((await get(`/assessments/${b.id}`, hr)).body.status).toBe('open');

    const appealed = await post(`/assessments/${a.id}/appeal`, a.token, { reason: '考勤记录有误' });
    expect(appealed.status, appealed.text).toBe(200);
    expect(appealed.body.status).toBe('appealed');
    expect((await post(`/assessments/${a.id}/appeal-decision`, sup, { upheld: false, answer: '维持' })).status).toBe(
      403,
    );
    const decided = await post(`/assessments/${a.id}/appeal-decision`, hr, {
      upheld: true,
      adjustedScores: { attendance: 100 },
      answer: '考勤已更正',
    });
    expect(decided.status, decided.text).toBe(200);
    const final = await eventually(async () => {
      const res = await get(`/assessments/${a.id}`, a.token);
      expect(res.body.status).toBe('final');
      return res.body as Assessment & { appeal: { upheld: boolean } };
    });
    expect(final.appeal.upheld).toBe(true);
    expect(final.total).toBeGreaterThan(scored.body.total as number);
  });

  it('an appeal after the window (公示期) is 409; the annual result combines the final months', async () => {
    const { b, sup, team } = await month();
    expect((await post(`/assessments/${b.id}/appeal`, b.token, { reason: '太早' })).status).toBe(409);
    expect((await post(`/assessments/${b.id}/supervisor-score`, sup, scoreBody)).status).toBe(200);
    const published = await post('/assessments/publish', hr, { period, team });
    expect(published.body.published).toEqual([b.id]);
    const final = await eventually(
      async () => {
        const res = await get(`/assessments/${b.id}`, b.token);
        expect(res.body.status).toBe('final');
        return res.body as Assessment;
      },
      { timeoutMs: 20_000 },
    );
    expect(final.clocks.find((c) => c.policy === 'assessment.appealWindow')?.state).toBe('met');
    const late = await post(`/assessments/${b.id}/appeal`, b.token, { reason: '过了公示期' });
    expect(late.status, late.text).toBe(409);

    const year = Number(period.slice(0, 4));
    const annual = await get(`/assessments/annual/${year}?team=${team}`, sup);
    expect(annual.status, annual.text).toBe(200);
    expect(annual.body.items).toEqual([
      expect.objectContaining({
        staffId: final.staffId,
        months: 1,
        periods: [period],
        total: final.total,
        grade: final.grade,
      }),
    ]);
    // Ten months are needed for 年度优秀客服人员.
    expect(annual.body.excellentStaff).toEqual([]);
    expect((await get(`/assessments/annual/${year}?team=${uniqueTeam()}`, sup)).status).toBe(404);
  });
});
