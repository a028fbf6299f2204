import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { PurchaseCaseActivities, PurchaseRenewalActivities } from '../../activities/purchase-activities';

/**
 * Local, with unbounded retries, like the case activities: short reads and writes in PostgreSQL
 * (adopting a stored form, writing the issued policy); while it is down the case waits.
 */
export const purchaseActivities = proxyLocalActivities<PurchaseCaseActivities>({
  startToCloseTimeout: '30 seconds',
  localRetryThreshold: '10 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '30 seconds', backoffCoefficient: 2 },
});

/** Marking the renewal renewed is an Update on another workflow: a regular activity, retried. */
export const renewalLinkActivities = proxyActivities<PurchaseRenewalActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});
