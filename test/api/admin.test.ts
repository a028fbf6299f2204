/**
 * Administration through the API: deadline policy overrides (validated, audited, applied to clocks
 * started afterwards) and the official holiday calendar of a year.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCalendarYears } from '../../db/repositories/calendar';
import { deleteDeadlinePolicyOverride } from '../../db/repositories/deadline-policies';
import { WorkCalendar } from '../../domain/calendar';
import { tokenFor, uniqueTeam } from '../support/auth';
import { claimReport } from '../support/fixtures';
import { HOLIDAY_CN } from '../support/holiday-cn';
import { startApiHarness, type ApiHarness } from '../support/harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(async () => {
  await h?.close();
});

const admin = () => tokenFor('admin', undefined, 'admin-ops');

describe('deadline policies', () => {
  it('lists every clock policy with its basis and where its value comes from', async () => {
    const res = await h.api.request('GET', '/api/v1/admin/deadline-policies', { token: admin() });
    expect(res.status).toBe(200);
    const verification = res.body.items.find((p: { name: string }) => p.name === 'claim.verification.compulsory');
    expect(verification).toMatchObject({
      kind: 'statutory',
      mode: 'calendar_days',
      duration: 'P5D',
      basis: expect.stringContaining('交强险'),
    });
    expect(['default', 'file', 'admin']).toContain(verification.source);
  });

  it('refuses an unknown policy (404), an invalid override (400) and non-admins (403)', async () => {
    const unknown = await h.api.request('PUT', '/api/v1/admin/deadline-policies/claim.nonsense', {
      token: admin(),
      body: { duration: 'P1D', mode: 'calendar_days' },
    });
    expect(unknown.status).toBe(404);
    const invalid = await h.api.request('PUT', '/api/v1/admin/deadline-policies/claim.firstContact', {
      token: admin(),
      body: { duration: 'thirty minutes', mode: 'fast', colour: 'red' },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['colour', 'duration', 'mode']);
    const manager = await h.api.request('PUT', '/api/v1/admin/deadline-policies/claim.firstContact', {
      token: tokenFor('manager'),
      body: { duration: 'PT45M', mode: 'elapsed' },
    });
    expect(manager.status).toBe(403);
  });

  it('applies an override to clocks started afterwards and writes the audit log', async () => {
    try {
      // Longer than the default 30 minutes, so claims of other test files running now are unaffected in what they check.
      const put = await h.api.request('PUT', '/api/v1/admin/deadline-policies/claim.firstContact', {
        token: admin(),
        body: { duration: 'PT45M', mode: 'elapsed' },
      });
      expect(put.status, put.text).toBe(200);
      expect(put.body).toMatchObject({
        name: 'claim.firstContact',
        duration: 'PT45M',
        mode: 'elapsed',
        source: 'admin',
      });

      const team = uniqueTeam();
      const created = await h.api.request('POST', '/api/v1/claims', {
        token: tokenFor('agent', team),
        body: claimReport(),
      });
      expect(created.status, created.text).toBe(201);
      const firstContact = created.body.clocks.find((c: { policy: string }) => c.policy === 'claim.firstContact');
      expect(Date.parse(firstContact.dueAt) - Date.parse(firstContact.startedAt)).toBe(45 * 60 * 1000);

      const audit = await h.database.db
        .selectFrom('audit_log')
        .selectAll()
        .where('target', '=', 'claim.firstContact')
        .orderBy('id', 'desc')
        .executeTakeFirst();
      expect(audit).toMatchObject({
        actor: 'admin-ops',
        action: 'deadline_policy.override',
        detail: { after: { duration: 'PT45M', mode: 'elapsed' } },
      });
    } finally {
      await deleteDeadlinePolicyOverride(h.database.db, 'claim.firstContact');
    }
  });
});

describe('holiday calendar', () => {
  const YEAR = 2099;

  it('saves a valid year with an audit row, and lists each problem of an invalid one by path', async () => {
    try {
      const days = [
        { date: `${YEAR}-01-01`, name: '元旦', isOffDay: true },
        { date: `${YEAR}-01-04`, name: '元旦', isOffDay: false },
      ];
      const saved = await h.api.request('PUT', `/api/v1/admin/calendar/${YEAR}`, { token: admin(), body: days });
      expect(saved.status, saved.text).toBe(200);
      expect(saved.body).toMatchObject({ year: YEAR, days: 2, offDays: 1, workdays: 1 });
      const row = await h.database.db
        .selectFrom('calendar_years')
        .selectAll()
        .where('year', '=', YEAR)
        .executeTakeFirstOrThrow();
      expect(row.days).toEqual(days);
      expect(row.updated_by).toBe('admin-ops');

      const invalid = await h.api.request('PUT', `/api/v1/admin/calendar/${YEAR}`, {
        token: admin(),
        body: [
          { date: `${YEAR}-01-01`, name: '元旦', isOffDay: true },
          { date: '2098-12-31', name: '除夕', isOffDay: true },
          { date: `${YEAR}-02-30`, name: '春节', isOffDay: true },
        ],
      });
      expect(invalid.status).toBe(400);
      expect(invalid.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['[2].date']));

      const badYear = await h.api.request('PUT', '/api/v1/admin/calendar/20x9', { token: admin(), body: days });
      expect(badYear.status).toBe(400);
      expect(badYear.body.errors).toEqual([{ path: 'year', message: expect.any(String) }]);
    } finally {
      await h.database.db.deleteFrom('calendar_years').where('year', '=', YEAR).execute();
    }
  });

  it('takes holiday-cn files whose 元旦 block starts in December of the year before, those days counting in that year', async () => {
    try {
      for (const year of [2008, 2019, 2023] as const) {
        const saved = await h.api.request('PUT', `/api/v1/admin/calendar/${year}`, {
          token: admin(),
          body: HOLIDAY_CN[year],
        });
        expect(saved.status, saved.text).toBe(200);
        expect(saved.body).toMatchObject({ year, days: HOLIDAY_CN[year].length });
      }
      const row = await h.database.db
        .selectFrom('calendar_years')
        .select('days')
        .where('year', '=', 2019)
        .executeTakeFirstOrThrow();
      expect(row.days).toEqual(HOLIDAY_CN[2019]);
      // The calendar the activities build from the saved years puts those days in the year before.
      const calendar = new WorkCalendar(await listCalendarYears(h.database.db));
      expect(calendar.day('2018-12-29')).toMatchObject({ working: true, name: '元旦', source: 'override' });
      expect(calendar.day('2018-12-31')).toMatchObject({ working: false, source: 'override' });
      expect(calendar.day('2022-12-31')).toMatchObject({ working: false, name: '元旦', source: 'override' });
      expect(calendar.day('2007-12-29')).toMatchObject({ working: true, source: 'override' });

      const november = await h.api.request('PUT', '/api/v1/admin/calendar/2019', {
        token: admin(),
        body: [{ date: '2018-11-30', name: '元旦', isOffDay: true }],
      });
      expect(november.status).toBe(400);
      expect(november.body.errors).toEqual([
        { path: '[0].date', message: '2018-11-30 is neither in 2019 nor in December 2018' },
      ]);
    } finally {
      await h.database.db.deleteFrom('calendar_years').where('year', 'in', [2008, 2019, 2023]).execute();
    }
  });
});
