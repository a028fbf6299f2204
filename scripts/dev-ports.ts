/**
 * `npm start` checks every port it is about to bind before it starts anything: a second instance
 * (or anything else) on one of them must stop the start with a sentence naming the port and the
 * variable that moves it, never let this instance join the other one's Temporal or database.
 */
import net from 'node:net';
import type { Config } from '../config';

export interface PlannedPort {
  port: number;
  host: string;
  /** The environment variable that moves it. */
  variable: string;
  what: string;
}

/** The ports this start will bind: the API's, and the embedded dev server's unless TEMPORAL_ADDRESS is set. */
export function plannedPorts(config: Config): PlannedPort[] {
  const ports: PlannedPort[] = [{ port: config.port, host: config.host, variable: 'PORT', what: 'the API' }];
  if (!config.temporal.address) {
    ports.push(
      { port: config.temporal.port, host: '127.0.0.1', variable: 'TEMPORAL_PORT', what: 'the Temporal dev server' },
      { port: config.temporal.uiPort, host: '127.0.0.1', variable: 'TEMPORAL_UI_PORT', what: 'the Temporal Web UI' },
    );
  }
  // Port 0 asks the system for a free one: nothing to check.
  return ports.filter((p) => p.port !== 0);
}

/** One sentence per port that cannot be bound (taken, or planned twice); empty when all are free. */
export async function portProblems(ports: PlannedPort[]): Promise<string[]> {
  const problems: string[] = [];
  const seen = new Map<number, PlannedPort>();
  for (const p of ports) {
    const twice = seen.get(p.port);
    if (twice) {
      problems.push(
        `port ${p.port} is planned for both ${twice.what} (${twice.variable}) and ${p.what} (${p.variable}); set one of them to another port`,
      );
      continue;
    }
    seen.set(p.port, p);
    const refusal = await tryBind(p.port, p.host);
    if (refusal)
      problems.push(
        `port ${p.port} on ${p.host} for ${p.what} is not free (${refusal}; another motordesk running?); set ${p.variable} to another port`,
      );
  }
  return problems;
}

function tryBind(port: number, host: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}
