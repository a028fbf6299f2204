/**
 * `npm run bench:lateness`: how late warnings and breaches land at half of capacity (issue 10, goal 4).
 *   1. capacity: `POST /claims` per second at concurrency 16 for BENCH_SECONDS (or BENCH_CAPACITY=<n>/s);
 *   2. claim.firstContact overridden to a 60 s elapsed clock (PUT /admin/deadline-policies, as an admin
 *      would: clocks started afterwards use it), warned at BENCH_WARN_AT (0.8: 48 s, inside Shanghai
 *      business hours; outside them the warning lands on the due instant);
 *   3. claims opened open-loop at BENCH_LOAD (0.5) × capacity for BENCH_LATENESS_SECONDS (60), each
 *      request at its own instant (at most 64 in flight);
 *   4. once the last clock is due (+ 30 s), the timeline rows: each clock.warned / clock.breached
 *      event's time (the workflow's time when it handled the timer) against the clock's warn_at /
 *      due_at, as p50 / p99 / max lateness.
 * The stack is scripts/bench-support/stack.ts (API and worker processes, the dev server in memory).
 * 127.0.0.1 only; every wait is bounded. Figures are printed, never asserted.
 */
import autocannon from 'autocannon';
import pg from 'pg';
import { CLAIM_BODY, loadAverage, percentile, postClaim, sleep, startBenchStack } from './bench-support/stack';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const LOAD = Number(process.env.BENCH_LOAD ?? 0.5);
const OPEN_SECONDS = Number(process.env.BENCH_LATENESS_SECONDS ?? 60);
const CLOCK_SECONDS = Number(process.env.BENCH_CLOCK_SECONDS ?? 60);
/**
 * The override's warning fraction. A warning goes to staff, so it moves into business hours (09:00–18:00
 * Asia/Shanghai on working days) and at most to the due instant: outside them it lands on the due
 * instant and the breach follows on a second (1 ms) timer. The output says how many did.
 */
const WARN_AT = Number(process.env.BENCH_WARN_AT ?? 0.8);
const MAX_IN_FLIGHT = 64;
const SLACK_MS = 30_000;

async function capacity(url: string, token: string): Promise<number> {
  const result = await autocannon({
    url: `${url}/api/v1/claims`,
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(CLAIM_BODY),
    connections: CONCURRENCY,
    duration: SECONDS,
  });
  return result['2xx'] / SECONDS;
}

/** Open-loop arrivals at `rate` per second for `seconds`; a late request goes out at once, never skipped. */
async function openAtRate(stack: { url: string; agentToken: string }, rate: number, seconds: number) {
  const total = Math.round(rate * seconds);
  const t0 = Date.now();
  const statuses = new Map<number, number>();
  const latencies: number[] = [];
  let inFlight = 0;
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const at = t0 + (i * 1000) / rate;
    const wait = at - Date.now();
    if (wait > 0) await sleep(wait);
    while (inFlight >= MAX_IN_FLIGHT) await sleep(5);
    inFlight++;
    pending.push(
      postClaim(stack).then((answer) => {
        inFlight--;
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        if (answer.status === 201) latencies.push(answer.ms);
      }),
    );
  }
  await Promise.all(pending);
  latencies.sort((a, b) => a - b);
  return { total, seconds: (Date.now() - t0) / 1000, statuses, latencies };
}

interface Lateness {
  kind: string;
  late_ms: number;
}

