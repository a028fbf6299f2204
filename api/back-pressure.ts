/**
 * Back-pressure on openings (issue 10): when the workers fall behind, a new case would join a queue
 * where its first clocks already run late, and nothing would tell the client to slow down. The API
 * reads how long the oldest workflow task has waited on the cases' task queue (Temporal's
 * DescribeTaskQueue with stats) and, past a bound, answers an opening 503 with Retry-After before it
 * reserves anything. Actions on open cases still go through: they finish work already accepted.
 *
 * No timer: the backlog is read again when an opening arrives and the last reading is older than
 * CHECK_EVERY_MS (in the background; the request uses the last reading). A reading that failed, or
 * one too old to trust, is no verdict: Temporal being down answers its own 503 elsewhere.
 */
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';

export const CHECK_EVERY_MS = 1_000;
/** A reading older than this says nothing about now. */
const TRUSTED_FOR_MS = 5 * CHECK_EVERY_MS;
const MAX_RETRY_AFTER_SECONDS = 30;
// temporal.api.enums.v1: TaskQueueKind.TASK_QUEUE_KIND_NORMAL and TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW
// (the proto package is the client's own dependency, not ours).
const TASK_QUEUE_KIND_NORMAL = 1;
const TASK_QUEUE_TYPE_WORKFLOW = 1;

export interface BackPressure {
  /** Seconds the client should wait before opening a case, or undefined when the workers keep up. */
  retryAfterSeconds(): number | undefined;
  /** The last reading, for the log line and the metric. */
  lastBacklogAgeMs(): number | undefined;
}

export const NO_BACK_PRESSURE: BackPressure = { retryAfterSeconds: () => undefined, lastBacklogAgeMs: () => undefined };

export function workerBacklogWatch(opts: {
  temporal: Client;
  namespace: string;
  taskQueue: string;
  /** The oldest waiting workflow task may be this old before openings are refused; 0 turns it off. */
  maxBacklogAgeMs: number;
  logger: Logger;
  now?: () => number;
}): BackPressure {
  if (opts.maxBacklogAgeMs <= 0) return NO_BACK_PRESSURE;
  const now = opts.now ?? Date.now;
  let reading: { ageMs: number; at: number } | undefined;
  let checking: Promise<void> | undefined;

  async function check(): Promise<void> {
    try {
      const response = await opts.temporal.connection.withDeadline(now() + 2_000, () =>
        opts.temporal.workflowService.describeTaskQueue({
          namespace: opts.namespace,
          taskQueue: { name: opts.taskQueue, kind: TASK_QUEUE_KIND_NORMAL },
          taskQueueType: TASK_QUEUE_TYPE_WORKFLOW,
          reportStats: true,
        }),
      );
      const age = response.stats?.approximateBacklogAge;
      const ageMs = age ? Number(age.seconds ?? 0) * 1000 + Math.floor((age.nanos ?? 0) / 1e6) : 0;
      reading = { ageMs, at: now() };
    } catch (err) {
      reading = undefined;
      opts.logger.debug({ err: err instanceof Error ? err.message : String(err) }, 'task-queue backlog not read');
    }
  }

  return {
    retryAfterSeconds() {
      if (!checking && (!reading || now() - reading.at >= CHECK_EVERY_MS)) {
        checking = check().finally(() => {
          checking = undefined;
        });
      }
      if (!reading || now() - reading.at > TRUSTED_FOR_MS || reading.ageMs <= opts.maxBacklogAgeMs) return undefined;
      return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, Math.ceil(reading.ageMs / 1000)));
    },
    lastBacklogAgeMs: () => reading?.ageMs,
  };
}
