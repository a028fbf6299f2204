/**
 * The department's Temporal Schedules, created or brought up to date idempotently at start-up: every
 * process may call `ensureSchedule`, and a second call changes nothing. Each schedule carries a
 * fingerprint of what this code wants; only a different fingerprint (or a schedule changed by hand)
 * leads to an update. A pause set by an operator survives the update: this code owns the timing, not
 * the switch.
 */
import { createHash } from 'node:crypto';
import {
  type Client,
  ScheduleAlreadyRunning,
  type ScheduleOptions,
  type ScheduleOptionsStartWorkflowAction,
  ScheduleOverlapPolicy,
} from '@temporalio/client';
import type { Workflow } from '@temporalio/common';

/** Every schedule of ours fires on Shanghai wall-clock time (the rulebook's days are Beijing days). */
export const SCHEDULE_TIMEZONE = 'Asia/Shanghai';
const FINGERPRINT_KEY = 'motordeskSchedule';

export type ScheduleOutcome = 'created' | 'updated' | 'unchanged';

export interface CalendarTime {
  /** 1..31; omitted = every day. */
  dayOfMonth?: number;
  hour: number;
  minute?: number;
  comment: string;
}

export interface ScheduleWanted<W extends Workflow> {
  scheduleId: string;
  /** When it fires, in Asia/Shanghai. */
  at: CalendarTime;
  workflow: W;
  args: Parameters<W>;
  taskQueue: string;
  /** Each run's workflow id (Temporal appends the run's instant). */
  workflowId: string;
}

function desired<W extends Workflow>(want: ScheduleWanted<W>) {
  const { at } = want;
  const spec = {
    calendars: [
      {
        ...(at.dayOfMonth === undefined ? {} : { dayOfMonth: at.dayOfMonth }),
        hour: at.hour,
        minute: at.minute ?? 0,
        second: 0,
        comment: at.comment,
      },
    ],
    timezone: SCHEDULE_TIMEZONE,
  };
  // A run missed while the cluster was down is caught up within the hour; never two at once.
  const policies: ScheduleOptions['policies'] = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: want.workflow,
    taskQueue: want.taskQueue,
    workflowId: want.workflowId,
    args: want.args,
  };
  const fingerprint = createHash('sha256')
    .update(JSON.stringify({ spec, policies, action: { ...action, workflowType: want.workflow.name } }))
    .digest('hex')
    .slice(0, 16);
  const withMemo = { ...action, memo: { [FINGERPRINT_KEY]: fingerprint } } as ScheduleOptionsStartWorkflowAction<W>;
  return { spec, policies, action: withMemo, fingerprint };
}

export async function ensureSchedule<W extends Workflow>(
  client: Client,
  wanted: ScheduleWanted<W>,
): Promise<ScheduleOutcome> {
  const want = desired(wanted);
  const { scheduleId } = wanted;
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
    action.workflowType === wanted.workflow.name &&
    action.taskQueue === wanted.taskQueue &&
    current.spec.timezone === SCHEDULE_TIMEZONE &&
    current.spec.calendars?.length === 1 &&
    (current.spec.intervals?.length ?? 0) === 0;
  if (same) return 'unchanged';
  await handle.update((previous) => ({
    spec: want.spec,
    action: want.action,
    policies: want.policies,
    state: { paused: previous.state.paused, note: previous.state.note },
  }));
  return 'updated';
}
