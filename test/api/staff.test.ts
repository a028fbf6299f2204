/**
 * The staff directory through the real API: who may keep and read it, the hr role kept out of every
 * customer case, assignment only to an active member of the case's team, and an agent's figures
 * counting the cases the agent handled after the case was reassigned.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAssignments } from '../../db/repositories/staff';
import { tokenFor, uniqueTeam } from '../support/auth';
import { claimReport } from '../support/fixtures';
import { startApiHarness, type ApiHarness } from '../support/harness';
import { eventually } from '../support/http';
import { hire } from '../support/staff';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(async () => {
  await h?.close();
});

const uid = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
const record = (team: string | undefined, role = 'agent') => ({
  name: '王小明',
  role,
  ...(team ? { team } : {}),
  hiredAt: '2025-06-01',
  active: true,
});

describe('the staff directory', () => {
  it('is written by admin and HR (201 then 200) and read by HR, managers and the own team’s supervisor', async () => {
    const team = uniqueTeam();
    const id = uid('agent');
    const created = await h.api.request('PUT', `/api/v1/staff/${id}`, {
      token: tokenFor('admin'),
      body: record(team),
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ id, role: 'agent', team, hiredAt: '2025-06-01', active: true });
    const updated = await h.api.request('PUT', `/api/v1/staff/${id}`, {
      token: tokenFor('hr'),
      body: { ...record(team), active: false },
    });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body.active).toBe(false);

    for (const role of ['manager', 'supervisor', 'agent'] as const) {
      const refused = await h.api.request('PUT', `/api/v1/staff/${id}`, {
        token: tokenFor(role, role === 'manager' ? undefined : team),
        body: record(team),
      });
      expect(refused.status, role).toBe(403);
    }

    const listed = await h.api.request('GET', `/api/v1/staff?team=${team}`, { token: tokenFor('hr') });
    expect(listed.status, listed.text).toBe(200);
    expect(listed.body.items).toEqual([expect.objectContaining({ id, active: false })]);
    const inactive = await h.api.request('GET', `/api/v1/staff?team=${team}&active=false&role=agent`, {
      token: tokenFor('manager'),
    });
    expect(inactive.body.items.map((s: { id: string }) => s.id)).toEqual([id]);
    const own = await h.api.request('GET', '/api/v1/staff', { token: tokenFor('supervisor', team) });
    expect(own.body.items.map((s: { id: string }) => s.id)).toEqual([id]);
    expect(
      (await h.api.request('GET', `/api/v1/staff?team=${uniqueTeam()}`, { token: tokenFor('supervisor', team) }))
        .status,
    ).toBe(404);
    expect((await h.api.request('GET', '/api/v1/staff', { token: tokenFor('agent', team) })).status).toBe(403);
  });

  it('refuses a record without a team for an agent, an unknown supervisor and unknown fields (400)', async () => {
    const admin = tokenFor('admin');
    const noTeam = await h.api.request('PUT', `/api/v1/staff/${uid('agent')}`, {
      token: admin,
      body: record(undefined),
    });
    expect(noTeam.status).toBe(400);
    expect(noTeam.body.errors).toEqual([expect.objectContaining({ path: 'team' })]);
    const unknownSupervisor = await h.api.request('PUT', `/api/v1/staff/${uid('agent')}`, {
      token: admin,
      body: { ...record(uniqueTeam()), supervisorId: uid('nobody') },
    });
    expect(unknownSupervisor.status).toBe(400);
    expect(unknownSupervisor.body.errors).toEqual([expect.objectContaining({ path: 'supervisorId' })]);
    const extra = await h.api.request('PUT', `/api/v1/staff/${uid('agent')}`, {
      token: admin,
      body: { ...record(uniqueTeam()), salary: 1 },
    });
    expect(extra.status).toBe(400);
  });

  it('keeps hr out of every customer case route (403), whatever the method', async () => {
    const doc = (await h.api.request('GET', '/openapi.json')).body;
    const hr = tokenFor('hr');
    const checked: string[] = [];
    for (const [path, operations] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      for (const [method, operation] of Object.entries(operations)) {
        const role = (operation as { 'x-required-role'?: string | string[] })['x-required-role'];
        if (role === undefined || (Array.isArray(role) && role.includes('hr'))) continue;
        const url = path.replace(/\{\w+\}/g, 'X1');
        const res = await h.api.request(method.toUpperCase(), url, {
          token: hr,
          ...(method === 'get' ? {} : { body: {} }),
        });
        expect(res.status, `${method.toUpperCase()} ${path}`).toBe(403);
        checked.push(`${method.toUpperCase()} ${path}`);
      }
    }
    expect(checked).toEqual(
      expect.arrayContaining([
        'GET /api/v1/cases',
        'GET /api/v1/claims/{id}',
        'POST /api/v1/cases/{id}/reveal',
        'POST /api/v1/cases/{id}/assign',
        'GET /api/v1/reports/kpis',
      ]),
    );
  });
});

describe('assignment', () => {
  async function openClaim(team: string, agentId: string): Promise<string> {
    const res = await h.api.request('POST', '/api/v1/claims', {
      token: tokenFor('agent', team, agentId),
      body: claimReport(),
    });
    expect(res.status, res.text).toBe(201);
    return res.body.id as string;
  }

  it('accepts only an active staff member of the case’s team (400 for unknown, other-team, inactive)', async () => {
    const team = uniqueTeam();
    const other = uniqueTeam();
    const owner = await hire(h.database.db, uid('agent'), team);
    const outsider = await hire(h.database.db, uid('agent'), other);
    const retired = await hire(h.database.db, uid('agent'), team, { active: false });
    const colleague = await hire(h.database.db, uid('agent'), team);
    const id = await openClaim(team, owner);
    const supervisor = tokenFor('supervisor', team);
    const assign = (assignee: string) =>
      h.api.request('POST', `/api/v1/cases/${id}/assign`, { token: supervisor, body: { assignee } });

    for (const [assignee, message] of [
      [uid('nobody'), /no one in the staff directory/],
      [outsider, /another team/],
      [retired, /no longer active/],
    ] as const) {
      const refused = await assign(assignee);
      expect(refused.status, refused.text).toBe(400);
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(refused.body.errors).toEqual([{ path: 'assignee', message: expect.stringMatching(message) }]);
    }
    const timeline = await h.api.request('GET', `/api/v1/cases/${id}/timeline`, { token: supervisor });
    expect(timeline.body.items.map((e: { kind: string }) => e.kind)).not.toContain('case.assigned');

    const assigned = await assign(colleague);
    expect(assigned.status, assigned.text).toBe(200);
    expect(assigned.body.assignee).toBe(colleague);
    await eventually(async () =>
      expect((await listAssignments(h.database.db, id)).map((a) => a.assignee)).toEqual([owner, colleague]),
    );
  });

  it('counts a reassigned case in the figures of both agents who handled it, not only the current assignee', async () => {
    const team = uniqueTeam();
    const first = await hire(h.database.db, uid('agent'), team);
    const second = await hire(h.database.db, uid('agent'), team);
    const bystander = await hire(h.database.db, uid('agent'), team);
    const id = await openClaim(team, first);
    const assigned = await h.api.request('POST', `/api/v1/cases/${id}/assign`, {
      token: tokenFor('supervisor', team),
      body: { assignee: second },
    });
    expect(assigned.status, assigned.text).toBe(200);

    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 86_400_000).toISOString();
    const opened = async (agent: string) => {
      const res = await h.api.request('GET', `/api/v1/reports/kpis?from=${from}&to=${to}&team=${team}&agent=${agent}`, {
        token: tokenFor('manager'),
      });
      expect(res.status, res.text).toBe(200);
      return res.body.kpis.find((k: { key: string }) => k.key === 'complaint_rate').denominator as number;
    };
    await eventually(async () => expect(await opened(second)).toBe(1));
    expect(await opened(first)).toBe(1);
    expect(await opened(bystander)).toBe(0);
    const current = await h.api.request('GET', `/api/v1/cases?team=${team}&assignee=${first}`, {
      token: tokenFor('manager'),
    });
    expect(current.body.items).toEqual([]);
  });
});
