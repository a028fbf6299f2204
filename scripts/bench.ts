/**
 * `npm run bench`: the create path against its ceilings, in one run on one dev server (issue 10).
 *   1. bare Temporal workflow starts per second (client → server, no worker);
 *   2. the skeleton (scripts/bench-support/skeleton-workflow.ts): update-with-start of a workflow with
 *      the claim opening's history shape and none of its work, on the same worker process;
 *   3. `POST /api/v1/claims` per second and its latency through the API process;
 * each at the same concurrency, with the CPU spent per item by process: the API and the worker (node,
 * separate processes, /proc/<pid>/stat utime + stime: every thread, what process.cpuUsage() counts),
 * the Temporal dev server (/proc of its process) and PostgreSQL (the backends serving the bench
 * database, see PostgresBackends). Then both ratios, the workflow bundle's size and the opening's
 * history shape of a claim beside the skeleton's. The API and worker run in production mode (sealed
 * payloads); the worker runs no notification dispatcher (the opening is measured, not the delivery).
 * Everything talks to 127.0.0.1; every loop is bounded in time. Figures go in notes, not in tests.
 *
 * BENCH_SECONDS (15) per phase, BENCH_CONCURRENCY (16), BENCH_PHASES (bare,skeleton,claims; `unpatched` adds the
 * skeleton without its patch markers, what the markers cost), BENCH_ROUNDS (1;
 * more run the phases again in alternating order and print each round, then all together);
 * WORKER_* and BACKPRESSURE_* pass through to the worker and API processes; BENCH_WITHOUT=projection,clocks
 * runs the claims without those parts (scripts/bench-support/worker-process.ts), to measure what each costs.
 */
