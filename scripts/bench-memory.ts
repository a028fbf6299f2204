/**
 * `npm run bench:memory`: the worker's memory while cases sleep (issue 10, goal 6).
 *   1. the worker with the configured cache (default 250) while BENCH_MEMORY_CASES (20,000) claims
 *      open through the API and then sleep on their clocks (days long): RSS sampled every second,
 *      peak / p50 / last printed, and the RSS grown by the time the cache first filled ÷ its size;
 *   2. a fresh worker with a cache big enough to hold every case it opens (BENCH_MEMORY_BIG_CACHE,
 *      1,000): RSS grown from its idle start ÷ the workflows then cached = MiB per cached workflow.
 * Bounded: at most BENCH_MEMORY_MAX_SECONDS (480) of openings in part 1 (fewer cases are then
 * reported as such). The stack is scripts/bench-support/stack.ts; 127.0.0.1 only; figures printed.
 */
import {
  type BenchStack,
  loadAverage,
  percentile,
  postClaim,
  rssOf,
  sleep,
  startBenchStack,
} from './bench-support/stack';

const CASES = Number(process.env.BENCH_MEMORY_CASES ?? 20_000);
const MAX_SECONDS = Number(process.env.BENCH_MEMORY_MAX_SECONDS ?? 480);
const BIG_CACHE = Number(process.env.BENCH_MEMORY_BIG_CACHE ?? 1_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const MiB = 2 ** 20;

interface Sample {
  at: number;
  rss: number;
  cached: number;
  opened: number;
}

/** Opens up to `cases` claims on `CONCURRENCY` lanes within `seconds`, sampling the worker each second. */
async function openWhileSampling(stack: BenchStack, cases: number, seconds: number) {
  const samples: Sample[] = [];
  let opened = 0;
  let refused = 0;
  let failed = 0;
  let next = 0;
  const until = Date.now() + seconds * 1000;
  let done = false;
  const sampler = (async () => {
    while (!done) {
      const status = await stack.worker.status();
      samples.push({ at: Date.now(), rss: rssOf(stack.worker.pid), cached: status.cachedWorkflows, opened });
      await sleep(1_000);
    }
  })();
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < cases && Date.now() < until) {
        next++;
        const answer = await postClaim(stack);
        if (answer.status === 201) opened++;
        else if (answer.status === 503) {
          refused++;
          next--; // refused before anything was reserved: the case is opened again after the wait
          await sleep((answer.retryAfter ?? 1) * 1000);
        } else failed++;
      }
    }),
  );
  const openSeconds = (Date.now() - t0) / 1000;
  // The last cases settle (their opening tasks done, the cache trimmed) before the last samples.
  await sleep(5_000);
  done = true;
  await sampler;
  return { opened, refused, failed, openSeconds, samples };
}

function summary(samples: Sample[]): string {
  const rss = samples.map((s) => s.rss).sort((a, b) => a - b);
  const last = samples.at(-1);
  return `RSS peak ${(rss.at(-1)! / MiB).toFixed(0)} MiB, p50 ${(percentile(rss, 50) / MiB).toFixed(0)} MiB, last ${((last?.rss ?? 0) / MiB).toFixed(0)} MiB (${last?.cached ?? 0} cached)`;
}

async function main(): Promise<void> {
  console.log(
    `bench:memory: ${CASES} claims at concurrency ${CONCURRENCY}, at most ${MAX_SECONDS} s [load ${loadAverage()}]`,
  );
  const stack = await startBenchStack({ name: 'memory' });
  try {
    const cache = Number(process.env.WORKER_MAX_CACHED_WORKFLOWS ?? 250);
    await sleep(2_000);
    const idle = rssOf(stack.worker.pid);
    const part1 = await openWhileSampling(stack, CASES, MAX_SECONDS);
    console.log(
      `cache ${cache}: ${part1.opened} claims opened in ${part1.openSeconds.toFixed(0)} s (${(part1.opened / part1.openSeconds).toFixed(1)}/s; ${part1.refused} answered 503, ${part1.failed} failed) [load ${loadAverage()}]`,
    );
    console.log(`cache ${cache}: idle RSS ${(idle / MiB).toFixed(0)} MiB; ${summary(part1.samples)}`);
    const full = part1.samples.find((s) => s.cached >= cache);
    if (full)
      console.log(
        `cache ${cache}: filled after ${full.opened} claims at RSS ${(full.rss / MiB).toFixed(0)} MiB: ${((full.rss - idle) / MiB / full.cached).toFixed(2)} MiB per cached workflow`,
      );

    // Part 2: a fresh worker whose cache holds every case it opens.
    await stack.worker.stop();
    await stack.worker.start({ WORKER_MAX_CACHED_WORKFLOWS: String(BIG_CACHE) });
    await sleep(2_000);
    const idle2 = rssOf(stack.worker.pid);
    const part2 = await openWhileSampling(stack, BIG_CACHE, MAX_SECONDS);
    const last = part2.samples.at(-1)!;
    console.log(
      `cache ${BIG_CACHE}: ${part2.opened} claims opened in ${part2.openSeconds.toFixed(0)} s; idle RSS ${(idle2 / MiB).toFixed(0)} MiB; ${summary(part2.samples)} [load ${loadAverage()}]`,
    );
    console.log(
      `cache ${BIG_CACHE}: ${((last.rss - idle2) / MiB / Math.max(1, last.cached)).toFixed(2)} MiB per cached workflow (RSS growth ÷ ${last.cached} cached)`,
    );
    console.log(`logs: ${stack.logDir}`);
  } finally {
    await stack.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
