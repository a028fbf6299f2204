/**
 * The renewal sweep (the daily `renewal-sweep` Schedule, `POST /renewals/sweep`, the CLI): pages
 * through policies expiring within `renewal.window` and starts one renewal workflow per policy term.
 * Each page is one activity; starts are idempotent by workflow id, so a sweep run twice starts
 * nothing twice. The window is fixed when the sweep begins; cursor and counts ride continue-as-new,
 * so a sweep of any size keeps a short history.
 */
import { continueAsNew, workflowInfo } from '@temporalio/workflow';
import { sweepActivities } from './activities';
import type { SweepCounts, SweepInput, SweepProgress } from './contract';

const DEFAULT_PAGE_SIZE = 500;
/** Pages per run before continuing as new: about six history events each. */
const DEFAULT_PAGES_PER_RUN = 50;

export async function renewalSweepWorkflow(input: SweepInput = {}): Promise<SweepCounts> {
  const pageSize = input.pageSize ?? DEFAULT_PAGE_SIZE;
  const pagesPerRun = input.pagesPerRun ?? DEFAULT_PAGES_PER_RUN;
  let progress: SweepProgress | undefined = input.progress;
  for (let pages = 1; ; pages++) {
    const page = await sweepActivities.startRenewalsPage({
      from: progress?.from ?? null,
      until: progress?.until ?? null,
      cursor: progress?.cursor ?? null,
      limit: pageSize,
    });
    progress = {
      from: page.from,
      until: page.until,
      cursor: page.cursor,
      started: (progress?.started ?? 0) + page.started,
      existing: (progress?.existing ?? 0) + page.existing,
    };
    if (page.cursor === null) return { started: progress.started, existing: progress.existing };
    if (pages >= pagesPerRun || workflowInfo().continueAsNewSuggested) {
      return continueAsNew<typeof renewalSweepWorkflow>({ pageSize, pagesPerRun, progress });
    }
  }
}
