/**
 * motordesk as production runs it, for a drill: the API and the worker as separate processes
 * (`api/server.ts`, `worker.ts`) against a Temporal address and a PostgreSQL URL the drill owns, each
 * of them killable and restartable on its own.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { signToken } from '../../../api/auth';
import { openDatabase, type OpenedDatabase } from '../../../db/connection';
import { migrateToLatest } from '../../../db/migrate';
import type { Role } from '../../../domain/case';
import { freePort } from './ports';
import { type Service, sleep, tsxService } from './service';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const DRILL_JWT_SECRET = 'motordesk-drill-secret-0123456789';
/** The drill's processes run in production mode, which seals Temporal payloads with a configured key. */
const DRILL_PAYLOAD_KEYS = `drill:${Buffer.alloc(32, 7).toString('base64')}`;

export function drillLogDir(drill: string): string {
  const dir = path.join(os.tmpdir(), `motordesk-drill-${drill}-${Date.now()}`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * A fresh database on the machine's PostgreSQL named after DATABASE_URL's (so checkouts side by side
 * do not share one): `<name>_drill_<drill>`, dropped and created again, then migrated.
 */
export async function freshDrillDatabase(drill: string): Promise<string> {
  const base = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/motordesk_test');
  const name = `${decodeURIComponent(base.pathname.slice(1)) || 'motordesk_test'}_drill_${drill}`;
  const url = new URL(base);
  url.pathname = `/${name}`;
  const maintenance = new URL(base);
  maintenance.pathname = '/postgres';
  const client = new pg.Client({ connectionString: maintenance.toString() });
  await client.connect();
  try {
    await client.query(`drop database if exists ${client.escapeIdentifier(name)} with (force)`);
    await client.query(`create database ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  await migrate(url.toString());
  return url.toString();
}

export async function migrate(databaseUrl: string): Promise<void> {
  const database = await openDatabase({ databaseUrl, dataDir: os.tmpdir(), max: 1 });
  try {
    await migrateToLatest(database.db);
  } finally {
    await database.close();
  }
}

export interface Stack {
  url: string;
  api: Service;
  worker: Service;
  /** The drill's own connection to the read model, for the checks. */
  database: OpenedDatabase;
  token(role: Role, team?: string): string;
  startWorker(): Promise<void>;
  close(): Promise<void>;
}

export interface StackOptions {
  logDir: string;
  temporalAddress: string;
  databaseUrl: string;
  workflowBundlePath: string;
  /** MOTORDESK_POLICIES and the like. */
  env?: Record<string, string>;
}

export async function startStack(opts: StackOptions): Promise<Stack> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'motordesk-drill-data-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: opts.databaseUrl,
    TEMPORAL_ADDRESS: opts.temporalAddress,
    TEMPORAL_NAMESPACE: 'default',
    JWT_SECRET: DRILL_JWT_SECRET,
    MOTORDESK_SEARCH_KEY: 'motordesk-drill-search-key',
    PAYLOAD_KEYS: DRILL_PAYLOAD_KEYS,
    LOG_LEVEL: 'info',
    RATE_LIMIT_PER_MINUTE: '0',
    WORKFLOW_BUNDLE_PATH: opts.workflowBundlePath,
    MOTORDESK_DATA_DIR: dataDir,
    ...opts.env,
  };
  const api = tsxService('api', 'api/server.ts', env, opts.logDir, ROOT);
  const worker = tsxService('worker', 'worker.ts', env, opts.logDir, ROOT);
  const database = await openDatabase({ databaseUrl: opts.databaseUrl, dataDir, max: 4, onIdleError: () => undefined });
  const startWorker = async () => {
    worker.start();
    await worker.waitFor(/"msg":"worker running"/, 120_000);
  };
  api.start();
  await api.waitFor(/"msg":"api listening"/, 60_000);
  await startWorker();
  return {
    url: `http://127.0.0.1:${port}`,
    api,
    worker,
    database,
    token: (role, team) =>
      signToken(team ? { sub: `drill-${role}`, role, team } : { sub: `drill-${role}`, role }, DRILL_JWT_SECRET, '2h'),
    startWorker,
    async close() {
      await Promise.all([api.stop(), worker.stop()]);
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
  ms: number;
  /** A network failure (connection refused or reset) instead of an answer. */
  error?: string;
}

/** One request, never throwing: a refused connection is an answer of status 0. */
export async function call(
  base: string,
  method: string,
  url: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Answer> {
  const started = Date.now();
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  try {
    const res = await fetch(`${base}${url}`, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 60_000),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, headers: res.headers, body, ms: Date.now() - started };
  } catch (err) {
    return { status: 0, headers: new Headers(), body: undefined, ms: Date.now() - started, error: String(err) };
  }
}

/** Waits until `check` holds, polling; bounded. */
export async function until(check: () => Promise<boolean>, timeoutMs: number, everyMs = 250): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(everyMs);
  }
  return check();
}
