/**
 * The system as a user starts it: `npm start` (scripts/dev.ts) in a child process with its own
 * embedded Temporal dev server, a fresh PostgreSQL database of its own, free ports, the shared
 * workflow bundle and a policy file with second-scale clocks. Nothing is shared with the API tests
 * running beside it (their workers poll another Temporal server), so fast clocks stay ours.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { testDatabaseUrl, testWorkflowBundlePath } from '../../support/env';
import { ensureConsoleBuilt } from './build';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const READY_TIMEOUT_MS = 120_000;

export interface ConsoleStack {
  /** The console URL `npm start` printed. */
  consoleUrl: string;
  databaseUrl: string;
  /** Everything the launcher printed (for failure messages). */
  output: string[];
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** `<test database>_browser`, dropped and created anew: every run starts from an empty desk. */
async function freshDatabase(): Promise<string> {
  const url = new URL(testDatabaseUrl());
  const name = `${url.pathname.slice(1)}_browser`;
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  url.pathname = `/${name}`;
  return url.toString();
}

export async function startConsoleStack(policies: Record<string, unknown>): Promise<ConsoleStack> {
  ensureConsoleBuilt();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'motordesk-browser-'));
  const policyFile = path.join(dataDir, 'policies.json');
  fs.writeFileSync(policyFile, JSON.stringify(policies));
  const [databaseUrl, port, temporalPort, uiPort] = await Promise.all([
    freshDatabase(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'development',
    PORT: String(port),
    HOST: '127.0.0.1',
    TEMPORAL_PORT: String(temporalPort),
    TEMPORAL_UI_PORT: String(uiPort),
    MOTORDESK_DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    MOTORDESK_POLICIES: policyFile,
    WORKFLOW_BUNDLE_PATH: testWorkflowBundlePath(),
    LOG_LEVEL: 'warn',
  };
  // Its own process group, so stopping it also stops the Temporal server it started.
  const child = spawn(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, 'scripts', 'dev.ts')], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const consoleUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`npm start printed no console URL:\n${output.join('')}`)),
      READY_TIMEOUT_MS,
    );
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      const match = /Console\s+(http:\/\/\S+)/.exec(output.join(''));
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code}) before it was ready:\n${output.join('')}`));
    });
  });
  return {
    consoleUrl,
    databaseUrl,
    output,
    stop: () => stopGroup(child, dataDir),
  };
}

async function stopGroup(child: ChildProcess, dataDir: string): Promise<void> {
  if (child.exitCode === null && child.pid) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    process.kill(child.pid, 'SIGINT');
    const force = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 20_000);
    await exited;
    clearTimeout(force);
  }
  // The Temporal server is in the same group: make sure nothing of ours outlives the test.
  try {
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // the group has already ended
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
}
