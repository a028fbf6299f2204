/**
 * The `periodic-training` Schedule's run: this month's periodic rounds (定期培训), in one activity.
 * A regular activity (it starts a workflow per person), retried until the database answers; a
 * retry assigns nothing twice.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { TrainingActivities } from '../../activities/training-activities';
import { shanghaiMonth } from '../../domain/civil-time';
import type { PeriodicRoundsResult } from '../../services/periodic-training';

const { assignPeriodicRounds } = proxyActivities<TrainingActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

export interface PeriodicTrainingInput {
  /** `YYYY-MM`; default the month the run starts in (Asia/Shanghai). */
  month?: string;
  /** Only these teams (a run by hand); default every team with active staff. */
  teams?: string[];
}

export async function periodicTrainingWorkflow(input: PeriodicTrainingInput = {}): Promise<PeriodicRoundsResult> {
  return assignPeriodicRounds({
    month: input.month ?? shanghaiMonth(new Date()),
    ...(input.teams ? { teams: input.teams } : {}),
  });
}
