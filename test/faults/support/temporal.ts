/**
 * A Temporal dev server of the drill's own, on a free port, with the cases' search attributes. With
 * a state file it can be stopped and started again with everything it held (the restart drill).
 */
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from '../../../workflows/shared/contract';
import { freePort } from './ports';
import { Service, sleep } from './service';

export interface DevServer {
  address: string;
  service: Service;
  /** Starts (again) and waits until the frontend answers. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function devServer(opts: {
  cliPath: string;
  logDir: string;
  /** Persist to this SQLite file (survives a restart); in memory otherwise. */
  stateFile?: string;
}): Promise<DevServer> {
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--headless',
    '--namespace',
    'default',
    '--log-level',
    'warn',
    '--dynamic-config-value',
    'limit.maxIDLength=255',
    ...(opts.stateFile ? ['--db-filename', opts.stateFile] : []),
    ...Object.entries(SEARCH_ATTRIBUTES).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]),
  ];
  const service = new Service({
    name: `temporal-${path.basename(opts.stateFile ?? 'memory', '.sqlite')}`,
    command: opts.cliPath,
    args,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    logDir: opts.logDir,
  });
  return {
    address,
    service,
    async start() {
      service.start();
      await waitForFrontend(address, service);
    },
    stop: () => service.stop(),
  };
}

export async function waitForFrontend(address: string, service?: Service, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (service && !service.running) throw new Error(`${service.name} exited during start-up; see ${service.logFile}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(250);
    }
  }
}
