/**
 * When a dependency is down the API says so (503 with Retry-After) instead of failing obscurely,
 * readiness reports which one, and an Idempotency-Key used during the outage is released so the
 * client's retry goes through once things are back.
 */
import net from 'node:net';
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { caseNumberForKey } from '../../api/case-number';
import { getPersonalData } from '../../db/repositories/personal-data';
import { openDatabase, type OpenedDatabase } from '../../db/connection';
import { tokenFor, uniqueTeam } from '../support/auth';
import { testConfig } from '../support/config';
import { openTestDatabase } from '../support/db';
import { testDatabaseUrl } from '../support/env';
import { claimReport } from '../support/fixtures';
import { startApiHarness, type ApiHarness } from '../support/harness';
import { listen, type TestServer } from '../support/http';
import { captureLogger } from '../support/logger';

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let healthy: ApiHarness;
let deadDb: OpenedDatabase;
let liveDb: OpenedDatabase;
let deadConnection: Connection;
let withoutDatabase: TestServer;
let withoutTemporal: TestServer;
let unmigrated: OpenedDatabase;
let broken: TestServer;
let brokenLogs: string[];

beforeAll(async () => {
  healthy = await startApiHarness();
  const config = testConfig();
  deadDb = await openDatabase({
    databaseUrl: `postgres://postgres@127.0.0.1:${await closedPort()}/motordesk_test`,
    dataDir: config.dataDir,
  });
  liveDb = await openTestDatabase();
  // Two attempts instead of the default ten: the mapping is what is tested, not the SDK's patience.
  deadConnection = Connection.lazy({
    address: `127.0.0.1:${await closedPort()}`,
    interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 2 }))],
  });
  const deadTemporal = new Client({ connection: deadConnection, namespace: 'default' });
  withoutDatabase = await listen(
    createApp({ temporal: healthy.env.client, db: deadDb.db, config, logger: captureLogger().logger }),
  );
  withoutTemporal = await listen(
    createApp({ temporal: deadTemporal, db: liveDb.db, config, logger: captureLogger().logger }),
  );
  // A database that answers but has none of our tables: every query fails in a way nobody planned for.
  const maintenance = new URL(testDatabaseUrl());
  maintenance.pathname = '/postgres';
  unmigrated = await openDatabase({ databaseUrl: maintenance.toString(), dataDir: config.dataDir });
  const captured = captureLogger();
  brokenLogs = captured.lines;
  broken = await listen(
    createApp({ temporal: healthy.env.client, db: unmigrated.db, config, logger: captured.logger }),
  );
});

afterAll(async () => {
  await withoutDatabase?.close();
  await withoutTemporal?.close();
  await broken?.close();
  await unmigrated?.close();
  await deadConnection?.close();
  await deadDb?.close();
  await liveDb?.close();
  await healthy?.close();
});

describe('when PostgreSQL is down', () => {
  it('answers reads and writes with 503 and Retry-After, naming no detail of the failure', async () => {
    const team = uniqueTeam();
    for (const [method, path, body] of [
      ['GET', '/api/v1/cases', undefined],
      ['GET', '/api/v1/claims/CL20260101ABCDEF', undefined],
      ['POST', '/api/v1/claims', claimReport()],
    ] as const) {
      const res = await withoutDatabase.request(method, path, { token: tokenFor('agent', team), body });
      expect(res.status, `${method} ${path}`).toBe(503);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(res.body.detail).toMatch(/database/);
      expect(res.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|stack/);
    }
  });

  it('is not ready, and says which dependency is down', async () => {
    const res = await withoutDatabase.request('GET', '/readyz');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).not.toBeNull();
    expect(res.body.checks).toEqual({ database: 'down', temporal: 'up' });
    expect((await withoutDatabase.request('GET', '/healthz')).status).toBe(200);
  });
});

describe('when Temporal is unreachable', () => {
  it('answers a report with 503, and a retry with the same Idempotency-Key succeeds once it is back', async () => {
    const team = uniqueTeam();
    const agent = tokenFor('agent', team, `agent-${team}`);
    const body = claimReport();
    const headers = { 'Idempotency-Key': `outage-${team}` };

    const during = await withoutTemporal.request('POST', '/api/v1/claims', { token: agent, body, headers });
    expect(during.status).toBe(503);
    expect(during.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(during.headers.get('retry-after'))).toBeGreaterThan(0);

    const after = await healthy.api.request('POST', '/api/v1/claims', { token: agent, body, headers });
    expect(after.status, after.text).toBe(201);
  });

  it('keeps no personal data of a report it could not open', async () => {
    const team = uniqueTeam();
    const sub = `agent-${team}`;
    const key = `orphan-${team}`;
    const res = await withoutTemporal.request('POST', '/api/v1/claims', {
      token: tokenFor('agent', team, sub),
      body: claimReport(),
      headers: { 'Idempotency-Key': key },
    });
    expect(res.status).toBe(503);
    expect(await getPersonalData(liveDb.db, caseNumberForKey('claim', new Date(), sub, key))).toBeUndefined();
  });

  it('is not ready', async () => {
    const res = await withoutTemporal.request('GET', '/readyz');
    expect(res.status).toBe(503);
    expect(res.body.checks).toEqual({ database: 'up', temporal: 'down' });
  });
});

describe('when something unexpected fails', () => {
  it('answers 500 with nothing but a request id, and logs the failure without its message', async () => {
    const res = await broken.request('GET', '/api/v1/cases?policyNo=PDAA20261234', { token: tokenFor('manager') });
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toEqual({
      type: '/problems/internal',
      title: 'Internal Server Error',
      status: 500,
      detail: expect.any(String),
      instance: expect.any(String),
    });
    expect(res.text).not.toMatch(/relation|cases|select/i);
    const line = brokenLogs
      .map((l) => JSON.parse(l) as { msg: string; requestId?: string })
      .find((l) => l.msg === 'unhandled error');
    expect(line?.requestId).toBe(res.body.instance);
    expect(brokenLogs.join('\n')).not.toContain('PDAA20261234');
  });
});
