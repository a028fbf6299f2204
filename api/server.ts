/**
 * The API process (`npm run start:api`): configuration, database, Temporal client, listen; on
 * SIGTERM/SIGINT stop accepting, let in-flight requests finish, then close the connections.
 * `startApi` is what the dev launcher calls to run the same API inside its process tree.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { type Config, loadConfig } from '../config';
import { openDatabase } from '../db/connection';
import type { Database } from '../db/schema';
import { createLogger } from '../infra/logger';
import { apiClientInterceptors, temporalConnectionOptions } from '../infra/temporal-connection';
import { payloadKeyRingOf, sealedDataConverter } from '../infra/payload-codec';
import { createApp } from './app';

export interface StartApiOptions {
  config: Config;
  logger?: Logger;
  /** The embedded dev server's address when TEMPORAL_ADDRESS is unset. */
  temporalAddress?: string;
  /** An already open database (the dev launcher shares one PGlite); otherwise opened here and closed on stop. */
  db?: Kysely<Database>;
  /** An existing client; otherwise one is created here and closed on stop. */
  temporal?: Client;
  port?: number;
  host?: string;
}

export interface RunningApi {
  url: string;
  server: Server;
  /** Stops accepting connections, waits for in-flight requests, closes what startApi opened. */
  close(): Promise<void>;
}

const DRAIN_TIMEOUT_MS = 15_000;

export async function startApi(opts: StartApiOptions): Promise<RunningApi> {
  const { config } = opts;
  const logger = opts.logger ?? createLogger(config.logLevel, 'api');
  const owned: (() => Promise<void>)[] = [];

  let db = opts.db;
  if (!db) {
    const database = await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      onIdleError: (err) => logger.warn({ err: { name: err.name } }, 'idle database connection failed'),
    });
    db = database.db;
    owned.push(() => database.close());
  }

  let temporal = opts.temporal;
  if (!temporal) {
    // Lazy: the API starts (and /readyz says why it is not ready) while Temporal is still coming up.
    const connection = Connection.lazy({
      ...temporalConnectionOptions(config.temporal, opts.temporalAddress ?? config.temporal.address),
      interceptors: apiClientInterceptors(),
    });
    temporal = new Client({
      connection,
      namespace: config.temporal.namespace,
      dataConverter: sealedDataConverter(payloadKeyRingOf(config)),
    });
    owned.push(() => connection.close());
  }

  const app = createApp({ temporal, db, config, logger });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(opts.port ?? config.port, opts.host ?? config.host, (err?: Error) =>
      err ? reject(err) : resolve(s),
    );
  });
  const { address, port } = server.address() as AddressInfo;
  const url = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  logger.info({ url, db: opts.db ? 'shared' : config.databaseUrl ? 'postgres' : 'pglite' }, 'api listening');

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), DRAIN_TIMEOUT_MS);
      await drained;
      clearTimeout(timer);
      for (const closeOne of owned.reverse())
        await closeOne().catch((err: unknown) => logger.warn({ err: String(err) }, 'close failed'));
      logger.info('api stopped');
    })());
  return { url, server, close };
}

if (require.main === module) {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'api');
  startApi({ config, logger })
    .then((api) => {
      const stop = (signal: string) => {
        logger.info({ signal }, 'shutting down');
        api.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    })
    .catch((err: unknown) => {
      logger.fatal(
        { err: err instanceof Error ? { name: err.name, message: err.message } : String(err) },
        'api failed to start',
      );
      process.exit(1);
    });
}
