/** What every case shares (API.md, "Every case response carries ..."). */
import type { Clock } from './clock';
import type { NotificationTemplate } from './notification-templates';

/**
 * The customer's cases: what GET /cases, its export, q-search and the KPIs read, and the `type` enum
 * of the /cases contract. Exactly these five; a department record is never one of them.
 */
export const CUSTOMER_CASE_TYPES = ['claim', 'complaint', 'inquiry', 'renewal', 'purchase'] as const;
export type CustomerCaseType = (typeof CUSTOMER_CASE_TYPES)[number];

/**
 * The department's own records (考核, 培训, 点检, 维修): durable workflows on the same case kit, projected
 * into the same read model (cases, clocks, timeline, notifications), read only through their own
 * endpoints with their own role rules. One line per type (append-only).
 */
export const DEPARTMENT_RECORD_TYPES = [
  'assessment', // 绩效考核: one per agent per month (workflows/assessment)
  'training', // 培训: one per person per training plan (workflows/training)
  'equipment', // 设备点检: one per registered item, its check cycle for life (workflows/facilities)
  'repair', // 维修档案: one per fault found at a check (workflows/facilities)
] as const;
export type DepartmentRecordType = (typeof DEPARTMENT_RECORD_TYPES)[number];

export type CaseType = CustomerCaseType | DepartmentRecordType;

export function isCustomerCaseType(type: string): type is CustomerCaseType {
  return (CUSTOMER_CASE_TYPES as readonly string[]).includes(type);
}

export function isDepartmentRecordType(type: string): type is DepartmentRecordType {
  return (DEPARTMENT_RECORD_TYPES as readonly string[]).includes(type);
}
/** `hr` (人力资源) is off the case ladder: it keeps staff records and never sees customers' cases. */
export type Role = 'agent' | 'supervisor' | 'manager' | 'hr' | 'admin';
export const ROLES = ['agent', 'supervisor', 'manager', 'hr', 'admin'] as const satisfies readonly Role[];

/**
 * The case ladder: "supervisor or higher" lets in managers and admins. hr ranks below every case
 * role, so no "agent or higher" rule ever lets it in; what hr may do is named for it explicitly.
 */
const ROLE_RANK: Record<Role, number> = { agent: 0, supervisor: 1, manager: 2, admin: 3, hr: -1 };

export function atLeastRole(role: Role, least: Role): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[least];
}

/** Highest on the ladder first (hr last). */
export const byRoleRankDescending = (a: Role, b: Role): number => ROLE_RANK[b] - ROLE_RANK[a];
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
export type NotificationRecipient = NotificationRequest['recipient'];

/**
 * How a recipient is written down (the outbox's `recipient_ref`, the timeline's `to`): `customer`, a
 * staff id, or a role with its team (`supervisor@east`). Never an address: the dispatcher resolves it.
 */
export function recipientRef(recipient: NotificationRecipient): string {
  switch (recipient.kind) {
    case 'customer':
      return 'customer';
    case 'staff':
      return recipient.staffId;
    case 'role':
      return recipient.team ? `${recipient.role}@${recipient.team}` : recipient.role;
  }
}

export interface NotificationRequest {
  key: string;
  channel: NotificationChannel;
  template: NotificationTemplate;
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
  /**
   * Set on the first projection a workflow run makes after it was rebuilt from its history: the last
   * sequence number that history committed. Whatever the read model holds above it (events, the case
   * row and clocks, assignments, compliance exceptions) was written by a workflow task that then
   * failed and was retried (a signal refused its completion, the worker died): this projection
   * replaces it, so the timeline keeps the committed history's events under their own keys.
   */
  supersede?: number;
}
