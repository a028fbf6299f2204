/**
 * The Temporal Schedule `renewal-sweep`: every day at 08:00 Asia/Shanghai it starts the renewal
 * sweep. Created or brought up to date idempotently at start-up: every process may call it, and a
 * second call changes nothing (the schedule carries a fingerprint of what this code wants; only a
 * different fingerprint, or a schedule changed by hand, leads to an update).
 */
import { createHash } from 'node:crypto';
import {
  type Client,
  ScheduleAlreadyRunning,
  type ScheduleOptions,
  type ScheduleOptionsStartWorkflowAction,
  ScheduleOverlapPolicy,
} from '@temporalio/client';
import type { SweepInput } from '../workflows/renewal/contract';
import { renewalSweepWorkflow } from '../workflows/renewal/sweep';
import { TASK_QUEUE } from '../workflows/shared/contract';

const RENEWAL_SCHEDULE_ID = 'renewal-sweep';
const RENEWAL_SCHEDULE_TIMEZONE = 'Asia/Shanghai';
const FINGERPRINT_KEY = 'motordeskSchedule';

export interface RenewalScheduleOptions {
  /** Default `renewal-sweep`. */
  scheduleId?: string;
  /** Where the sweep runs (default the case task queue). */
  taskQueue?: string;
}

export type ScheduleOutcome = 'created' | 'updated' | 'unchanged';

function desired(taskQueue: string, scheduleId: string) {
  const spec = {
    calendars: [{ hour: 8, minute: 0, second: 0, comment: 'daily 08:00 Asia/Shanghai' }],
    timezone: RENEWAL_SCHEDULE_TIMEZONE,
  };
  const policies: ScheduleOptions['policies'] = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' };
  const args: [SweepInput] = [{}];
  const action = {
    type: 'startWorkflow' as const,
    workflowType: renewalSweepWorkflow,
    taskQueue,
    workflowId: `${scheduleId}-run`,
    args,
  };
  const fingerprint = createHash('sha256')
    .update(JSON.stringify({ spec, policies, action: { ...action, workflowType: renewalSweepWorkflow.name } }))
    .digest('hex')
    .slice(0, 16);
  const withMemo: ScheduleOptionsStartWorkflowAction<typeof renewalSweepWorkflow> = {
    ...action,
    memo: { [FINGERPRINT_KEY]: fingerprint },
  };
  return { spec, policies, action: withMemo, fingerprint };
}

export async function ensureRenewalSchedule(
  client: Client,
  opts: RenewalScheduleOptions = {},
): Promise<ScheduleOutcome> {
  const scheduleId = opts.scheduleId ?? RENEWAL_SCHEDULE_ID;
  const want = desired(opts.taskQueue ?? TASK_QUEUE, scheduleId);
  try {
    await client.schedule.create({ scheduleId, spec: want.spec, action: want.action, policies: want.policies });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  const handle = client.schedule.getHandle(scheduleId);
  const current = await handle.describe();
  const action = current.action;
  const same =
    action.type === 'startWorkflow' &&
    action.memo?.[FINGERPRINT_KEY] === want.fingerprint &&
    action.workflowType === renewalSweepWorkflow.name &&
    action.taskQueue === want.action.taskQueue &&
    current.spec.timezone === RENEWAL_SCHEDULE_TIMEZONE &&
    current.spec.calendars?.length === 1 &&
    (current.spec.intervals?.length ?? 0) === 0;
  if (same) return 'unchanged';
  // A pause set by an operator survives the update: this code owns the timing, not the switch.
  await handle.update((previous) => ({
    spec: want.spec,
    action: want.action,
    policies: want.policies,
    state: { paused: previous.state.paused, note: previous.state.note },
  }));
  return 'updated';
}