async function main(): Promise<void> {
  console.log(
    `bench:lateness: load ${LOAD} of capacity for ${OPEN_SECONDS} s, a ${CLOCK_SECONDS} s clock warned at ${WARN_AT} [load ${loadAverage()}]`,
  );
  const stack = await startBenchStack({ name: 'lateness' });
  const db = new pg.Client({ connectionString: stack.databaseUrl });
  await db.connect();
  try {
    // Warm-up with the default policy (a 30 min first-contact clock: nothing of it fires here).
    await capacity(stack.url, stack.agentToken).catch(() => 0);
    const measured = process.env.BENCH_CAPACITY
      ? Number(process.env.BENCH_CAPACITY)
      : await capacity(stack.url, stack.agentToken);
    console.log(
      `capacity: ${measured.toFixed(1)} claims/s${process.env.BENCH_CAPACITY ? ' (BENCH_CAPACITY)' : ` (POST /claims, concurrency ${CONCURRENCY}, ${SECONDS} s)`} [load ${loadAverage()}]`,
    );
    const put = await fetch(`${stack.url}/api/v1/admin/deadline-policies/claim.firstContact`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${stack.token('admin')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ duration: `PT${CLOCK_SECONDS}S`, mode: 'elapsed', warnAt: WARN_AT }),
    });
    if (put.status !== 200) throw new Error(`PUT /admin/deadline-policies answered ${put.status}: ${await put.text()}`);
    // What the capacity run left queued drains before the measured clocks start.
    await sleep(5_000);
    const startedAfter = new Date();
    const rate = measured * LOAD;
    const opened = await openAtRate(stack, rate, OPEN_SECONDS);
    console.log(
      `opened at ${rate.toFixed(1)}/s: ${opened.statuses.get(201) ?? 0} of ${opened.total} in ${opened.seconds.toFixed(1)} s; answers ${[...opened.statuses.entries()].map(([s, n]) => `${s}×${n}`).join(', ')}; p50 ${percentile(opened.latencies, 50).toFixed(0)} ms, p99 ${percentile(opened.latencies, 99).toFixed(0)} ms [load ${loadAverage()}]`,
    );

    // Wait for every measured clock to be due, then for its breach to be written (bounded).
    await sleep(CLOCK_SECONDS * 1000 + SLACK_MS);
    const deadline = Date.now() + 120_000;
    const count = async (sql: string) => Number((await db.query<{ n: string }>(sql, [startedAfter])).rows[0]?.n ?? 0);
    const clocksSql = `select count(*) as n from clocks where policy = 'claim.firstContact' and started_at >= $1`;
    const breachedSql = `select count(*) as n from timeline_events e join clocks c on c.case_id = e.case_id
       and c.clock_id = e.detail->>'clock' where c.policy = 'claim.firstContact' and c.started_at >= $1 and e.kind = 'clock.breached'`;
    while (Date.now() < deadline && (await count(breachedSql)) < (await count(clocksSql))) await sleep(1_000);

    const { rows } = await db.query<Lateness>(
      `select e.kind,
              extract(epoch from (e.at - case when e.kind = 'clock.warned' then c.warn_at else c.due_at end)) * 1000 as late_ms
         from timeline_events e
         join clocks c on c.case_id = e.case_id and c.clock_id = e.detail->>'clock'
        where c.policy = 'claim.firstContact' and c.started_at >= $1
          and e.kind in ('clock.warned', 'clock.breached')`,
      [startedAfter],
    );
    const clocks = await count(clocksSql);
    const warnedAtDue = await count(`${clocksSql} and warn_at = due_at`);
    console.log(`${warnedAtDue} of ${clocks} clocks warn at their due instant (outside Shanghai business hours)`);
    for (const kind of ['clock.warned', 'clock.breached']) {
      const late = rows
        .filter((r) => r.kind === kind)
        .map((r) => Number(r.late_ms))
        .sort((a, b) => a - b);
      console.log(
        `${kind.padEnd(15)} ${late.length} of ${clocks} clocks: late p50 ${percentile(late, 50).toFixed(0)} ms, p99 ${percentile(late, 99).toFixed(0)} ms, max ${(late.at(-1) ?? NaN).toFixed(0)} ms`,
      );
    }
    console.log(`[load ${loadAverage()}] logs: ${stack.logDir}`);
  } finally {
    await db.end();
    await stack.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
