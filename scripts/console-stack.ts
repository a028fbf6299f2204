/**
 * The system as a user starts it, for the browser tests and the console bench: `npm start`
 * (scripts/dev.ts) in a child process with its own embedded Temporal dev server, a database of its
 * own, free ports and a policy file (second-scale clocks in the tests). Nothing is shared with the
 * API tests running beside it (their workers poll another Temporal server), so fast clocks stay ours.
 * The console is built first when web/ has changed since the last build.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

const ROOT = path.resolve(__dirname, '..');
const WEB = path.join(ROOT, 'web');
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

/** `<base database><suffix>`, dropped and created anew: every run starts from an empty desk. */
export async function freshDatabase(baseUrl: string, suffix: string): Promise<string> {
  const url = new URL(baseUrl);
  const name = `${url.pathname.slice(1)}${suffix}`;
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

export interface ConsoleStackOptions {
  databaseUrl: string;
  policies: Record<string, unknown>;
  /** A workflow bundle already built (the test run's); otherwise the worker bundles its own. */
  workflowBundlePath?: string;
}

/**
 * Starts `npm start` on free ports; once more on other ports when it exits before it is ready. A port
 * `freePort` found free can be taken by another process starting at the same moment (the other browser
 * file's stack, a drill's dev server) before ours binds it, and `npm start` rightly refuses to go on.
 */
export async function startConsoleStack(options: ConsoleStackOptions): Promise<ConsoleStack> {
  try {
    return await startConsoleStackOnce(options);
  } catch (err) {
    if (!(err instanceof Error && err.message.startsWith('npm start exited'))) throw err;
    process.stderr.write(`[console-stack] npm start exited before it was ready; trying other ports\n${err.message}\n`);
    return startConsoleStackOnce(options);
  }
}

async function startConsoleStackOnce({
  databaseUrl,
  policies,
  workflowBundlePath,
}: ConsoleStackOptions): Promise<ConsoleStack> {
  ensureConsoleBuilt();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'motordesk-browser-'));
  const policyFile = path.join(dataDir, 'policies.json');
  fs.writeFileSync(policyFile, JSON.stringify(policies));
  const [port, temporalPort, uiPort] = await Promise.all([freePort(), freePort(), freePort()]);
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
    ...(workflowBundlePath ? { WORKFLOW_BUNDLE_PATH: workflowBundlePath } : {}),
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

const INDEX = path.join(WEB, 'dist', 'index.html');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (!entry.name.endsWith('.d.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Longer than any build takes: a lock this old was left by a run that died holding it. */
const STALE_LOCK_MS = 10 * 60_000;

/**
 * Runs `fn` holding a lock on this checkout's web/ (a directory made atomically): the browser test
 * files start their stacks at the same time, and two Vite builds emptying one dist/ would serve each
 * other half a console.
 */
function withBuildLock(fn: () => void): void {
  const lock = path.join(
    os.tmpdir(),
    `motordesk-web-build-${createHash('sha1').update(WEB).digest('hex').slice(0, 12)}`,
  );
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > STALE_LOCK_MS) fs.rmSync(lock, { recursive: true, force: true });
      else Atomics.wait(pause, 0, 0, 250);
    }
  }
  try {
    fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

export function ensureConsoleBuilt(): void {
  withBuildLock(buildIfStale);
}

function buildIfStale(): void {
  const built = fs.existsSync(INDEX) ? fs.statSync(INDEX).mtimeMs : 0;
  const sources = Math.max(
    newestSource(path.join(WEB, 'src')),
    ...['index.html', 'vite.config.ts', 'package.json'].map((f) => fs.statSync(path.join(WEB, f)).mtimeMs),
  );
  if (built >= sources) return;
  execFileSync('npm', ['run', 'build'], { cwd: WEB, stdio: 'inherit' });
}
