/** What every route module receives from `createApp`. */
import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Database } from '../db/schema';
import type { BackPressure } from './back-pressure';
import type { ApiMetrics } from './metrics';

export interface AppContext {
  temporal: Client;
  db: Kysely<Database>;
  config: Config;
  logger: Logger;
  now: () => Date;
  metrics: ApiMetrics;
  /** Whether the workers keep up: openings are refused (503) while they do not. */
  backPressure: BackPressure;
}
