/**
 * Training through the real API: who plans, who records, who reads. HR and managers plan; a
 * supervisor records only their own team's sessions and exams; an agent reads only their own
 * records; an exam before any session, and any action on an ended record, is 409; a new agent in the
 * directory gets the onboarding; a department record is no customer case.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDate } from '../../domain/civil-time';
import { tokenFor, uniqueTeam } from '../support/auth';
import { startApiHarness, type ApiHarness } from '../support/harness';
import { eventually } from '../support/http';
import { hire } from '../support/staff';
import { saveStaffMember } from '../../db/repositories/staff';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(async () => {
  await h?.close();
});

const uid = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
const plan = (over: Record<string, unknown>) => ({
  kind: 'special',
  title: '投诉处理专项培训',
  topics: ['倾听', '安抚情绪'],
  passMark: 60,
  ...over,
});

interface Record_ {
  id: string;
  staffId: string;
  status: string | null;
  exams: { score: number; passed: boolean; retake: boolean }[];
  sessions: unknown[];
  retakes: number;
  clocks: { policy: string; state: string; startedAt: string }[];
}

async function recordsOf(token: string, query: string): Promise<Record_[]> {
  const res = await h.api.request('GET', `/api/v1/training/records?${query}`, { token });
  expect(res.status, res.text).toBe(200);
  return res.body.items as Record_[];
}

/** Waits for the records' first projections. */
async function assigned(query: string, n: number): Promise<Record_[]> {
  return eventually(async () => {
    const items = await recordsOf(tokenFor('hr'), query);
    expect(items.filter((r) => r.status !== null)).toHaveLength(n);
    return items;
  });
}

async function team2(): Promise<{ team: string; a: string; b: string }> {
  const team = uniqueTeam();
  const a = await hire(h.database.db, uid('agent'), team);
  const b = await hire(h.database.db, uid('agent'), team);
  return { team, a, b };
}

