/**
 * Prints the served OpenAPI document without a database or a Temporal server: the app is built
 * with unused dependencies and asked for /openapi.json once. Used to diff the contract and to
 * generate the console's API types (`npm run openapi > file`).
 */
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import pino from 'pino';
import { createApp } from '../api/app';
import { loadConfig } from '../config';
import type { Database } from '../db/schema';

async function main(): Promise<void> {
  const config = { ...loadConfig(), jwtSecret: 'openapi-print-only-secret' };
  const unused = new Proxy(
    {},
    {
      get: () => {
        throw new Error('the OpenAPI printer touches no dependency');
      },
    },
  );
  const app = createApp({
    temporal: unused as Client,
    db: unused as Kysely<Database>,
    config,
    logger: pino({ level: 'silent' }),
    rateLimit: false,
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/openapi.json`);
    if (!res.ok) throw new Error(`GET /openapi.json answered ${res.status}`);
    process.stdout.write(`${JSON.stringify(await res.json(), null, 2)}\n`);
  } finally {
    server.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
