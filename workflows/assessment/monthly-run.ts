/**
 * The `monthly-assessment` Schedule's run (1st of each month, 09:00 Asia/Shanghai): the month just
 * ended, one assessment per active agent (idempotent: a rerun starts nothing twice). In January it
 * also starts the previous year's annual result, which waits for December to be final.
 */
import { ParentClosePolicy, proxyActivities, sleep, startChild, WorkflowIdReusePolicy } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { AssessmentRunActivities } from '../../activities/assessment-activities';
import { previousPeriod } from '../../domain/assessment';
import type { AssessmentRunResult } from '../../services/assessment-run';

const runs = proxyActivities<AssessmentRunActivities>({
  // 2,000 starts at 32 in flight take seconds; the margin is for a loaded cluster.
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

export interface MonthlyAssessmentInput {
  /** `YYYY-MM`; default the month just ended (Asia/Shanghai) when the run starts. */
  period?: string;
}

export interface MonthlyAssessmentResult extends AssessmentRunResult {
  /** The year whose annual result this run started (January's run), or null. */
  annualYear: number | null;
}

export async function monthlyAssessmentWorkflow(input: MonthlyAssessmentInput = {}): Promise<MonthlyAssessmentResult> {
  const period = input.period ?? previousPeriod(new Date());
  const result = await runs.runMonthlyAssessments({ period });
  if (!period.endsWith('-12')) return { ...result, annualYear: null };
  const year = Number(period.slice(0, 4));
  try {
    // Its own workflow, left running when this run ends: the next month's run must not be skipped for it.
    await startChild(annualAssessmentWorkflow, {
      workflowId: `annual-assessment-${year}`,
      args: [{ year }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
  } catch (err) {
    // Started by an earlier run of this month (a retried Schedule action): it is already waiting.
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  return { ...result, annualYear: year };
}

export interface AnnualAssessmentInput {
  year: number;
  /** How long to wait for the year's last months to become final (default 40 days). */
  waitDays?: number;
}

/**
 * 年度考核: once every month of the year is final (December's appeals answered, mid-January), or the
 * wait is over, the twelve months are combined and the year's excellent staff named.
 */
export async function annualAssessmentWorkflow({ year, waitDays = 40 }: AnnualAssessmentInput) {
  for (let day = 0; day < waitDays; day++) {
    if ((await runs.pendingAssessmentsOfYear({ year })) === 0) break;
    await sleep('1 day');
  }
  return runs.fixAnnualAssessment({ year });
}
