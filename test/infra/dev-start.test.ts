/**
 * `npm start` (scripts/dev.ts) as a user meets it: with one of its ports taken it starts nothing,
 * names the port and the variable that moves it and exits non-zero; SIGTERM to the npm process
 * itself (a process manager, an IDE's stop button) stops every process it started.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { freePort, freshDatabase } from '../../scripts/console-stack';
import { appendRunLog } from '../support/run-log';

const ROOT = path.resolve(__dirname, '../..');
const started: ChildProcess[] = [];
const dataDirs: string[] = [];

afterAll(() => {
  for (const child of started) killGroup(child);
  for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function killGroup(child: ChildProcess): void {
  try {
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // the group has ended
  }
}

/** A process group is empty once signal 0 to it fails. */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function holdPort(): Promise<{ port: number; release(): Promise<void> }> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    release: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

interface Run {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

/** `npm start` in its own process group, so the test can tell whether anything of it outlives it. */
function npmStart(env: Record<string, string>): Run {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'motordesk-start-'));
  dataDirs.push(dataDir);
  const child = spawn('npm', ['start', '--silent'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      MOTORDESK_DATA_DIR: dataDir,
      ...(inject('workflowBundlePath') ? { WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath') } : {}),
      ...env,
    },
  });
  started.push(child);
  const chunks: string[] = [];
  child.stdout?.on('data', (c: Buffer) => chunks.push(c.toString()));
  child.stderr?.on('data', (c: Buffer) => chunks.push(c.toString()));
  const exit = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      // What npm start printed joins the run's logs (the personal-data scan reads them after the run).
      appendRunLog(`npm-start-${process.pid}.log`, chunks.join(''));
      resolve(code);
    }),
  );
  return { child, output: () => chunks.join(''), exit };
}

async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function ports(): Promise<Record<string, string>> {
  const [api, temporal, ui] = [await freePort(), await freePort(), await freePort()];
  return { PORT: String(api), TEMPORAL_PORT: String(temporal), TEMPORAL_UI_PORT: String(ui) };
}

describe('npm start', () => {
  for (const variable of ['TEMPORAL_PORT', 'PORT', 'TEMPORAL_UI_PORT'] as const) {
    it(`with the port of ${variable} taken, names it and the variable, starts nothing and exits non-zero`, async () => {
      const held = await holdPort();
      try {
        const run = npmStart({
          ...(await ports()),
          [variable]: String(held.port),
          DATABASE_URL: inject('databaseUrl'),
        });
        const code = await within(run.exit, 60_000, 'npm start did not exit');
        expect(code, run.output()).not.toBe(0);
        expect(run.output()).toContain(`port ${held.port}`);
        expect(run.output()).toContain(`set ${variable} to another port`);
        expect(run.output()).not.toContain('ready in');
        expect(run.output()).not.toContain('temporal dev server up');
        await within(
          (async () => {
            while (groupAlive(run.child.pid!)) await new Promise((r) => setTimeout(r, 100));
          })(),
          10_000,
          'a process of the refused start outlived it',
        );
      } finally {
        await held.release();
      }
    });
  }

  it('stops every process it started when the npm process itself gets SIGTERM', async () => {
    const databaseUrl = await freshDatabase(inject('databaseUrl'), '_devstart');
    const env = await ports();
    const run = npmStart({ ...env, DATABASE_URL: databaseUrl });
    await within(
      (async () => {
        while (!run.output().includes('ready in')) {
          if (run.child.exitCode !== null) throw new Error(`npm start exited:\n${run.output()}`);
          await new Promise((r) => setTimeout(r, 200));
        }
      })(),
      120_000,
      'npm start was not ready',
    );
    process.kill(run.child.pid!, 'SIGTERM'); // the npm process only, not its group
    await within(run.exit, 30_000, 'npm did not exit on SIGTERM');
    await within(
      (async () => {
        while (groupAlive(run.child.pid!)) await new Promise((r) => setTimeout(r, 200));
      })(),
      30_000,
      `a process npm start started outlived SIGTERM:\n${run.output()}`,
    );
    for (const port of Object.values(env)) expect(await canBind(Number(port)), `port ${port} free again`).toBe(true);
  });
});
