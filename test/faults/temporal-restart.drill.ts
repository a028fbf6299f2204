/**
 * Drill: the Temporal dev server is stopped and started again twice (same state file) while claims
 * are opened at a light, steady rate. While it is down the API answers 503 with Retry-After (never a
 * 500, never a hang); once it is back, the same API and worker processes carry on (neither is
 * restarted), every claim answered 201 is whole, and every timer fires: each claim's first-contact
 * clock (shortened to a minute by the drill's policy file) breaches on time, including those of claims
 * opened just before an outage.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { expect, inject, it } from 'vitest';
import { loadConfig } from '../../config';
import { type Opening, lossesOf, openClaim, settleAndCount, statusCounts } from './support/claims';
import { printFigures, seconds } from './support/figures';
import { sleep } from './support/service';
import { type Answer, drillLogDir, freshDrillDatabase, startStack, until } from './support/stack';
import { devServer } from './support/temporal';

const RESTARTS = 2;
const DOWN_MS = 10_000;
const UP_MS = 15_000;
/** Light load: this many clients, each opening a claim, then pausing. */
const CLIENTS = 2;
const PAUSE_MS = 400;
const FIRST_CONTACT = 'PT60S';

it('holds through two Temporal restarts: 503 + Retry-After while down, no process restarted, every timer fires', async () => {
  const logDir = drillLogDir('temporal-restart');
  const policies = path.join(logDir, 'policies.json');
  fs.writeFileSync(policies, JSON.stringify({ 'claim.firstContact': { duration: FIRST_CONTACT, mode: 'elapsed' } }));
  const temporal = await devServer({
    cliPath: loadConfig().temporal.cliPath,
    logDir,
    stateFile: path.join(logDir, 'temporal.sqlite'),
  });
  await temporal.start();
  const databaseUrl = await freshDrillDatabase('temporal_restart');
  const stack = await startStack({
    logDir,
    temporalAddress: temporal.address,
    databaseUrl,
    workflowBundlePath: inject('drillBundlePath'),
    env: { MOTORDESK_POLICIES: policies },
  });
  try {
    const token = stack.token('agent', 'drill');
    const started = Date.now();
    const downWindows: { from: number; to: number }[] = [];
    let loading = true;
    const openings: Opening[] = [];
    const clients = Array.from({ length: CLIENTS }, async (_, c) => {
      for (let i = 0; loading; i++) {
        openings.push(
          await openClaim(stack.url, token, `drill-restart-${started}-${c}-${i}`, { giveUpAfterMs: 120_000 }),
        );
        await sleep(PAUSE_MS);
      }
    });
    await sleep(UP_MS);
    for (let r = 1; r <= RESTARTS; r++) {
      const from = Date.now();
      await temporal.stop();
      await sleep(DOWN_MS);
      await temporal.start();
      downWindows.push({ from, to: Date.now() });
      await sleep(UP_MS);
    }
    loading = false;
    await Promise.all(clients);
    const loadMs = Date.now() - started;

    const attempts = openings.flatMap((o) => o.attempts);
    const ids = openings.flatMap((o) => (o.id ? [o.id] : []));
    const refusals = attempts.filter((a) => a.status !== 201);
    const badRefusals = refusals.filter((a) => !isServiceUnavailable(a));
    const figures = await settleAndCount(stack.database.db, ids);
    // Every first-contact timer fires: the clock of a claim nobody contacted breaches.
    const firstContactBreached = async () =>
      Number(
        (
          await sql<{ n: string }>`select count(*) as n from clocks
            where case_id in (${sql.join(ids)}) and policy = 'claim.firstContact' and state = 'breached'`.execute(
            stack.database.db,
          )
        ).rows[0]?.n ?? 0,
      );
    await until(async () => (await firstContactBreached()) === ids.length, 150_000, 1_000);
    const timersFired = await firstContactBreached();
    const losses = {
      unanswered: openings.length - ids.length,
      distinctIdsShort: ids.length - new Set(ids).size,
      refusalsOtherThan503WithRetryAfter: badRefusals.length,
      timersNotFired: ids.length - timersFired,
      apiRestarts: stack.api.starts - 1,
      workerRestarts: stack.worker.starts - 1,
      ...lossesOf(figures),
    };
    printFigures('temporal-restart', {
      'restarts (down)': `${RESTARTS} (${downWindows.map((w) => seconds(w.to - w.from)).join(', ')})`,
      clients: CLIENTS,
      openings: openings.length,
      'answered 201': ids.length,
      'attempts by status': statusCounts(attempts),
      'refusals, first few': badRefusals.slice(0, 3).map((a) => `${a.status} ${a.error ?? JSON.stringify(a.body)}`),
      'retried openings': openings.filter((o) => o.attempts.length > 1).length,
      'first-contact timers fired': timersFired,
      'load time': seconds(loadMs),
      ...figures,
      ...losses,
      logs: logDir,
    });
    expect(refusals.length).toBeGreaterThan(0); // the outages were seen by clients
    expect(losses).toEqual(Object.fromEntries(Object.keys(losses).map((k) => [k, 0])));
  } finally {
    await stack.close();
    await temporal.stop();
  }
});

function isServiceUnavailable(a: Answer): boolean {
  return a.status === 503 && Number(a.headers.get('retry-after')) > 0;
}
