/**
 * Nothing personal outlives the request that failed. An opening that surely never started its
 * workflow removes its personal data at once (api/case-kind.ts); what is left — an opening that timed
 * out and may have started, a process that died between reserving the number and starting — this
 * sweep removes once it is older than ORPHANED_PERSONAL_DATA_AGE_MS and still has no case row.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { deleteOrphanedPersonalData } from '../db/repositories/personal-data';
import type { Database } from '../db/schema';

/**
 * 24 hours: a started case writes its row within seconds, and a retry with the same Idempotency-Key
 * joins its case only on the same Shanghai day; a day also outlasts a worker outage of a night.
 */
export const ORPHANED_PERSONAL_DATA_AGE_MS = 24 * 60 * 60 * 1000;
const SWEEP_EVERY_MS = 60 * 60 * 1000;

export interface PersonalDataSweepDeps {
  db: Kysely<Database>;
  logger: Logger;
  now?: () => Date;
  everyMs?: number;
}

/** One pass: removes the orphaned rows older than the bound, returns how many. */
export async function sweepOrphanedPersonalData(db: Kysely<Database>, now: Date): Promise<number> {
  return deleteOrphanedPersonalData(db, new Date(now.getTime() - ORPHANED_PERSONAL_DATA_AGE_MS));
}

/** Runs the sweep at start and then hourly in the worker process; `stop()` ends it. */
export function startPersonalDataSweep({
  db,
  logger,
  now = () => new Date(),
  everyMs = SWEEP_EVERY_MS,
}: PersonalDataSweepDeps): {
  stop(): void;
} {
  const run = () => {
    sweepOrphanedPersonalData(db, now()).then(
      (removed) => {
        if (removed > 0) logger.info({ removed }, 'orphaned personal data removed');
      },
      (err: unknown) =>
        logger.warn(
          { err: err instanceof Error ? err.name : 'unknown' },
          'personal data sweep failed; next hour again',
        ),
    );
  };
  run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
