/**
 * `npm run bench:replay`: the workflow thread's CPU per claim opening, without a server (issue 10).
 * The opening of a committed claim history (its first workflow task: the clocks, the projection, the
 * timer) is replayed N times per round by the SDK's replayer, which creates each workflow in the
 * reusable V8 context and runs its first activation exactly as a live worker does, minus the network
 * and the activities (their results come from the history's markers). Two bundles side by side, in
 * alternating order: as built (infra/workflow-bundle.ts, the workflows preloaded) and without the
 * preloading, so the figure is what preloading saves on this machine in this run.
 * BENCH_REPLAYS (500) per round, BENCH_ROUNDS (3). CPU is the whole process's (every thread).
 * The replayer runs the workflows in this process's main thread, whose promise hook is set once: the
 * workflow stack traces are as configured (WORKER_WORKFLOW_STACK_TRACES, off by default) for the whole
 * run, and a run with the other setting is the comparison.
 */
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import pino from 'pino';
import { loadConfig } from '../config';
import { installTemporalRuntime } from '../infra/temporal-runtime';
import { useWorkflowStackTraces } from '../infra/workflow-stack-traces';
import { workflowBundleOptions } from '../infra/workflow-bundle';
import { QUIET_LOGGER } from './bundle-workflows';
import { PROBE_PROMISES } from './bench-support/promise-probe';

const PROBE = path.join(__dirname, 'bench-support', 'promise-probe.ts');

const REPLAYS = Number(process.env.BENCH_REPLAYS ?? 500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const HISTORY = path.join(__dirname, '..', 'test', 'replay', 'histories', 'claim-paid-v4.json');
/** Events of the opening: started, its workflow task, and the task's commands up to the projection. */
const OPENING_EVENTS = 12;

interface Tally {
  cpuMs: number;
  wallMs: number;
  replays: number;
  failed: number;
}

function openings(label: string, opening: unknown, count: number) {
  return Array.from({ length: count }, (_, i) => ({
    workflowId: `opening-${label}-${i}`,
    history: temporal.api.history.v1.History.fromObject(opening as object),
  }));
}

async function replayOpenings(code: string, label: string, opening: unknown, tally: Tally): Promise<void> {
  const histories = openings(label, opening, REPLAYS);
  const cpu = process.cpuUsage();
  const start = performance.now();
  for await (const result of Worker.runReplayHistories({ workflowBundle: { code } }, histories)) {
    if (result.error) tally.failed += 1;
  }
  const used = process.cpuUsage(cpu);
  tally.cpuMs += (used.user + used.system) / 1000;
  tally.wallMs += performance.now() - start;
  tally.replays += REPLAYS;
}

/**
 * Promises the workflow code creates per opening: the openings replayed in this thread (TEMPORAL_DEBUG
 * runs a worker's workflows without worker threads), counting the promises made in the workflow's V8 context
 * (their constructor is that context's Promise, not this one's).
 */
async function promisesPerOpening(code: string, opening: unknown): Promise<number> {
  const count = 20;
  let made = 0;
  const stop = v8.promiseHooks.onInit((promise) => {
    if (promise.constructor !== Promise) made += 1;
  });
  process.env.TEMPORAL_DEBUG = '1';
  try {
    for await (const result of Worker.runReplayHistories(
      { workflowBundle: { code } },
      openings('counted', opening, count),
    )) {
      if (result.error) throw result.error;
    }
  } finally {
    delete process.env.TEMPORAL_DEBUG;
    stop();
  }
  return made / count;
}

async function main(): Promise<void> {
  const logger = pino({ level: 'warn' });
  installTemporalRuntime(logger);
  const stackTraces = loadConfig({ ...process.env, LOG_LEVEL: 'warn' }).worker.workflowStackTraces;
  useWorkflowStackTraces(stackTraces, logger);
  const history = JSON.parse(fs.readFileSync(HISTORY, 'utf8')) as { events: unknown[] };
  const opening = { ...history, events: history.events.slice(0, OPENING_EVENTS) };
  const options = { ...workflowBundleOptions(), logger: QUIET_LOGGER };
  const bundles: [string, string][] = [
    ['preloaded (as built)', (await bundleWorkflowCode(options)).code],
    ['not preloaded', (await bundleWorkflowCode({ ...options, preloadModules: [] })).code],
    [
      `+${PROBE_PROMISES} promises (probe)`,
      (await bundleWorkflowCode({ ...options, workflowInterceptorModules: [PROBE] })).code,
    ],
  ];
  const tallies = new Map(bundles.map(([label]) => [label, { cpuMs: 0, wallMs: 0, replays: 0, failed: 0 }]));
  console.log(
    `bench:replay: ${ROUNDS} rounds of ${REPLAYS} claim openings per bundle, alternating; ` +
      `workflow stack traces ${stackTraces ? 'on' : 'off'} (WORKER_WORKFLOW_STACK_TRACES)`,
  );
  for (let round = 0; round < ROUNDS; round++) {
    for (const [label, code] of round % 2 === 0 ? bundles : [...bundles].reverse()) {
      await replayOpenings(code, `${round}-${label.split(' ')[0]}`, opening, tallies.get(label)!);
    }
  }
  for (const [label, t] of tallies) {
    console.log(
      `${label.padEnd(22)} CPU ${(t.cpuMs / t.replays).toFixed(2)} ms per opening, ${((t.replays / t.wallMs) * 1000).toFixed(0)}/s, ${t.failed} failed of ${t.replays}`,
    );
  }
  const perOpening = (label: string) => {
    const t = tallies.get(label)!;
    return t.cpuMs / t.replays;
  };
  const asBuilt = perOpening(bundles[0]![0]);
  const perPromiseMs = (perOpening(bundles[2]![0]) - asBuilt) / PROBE_PROMISES;
  const made = await promisesPerOpening(bundles[0]![1], opening);
  console.log(
    `one promise in workflow code: ${(perPromiseMs * 1000).toFixed(0)} µs CPU (probe − as built, ÷ ${PROBE_PROMISES}); ` +
      `a claim's opening makes ${made.toFixed(0)}: ${(made * perPromiseMs).toFixed(1)} ms of its ${asBuilt.toFixed(1)}`,
  );
  if ([...tallies.values()].some((t) => t.failed > 0)) process.exitCode = 1;
}

void main();
