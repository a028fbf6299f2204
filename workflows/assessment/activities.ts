import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type {
  AssessmentConsequenceActivities,
  AssessmentRecordActivities,
} from '../../activities/assessment-activities';

/** Short reads in PostgreSQL, local and retried without end like the case activities: while it is down the month waits. */
export const assessmentReads = proxyLocalActivities<AssessmentRecordActivities>({
  startToCloseTimeout: '30 seconds',
  localRetryThreshold: '10 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '30 seconds', backoffCoefficient: 2 },
});

/** The consequences start a training workflow: a regular activity, retried (assignTraining is idempotent). */
export const assessmentConsequences = proxyActivities<AssessmentConsequenceActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});
