import { proxyLocalActivities } from '@temporalio/workflow';
import type { CaseActivities } from '../../activities/types';

/**
 * Local activities: the projection and clock computation run in the worker that holds the workflow,
 * with no task-queue round trip, which keeps `POST /claims` to one wait. Retries are unbounded on
 * purpose: while PostgreSQL is down the case waits and nothing is lost.
 */
export const caseActivities = proxyLocalActivities<CaseActivities>({
  startToCloseTimeout: '30 seconds',
  localRetryThreshold: '10 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '30 seconds', backoffCoefficient: 2 },
});
