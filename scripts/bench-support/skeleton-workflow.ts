/**
 * The bench's skeleton (issue 10): a workflow with the history shape of a claim's opening and none
 * of its work, bundled only by the benchmarks (never part of the production bundle). Opened by
 * update-with-start like a claim; in its first task it runs the same local activities (no-ops in the
 * bench worker), upserts the same search attributes, records the same patch markers and starts the
 * same number of timers, then sleeps like an opened claim. `shape` is counted from a real claim's
 * history by the bench, so the skeleton follows the claim when the claim's opening changes.
 * It is what our own code can approach: `POST /claims` ÷ skeleton is the share the claim keeps.
 */
import { condition, defineUpdate, patched, proxyLocalActivities, setHandler, sleep } from '@temporalio/workflow';
import { upsertSearchAttributes } from '@temporalio/workflow';
import {
  Assignee,
  CaseStatus,
  CaseType,
  EscalationLevel,
  NextDeadline,
  SlaBreached,
  Team,
} from '../../workflows/shared/contract';
import type { SkeletonActivities } from './skeleton-activities';

export interface SkeletonShape {
  /** Local activities in the opening task (a claim: scheduleClocks, projectCase). */
  localActivities: number;
  /** Timers started in the opening task. */
  timers: number;
  /** patched() markers in the opening task. */
  patches: number;
}

export const skeletonOpened = defineUpdate<unknown>('skeletonOpened');

const activities = proxyLocalActivities<SkeletonActivities>({
  startToCloseTimeout: '30 seconds',
  localRetryThreshold: '10 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '30 seconds', backoffCoefficient: 2 },
});

export async function benchSkeletonWorkflow(input: { team: string }, shape: SkeletonShape): Promise<void> {
  let opened = false;
  setHandler(skeletonOpened, async () => {
    await condition(() => opened);
    return input;
  });
  // A claim: clocks computed (local activity), timers of its clocks, the projection's upsert and
  // patch marker, the projection (local activity), the reminder's timer.
  for (let i = 0; i < shape.localActivities; i++) {
    if (i === shape.localActivities - 1) {
      upsertSearchAttributes([
        { key: CaseType, value: 'claim' },
        { key: CaseStatus, value: 'awaiting_documents' },
        { key: Team, value: input.team },
        { key: Assignee, value: null },
        { key: EscalationLevel, value: 0 },
        { key: NextDeadline, value: new Date(Date.now() + 30 * 60_000) },
        { key: SlaBreached, value: false },
      ]);
      for (let p = 0; p < shape.patches; p++) patched(`bench-skeleton-${p}`);
    }
    await (i === 0 ? activities.scheduleClocks() : activities.projectCase());
  }
  for (let t = 0; t < shape.timers; t++) void sleep(`${30 + t} days`);
  opened = true;
  // Sleeps like an opened claim: cached by the worker until evicted.
  await condition(() => false);
}
