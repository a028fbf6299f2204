/**
 * The benchmarks' world, as production runs it: a Temporal dev server of their own (in memory, a free
 * port), a fresh PostgreSQL database `motordesk_bench_<name>`, the API (`api/server.ts`) and the bench
 * worker (worker-process.ts) as separate processes in production mode (sealed payloads), so that the
 * CPU each of them spends can be read per process. 127.0.0.1 only; every wait is bounded.
 */
import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporal as proto } from '@temporalio/proto';
import pg from 'pg';
import { signToken } from '../../api/auth';
import { loadConfig } from '../../config';
import type { Role } from '../../domain/case';
import { parsePayloadKeyRing, sealedDataConverter } from '../../infra/payload-codec';
import { migrate } from '../../test/faults/support/stack';
import { freePort } from '../../test/faults/support/ports';
import { Service, sleep } from '../../test/faults/support/service';
import { devServer, type DevServer } from '../../test/faults/support/temporal';
import { workflowBundleCode } from '../bundle-workflows';
import type { WorkerStatusMessage } from './worker-process';

export const ROOT = path.resolve(__dirname, '..', '..');
const JWT_SECRET = 'motordesk-bench-secret-0123456789';
const PAYLOAD_KEYS = `bench:${Buffer.alloc(32, 9).toString('base64')}`;

/** A POST /claims body: compulsory cover, no injuries (the claim every bench opens). */
export const CLAIM_BODY = {
  policyNo: 'PDAA202611000001',
  coverage: 'compulsory',
  reporter: { name: '张伟', phone: '13812341234' },
  vehicle: { plate: '粤B12345' },
  accident: {
    occurredAt: '2026-11-25T08:30:00+08:00',
    location: '深圳市南山区',
    description: '追尾',
    injuries: false,
  },
};

/** One POST /claims; never throws (a network failure is status 0). */
export async function postClaim(stack: {
  url: string;
  agentToken: string;
}): Promise<{ status: number; ms: number; retryAfter?: number }> {
  const t = performance.now();
  try {
    const res = await fetch(`${stack.url}/api/v1/claims`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.agentToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(CLAIM_BODY),
      signal: AbortSignal.timeout(30_000),
    });
    await res.arrayBuffer();
    const retryAfter = res.headers.get('retry-after');
    return { status: res.status, ms: performance.now() - t, ...(retryAfter ? { retryAfter: Number(retryAfter) } : {}) };
  } catch {
    return { status: 0, ms: performance.now() - t };
  }
}

