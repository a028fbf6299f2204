/**
 * `npm run bench:workers`: `POST /claims` per second with a few worker slot / poller settings on one
 * stack (issue 10, goal 3), to choose the defaults in config.ts. Each setting gets a fresh worker
 * process (WORKER_WORKFLOW_TASK_SLOTS / _POLLERS / WORKER_LOCAL_ACTIVITY_SLOTS), a warm-up, then
 * BENCH_SECONDS (15) at concurrency BENCH_CONCURRENCY (16) with the CPU per claim of the worker; the
 * settings run BENCH_ROUNDS (2) times, in reverse order every other round, so drift on a shared
 * machine spreads over all of them. Back-pressure is off: the ceiling is measured, not the refusal.
 * BENCH_WORKER_SETTINGS=`wft/polls/la,…` replaces the list. 127.0.0.1 only; figures printed.
 */
import autocannon from 'autocannon';
import { CLAIM_BODY, cpuMsOf, loadAverage, startBenchStack } from './bench-support/stack';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const WARM_UP_SECONDS = Number(process.env.BENCH_WARM_UP_SECONDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const SETTINGS = (process.env.BENCH_WORKER_SETTINGS ?? '40/10/100,100/20/100,200/50/200,400/100/400,16/4/32')
  .split(',')
  .map((s) => s.split('/').map(Number) as [number, number, number]);

interface Run {
  setting: string;
  perSecond: number;
  p50: number;
  p99: number;
  workerCpuMs: number;
  load: string;
}

async function main(): Promise<void> {
  console.log(
    `bench:workers: ${SETTINGS.length} settings × ${ROUNDS} rounds, ${SECONDS} s each, concurrency ${CONCURRENCY} [load ${loadAverage()}]`,
  );
  const stack = await startBenchStack({
    name: 'workers',
    startWorker: false,
    env: { BACKPRESSURE_MAX_BACKLOG_AGE_MS: '0' },
  });
  const post = (seconds: number) =>
    autocannon({
      url: `${stack.url}/api/v1/claims`,
      method: 'POST',
      headers: { authorization: `Bearer ${stack.agentToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(CLAIM_BODY),
      connections: CONCURRENCY,
      duration: seconds,
    });
  const runs: Run[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? SETTINGS : [...SETTINGS].reverse();
      for (const [slots, pollers, localSlots] of order) {
        const setting = `${slots}/${pollers}/${localSlots}`;
        await stack.worker.start({
          WORKER_WORKFLOW_TASK_SLOTS: String(slots),
          WORKER_WORKFLOW_TASK_POLLERS: String(pollers),
          WORKER_LOCAL_ACTIVITY_SLOTS: String(localSlots),
        });
        await post(WARM_UP_SECONDS);
        const cpu0 = cpuMsOf(stack.worker.pid);
        const result = await post(SECONDS);
        const run: Run = {
          setting,
          perSecond: result['2xx'] / SECONDS,
          p50: result.latency.p50,
          p99: result.latency.p99,
          workerCpuMs: (cpuMsOf(stack.worker.pid) - cpu0) / Math.max(1, result['2xx']),
          load: loadAverage(),
        };
        runs.push(run);
        console.log(
          `round ${round + 1} slots/pollers/local ${setting.padEnd(12)} ${run.perSecond.toFixed(1)}/s  p50 ${run.p50} ms  p99 ${run.p99} ms  worker CPU ${run.workerCpuMs.toFixed(1)} ms/claim  (${result.non2xx} non-2xx, ${result.errors} errors) [load ${run.load}]`,
        );
        await stack.worker.stop();
      }
    }
    console.log('');
    for (const [slots, pollers, localSlots] of SETTINGS) {
      const setting = `${slots}/${pollers}/${localSlots}`;
      const mine = runs.filter((r) => r.setting === setting);
      const mean = (f: (r: Run) => number) => mine.reduce((a, r) => a + f(r), 0) / mine.length;
      console.log(
        `${setting.padEnd(12)} mean ${mean((r) => r.perSecond).toFixed(1)}/s (${mine.map((r) => r.perSecond.toFixed(1)).join(', ')}), p99 ${mean((r) => r.p99).toFixed(0)} ms, worker CPU ${mean((r) => r.workerCpuMs).toFixed(1)} ms/claim`,
      );
    }
    console.log(`logs: ${stack.logDir}`);
  } finally {
    await stack.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
