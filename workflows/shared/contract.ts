/** Messages every case workflow answers, and the names the API and worker share. */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor } from '../../domain/case';

export const TASK_QUEUE = 'motordesk-cases';

export interface AssignInput {
  actor: Actor;
  assignee: string;
}
export interface NoteInput {
  actor: Actor;
  text: string;
}

/** Variable name = wire name. Every case type registers these two. */
export const assignCase = defineUpdate<unknown, [AssignInput]>('assignCase');
export const addNote = defineUpdate<unknown, [NoteInput]>('addNote');

export interface DeliveryReceipt {
  /** The notification's idempotency key (workflow id + purpose). */
  key: string;
  /** What the notice was for (`documentNotice`, `proposal:2` ...): the purpose it was queued with. */
  purpose?: string;
  sentAt: string;
}

/** A notification's idempotency key: `<workflowId>:<purpose>` (workflow ids never contain ':'). */
export const notificationKey = (workflowId: string, purpose: string): string => `${workflowId}:${purpose}`;

/** The workflow a notification belongs to and what it was for, from its key. */
export function splitNotificationKey(key: string): { workflowId: string; purpose: string } {
  const colon = key.indexOf(':');
  return { workflowId: key.slice(0, colon), purpose: key.slice(colon + 1) };
}

/** A receipt's purpose; receipts signalled before they carried it are read from their key. */
export const receiptPurpose = (receipt: DeliveryReceipt): string =>
  receipt.purpose ?? splitNotificationKey(receipt.key).purpose;
/**
 * Official holiday data arrived for a year (PUT /admin/calendar/{year}): clocks computed on
 * provisional data are computed again from their start, and so are the open clocks that touch
 * `days` (the days of December N−1 that year N's file fixes, which belong to N−1's calendar).
 */
export interface CalendarChange {
  year: number;
  /** `YYYY-MM-DD` days of another year's calendar the file changed; absent when none. */
  days?: string[];
}
export const calendarChanged = defineSignal<[CalendarChange]>('calendarChanged');

/** Every case's workflow id is `<type>-<case id>`; case ids never contain ':' (notification keys rely on it). */
export const caseWorkflowId = (type: string, caseId: string): string => `${type}-${caseId}`;

/** Fire-and-forget from the notification dispatcher: a notice that asked for a receipt went out. */
export const notificationDelivered = defineSignal<[DeliveryReceipt]>('notificationDelivered');

/**
 * Search attributes that make cases findable in `temporal workflow list` and the Web UI.
 * Never personal data here: only codes, staff ids and instants.
 */
export const CaseType = defineSearchAttributeKey('CaseType', SearchAttributeType.KEYWORD);
export const CaseStatus = defineSearchAttributeKey('CaseStatus', SearchAttributeType.KEYWORD);
export const Team = defineSearchAttributeKey('Team', SearchAttributeType.KEYWORD);
export const Assignee = defineSearchAttributeKey('Assignee', SearchAttributeType.KEYWORD);
export const EscalationLevel = defineSearchAttributeKey('EscalationLevel', SearchAttributeType.INT);
export const NextDeadline = defineSearchAttributeKey('NextDeadline', SearchAttributeType.DATETIME);
export const SlaBreached = defineSearchAttributeKey('SlaBreached', SearchAttributeType.BOOL);

/** Every search attribute a case sets; dev servers and test servers register exactly these. */
export const CASE_SEARCH_ATTRIBUTES = [
  CaseType,
  CaseStatus,
  Team,
  Assignee,
  EscalationLevel,
  NextDeadline,
  SlaBreached,
];

const CLI_TYPE_NAMES = { KEYWORD: 'Keyword', INT: 'Int', DATETIME: 'Datetime', BOOL: 'Bool' } as const;

/** For `temporal server start-dev --search-attribute` and the operator service in tests: name → CLI type name. */
export const SEARCH_ATTRIBUTES: Record<string, 'Keyword' | 'Int' | 'Datetime' | 'Bool'> = Object.fromEntries(
  CASE_SEARCH_ATTRIBUTES.map((key) => [key.name, CLI_TYPE_NAMES[key.type]]),
);

/**
 * The failure type of a projection the read model refused for good (a data error): the activity
 * records it, the workflow carries on, and later projections bring the case row up to date.
 */
export const PROJECTION_REJECTED = 'ProjectionRejected';

/** Business refusals raised by update validators; the API maps them to HTTP codes. */
export const REFUSAL = {
  /** The case's status does not allow the action (HTTP 409). */
  invalidState: 'InvalidStateTransition',
  /** The input is well-formed but not acceptable for this case (HTTP 422). */
  invalidInput: 'InvalidCaseInput',
  /** The caller's role may not take this action (HTTP 403); the API checks first, the workflow again. */
  forbidden: 'ActionForbidden',
} as const;