import os from 'node:os';
import autocannon from 'autocannon';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { loadConfig } from '../config';
import {
  type BenchStack,
  CLAIM_BODY,
  cpuMsOf,
  formatShape,
  historyShape,
  type HistoryShape,
  loadAverage,
  percentile,
  PostgresBackends,
  sleep,
  startBenchStack,
} from './bench-support/stack';
import { SKELETON_TASK_QUEUE } from './bench-support/skeleton-activities';
import { type SkeletonShape, skeletonOpened } from './bench-support/skeleton-workflow';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const WARM_UP_SECONDS = Number(process.env.BENCH_WARM_UP_SECONDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
/** Rounds of the phases, in reverse order every other round: drift on a shared machine spreads over all. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const PHASES = new Set((process.env.BENCH_PHASES ?? 'bare,skeleton,claims').split(','));
/** What happens after a phase's last answer (timers written, the last task completed) belongs to it. */
const SETTLE_MS = 1_000;

type Process = 'api' | 'worker' | 'temporal' | 'postgres';
const PROCESSES: Process[] = ['api', 'worker', 'temporal', 'postgres'];

interface Phase {
  name: string;
  count: number;
  seconds: number;
  p50?: number;
  p99?: number;
  failures: number;
  cpuMs: Record<Process, number>;
  benchCpuMs: number;
  load: string;
}

function cpuNow(stack: BenchStack): Omit<Record<Process, number>, 'postgres'> {
  return {
    api: cpuMsOf(stack.api.pid!),
    worker: cpuMsOf(stack.worker.pid),
    temporal: cpuMsOf(stack.temporal.service.pid!),
  };
}

interface PhaseResult {
  count: number;
  failures: number;
  p50?: number;
  p99?: number;
}

async function measured(
  stack: BenchStack,
  backends: PostgresBackends,
  name: string,
  run: () => Promise<PhaseResult>,
): Promise<Phase> {
  const before = cpuNow(stack);
  const bench0 = process.cpuUsage();
  await backends.start();
  const t0 = Date.now();
  const result = await run();
  const seconds = (Date.now() - t0) / 1000;
  await sleep(SETTLE_MS);
  const postgres = await backends.stop();
  const after = cpuNow(stack);
  const bench = process.cpuUsage(bench0);
  return {
    name,
    ...result,
    seconds,
    cpuMs: {
      api: after.api - before.api,
      worker: after.worker - before.worker,
      temporal: after.temporal - before.temporal,
      postgres,
    },
    benchCpuMs: (bench.user + bench.system) / 1000,
    load: loadAverage(),
  };
}

/** One phase's rounds as one: counts, seconds and CPU summed, percentiles averaged. */
function combined(rounds: Phase[]): Phase {
  const sum = (f: (p: Phase) => number) => rounds.reduce((a, p) => a + f(p), 0);
  const mean = (f: (p: Phase) => number | undefined) => sum((p) => f(p) ?? NaN) / rounds.length;
  return {
    name: rounds[0]!.name,
    count: sum((p) => p.count),
    seconds: sum((p) => p.seconds),
    failures: sum((p) => p.failures),
    p50: mean((p) => p.p50),
    p99: mean((p) => p.p99),
    cpuMs: {
      api: sum((p) => p.cpuMs.api),
      worker: sum((p) => p.cpuMs.worker),
      temporal: sum((p) => p.cpuMs.temporal),
      postgres: sum((p) => p.cpuMs.postgres),
    },
    benchCpuMs: sum((p) => p.benchCpuMs),
    load: rounds.map((p) => p.load.split(' ')[0]).join('/'),
  };
}

/** `lanes` loops, each timing its calls, until the phase's time is up. */
async function lanes(seconds: number, call: (lane: number, i: number) => Promise<void>) {
  const until = Date.now() + seconds * 1000;
  const latencies: number[] = [];
  let failures = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, lane) => {
      for (let i = 0; Date.now() < until; i++) {
        const t = performance.now();
        try {
          await call(lane, i);
          latencies.push(performance.now() - t);
        } catch {
          failures++;
        }
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { count: latencies.length, failures, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

async function claims(stack: BenchStack, seconds: number) {
  const result = await autocannon({
    url: `${stack.url}/api/v1/claims`,
    method: 'POST',
    headers: { authorization: `Bearer ${stack.agentToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(CLAIM_BODY),
    connections: CONCURRENCY,
    duration: seconds,
  });
  return {
    count: result['2xx'],
    failures: result.non2xx + result.errors,
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}

function openSkeleton(stack: BenchStack, shape: SkeletonShape, workflowId: string) {
  return stack.client.workflow.executeUpdateWithStart(skeletonOpened, {
    startWorkflowOperation: new WithStartWorkflowOperation('benchSkeletonWorkflow', {
      workflowId,
      taskQueue: SKELETON_TASK_QUEUE,
      args: [{ team: 'bench' }, shape],
      workflowIdConflictPolicy: 'USE_EXISTING',
    }),
  });
}

function skeletons(stack: BenchStack, shape: SkeletonShape, seconds: number, tag: string) {
  const run = Date.now();
  return lanes(seconds, async (lane, i) => {
    await openSkeleton(stack, shape, `skeleton-${tag}-${run}-${lane}-${i}`);
  });
}

function bare(stack: BenchStack, seconds: number) {
  const run = Date.now();
  return lanes(seconds, async (lane, i) => {
    await stack.client.workflow.start('benchNoop', {
      taskQueue: 'bench-no-worker',
      workflowId: `bare-${run}-${lane}-${i}`,
      args: [],
    });
  });
}

/** One claim through the API: its workflow id, for the history shape the skeleton copies. */
async function oneClaim(stack: BenchStack): Promise<string> {
  const res = await fetch(`${stack.url}/api/v1/claims`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.agentToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(CLAIM_BODY),
  });
  if (res.status !== 201) throw new Error(`POST /claims answered ${res.status}: ${await res.text()}`);
  const { id } = (await res.json()) as { id: string };
  return `claim-${id}`;
}

/** The skeleton's shape, counted from a claim's opening (its history once it sleeps). */
function shapeOf({ events: history }: HistoryShape): SkeletonShape {
  return {
    localActivities: history.get('MARKER core_local_activity') ?? 0,
    timers: history.get('TIMER_STARTED') ?? 0,
    patches: history.get('MARKER core_patch') ?? 0,
  };
}

const f0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '–');
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '–');

function report(phase: Phase): void {
  const per = (ms: number) => f1(ms / Math.max(1, phase.count));
  const node = phase.cpuMs.api + phase.cpuMs.worker;
  const total = node + phase.cpuMs.temporal;
  console.log(
    `${phase.name.padEnd(12)} ${f0(phase.count / phase.seconds).padStart(5)}/s  (${phase.count} in ${phase.seconds.toFixed(1)} s, ${phase.failures} failed)  p50 ${f0(phase.p50 ?? NaN)} ms  p99 ${f0(phase.p99 ?? NaN)} ms  [load ${phase.load}]`,
  );
  console.log(
    `${''.padEnd(12)} CPU ms each: api ${per(phase.cpuMs.api)}, worker ${per(phase.cpuMs.worker)}, temporal ${per(phase.cpuMs.temporal)}, postgres ${per(phase.cpuMs.postgres)}` +
      ` | node ${per(node)}, api+worker+temporal ${per(total)}, +postgres ${per(total + phase.cpuMs.postgres)}` +
      ` | bench client ${per(phase.benchCpuMs)}`,
  );
}

async function main(): Promise<void> {
  console.log(
    `bench: ${SECONDS} s per phase, concurrency ${CONCURRENCY}, ${os.cpus().length} CPUs, 127.0.0.1 only [load ${loadAverage()}]`,
  );
  if (process.env.BENCH_WITHOUT)
    console.log(`WITHOUT ${process.env.BENCH_WITHOUT} (BENCH_WITHOUT): a decomposition, not what a claim costs`);
  const stack = await startBenchStack({ name: 'claims' });
  const backends = await PostgresBackends.open(stack.databaseUrl);
  try {
    const { workflowStackTraces } = loadConfig(stack.env).worker;
    console.log(`worker: workflow stack traces ${workflowStackTraces ? 'on' : 'off'} (WORKER_WORKFLOW_STACK_TRACES)`);
    const { productionBytes, productionCodeBytes } = stack.bundles;
    console.log(
      `workflow bundle (scripts/bundle-workflows.ts): ${productionBytes} bytes (${(productionBytes / 1024).toFixed(0)} KiB), ${productionCodeBytes} bytes without its inline source map`,
    );
    // Idle: what the processes spend doing nothing (pollers, timers), per second.
    const idle = await measured(stack, backends, 'idle', async () => {
      await sleep(3_000);
      return { count: 0, failures: 0 };
    });
    const idlePerSecond = (p: Process) => f1(idle.cpuMs[p] / (idle.seconds + SETTLE_MS / 1000));
    console.log(`idle CPU ms/s: ${PROCESSES.map((p) => `${p} ${idlePerSecond(p)}`).join(', ')}`);

    // The claim's opening, counted from a real one: the skeleton copies it.
    const claimId = await oneClaim(stack);
    await sleep(500);
    const claimHistory = await historyShape(stack.client, claimId);
    const shape = shapeOf(claimHistory);
    await openSkeleton(stack, shape, 'skeleton-shape');
    await sleep(500);
    const skeletonHistory = await historyShape(stack.client, 'skeleton-shape');

    // Warm-up (not measured): the worker's first workflows of each kind load the bundle and JIT.
    await claims(stack, WARM_UP_SECONDS);
    await skeletons(stack, shape, WARM_UP_SECONDS, 'warm');

    const runs: [string, () => Promise<PhaseResult>][] = [];
    if (PHASES.has('bare')) runs.push(['bare starts', () => bare(stack, SECONDS)]);
    if (PHASES.has('skeleton')) runs.push(['skeleton', () => skeletons(stack, shape, SECONDS, 'run')]);
    if (PHASES.has('claims')) runs.push(['POST /claims', () => claims(stack, SECONDS)]);
    if (PHASES.has('unpatched'))
      runs.push(['unpatched', () => skeletons(stack, { ...shape, patches: 0 }, SECONDS, 'unpatched')]);
    const rounds: Phase[] = [];
    for (let round = 0; round < ROUNDS; round++)
      for (const [name, run] of round % 2 === 0 ? runs : [...runs].reverse())
        rounds.push(await measured(stack, backends, name, run));
    console.log('');
    if (ROUNDS > 1) for (const phase of rounds) report(phase);
    const phases = runs.map(([name]) => combined(rounds.filter((p) => p.name === name)));
    if (ROUNDS > 1) console.log(`\n${ROUNDS} rounds together (p50/p99: the rounds' mean):`);
    for (const phase of phases) report(phase);

    const rateIn = (list: Phase[], name: string) => {
      const p = list.find((x) => x.name === name);
      return p ? p.count / p.seconds : NaN;
    };
    const rate = (name: string) => rateIn(phases, name);
    const ratio = (a: string, b: string) => {
      const value = rate(a) / rate(b);
      return Number.isFinite(value) ? `${a} ÷ ${b} ${value.toFixed(2)}` : undefined;
    };
    const ratios = [
      ratio('POST /claims', 'skeleton'),
      ratio('POST /claims', 'bare starts'),
      ratio('skeleton', 'bare starts'),
    ].filter(Boolean);
    if (ratios.length) console.log(`ratios: ${ratios.join(', ')}`);
    // Each round's own ratio: their spread is how far one run's figure can be trusted on this machine.
    const perRound = Array.from({ length: ROUNDS }, (_, r) => {
      const inRound = rounds.slice(r * runs.length, (r + 1) * runs.length);
      return rateIn(inRound, 'POST /claims') / rateIn(inRound, 'skeleton');
    }).filter(Number.isFinite);
    if (perRound.length > 1)
      console.log(`POST /claims ÷ skeleton by round: ${perRound.map((x) => x.toFixed(2)).join(', ')}`);
    const status = await stack.worker.status();
    console.log(
      `worker: RSS ${(status.rss / 2 ** 20).toFixed(0)} MiB, heap ${(status.heapUsed / 2 ** 20).toFixed(0)} MiB, ${status.cachedWorkflows} workflows cached`,
    );
    console.log(`claim opening:    ${formatShape(claimHistory)}`);
    console.log(`skeleton opening: ${formatShape(skeletonHistory)}`);
    console.log(`logs: ${stack.logDir}`);
  } finally {
    await backends.close();
    await stack.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
