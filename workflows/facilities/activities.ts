import { proxyLocalActivities } from '@temporalio/workflow';
import type { FacilitiesActivities } from '../../activities/facilities-activities';

/** Local, with unbounded retries, like the case projection: while PostgreSQL is down the record waits. */
export const facilitiesActivities = proxyLocalActivities<FacilitiesActivities>({
  startToCloseTimeout: '30 seconds',
  localRetryThreshold: '10 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '30 seconds', backoffCoefficient: 2 },
});
