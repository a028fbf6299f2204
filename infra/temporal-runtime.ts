/**
 * Routes every log line of the Temporal SDK into our pino logger, and so through its redaction: the
 * TypeScript side (worker state, "Activity failed" with the error it caught, workflow logs) and the
 * native core (poll failures, workflow task failures), which would otherwise print to the console on
 * its own. At warn and above, so a running system prints what matters and nothing else. Must run
 * before the first Worker or NativeConnection is created; later calls are ignored.
 */
import { DefaultLogger, type LogLevel, Runtime } from '@temporalio/worker';
import type { Logger } from 'pino';

let installed = false;

export function installTemporalRuntime(logger: Logger, level: LogLevel = 'WARN'): void {
  if (installed) return;
  installed = true;
  const sdk = logger.child({ component: 'temporal-sdk' });
  if (runtimeExists()) return; // a worker or connection came first: it keeps the SDK's own logger
  Runtime.install({
    logger: new DefaultLogger(level, ({ level: lvl, message, meta }) => {
      const fields = { ...(meta ?? {}) };
      if (lvl === 'ERROR') sdk.error(fields, message);
      else if (lvl === 'WARN') sdk.warn(fields, message);
      else sdk.info(fields, message);
    }),
    telemetryOptions: { logging: { filter: { core: level, other: level }, forward: {} } },
  });
}

/** `Runtime.instance()` would create the default runtime, so look at the singleton without creating it. */
function runtimeExists(): boolean {
  return (Runtime as unknown as { _instance?: unknown })._instance !== undefined;
}
