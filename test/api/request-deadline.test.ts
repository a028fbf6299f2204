/**
 * A request that waits on Temporal waits a bounded time: past REQUEST_TIMEOUT_MS it answers 503
 * with Retry-After (the case may still be opening), and the client's retry with the same
 * Idempotency-Key joins that case instead of opening a second one, and an action's retry joins the
 * first action's Update (its id comes from the key) instead of applying it twice.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { caseNumberForKey } from '../../api/case-number';
import { tokenFor, uniqueTeam } from '../support/auth';
import { testConfig } from '../support/config';
import { testDatabaseUrl } from '../support/env';
import { claimReport } from '../support/fixtures';
import { startApiHarness, type ApiHarness } from '../support/harness';
import { listen, type TestServer } from '../support/http';
import { captureLogger } from '../support/logger';

let h: ApiHarness;
let impatient: TestServer;
const now = new Date();

beforeAll(async () => {
  h = await startApiHarness({ app: { now: () => now } });
  impatient = await listen(
    createApp({
      temporal: h.env.client,
      db: h.database.db,
      config: testConfig({ REQUEST_TIMEOUT_MS: '1000' }),
      logger: captureLogger().logger,
      rateLimit: false,
      now: () => now,
    }),
  );
});
afterAll(async () => {
  await impatient?.close();
  await h?.close();
});

describe('requests that wait on Temporal', () => {
  it('answer 503 with Retry-After once the deadline passes, and the retry with the same key joins the case', async () => {
    const sub = `agent-${uniqueTeam()}`;
    const team = uniqueTeam();
    const token = tokenFor('agent', team, sub);
    const key = `deadline-${uniqueTeam()}`;
    const claimNo = caseNumberForKey('claim', now, sub, key);
    const body = claimReport();

    // Hold the case's first projection: an uncommitted row with its number makes the workflow's
    // insert wait, so the opening Update cannot complete while this transaction is open.
    const holder = new pg.Client({ connectionString: testDatabaseUrl() });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query(
        `insert into cases (id, type, status, team, version, created_at, updated_at) values ($1, 'claim', 'held', $2, 0, now(), now())`,
        [claimNo, team],
      );
      const started = Date.now();
      const first = await impatient.request('POST', '/api/v1/claims', {
        token,
        body,
        headers: { 'idempotency-key': key },
      });
      expect(first.status, first.text).toBe(503);
      expect(first.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await holder.query('rollback');
      await holder.end();
    }

    const retry = await h.api.request('POST', '/api/v1/claims', { token, body, headers: { 'idempotency-key': key } });
    expect(retry.status, retry.text).toBe(201);
    expect(retry.body.id).toBe(claimNo);
    const cases = await h.database.db.selectFrom('cases').select('id').where('team', '=', team).execute();
    expect(cases.map((c) => c.id)).toEqual([claimNo]);
  });

  it('a note answered 503 after its Update was applied is there once after the retry with the same key', async () => {
    const team = uniqueTeam();
    const token = tokenFor('agent', team, `agent-${team}`);
    const opened = await h.api.request('POST', '/api/v1/claims', { token, body: claimReport() });
    expect(opened.status, opened.text).toBe(201);
    const id: string = opened.body.id;
    const key = `note-${team}`;
    const note = { text: '客户来电补充：事故现场有行车记录仪视频' };

    // Hold the note's projection: the case row locked, the workflow's upsert waits behind it.
    const holder = new pg.Client({ connectionString: testDatabaseUrl() });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('select id from cases where id = $1 for update', [id]);
      const first = await impatient.request('POST', `/api/v1/cases/${id}/notes`, {
        token,
        body: note,
        headers: { 'idempotency-key': key },
      });
      expect(first.status, first.text).toBe(503);
    } finally {
      await holder.query('rollback');
      await holder.end();
    }

    const retry = await h.api.request('POST', `/api/v1/cases/${id}/notes`, {
      token,
      body: note,
      headers: { 'idempotency-key': key },
    });
    expect(retry.status, retry.text).toBe(200);
    const notes = await h.database.db
      .selectFrom('timeline_events')
      .select('detail')
      .where('case_id', '=', id)
      .where('kind', '=', 'note.added')
      .execute();
    expect(notes).toHaveLength(1);
  });
});
