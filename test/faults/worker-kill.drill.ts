/**
 * Drill: the worker is SIGKILLed five times while 300 claims are opened, 8 at a time. Every claim
 * answered 201 must have its case row, its personal data and its one document notice, the notice's
 * clock met exactly when the outbox says the notice went out; no notification or timeline event
 * twice, no delivery receipt lost. Clients retry with their Idempotency-Key, as the API asks.
 */
import { randomInt } from 'node:crypto';
import { expect, inject, it } from 'vitest';
import { loadConfig } from '../../config';
import { type Opening, lossesOf, openClaim, openClaims, settleAndCount, statusCounts } from './support/claims';
import { percentile, printFigures, seconds } from './support/figures';
import { sleep } from './support/service';
import { drillLogDir, freshDrillDatabase, startStack, until } from './support/stack';
import { devServer } from './support/temporal';

const CLAIMS = 300;
const CONCURRENCY = 8;
const KILLS = 5;

it('loses and doubles nothing when the worker is SIGKILLed 5 times while 300 claims are opened at concurrency 8', async () => {
  const logDir = drillLogDir('worker-kill');
  const temporal = await devServer({ cliPath: loadConfig().temporal.cliPath, logDir });
  await temporal.start();
  const databaseUrl = await freshDrillDatabase('worker_kill');
  const stack = await startStack({
    logDir,
    temporalAddress: temporal.address,
    databaseUrl,
    workflowBundlePath: inject('drillBundlePath'),
  });
  try {
    const token = stack.token('agent', 'drill');
    const started = Date.now();
    let answered = 0;
    const load = openClaims(CLAIMS, CONCURRENCY, async (i): Promise<Opening> => {
      const opening = await openClaim(stack.url, token, `drill-kill-${started}-${i}`);
      answered += 1;
      return opening;
    });
    const downtimes: number[] = [];
    const killer = (async () => {
      for (let k = 1; k <= KILLS; k++) {
        await until(async () => answered >= Math.floor((k * CLAIMS) / (KILLS + 1)), 300_000, 20);
        await sleep(randomInt(300)); // land in the middle of whatever is in flight
        const down = Date.now();
        await stack.worker.kill('SIGKILL');
        await sleep(500);
        await stack.startWorker();
        downtimes.push(Date.now() - down);
      }
    })();
    const openings = await load;
    await killer;
    const loadMs = Date.now() - started;

    const ids = openings.flatMap((o) => (o.id ? [o.id] : []));
    const figures = await settleAndCount(stack.database.db, ids);
    const attempts = openings.flatMap((o) => o.attempts);
    const losses = {
      unanswered: CLAIMS - ids.length,
      distinctIdsShort: ids.length - new Set(ids).size,
      ...lossesOf(figures),
    };
    printFigures('worker-kill', {
      concurrency: CONCURRENCY,
      'worker SIGKILLs': `${stack.worker.starts - 1} (down ${downtimes.map(seconds).join(', ')})`,
      'answered 201': ids.length,
      'attempts by status': statusCounts(attempts),
      'retried openings': openings.filter((o) => o.attempts.length > 1).length,
      'latency p50 / p99 / max': `${percentile(
        attempts.map((a) => a.ms),
        50,
      )} / ${percentile(
        attempts.map((a) => a.ms),
        99,
      )} / ${Math.max(...attempts.map((a) => a.ms))} ms`,
      'load time': seconds(loadMs),
      ...figures,
      ...losses,
      logs: logDir,
    });
    expect(stack.worker.starts - 1).toBe(KILLS);
    expect(losses).toEqual(Object.fromEntries(Object.keys(losses).map((k) => [k, 0])));
    expect(figures.noticeClocksMet).toBe(CLAIMS);
  } finally {
    await stack.close();
    await temporal.stop();
  }
});