describe('training plans', () => {
  it('are planned by HR and managers (201, one record per person), not by supervisors or agents (403)', async () => {
    const { team, a, b } = await team2();
    for (const role of ['supervisor', 'agent'] as const) {
      const refused = await h.api.request('POST', '/api/v1/training/plans', {
        token: tokenFor(role, team),
        body: plan({ staffIds: [a] }),
      });
      expect(refused.status, role).toBe(403);
    }
    const byHr = await h.api.request('POST', '/api/v1/training/plans', {
      token: tokenFor('hr'),
      body: plan({ staffIds: [a, b] }),
    });
    expect(byHr.status, byHr.text).toBe(201);
    expect(byHr.body).toMatchObject({ kind: 'special', passMark: 60, team: null });
    expect(byHr.body.id).toMatch(/^TP\d{8}[0-9A-Z]{6}$/);
    expect(byHr.body.recordIds.sort()).toEqual([`${byHr.body.id}-${a}`, `${byHr.body.id}-${b}`].sort());
    const items = await assigned(`planId=${byHr.body.id}`, 2);
    expect(items.map((r) => r.status)).toEqual(['assigned', 'assigned']);
    // A special training runs no completion clock of its own.
    expect(items.every((r) => r.clocks.length === 0)).toBe(true);

    const byTeam = await h.api.request('POST', '/api/v1/training/plans', {
      token: tokenFor('manager'),
      body: plan({ kind: 'periodic', team, everyMonths: 2, title: '定期业务培训' }),
    });
    expect(byTeam.status, byTeam.text).toBe(201);
    expect(byTeam.body).toMatchObject({ kind: 'periodic', team, everyMonths: 2 });
    expect(byTeam.body.recordIds).toHaveLength(2);
    const periodic = await assigned(`planId=${byTeam.body.id}`, 2);
    expect(periodic[0]?.clocks.map((c) => c.policy)).toEqual(['training.periodic']);
  });

  it('refuses bad plans with problem+json (400): both people and a team, unknown staff, unknown fields', async () => {
    const { team, a } = await team2();
    const hr = tokenFor('hr');
    for (const [body, path] of [
      [plan({ staffIds: [a], team }), ''],
      [plan({ staffIds: ['nobody-here'] }), 'staffIds'],
      [plan({ staffIds: [a], passMark: 101 }), 'passMark'],
      [plan({ staffIds: [a], colour: 'red' }), ''],
      [plan({ kind: 'periodic', staffIds: [a] }), ''],
    ] as const) {
      const res = await h.api.request('POST', '/api/v1/training/plans', { token: hr, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      if (path) expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
    }
  });
});

describe('attendance and exams', () => {
  it('a supervisor records their own team only; a fail opens the retake, a second fail flags; then 409', async () => {
    const { team, a } = await team2();
    const created = await h.api.request('POST', '/api/v1/training/plans', {
      token: tokenFor('hr'),
      body: plan({ staffIds: [a] }),
    });
    const planId = created.body.id as string;
    await assigned(`planId=${planId}`, 1);
    const sup = tokenFor('supervisor', team);
    const post = (action: string, body: Record<string, unknown>, token = sup) =>
      h.api.request('POST', `/api/v1/training/${planId}/${action}`, { token, body: { staffId: a, ...body } });

    expect((await post('attendance', {}, tokenFor('agent', team))).status).toBe(403);
    expect((await post('attendance', {}, tokenFor('supervisor', uniqueTeam()))).status).toBe(404);
    expect((await post('exam', { kind: 'theory', score: 101 })).status).toBe(400);
    const early = await post('exam', { kind: 'theory', score: 90 });
    expect(early.status, early.text).toBe(409);
    expect(early.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const unknownPerson = await h.api.request('POST', `/api/v1/training/${planId}/attendance`, {
      token: sup,
      body: { staffId: uid('agent') },
    });
    expect(unknownPerson.status).toBe(404);

    const attended = await post('attendance', { topic: '倾听', hours: 2 });
    expect(attended.status, attended.text).toBe(200);
    expect(attended.body).toMatchObject({ status: 'attended', staffId: a, planId });
    const failed = await post('exam', { kind: 'practical', score: 40 });
    expect(failed.body).toMatchObject({ status: 'retake', retakes: 1 });
    expect(failed.body.clocks.map((c: { policy: string }) => c.policy)).toEqual(['training.retake']);
    const flagged = await post('exam', { kind: 'practical', score: 55 }, tokenFor('hr'));
    expect(flagged.status, flagged.text).toBe(200);
    expect(flagged.body).toMatchObject({ status: 'flagged', flagged: { score: 55 } });

    await eventually(async () => {
      const [rec] = await recordsOf(tokenFor('hr'), `planId=${planId}`);
      expect(rec?.status).toBe('flagged');
    });
    expect((await post('exam', { kind: 'theory', score: 99 })).status).toBe(409);
    expect((await post('attendance', {})).status).toBe(409);
  });
});

describe('reading training records', () => {
  it('an agent reads their own, a supervisor their team’s, HR and managers anyone’s; others are 404', async () => {
    const { team, a, b } = await team2();
    const created = await h.api.request('POST', '/api/v1/training/plans', {
      token: tokenFor('manager'),
      body: plan({ staffIds: [a, b] }),
    });
    const planId = created.body.id as string;
    await assigned(`planId=${planId}`, 2);

    const own = await recordsOf(tokenFor('agent', team, a), '');
    expect(own.map((r) => r.staffId)).toEqual([a]);
    const refused = await h.api.request('GET', `/api/v1/training/records?staffId=${b}`, {
      token: tokenFor('agent', team, a),
    });
    expect(refused.status).toBe(404);
    const sup = await recordsOf(tokenFor('supervisor', team), `planId=${planId}`);
    expect(sup.map((r) => r.staffId).sort()).toEqual([a, b].sort());
    expect(
      (
        await h.api.request('GET', `/api/v1/training/records?team=${team}`, {
          token: tokenFor('supervisor', uniqueTeam()),
        })
      ).status,
    ).toBe(404);
    const otherSup = await recordsOf(tokenFor('supervisor', uniqueTeam()), `staffId=${a}`);
    expect(otherSup).toEqual([]);
    expect((await recordsOf(tokenFor('hr'), `staffId=${b}`)).map((r) => r.staffId)).toEqual([b]);
    expect((await recordsOf(tokenFor('admin'), `team=${team}`)).length).toBe(2);
  });

  it('a training record is a department record: no case route finds it, and HR reads no customer case', async () => {
    const { team, a } = await team2();
    const created = await h.api.request('POST', '/api/v1/training/plans', {
      token: tokenFor('hr'),
      body: plan({ staffIds: [a] }),
    });
    const [recordId] = created.body.recordIds as string[];
    await assigned(`planId=${created.body.id as string}`, 1);
    const timeline = await h.api.request('GET', `/api/v1/cases/${recordId}/timeline`, {
      token: tokenFor('supervisor', team),
    });
    expect(timeline.status).toBe(404);
    const listed = await h.api.request('GET', `/api/v1/cases?team=${team}`, { token: tokenFor('supervisor', team) });
    expect(listed.body.items).toEqual([]);
    expect((await h.api.request('GET', '/api/v1/cases', { token: tokenFor('hr') })).status).toBe(403);
  });
});

describe('onboarding', () => {
  it('a new agent entered in the directory gets the onboarding, its clock counted from the hire date', async () => {
    const team = uniqueTeam();
    const id = uid('newhire');
    const hiredAt = shanghaiDate(new Date(Date.now() - 2 * 86_400_000));
    const res = await h.api.request('PUT', `/api/v1/staff/${id}`, {
      token: tokenFor('hr'),
      body: { name: '新员工', role: 'agent', team, hiredAt, active: true },
    });
    expect(res.status, res.text).toBe(201);
    const [record] = await assigned(`staffId=${id}`, 1);
    expect(record?.clocks).toEqual([
      expect.objectContaining({
        policy: 'training.onboarding',
        state: 'pending',
        startedAt: `${hiredAt}T00:00:00.000+08:00`,
      }),
    ]);
    // Updating the record (a second PUT) assigns nothing twice.
    const again = await h.api.request('PUT', `/api/v1/staff/${id}`, {
      token: tokenFor('hr'),
      body: { name: '新员工', role: 'agent', team, hiredAt, active: true },
    });
    expect(again.status).toBe(200);
    expect(await recordsOf(tokenFor('hr'), `staffId=${id}`)).toHaveLength(1);
    // Staff already working when entered (hired long ago) get no onboarding.
    const veteran = uid('veteran');
    await h.api.request('PUT', `/api/v1/staff/${veteran}`, {
      token: tokenFor('admin'),
      body: { name: '老员工', role: 'agent', team, hiredAt: '2020-03-01', active: true },
    });
    expect(await recordsOf(tokenFor('hr'), `staffId=${veteran}`)).toEqual([]);
  });

  it('a PUT retried after the onboarding could not be assigned (the record saved, Temporal down) still assigns it', async () => {
    const team = uniqueTeam();
    const id = uid('retried');
    const hiredAt = shanghaiDate(new Date());
    // What the first PUT left behind when its assignment failed: the agent in the directory, no training.
    await saveStaffMember(
      h.database.db,
      id,
      { name: '新员工', role: 'agent', team, supervisorId: null, hiredAt, active: true },
      'hr-test',
    );
    expect(await recordsOf(tokenFor('hr'), `staffId=${id}`)).toEqual([]);
    const retried = await h.api.request('PUT', `/api/v1/staff/${id}`, {
      token: tokenFor('hr'),
      body: { name: '新员工', role: 'agent', team, hiredAt, active: true },
    });
    expect(retried.status, retried.text).toBe(200);
    const [record] = await assigned(`staffId=${id}`, 1);
    expect(record?.clocks.map((c) => c.policy)).toEqual(['training.onboarding']);
  });
});
