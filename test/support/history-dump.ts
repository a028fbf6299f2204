/**
 * Every workflow history the shared dev server holds, raw: no data converter or codec between the
 * server and the file, so what is written is what Temporal's database, Web UI and CLI would show
 * (payload bytes as base64). One JSON line per run: `{ workflowId, runId, type, history }`.
 */
import fs from 'node:fs';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';

const CONCURRENCY = 16;

export async function dumpRawHistories(env: TestWorkflowEnvironment, file: string): Promise<number> {
  const client = env.client;
  const runs: { workflowId: string; runId: string; type: string }[] = [];
  for await (const info of client.workflow.list()) {
    runs.push({ workflowId: info.workflowId, runId: info.runId, type: info.type });
  }
  const out = fs.openSync(file, 'w');
  try {
    let next = 0;
    const work = async () => {
      while (next < runs.length) {
        const run = runs[next++]!;
        const raw = await client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
        const history = temporal.api.history.v1.History.toObject(temporal.api.history.v1.History.fromObject(raw), {
          longs: String,
          enums: String,
          bytes: String,
        });
        fs.writeSync(out, `${JSON.stringify({ ...run, history })}\n`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, work));
  } finally {
    fs.closeSync(out);
  }
  return runs.length;
}
