export { createCaseActivities, type CaseActivityDeps } from './case-activities';
export type { CaseActivities, ClockRequest } from './types';
export { startNotificationDispatcher, drainOnce } from './notifications/dispatcher';
export {
  createDeliveryRouter,
  createLogAdapter,
  createSmtpAdapter,
  type DeliveryAdapter,
} from './notifications/adapters';
export { createSurveyActivities, type SurveyActivities } from './survey-activities';