/** The machine's load average as /proc says it (1, 5, 15 minutes): printed beside every figure. */
export function loadAverage(): string {
  return fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

let clockTicks: number | undefined;

/** CPU time (user + system, every thread) a process has used, in ms, from /proc/<pid>/stat. */
export function cpuMsOf(pid: number): number {
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after "(comm)": state is 0, utime 11, stime 12.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
}

/** Resident set size of a process in bytes (VmRSS of /proc/<pid>/status). */
export function rssOf(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : 0;
}

/**
 * The CPU the PostgreSQL backends serving the bench database spend: their pids from pg_stat_activity
 * (this probe's own excluded), their /proc stat read every 500 ms; a backend first seen after the
 * start counts from zero. Background processes (WAL writer, checkpointer) serve every database on the
 * machine and are not counted.
 */
export class PostgresBackends {
  private readonly seen = new Map<number, { base: number; last: number }>();
  private timer: NodeJS.Timeout | undefined;
  private constructor(
    private readonly client: pg.Client,
    private readonly database: string,
  ) {}

  static async open(databaseUrl: string): Promise<PostgresBackends> {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    return new PostgresBackends(client, decodeURIComponent(new URL(databaseUrl).pathname.slice(1)));
  }

  private async pids(): Promise<number[]> {
    const { rows } = await this.client.query<{ pid: number }>(
      'select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [this.database],
    );
    return rows.map((r) => r.pid);
  }

  private async sample(first: boolean): Promise<void> {
    for (const pid of await this.pids()) {
      let ms: number;
      try {
        ms = cpuMsOf(pid);
      } catch {
        continue; // ended between the query and the read
      }
      const entry = this.seen.get(pid);
      if (entry) entry.last = ms;
      else this.seen.set(pid, { base: first ? ms : 0, last: ms });
    }
  }

  async start(): Promise<void> {
    this.seen.clear();
    await this.sample(true);
    this.timer = setInterval(() => void this.sample(false).catch(() => undefined), 500);
  }

  /** CPU ms the backends spent since start(). */
  async stop(): Promise<number> {
    clearInterval(this.timer);
    await this.sample(false);
    let total = 0;
    for (const { base, last } of this.seen.values()) total += last - base;
    return total;
  }

  close(): Promise<void> {
    clearInterval(this.timer);
    return this.client.end();
  }
}

/** Drops and creates `motordesk_bench_<name>` on the machine's PostgreSQL, then migrates it. */
export async function freshBenchDatabase(name: string): Promise<string> {
  const base = new URL(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/motordesk_bench');
  const database = `${decodeURIComponent(base.pathname.slice(1)) || 'motordesk_bench'}_${name}`;
  const maintenance = new URL(base);
  maintenance.pathname = '/postgres';
  const client = new pg.Client({ connectionString: maintenance.toString() });
  await client.connect();
  try {
    await client.query(`drop database if exists ${client.escapeIdentifier(database)} with (force)`);
    await client.query(`create database ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
  const url = new URL(base);
  url.pathname = `/${database}`;
  await migrate(url.toString());
  return url.toString();
}

export interface Bundles {
  production: string;
  productionBytes: number;
  /** Without the inline source map the SDK appends (what V8 parses as code). */
  productionCodeBytes: number;
  skeleton: string;
}

/** The production bundle (as scripts/bundle-workflows.ts builds it) and the skeleton's, under `dir`. */
export async function buildBundles(dir: string): Promise<Bundles> {
  const production = path.join(dir, 'workflow-bundle.js');
  const code = await workflowBundleCode(undefined, { quiet: true });
  fs.writeFileSync(production, code);
  const skeleton = path.join(dir, 'skeleton-bundle.js');
  fs.writeFileSync(skeleton, await workflowBundleCode(path.join(__dirname, 'skeleton-workflow.ts'), { quiet: true }));
  const map = code.lastIndexOf('//# sourceMappingURL=');
  const codeBytes = Buffer.byteLength(map >= 0 ? code.slice(0, map) : code);
  return { production, productionBytes: Buffer.byteLength(code), productionCodeBytes: codeBytes, skeleton };
}

/** The bench worker process: forked with an IPC channel for its status. */
export class WorkerProcess {
  private child: ChildProcess | undefined;
  private readonly waiting: ((status: WorkerStatusMessage) => void)[] = [];

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly logFile: string,
    /** Node options before the script (`--cpu-prof …`). */
    private readonly nodeArgs: string[] = [],
  ) {}

  get pid(): number {
    if (!this.child?.pid) throw new Error('the bench worker is not running');
    return this.child.pid;
  }

  async start(extraEnv: Record<string, string> = {}): Promise<void> {
    const log = fs.createWriteStream(this.logFile, { flags: 'a' });
    const child = fork(path.join(__dirname, 'worker-process.ts'), [], {
      cwd: ROOT,
      env: { ...this.env, ...extraEnv },
      execArgv: [...this.nodeArgs, '--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the bench worker was not ready in 120 s; see ${this.logFile}`)),
        120_000,
      );
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the bench worker exited (${code}) during start-up; see ${this.logFile}`));
      });
      child.on('message', (message: { type?: string }) => {
        if (message.type === 'ready') {
          clearTimeout(timer);
          resolve();
        } else if (message.type === 'status') this.waiting.shift()?.(message as WorkerStatusMessage);
      });
    });
  }

  /** RSS, heap, cached workflows and process.cpuUsage(), as the worker itself reports them. */
  status(): Promise<WorkerStatusMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the bench worker did not answer a status request')), 10_000);
      this.waiting.push((status) => {
        clearTimeout(timer);
        resolve(status);
      });
      this.child?.send({ type: 'status' });
    });
  }

  /** SIGTERM (the workers drain), SIGKILL after 20 s. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const force = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.kill('SIGTERM');
    await exited;
    clearTimeout(force);
    this.child = undefined;
  }
}

export interface BenchStack {
  /** `http://127.0.0.1:<port>` of the API process. */
  url: string;
  databaseUrl: string;
  temporal: DevServer;
  api: Service;
  worker: WorkerProcess;
  /** The bench's own client (same sealed converter as the API and worker). */
  client: Client;
  bundles: Bundles;
  logDir: string;
  agentToken: string;
  token(role: Role, team?: string): string;
  /** The environment the API and worker run with (production mode). */
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

export interface StackOptions {
  /** `motordesk_bench_<name>` and the log directory's name. */
  name: string;
  /** Extra environment for the API and the worker (MOTORDESK_POLICIES, WORKER_* …). */
  env?: Record<string, string>;
  /** Environment for the worker only. */
  workerEnv?: Record<string, string>;
  /** Start the worker now (default) or leave it to the caller. */
  startWorker?: boolean;
}

export async function startBenchStack(opts: StackOptions): Promise<BenchStack> {
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), `motordesk-bench-${opts.name}-`));
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn' });
  const [bundles, databaseUrl, temporal] = await Promise.all([
    buildBundles(logDir),
    freshBenchDatabase(opts.name),
    devServer({ cliPath: config.temporal.cliPath, logDir }),
  ]);
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: 'default',
    JWT_SECRET,
    MOTORDESK_SEARCH_KEY: 'motordesk-bench-search-key',
    PAYLOAD_KEYS,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '0',
    WORKFLOW_BUNDLE_PATH: bundles.production,
    MOTORDESK_DATA_DIR: logDir,
    // The worker settings under test (and the parts a decomposition leaves out) pass through from the bench's own environment.
    ...Object.fromEntries(
      Object.entries(process.env).filter(
        ([k]) => k.startsWith('WORKER_') || k.startsWith('BACKPRESSURE_') || k === 'BENCH_WITHOUT',
      ),
    ),
    ...opts.env,
  };
  // V8 CPU profiles of the API and the worker (every thread), written when they stop (not allowed in NODE_OPTIONS).
  const profile = process.env.BENCH_CPU_PROF_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF_DIR)}`]
    : [];
  const api = new Service({
    name: 'api',
    command: process.execPath,
    args: [...profile, '--import', 'tsx', 'api/server.ts'],
    env,
    logDir,
    cwd: ROOT,
  });
  const worker = new WorkerProcess(
    { ...env, BENCH_SKELETON_BUNDLE: bundles.skeleton, ...opts.workerEnv },
    path.join(logDir, 'worker.log'),
    profile,
  );
  let connection: Connection;
  try {
    await temporal.start();
    api.start();
    await untilAnswers(`http://127.0.0.1:${port}/healthz`, api);
    if (opts.startWorker !== false) await worker.start();
    connection = await Connection.connect({ address: temporal.address });
  } catch (err) {
    // Nothing the bench started outlives a failed start.
    await worker.stop();
    await api.stop();
    await temporal.stop();
    throw err;
  }
  const client = new Client({
    connection,
    namespace: 'default',
    dataConverter: sealedDataConverter(parsePayloadKeyRing(PAYLOAD_KEYS)),
  });
  return {
    url: `http://127.0.0.1:${port}`,
    databaseUrl,
    temporal,
    api,
    worker,
    client,
    bundles,
    logDir,
    agentToken: signToken({ sub: 'bench-agent', role: 'agent', team: 'bench' }, JWT_SECRET, '4h'),
    token: (role, team) =>
      signToken(team ? { sub: `bench-${role}`, role, team } : { sub: `bench-${role}`, role }, JWT_SECRET, '4h'),
    env,
    async close() {
      await worker.stop();
      await api.stop();
      await connection.close();
      await temporal.stop();
    },
  };
}

