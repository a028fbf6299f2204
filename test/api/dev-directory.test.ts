/**
 * The directory `npm start` seeds and the dev sign-in that lists it: seeding twice adds nobody and
 * keeps an admin's edit, the sign-in lists active members only and signs a token the API accepts.
 */
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getStaffMember, saveStaffMember } from '../../db/repositories/staff';
import { SEEDED_DIRECTORY, seedDirectory } from '../../scripts/dev-directory';
import { devSignInRouter, directorySignInList } from '../../scripts/dev-sign-in';
import { TEST_JWT_SECRET } from '../support/config';
import { startApiHarness, type ApiHarness } from '../support/harness';
import { listen, type TestServer } from '../support/http';

let h: ApiHarness;
let dev: TestServer;
beforeAll(async () => {
  h = await startApiHarness({ worker: false });
  dev = await listen(
    express().use(
      '/dev',
      devSignInRouter(TEST_JWT_SECRET, () => directorySignInList(h.database.db)),
    ),
  );
});
afterAll(async () => {
  await dev?.close();
  await h?.close();
});

describe('the seeded directory', () => {
  it('has two teams with agents and supervisors, a manager, HR and an admin', () => {
    const roles = SEEDED_DIRECTORY.map((s) => `${s.role}@${s.team ?? '-'}`);
    for (const team of ['east', 'renewals'])
      expect(roles).toEqual(expect.arrayContaining([`agent@${team}`, `supervisor@${team}`]));
    expect(roles).toEqual(expect.arrayContaining(['manager@-', 'hr@-', 'admin@-']));
  });

  it('is seeded idempotently, keeps an edit, and the dev sign-in lists active members and signs usable tokens', async () => {
    await seedDirectory(h.database.db);
    expect(await seedDirectory(h.database.db)).toBe(0);
    const sun = SEEDED_DIRECTORY.find((s) => s.id === 'agent-sun')!;
    await saveStaffMember(h.database.db, 'agent-sun', { ...sun, active: false }, 'admin-chen');
    expect(await seedDirectory(h.database.db)).toBe(0);
    expect((await getStaffMember(h.database.db, 'agent-sun'))?.active).toBe(false);

    const listed = await dev.request('GET', '/dev/staff');
    const ids = listed.body.items.map((s: { id: string }) => s.id);
    expect(ids).toEqual(expect.arrayContaining(['agent-li', 'hr-liu', 'admin-chen']));
    expect(ids).not.toContain('agent-sun');
    expect((await dev.request('POST', '/dev/sign-in', { body: { staffId: 'agent-sun' } })).status).toBe(400);

    const hr = await dev.request('POST', '/dev/sign-in', { body: { staffId: 'hr-liu' } });
    expect(hr.status).toBe(200);
    const staff = await h.api.request('GET', '/api/v1/staff?team=east', { token: hr.body.token });
    expect(staff.status, staff.text).toBe(200);
    expect((await h.api.request('GET', '/api/v1/cases', { token: hr.body.token })).status).toBe(403);
    await saveStaffMember(h.database.db, 'agent-sun', sun, 'admin-chen');
  });
});
