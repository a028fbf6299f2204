/**
 * The notifications outbox. Workflows queue rows idempotently (see applyProjection); dispatchers lease
 * them with FOR UPDATE SKIP LOCKED so several workers drain one outbox without sending a row twice,
 * and a dispatcher that dies mid-send loses its lease rather than the notification.
 */
import { sql } from 'kysely';
import type { NotificationChannel } from '../../domain/case';
import type { Executor } from './support';

/** What clients see: `sending` is an internal lease state and reads as `queued`. */
export type NotificationStatus = 'queued' | 'sent' | 'suppressed' | 'failed';

export interface NotificationListItem {
  id: string;
  caseId: string | null;
  channel: NotificationChannel;
  template: string;
  /** The address used, once sent. Personal data: the API masks it. */
  recipient: string | null;
  status: NotificationStatus;
  createdAt: Date;
  sentAt: Date | null;
}

export interface NotificationListFilter {
  caseId?: string;
  /** Team scope: only notifications of that team's cases (rows without a case are excluded). */
  team?: string;
  /** 1..500, default 100. */
  limit?: number;
}

/** With `caseId`: the case's notifications in the order they were queued. Without: newest first. */
export async function listNotifications(
  db: Executor,
  filter: NotificationListFilter = {},
): Promise<NotificationListItem[]> {
  const limit = Math.min(500, Math.max(1, Math.trunc(filter.limit ?? 100)));
  let query = db
    .selectFrom('notifications as n')
    .select(['n.id', 'n.case_id', 'n.channel', 'n.template', 'n.recipient', 'n.status', 'n.created_at', 'n.sent_at']);
  if (filter.caseId !== undefined) query = query.where('n.case_id', '=', filter.caseId);
  if (filter.team !== undefined) {
    const team = filter.team;
    query = query.where((eb) =>
      eb.exists(
        eb.selectFrom('cases as c').select('c.id').whereRef('c.id', '=', 'n.case_id').where('c.team', '=', team),
      ),
    );
  }
  const rows = await query
    .orderBy('n.id', filter.caseId !== undefined ? 'asc' : 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    caseId: r.case_id,
    channel: r.channel as NotificationChannel,
    template: r.template,
    recipient: r.recipient,
    status: (r.status === 'sending' ? 'queued' : r.status) as NotificationStatus,
    createdAt: r.created_at,
    sentAt: r.sent_at,
  }));
}

export interface ClaimedNotification {
  id: string;
  caseId: string | null;
  /** `<workflowId>:<purpose>`: the delivery receipt goes to that workflow. */
  idempotencyKey: string;
  channel: NotificationChannel;
  template: string;
  params: Record<string, unknown>;
  /** `customer` | `staff` | `role`. */
  recipientKind: string;
  /** `customer`, a staff id, or `role` / `role@team`. */
  recipientRef: string;
  /** The workflow waits for a delivery receipt (statutory notices). */
  receipt: boolean;
  /** Failed attempts so far (a lost lease does not count). */
  attempts: number;
}

export interface ClaimOptions {
  /** How long the claimer owns the rows; after that another dispatcher may take them. Default 60 s. */
  leaseMs?: number;
}

/**
 * Leases up to `limit` deliverable rows, oldest first: queued ones whose back-off has passed, and
 * `sending` ones whose lease ran out (their dispatcher died). One statement, so it is atomic on its own.
 */
export async function claimDueNotifications(
  db: Executor,
  limit: number,
  opts: ClaimOptions = {},
): Promise<ClaimedNotification[]> {
  const leaseMs = Math.max(0, Math.trunc(opts.leaseMs ?? 60_000));
  const rows = await db
    .with('due', (qb) =>
      qb
        .selectFrom('notifications')
        .select('id')
        .where((eb) =>
          eb.or([
            eb.and([eb('status', '=', 'queued'), eb('available_at', '<=', sql<Date>`now()`)]),
            eb.and([eb('status', '=', 'sending'), eb('lease_until', '<', sql<Date>`now()`)]),
          ]),
        )
        .orderBy('id')
        .limit(Math.max(1, Math.trunc(limit)))
        .forUpdate()
        .skipLocked(),
    )
    .updateTable('notifications')
    .from('due')
    .set({ status: 'sending', lease_until: sql<Date>`now() + make_interval(secs => ${leaseMs / 1000})` })
    .whereRef('notifications.id', '=', 'due.id')
    .returning([
      'notifications.id',
      'notifications.case_id',
      'notifications.idempotency_key',
      'notifications.channel',
      'notifications.template',
      'notifications.params',
      'notifications.recipient_kind',
      'notifications.recipient_ref',
      'notifications.receipt',
      'notifications.attempts',
    ])
    .execute();
  return rows
    .map((r) => ({
      id: r.id,
      caseId: r.case_id,
      idempotencyKey: r.idempotency_key,
      channel: r.channel as NotificationChannel,
      template: r.template,
      params: r.params,
      recipientKind: r.recipient_kind,
      recipientRef: r.recipient_ref,
      receipt: r.receipt,
      attempts: r.attempts,
    }))
    .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
}

/** Delivered: records the address actually used (personal data; masked on read by the API). */
export async function markNotificationSent(db: Executor, id: string, recipient: string, sentAt: Date): Promise<void> {
  await db
    .updateTable('notifications')
    .set({ status: 'sent', recipient, sent_at: sentAt, lease_until: null, last_error: null })
    .where('id', '=', id)
    .execute();
}

export interface FailureOptions {
  /** No more attempts: the row ends `failed`. Otherwise it goes back to `queued`. */
  final: boolean;
  /** Back-off: not handed out again before this instant (default: at once). */
  retryAt?: Date;
}

/** `error` must not contain personal data: it is stored and may be shown to operators. */
export async function markNotificationFailed(
  db: Executor,
  id: string,
  error: string,
  opts: FailureOptions,
): Promise<void> {
  await db
    .updateTable('notifications')
    .set((eb) => ({
      status: opts.final ? 'failed' : 'queued',
      attempts: eb('attempts', '+', 1),
      last_error: error.slice(0, 1000),
      lease_until: null,
      available_at: opts.retryAt ?? sql<Date>`now()`,
    }))
    .where('id', '=', id)
    .execute();
}

/** Deliberately not sent (quiet hours passed, do-not-contact list ...); `reason` is kept in last_error. */
export async function markNotificationSuppressed(db: Executor, id: string, reason: string): Promise<void> {
  await db
    .updateTable('notifications')
    .set({ status: 'suppressed', last_error: reason.slice(0, 1000), lease_until: null })
    .where('id', '=', id)
    .execute();
}

/** Sent notices whose delivery receipt has not yet reached the workflow (Temporal was unreachable). */
export async function listUnconfirmedReceipts(
  db: Executor,
  limit: number,
): Promise<{ id: string; idempotencyKey: string; sentAt: Date }[]> {
  const rows = await db
    .selectFrom('notifications')
    .select(['id', 'idempotency_key', 'sent_at'])
    .where('receipt', '=', true)
    .where('status', '=', 'sent')
    .where('receipt_confirmed_at', 'is', null)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, idempotencyKey: r.idempotency_key, sentAt: r.sent_at ?? new Date() }));
}

export async function confirmReceipt(db: Executor, id: string): Promise<void> {
  await db
    .updateTable('notifications')
    .set({ receipt_confirmed_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}
