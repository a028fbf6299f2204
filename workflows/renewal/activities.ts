import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { RenewalCaseActivities, RenewalSweepActivities } from '../../activities/renewal-activities';

/**
 * Local, with unbounded retries, like the case activities: planning, the offer and the
 * do-not-contact list are short reads and writes in PostgreSQL; while it is down the case waits.
 */
export const renewalActivities = proxyLocalActivities<RenewalCaseActivities>({
  startToCloseTimeout: '30 seconds',
  localRetryThreshold: '10 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '30 seconds', backoffCoefficient: 2 },
});

/**
 * A sweep page starts hundreds of workflows: a regular activity (any worker may take it) that
 * heartbeats between chunks, so a worker lost mid-page is noticed within a minute. A retried page
 * is harmless: every start is idempotent by workflow id.
 */
export const sweepActivities = proxyActivities<RenewalSweepActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});
