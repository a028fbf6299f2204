/** What every case shares (API.md, "Every case response carries ..."). */
import type { Clock } from './clock';

export type CaseType = 'claim' | 'complaint' | 'inquiry' | 'renewal' | 'purchase';
/** `hr` (人力资源) is off the case ladder: it keeps staff records and never sees customers' cases. */
export type Role = 'agent' | 'supervisor' | 'manager' | 'hr' | 'admin';
/** 0 agent, 1 supervisor, 2 manager. */
export type EscalationLevel = 0 | 1 | 2;

export interface Actor {
  id: string;
  role: Role;
  team?: string;
}

/** The system itself acting (timers, schedules). */
export const SYSTEM_ACTOR: Actor = { id: 'system', role: 'admin' };

/** An append-only timeline entry; `key` makes the write idempotent (case id + sequence number). */
export interface TimelineEvent {
  key: string;
  at: string;
  actor: string;
  kind: string;
  detail: Record<string, unknown>;
}

export type NotificationChannel = 'sms' | 'email' | 'internal';

/**
 * A notification for the outbox. `key` is the idempotency key (workflow id + purpose): a retried
 * activity can never queue the same notification twice. Recipients are named by role, never by
 * address, so no personal data passes through workflow history.
 */
export interface NotificationRequest {
  key: string;
  channel: NotificationChannel;
  template: string;
  recipient: { kind: 'customer' } | { kind: 'staff'; staffId: string } | { kind: 'role'; role: Role; team?: string };
  params: Record<string, string | number | boolean | string[] | Record<string, string | number | null>[] | null>;
  /**
   * The workflow wants a delivery receipt (signal `notificationDelivered`): statutory notices
   * (documents list, denial) count as given only once actually sent.
   */
  receipt?: boolean;
}

export interface CaseSummary {
  id: string;
  type: CaseType;
  status: string;
  team: string;
  assignee: string | null;
  escalationLevel: EscalationLevel;
  policyNo: string | null;
  clocks: Clock[];
  createdAt: string;
  updatedAt: string;
}

/** One state change of a case, written in one transaction, idempotently. */
export interface CaseProjection {
  summary: CaseSummary;
  /** The full case view without personal data (stored as `cases.data`). */
  data: Record<string, unknown>;
  /** Monotonic per case (the workflow's event sequence); older projections never overwrite newer ones. */
  version: number;
  closed: boolean;
  events: TimelineEvent[];
  notifications: NotificationRequest[];
}
