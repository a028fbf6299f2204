/**
 * POST /quality-reviews through the real API: supervisors and above only, a case of the reviewer's
 * scope, a staff member who handled it by the assignment history (also after a reassignment), eight
 * items each 0..5, every refusal a problem+json naming the field.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAssignments } from '../../db/repositories/staff';
import { listQualityReviews } from '../../db/repositories/quality-reviews';
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
const checklist = {
  courtesy: 5,
  listening: 5,
  timeliness: 4,
  clarity: 4,
  accuracy: 5,
  plainLanguage: 3,
  noFillers: 4,
  patience: 2,
};

async function handledClaim(team: string) {
  const first = await hire(h.database.db, uid('agent'), team);
  const second = await hire(h.database.db, uid('agent'), team);
  const res = await h.api.request('POST', '/api/v1/claims', {
    token: tokenFor('agent', team, first),
    body: claimReport(),
  });
  expect(res.status, res.text).toBe(201);
  const id = res.body.id as string;
  const assigned = await h.api.request('POST', `/api/v1/cases/${id}/assign`, {
    token: tokenFor('supervisor', team),
    body: { assignee: second },
  });
  expect(assigned.status, assigned.text).toBe(200);
  await eventually(async () =>
    expect((await listAssignments(h.database.db, id)).map((a) => a.assignee)).toEqual([first, second]),
  );
  return { id, first, second };
}

describe('quality reviews', () => {
  it('records a supervisor’s checklist on a case the agent handled, also after it was reassigned away', async () => {
    const team = uniqueTeam();
    const { id, first } = await handledClaim(team);
    const supervisor = uid('sup');
    const res = await h.api.request('POST', '/api/v1/quality-reviews', {
      token: tokenFor('supervisor', team, supervisor),
      body: { caseId: id, staffId: first, checklist, comment: '语气平和, 略显急躁' },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({
      id: expect.stringMatching(/^QR[0-9A-F]{16}$/),
      caseId: id,
      caseType: 'claim',
      team,
      staffId: first,
      reviewer: supervisor,
      checklist,
      score: 80, // 32 of 40 points
      comment: '语气平和, 略显急躁',
      reviewedAt: expect.stringMatching(/\+08:00$/),
      period: expect.stringMatching(/^\d{4}-\d{2}$/),
    });
    const stored = await listQualityReviews(h.database.db, {
      staffId: first,
      from: new Date(Date.now() - 60_000),
      to: new Date(Date.now() + 60_000),
    });
    expect(stored.map((r) => r.id)).toEqual([res.body.id]);
    // A manager (any team) may review too.
    const byManager = await h.api.request('POST', '/api/v1/quality-reviews', {
      token: tokenFor('manager'),
      body: { caseId: id, staffId: first, checklist },
    });
    expect(byManager.status, byManager.text).toBe(201);
  });

  it('refuses agents and HR (403), another team’s or an unknown case, an unknown or uninvolved staff member (400)', async () => {
    const team = uniqueTeam();
    const { id, first } = await handledClaim(team);
    const bystander = await hire(h.database.db, uid('agent'), team);
    const post = (token: string, body: unknown) => h.api.request('POST', '/api/v1/quality-reviews', { token, body });
    expect((await post(tokenFor('agent', team, first), { caseId: id, staffId: first, checklist })).status).toBe(403);
    expect((await post(tokenFor('hr'), { caseId: id, staffId: first, checklist })).status).toBe(403);

    const own = tokenFor('supervisor', team);
    for (const [token, body, path, message] of [
      [tokenFor('supervisor', uniqueTeam()), { caseId: id, staffId: first, checklist }, 'caseId', /no case/],
      [own, { caseId: 'CL20261125XXXXXX', staffId: first, checklist }, 'caseId', /no case/],
      [own, { caseId: id, staffId: uid('nobody'), checklist }, 'staffId', /staff directory/],
      [own, { caseId: id, staffId: bystander, checklist }, 'staffId', /never handled/],
    ] as const) {
      const refused = await post(token, body);
      expect(refused.status, refused.text).toBe(400);
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(refused.body.errors).toEqual([{ path, message: expect.stringMatching(message) }]);
    }
  });

  it('wants all eight items, each an integer 0..5, and nothing else (400 naming the field)', async () => {
    const team = uniqueTeam();
    const { id, first } = await handledClaim(team);
    const own = tokenFor('supervisor', team);
    const { patience: _left, ...seven } = checklist;
    for (const [bad, path] of [
      [{ ...checklist, courtesy: 6 }, 'checklist.courtesy'],
      [{ ...checklist, listening: -1 }, 'checklist.listening'],
      [{ ...checklist, clarity: 2.5 }, 'checklist.clarity'],
      [seven, 'checklist.patience'],
    ] as const) {
      const res = await h.api.request('POST', '/api/v1/quality-reviews', {
        token: own,
        body: { caseId: id, staffId: first, checklist: bad },
      });
      expect(res.status, res.text).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    const extra = await h.api.request('POST', '/api/v1/quality-reviews', {
      token: own,
      body: { caseId: id, staffId: first, checklist: { ...checklist, smile: 5 } },
    });
    expect(extra.status).toBe(400);
  });
});
