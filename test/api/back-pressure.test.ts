/**
 * Back-pressure instead of a hidden backlog (issue 10): while the oldest workflow task on the cases'
 * queue has waited past BACKPRESSURE_MAX_BACKLOG_AGE_MS, an opening answers 503 with Retry-After and
 * reserves nothing; when the workers keep up, openings go through. The watched queue here is one of
 * this file's own, so its backlog is made on purpose: workflows started on it with no worker polling.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { workerBacklogWatch } from '../../api/back-pressure';
import { tokenFor, uniqueTeam } from '../support/auth';
import { testConfig } from '../support/config';
import { claimReport } from '../support/fixtures';
import { startApiHarness, type ApiHarness } from '../support/harness';
import { listen, type TestServer } from '../support/http';
import { captureLogger } from '../support/logger';

const BOUND_MS = 1_000;
let h: ApiHarness;
let behind: TestServer;
let keepingUp: TestServer;
const behindQueue = `back-pressure-${randomUUID()}`;

function appWatching(taskQueue: string) {
  const { logger } = captureLogger();
  return createApp({
    temporal: h.env.client,
    db: h.database.db,
    config: testConfig(),
    logger,
    rateLimit: false,
    backPressure: workerBacklogWatch({
      temporal: h.env.client,
      namespace: 'default',
      taskQueue,
      maxBacklogAgeMs: BOUND_MS,
      logger,
    }),
  });
}

beforeAll(async () => {
  h = await startApiHarness();
  behind = await listen(appWatching(behindQueue));
  keepingUp = await listen(appWatching(`back-pressure-idle-${randomUUID()}`));
  // A backlog nobody works off: three workflow tasks wait on a queue no worker polls.
  for (let i = 0; i < 3; i++)
    await h.env.client.workflow.start('noSuchWorkflow', { taskQueue: behindQueue, workflowId: `${behindQueue}-${i}` });
});
afterAll(async () => {
  for (let i = 0; i < 3; i++)
    await h.env.client.workflow
      .getHandle(`${behindQueue}-${i}`)
      .terminate('test over')
      .catch(() => undefined);
  await behind?.close();
  await keepingUp?.close();
  await h?.close();
});

/** Asks until the watch has read the backlog past the bound (readings are taken in the background). */
async function openUntilRefused(server: TestServer, token: string) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const res = await server.request('POST', '/api/v1/claims', { token, body: claimReport() });
    if (res.status !== 201 || Date.now() > deadline) return res;
    await new Promise((r) => setTimeout(r, 300));
  }
}

describe('openings while the workers are behind', () => {
  it('answer 503 overloaded with Retry-After, and reserve nothing', async () => {
    const team = uniqueTeam();
    const token = tokenFor('agent', team, `agent-${team}`);
    const refused = await openUntilRefused(behind, token);
    expect(refused.status, refused.text).toBe(503);
    expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(refused.body.type).toMatch(/overloaded$/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    // Every case this team has is one opened before the watch first read the backlog: the refusal added none.
    const before = await h.database.db.selectFrom('cases').select('id').where('team', '=', team).execute();
    const again = await behind.request('POST', '/api/v1/claims', { token, body: claimReport() });
    expect(again.status).toBe(503);
    const after = await h.database.db.selectFrom('cases').select('id').where('team', '=', team).execute();
    expect(after).toEqual(before);
    const metrics = await behind.request('GET', '/metrics');
    expect(metrics.text).toMatch(/motordesk_openings_refused_overloaded_total\{type="claim"\} [1-9]/);
  });

  it('go through when the watched queue has no backlog, and actions on open cases are never refused', async () => {
    const team = uniqueTeam();
    const token = tokenFor('agent', team, `agent-${team}`);
    for (let i = 0; i < 3; i++) {
      const res = await keepingUp.request('POST', '/api/v1/claims', { token, body: claimReport() });
      expect(res.status, res.text).toBe(201);
      await new Promise((r) => setTimeout(r, 400));
    }
    const opened = await h.api.request('POST', '/api/v1/claims', { token, body: claimReport() });
    expect(opened.status, opened.text).toBe(201);
    const note = await behind.request('POST', `/api/v1/cases/${opened.body.id}/notes`, {
      token,
      body: { text: '回访' },
    });
    expect(note.status, note.text).toBeLessThan(300);
  });
});
