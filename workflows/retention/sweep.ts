/**
 * The `personal-data-retention` Schedule's run (daily 03:30 Asia/Shanghai): closed cases whose
 * retention (保险法 第八十七条, domain/retention.ts) has passed lose their personal data. The instant
 * it judges by is fixed when the run begins; each page is one activity, pages continue as new, so a
 * run of any size keeps a short history. Idempotent: an anonymised case is not read again.
 */
import { continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { RetentionActivities } from '../../activities/retention-activities';

const { anonymiseExpiredPage } = proxyActivities<RetentionActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

const DEFAULT_PAGE_SIZE = 200;
const DEFAULT_PAGES_PER_RUN = 50;

export interface RetentionSweepInput {
  /** The instant retention is judged at (ISO); default the run's start. */
  asOf?: string;
  /** Only cases of these teams (a run by hand, the tests); default every case. */
  teams?: string[];
  pageSize?: number;
  pagesPerRun?: number;
  /** Carried over continue-as-new. */
  progress?: { cursor: string | null; checked: number; anonymised: number };
}

export interface RetentionSweepResult {
  asOf: string;
  checked: number;
  anonymised: number;
}

export async function personalDataRetentionWorkflow(input: RetentionSweepInput = {}): Promise<RetentionSweepResult> {
  const asOf = input.asOf ?? new Date().toISOString();
  const pageSize = input.pageSize ?? DEFAULT_PAGE_SIZE;
  const pagesPerRun = input.pagesPerRun ?? DEFAULT_PAGES_PER_RUN;
  let progress = input.progress ?? { cursor: null, checked: 0, anonymised: 0 };
  for (let pages = 1; ; pages++) {
    const page = await anonymiseExpiredPage({
      asOf,
      cursor: progress.cursor,
      limit: pageSize,
      ...(input.teams ? { teams: input.teams } : {}),
    });
    progress = {
      cursor: page.cursor,
      checked: progress.checked + page.checked,
      anonymised: progress.anonymised + page.anonymised,
    };
    if (page.cursor === null) return { asOf, checked: progress.checked, anonymised: progress.anonymised };
    if (pages >= pagesPerRun || workflowInfo().continueAsNewSuggested) {
      return continueAsNew<typeof personalDataRetentionWorkflow>({ ...input, asOf, progress });
    }
  }
}
