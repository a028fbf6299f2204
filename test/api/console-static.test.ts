/**
 * The console served by the API itself: `/` is the built index.html (always revalidated), hashed
 * assets are cached for good, and the calendar years an admin page lists come from GET /admin/calendar.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenFor } from '../support/auth';
import { startApiHarness, type ApiHarness } from '../support/harness';

let h: ApiHarness;
let h404: ApiHarness;
const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'motordesk-console-'));

beforeAll(async () => {
  fs.mkdirSync(path.join(dist, 'assets'));
  fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>console</title>');
  fs.writeFileSync(path.join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
  [h, h404] = await Promise.all([
    startApiHarness({ worker: false, app: { consoleDir: dist } }),
    startApiHarness({ worker: false, app: { consoleDir: path.join(dist, 'missing') } }),
  ]);
});
afterAll(async () => {
  await Promise.all([h?.close(), h404?.close()]);
  fs.rmSync(dist, { recursive: true, force: true });
});

describe('the console at /', () => {
  it('serves the built index.html at / without caching it, and hashed assets as immutable', async () => {
    const index = await h.api.request('GET', '/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/text\/html/);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.text).toContain('<title>console</title>');
    const asset = await h.api.request('GET', '/assets/index-abc123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);
    // The API and its problems are untouched by the static files.
    const missing = await h.api.request('GET', '/assets/nothing.js');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it('says how to build the console when web/dist is missing', async () => {
    const res = await h404.api.request('GET', '/');
    expect(res.status).toBe(404);
    expect(res.text).toContain('npm run build:web');
  });
});

describe('GET /admin/calendar', () => {
  it('lists the years with official data and marks the years ahead without it as provisional', async () => {
    const res = await h.api.request('GET', '/api/v1/admin/calendar', { token: tokenFor('admin') });
    expect(res.status, res.text).toBe(200);
    const byYear = new Map(
      (res.body.items as { year: number; source: string; provisional: boolean }[]).map((y) => [y.year, y]),
    );
    expect(byYear.get(2026)).toMatchObject({ provisional: false });
    const thisYear = new Date().getFullYear();
    for (const year of [thisYear + 1, thisYear + 2]) expect(byYear.has(year)).toBe(true);
    expect(
      [...byYear.values()].filter((y) => y.provisional).every((y) => y.source === 'provisional' && y.year >= thisYear),
    ).toBe(true);
    expect((await h.api.request('GET', '/api/v1/admin/calendar', { token: tokenFor('manager') })).status).toBe(403);
  });
});
