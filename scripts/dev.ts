/**
 * `npm start`: the whole system on one machine with zero set-up beyond `npm run setup` — the
 * Temporal dev server (unless TEMPORAL_ADDRESS is set), PostgreSQL (DATABASE_URL) or embedded
 * PGlite, migrations, the worker, the notification dispatcher and the API, in one process tree.
 * Every port is checked before anything starts (a taken one: the port, the variable that moves it,
 * exit 1); SIGINT or SIGTERM to this process (Ctrl-C, a process manager, an IDE's stop button)
 * stops everything it started.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import express from 'express';
import { NativeConnection } from '@temporalio/worker';
import { createApp } from '../api/app';
import { type Config, loadConfig } from '../config';
import { openDatabase } from '../db/connection';
import { migrateToLatest } from '../db/migrate';
import { apiClientInterceptors, temporalConnectionOptions } from '../infra/temporal-connection';
import { createLogger } from '../infra/logger';
import { installTemporalRuntime } from '../infra/temporal-runtime';
import { createCaseWorker, createNotificationDispatcher } from '../worker';
import { startPersonalDataSweep } from '../services/personal-data-sweep';
import { DEPARTMENT_SCHEDULES, ensureDepartmentSchedules } from '../services/department-schedules';
import { directoryTokenLines, seedDirectory } from './dev-directory';
import { devPayloadKeyRing, payloadKeyRingOf, sealedDataConverter } from '../infra/payload-codec';
import { devSignInRouter, directorySignInList } from './dev-sign-in';
import { plannedPorts, portProblems } from './dev-ports';
import { startEmbeddedTemporal, type EmbeddedTemporal } from './embedded-temporal';

async function main(): Promise<void> {
  const started = Date.now();
  const base = loadConfig();
  fs.mkdirSync(base.dataDir, { recursive: true });
  // One generated key ring under .data/ for the API, the worker and the CLI of the embedded mode.
  const config: Config = Object.freeze({
    ...base,
    jwtSecret: base.jwtSecret ?? devSecret(base.dataDir),
    payloadKeys: base.payloadKeys ?? devPayloadKeyRing(base.dataDir),
  });
  const logger = createLogger(config.logLevel);
  installTemporalRuntime(logger);
  const say = (line: string) => console.log(`[motordesk] ${line}`);

  let embedded: EmbeddedTemporal | undefined;
  const stops: (() => Promise<unknown>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse())
      await stop().catch((err: unknown) => logger.warn({ err: String(err) }, 'shutdown step failed'));
  };
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping ...`);
    void stopAll().then(() => process.exit(process.exitCode ?? 0));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGHUP', () => shutdown('SIGHUP'));
  // A parent that dies without passing its signal on (an npm or a shell that does not forward
  // SIGTERM) leaves this process to init: then stop too, instead of living on as an orphan.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) shutdown('parent gone');
  }, 1_000).unref();

  const busy = await portProblems(plannedPorts(config));
  if (busy.length > 0) {
    for (const line of busy) console.error(`[motordesk] start refused: ${line}`);
    process.exit(1);
  }

  try {
    if (!config.temporal.address) {
      embedded = await startEmbeddedTemporal(config, say, (code) => {
        // Everything here talks to this dev server only: without it, stop rather than serve errors.
        if (stopping) return;
        console.error(`[motordesk] the Temporal dev server exited (code ${code}); stopping`);
        process.exitCode = 1;
        shutdown('temporal exit');
      });
      stops.push(() => embedded!.stop());
    }
    const address = config.temporal.address ?? embedded!.address;
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    stops.push(() => database.close());
    await migrateToLatest(database.db);
    say(`staff directory: ${await seedDirectory(database.db)} seeded people added (GET /api/v1/staff)`);
    say(
      `database: ${database.kind === 'pglite' ? `embedded PGlite in ${path.join(config.dataDir, 'pglite')}` : 'PostgreSQL (DATABASE_URL)'}, migrated`,
    );

    const options = temporalConnectionOptions(config.temporal, address);
    const clientConnection = await Connection.connect({ ...options, interceptors: apiClientInterceptors() });
    stops.push(() => clientConnection.close());
    const client = new Client({
      connection: clientConnection,
      namespace: config.temporal.namespace,
      dataConverter: sealedDataConverter(payloadKeyRingOf(config)),
    });
    const nativeConnection = await NativeConnection.connect(options);
    stops.push(() => nativeConnection.close());

    const worker = await createCaseWorker({
      connection: nativeConnection,
      temporal: client,
      namespace: config.temporal.namespace,
      db: database.db,
      config,
      logger,
    });
    for (const [id, outcome] of Object.entries(await ensureDepartmentSchedules(client))) {
      const when = DEPARTMENT_SCHEDULES[id as keyof typeof DEPARTMENT_SCHEDULES].when;
      say(`schedule ${id} (${when} Asia/Shanghai): ${outcome}`);
    }
    const workerDone = worker.run();
    stops.push(async () => {
      // The SDK's runtime also reacts to SIGINT/SIGTERM and may already be draining the worker.
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await workerDone;
    });
    const dispatcher = createNotificationDispatcher(database.db, client, config, logger);
    stops.push(() => dispatcher.stop());
    const sweep = startPersonalDataSweep({ db: database.db, logger });
    stops.push(async () => sweep.stop());

    // The dev sign-in (/dev/staff, /dev/sign-in) exists only here, in the embedded launcher.
    const app = express()
      .use(
        '/dev',
        devSignInRouter(config.jwtSecret!, () => directorySignInList(database.db)),
      )
      .use(createApp({ temporal: client, db: database.db, config, logger }));
    const server = await new Promise<import('node:http').Server>((resolve, reject) => {
      const s = app.listen(config.port, config.host, (err?: Error) =>
        err
          ? reject(
              new Error(
                `the API cannot listen on ${config.host}:${config.port} (${(err as NodeJS.ErrnoException).code ?? err.message}); set PORT to another port`,
              ),
            )
          : resolve(s),
      );
    });
    stops.push(() => new Promise((resolve) => server.close(resolve)));

    // The port actually bound (PORT=0 picks a free one, as the browser tests do).
    const api = `http://${config.host}:${(server.address() as import('node:net').AddressInfo).port}`;
    say(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    console.log(
      [
        '',
        `  Console      ${api}/   (dev sign-in: pick a person)`,
        `  API          ${api}/api/v1`,
        `  API docs     ${api}/docs   (spec: ${api}/openapi.json)`,
        `  Temporal UI  ${embedded ? embedded.uiUrl : '(external cluster: ' + address + ')'}`,
        `  Health       ${api}/readyz   metrics: ${api}/metrics`,
        '',
        '  Bearer tokens of the seeded directory (valid 12 h; any member: npm run motordesk -- token --sub ID):',
        ...directoryTokenLines(config.jwtSecret!),
        '',
        '  Ctrl-C stops everything.',
        '',
      ].join('\n'),
    );
    await workerDone;
  } catch (err) {
    console.error('[motordesk] start failed:', err instanceof Error ? err.message : err);
    await stopAll();
    process.exit(1);
  }
}

/** A development secret, generated once and kept under .data/ so tokens survive a restart. */
function devSecret(dataDir: string): string {
  const file = path.join(dataDir, 'dev-jwt-secret');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const secret = crypto.randomBytes(32).toString('base64url');
  fs.writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

void main();
