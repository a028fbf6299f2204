/**
 * The frame every case workflow's main flow runs in: the view served as a Query and an "opened"
 * Update (the API answers a create once the case is open), a history kept short by continue-as-new,
 * and a run that never ends with work in flight. Each workflow writes only what is its own: when it is
 * finished, and anything it must do after its last handler but before the last projection.
 */
import type { QueryDefinition, UpdateDefinition } from '@temporalio/common';
import { allHandlersFinished, condition, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Journal } from './journal';

/** Keep histories short: long-lived cases continue as new well before Temporal's limits. */
const HISTORY_EVENTS_BEFORE_CONTINUE = 2_000;

export function historyTooLong(): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength > HISTORY_EVENTS_BEFORE_CONTINUE;
}

interface RunState<View> {
  view: View;
  opened: boolean;
  /** The journal's sequence, carried over continue-as-new. */
  seq: number;
}

/** Serves the view: the Query reads it, the Update answers once the case has been opened. */
export function serveView<View>(
  state: RunState<View>,
  getView: QueryDefinition<View>,
  opened: UpdateDefinition<View>,
): void {
  setHandler(getView, () => state.view);
  setHandler(opened, async () => {
    await condition(() => state.opened);
    return state.view;
  });
}

/**
 * Ends the run with nothing lost: handlers finish, then `last` (a closing notice, a survey's
 * outcome), then every projection is written and the sequence saved for the next run.
 */
export async function settleRun<View>(
  state: RunState<View>,
  journal: Journal,
  last?: () => Promise<void>,
): Promise<void> {
  await condition(allHandlersFinished);
  await last?.();
  await journal.drain();
  state.seq = journal.seq;
}
