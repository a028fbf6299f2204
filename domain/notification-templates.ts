/**
 * The names of the notification templates (notifications/templates.ts renders each). A union, so a
 * workflow naming a template that does not exist fails to compile instead of failing at delivery.
 */
export const NOTIFICATION_TEMPLATES = [
  'claim.documentNotice',
  'claim.documentReminder',
  'claim.documentRequest',
  'claim.denialNotice',
  'survey.request',
  'claim.callTask',
  'claim.advancePaymentTask',
  'clock.warning',
  'clock.breached',
  'clock.escalated',
  'complaint.acknowledgement',
  'complaint.extensionNotice',
  'complaint.proposal',
  'complaint.reviewRequested',
  'complaint.reviewDecision',
  'complaint.regulator',
  'inquiry.promisedTime',
  'inquiry.answer',
  'inquiry.consultationRequest',
  'inquiry.consultationLate',
  'renewal.reminder',
  'renewal.callTask',
  'renewal.renewed',
  'renewal.lapsed',
  'purchase.quote',
  'purchase.correctionNotice',
  'purchase.approved',
  'purchase.paymentReceipt',
  'purchase.confirmation',
  'purchase.expired',
  'purchase.policyClash',
  'training.assigned',
  'training.retake',
  'training.flagged',
  'assessment.selfDue',
  'assessment.scoreDue',
  'assessment.scored',
  'assessment.published',
  'assessment.appealed',
  'assessment.appealAnswered',
  'assessment.promotionReview',

  'facilities.checkDue',
  'facilities.repairOpened',
  'facilities.replacement',
  'case.assigned',
] as const;

export type NotificationTemplate = (typeof NOTIFICATION_TEMPLATES)[number];

export const isNotificationTemplate = (name: string): name is NotificationTemplate =>
  (NOTIFICATION_TEMPLATES as readonly string[]).includes(name);
