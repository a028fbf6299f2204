/**
 * Starts the Temporal dev server from .tools/ for `npm start`: state under .data/, Web UI on, our
 * search attributes registered. Returns once the frontend answers.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import type { Config } from '../config';
import { SEARCH_ATTRIBUTES } from '../workflows/shared/contract';

export interface EmbeddedTemporal {
  address: string;
  uiUrl: string;
  stop(): Promise<void>;
}

/** `onExit`: called if the dev server ends on its own once it was up (not on `stop()`). */
export async function startEmbeddedTemporal(
  config: Config,
  log: (line: string) => void,
  onExit?: (code: number | null) => void,
): Promise<EmbeddedTemporal> {
  const { cliPath, port, uiPort, namespace } = { ...config.temporal };
  if (!fs.existsSync(cliPath)) throw new Error(`Temporal CLI not found at ${cliPath}: run \`npm run setup\` first`);
  fs.mkdirSync(config.dataDir, { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--ui-port',
    String(uiPort),
    '--db-filename',
    path.join(config.dataDir, 'temporal.sqlite'),
    '--namespace',
    namespace,
    '--log-level',
    'warn',
    ...Object.entries(SEARCH_ATTRIBUTES).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]),
  ];
  const child = spawn(cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const logFile = fs.createWriteStream(path.join(config.dataDir, 'temporal.log'), { flags: 'a' });
  child.stdout?.pipe(logFile);
  child.stderr?.pipe(logFile);
  const address = `127.0.0.1:${port}`;
  await waitForFrontend(address, child);
  let stopping = false;
  child.once('exit', (code) => {
    if (!stopping) onExit?.(code);
  });
  log(`temporal dev server up on ${address} (log: ${path.join(config.dataDir, 'temporal.log')})`);
  return {
    address,
    uiUrl: `http://127.0.0.1:${uiPort}`,
    stop: () => {
      stopping = true;
      return stopChild(child);
    },
  };
}

async function waitForFrontend(address: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  let exited = false;
  child.once('exit', () => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error('the Temporal dev server exited during start-up; see .data/temporal.log');
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
      // An answer while our child is gone came from someone else's server on that port: never use it.
      if (exited || child.exitCode !== null)
        throw new Error('the Temporal dev server exited during start-up; see .data/temporal.log');
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  throw new Error(`the Temporal dev server did not answer on ${address} within 60 s`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
