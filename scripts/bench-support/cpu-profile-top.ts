/**
 * The functions with the most self time in V8 CPU profiles (`node --cpu-prof`, one file per thread):
 * `tsx scripts/bench-support/cpu-profile-top.ts <dir> [n]`. A bench run with BENCH_CPU_PROF_DIR set
 * writes the API's and the worker's profiles there (scripts/bench-support/stack.ts). Per file, then
 * summed over the files of each process: self ms, share of the samples, function and where it is.
 */
import fs from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}

/** Self time per function (name + place) in ms, from the sample count and the mean interval. */
function selfTimes(profile: Profile): Map<string, number> {
  const samples = profile.samples?.length ?? 0;
  const intervalMs = samples > 0 ? (profile.endTime - profile.startTime) / 1000 / samples : 0;
  const byNode = new Map<number, number>();
  for (const id of profile.samples ?? []) byNode.set(id, (byNode.get(id) ?? 0) + 1);
  const times = new Map<string, number>();
  for (const node of profile.nodes) {
    const hits = byNode.get(node.id) ?? node.hitCount ?? 0;
    if (!hits) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url
      ? `${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(?=[^/]+\/[^/]+$)/, '')}:${lineNumber + 1}`
      : '';
    const key = `${functionName || '(anonymous)'} ${where}`.trim();
    times.set(key, (times.get(key) ?? 0) + hits * intervalMs);
  }
  return times;
}

function top(times: Map<string, number>, n: number): string[] {
  const total = [...times.values()].reduce((a, b) => a + b, 0);
  return [...times.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([key, ms]) => `  ${ms.toFixed(0).padStart(7)} ms ${((ms / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
}

function main(): void {
  const dir = process.argv[2];
  const n = Number(process.argv[3] ?? 10);
  if (!dir) throw new Error('usage: cpu-profile-top.ts <dir> [n]');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  const byProcess = new Map<string, Map<string, number>>();
  for (const file of files.sort()) {
    const times = selfTimes(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Profile);
    const total = [...times.values()].reduce((a, b) => a + b, 0);
    console.log(`${file}: ${total.toFixed(0)} ms sampled`);
    for (const line of top(times, n)) console.log(line);
    // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile
    const pid = file.split('.')[3] ?? file;
    const sum = byProcess.get(pid) ?? new Map<string, number>();
    for (const [key, ms] of times) sum.set(key, (sum.get(key) ?? 0) + ms);
    byProcess.set(pid, sum);
  }
  for (const [pid, times] of byProcess) {
    console.log(`process ${pid}, every thread:`);
    for (const line of top(times, n)) console.log(line);
  }
}

main();
