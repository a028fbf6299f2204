/**
 * The `facilities-checks` Schedule's run (今日点检): every morning the items whose check falls due by
 * the end of the Shanghai day (or is overdue) are told their check is open, and their team with them.
 * One regular activity per page; a rerun the same day tells nobody twice (the item keeps the day).
 */
import { proxyActivities } from '@temporalio/workflow';
import type { FacilitiesSweepActivities } from '../../activities/facilities-activities';
import { addDays, shanghaiDate, shanghaiInstant } from '../../domain/civil-time';

const { openDueChecks } = proxyActivities<FacilitiesSweepActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

const PAGE_SIZE = 200;

export interface CheckSweepInput {
  /** `YYYY-MM-DD` (Shanghai): the day to open the checks for; default today (a run by hand may open tomorrow's). */
  day?: string;
  /** Page size (tests); default 200. */
  pageSize?: number;
}

export interface CheckSweepPage {
  /** `YYYY-MM-DD`, Shanghai: the day the checks are opened for. */
  day: string;
  /** Checks due by this instant (the end of `day`) are opened. */
  dueBy: string;
  after: string | null;
  limit: number;
}

export interface CheckSweepPageResult {
  opened: number;
  cursor: string | null;
}

export async function facilitiesCheckSweepWorkflow(
  input: CheckSweepInput = {},
): Promise<{ day: string; opened: number }> {
  const day = input.day ?? shanghaiDate(new Date());
  const dueBy = shanghaiInstant(addDays(day, 1)).toISOString();
  let opened = 0;
  let after: string | null = null;
  do {
    const page: CheckSweepPageResult = await openDueChecks({
      day,
      dueBy,
      after,
      limit: input.pageSize ?? PAGE_SIZE,
    });
    opened += page.opened;
    after = page.cursor;
  } while (after !== null);
  return { day, opened };
}