/** The API logs at warn (as the bench measures it): its readiness is read from /healthz. */
async function untilAnswers(url: string, api: Service): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (!api.running) throw new Error(`the API exited during start-up; see ${api.logFile}`);
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await sleep(250);
  }
  throw new Error(`the API did not answer ${url} within 60 s; see ${api.logFile}`);
}

/**
 * A workflow's history by event type (markers by name, `MARKER core_local_activity`): each type's
 * count, and its events' encoded bytes (what the server stores and sends).
 */
export interface HistoryShape {
  events: Map<string, number>;
  bytes: Map<string, number>;
}

export async function historyShape(client: Client, workflowId: string): Promise<HistoryShape> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const events = new Map<string, number>();
  const bytes = new Map<string, number>();
  for (const event of history.events ?? []) {
    let name = (proto.api.enums.v1.EventType[event.eventType ?? 0] ?? 'UNKNOWN').replace(/^EVENT_TYPE_/, '');
    if (event.markerRecordedEventAttributes?.markerName)
      name = `MARKER ${event.markerRecordedEventAttributes.markerName}`;
    events.set(name, (events.get(name) ?? 0) + 1);
    const size = proto.api.history.v1.HistoryEvent.encode(event).finish().length;
    bytes.set(name, (bytes.get(name) ?? 0) + size);
  }
  return { events, bytes };
}

export function formatShape({ events, bytes }: HistoryShape): string {
  const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  const each = [...events.entries()].map(([k, v]) => `${k} ${v} (${bytes.get(k) ?? 0} B)`);
  return `${sum(events)} events, ${sum(bytes)} bytes: ${each.join(', ')}`;
}

/** Percentile of an ascending sorted list (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export { sleep };
