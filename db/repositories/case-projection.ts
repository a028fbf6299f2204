/**
 * The write side of the case read model: workflows project each state change through one activity
 * (`applyProjection`), idempotently and never backwards. What lists and reports read is in case-reads.ts.
 */
import { sql } from 'kysely';
import { type CaseProjection, type NotificationRequest, recipientRef } from '../../domain/case';
import { anyBreached, type Clock, nextDeadlineOf } from '../../domain/clock';
import { getPersonalData } from './personal-data';
import { searchHashesOf } from './search-keys';
import type { Executor } from './support';

export interface ProjectionResult {
  /** False when the stored row was already at this version or newer (a retry, or a late older write). */
  caseWritten: boolean;
  eventsInserted: number;
  notificationsInserted: number;
}

/**
 * Writes one state change of a case in one statement, `apply_case_projection` (migration
 * 2026_12_03_1500), which writes in this order inside the caller's transaction:
 * - with `p.supersede`, first removes what a failed workflow task wrote above that committed
 *   sequence number (its local activities ran, and projected, before the server refused the task;
 *   the retried task numbers its events from the same point but in another order, or not at all):
 *   the timeline events, compliance exceptions and assignments keyed above it (journal keys are
 *   `<case id>:<sequence number>`, assignments `<case id>:v<version>`; other keys, a dispatcher's
 *   `notification:<id>:sent`, are never touched) and the clocks only that task started. Without this,
 *   an event of the retry whose key the failed task took is lost, and the failed task's events stand
 *   beside the retry's ("case.closed" twice). Notifications stay: their keys do not depend on the
 *   order, and one may already have been sent;
 * - the case row, only when `p.version` is newer than the stored one (or the stored one was written
 *   above `p.supersede`), with a new assignment when the assignee is not the case's last one (only a
 *   newer projection can carry a new assignee; the history keeps every one, for per-agent figures);
 * - the clocks, each under the same version rule;
 * - the timeline events, the compliance exceptions and the notifications, once each by key whatever
 *   the version (an older projection's are still facts; a retry writes nothing twice);
 * - the search hashes of the phones and plates the case's personal data holds now, with a case row
 *   that was written (read just before: a purchase's application adds some later).
 *
 * One round trip for the write (two with the personal data read for the search keys) instead of
 * four, and no query built per call: building them was most of the worker's CPU per opened case
 * (issue 10). Applying the same projection again writes nothing.
 */
export async function applyProjection(
  db: Executor,
  p: CaseProjection,
  opts: { searchKey?: string } = {},
): Promise<ProjectionResult> {
  const clocks = dedupeClocks(p.summary.clocks);
  const searchKeys = opts.searchKey ? searchHashesOf(opts.searchKey, await getPersonalData(db, p.summary.id)) : [];
  const written = { ...projectionRows(p, clocks), searchKeys };
  const { rows } = await sql<{ result: unknown }>`
    select apply_case_projection(cast(${JSON.stringify(written, wellFormed)} as jsonb)) as result`.execute(db);
  const result = rows[0]?.result;
  const { caseWritten, events, notifications } = (typeof result === 'string' ? JSON.parse(result) : result) as {
    caseWritten: boolean;
    events: number;
    notifications: number;
  };
  return { caseWritten, eventsInserted: events, notificationsInserted: notifications };
}

/**
 * A string with a lone UTF-16 surrogate, kept as U+FFFD: jsonb refuses the escape JSON.stringify
 * writes for it (22P02, a projection refused for good), where a plain text parameter always got the
 * replacement character on its way to UTF-8.
 */
function wellFormed(_key: string, value: unknown): unknown {
  // Node 20 has it; TypeScript's ES2023 library, which keeps newer APIs out, does not declare it.
  return typeof value === 'string' ? (value as string & { toWellFormed(): string }).toWellFormed() : value;
}

/** The rows `apply_case_projection` writes, every value computed here (timestamps as ISO strings). */
function projectionRows(p: CaseProjection, clocks: Clock[]) {
  const { summary } = p;
  // The next deadline among clocks still running; an ended case has none (its clocks may still show a
  // past breach, which is history, not a deadline). `endedAt` also ends a breach met late in a case
  // recorded before `endedAs` existed.
  const next = p.closed ? null : nextDeadlineOf(clocks.filter((c) => c.endedAt === undefined));
  return {
    supersede: p.supersede ?? null,
    version: p.version,
    case: {
      id: summary.id,
      type: summary.type,
      status: summary.status,
      team: summary.team,
      assignee: summary.assignee,
      escalation_level: summary.escalationLevel,
      policy_no: summary.policyNo,
      // As the clocks' own instants: PostgreSQL casts it (an instant it cannot read is a data error, 22007).
      next_due_at: next,
      sla_breached: anyBreached(clocks),
      data: p.data,
      created_at: summary.createdAt,
      updated_at: summary.updatedAt,
      closed_at: p.closed ? summary.updatedAt : null,
    },
    clocks: clocks.map((c) => ({
      clock_id: c.id,
      policy: c.policy,
      kind: c.kind,
      state: c.state,
      started_at: c.startedAt,
      due_at: c.dueAt,
      warn_at: c.warnAt,
      ended_at: c.endedAt ?? null,
      provisional: c.provisional,
      escalations: c.escalations,
    })),
    events: p.events.map((e) => ({ event_key: e.key, at: e.at, actor: e.actor, kind: e.kind, detail: e.detail })),
    exceptions: exceptionRows(p),
    notifications: p.notifications.map(notificationRow),
  };
}

/** The timeline event a compliance exception is recorded with; each becomes a compliance_exceptions row. */
export const COMPLIANCE_EXCEPTION_EVENT = 'compliance.exception';

/** A row per compliance-exception event, once by its key (the breach report counts them). */
function exceptionRows(p: CaseProjection) {
  return p.events
    .filter((e) => e.kind === COMPLIANCE_EXCEPTION_EVENT)
    .map((e) => ({
      case_type: p.summary.type,
      team: p.summary.team,
      event_key: e.key,
      at: e.at,
      kind: typeof e.detail.kind === 'string' ? e.detail.kind : 'document_request',
      documents: Array.isArray(e.detail.documents) ? e.detail.documents.map(String) : [],
      cause: typeof e.detail.cause === 'string' ? e.detail.cause : '',
      actor: e.actor,
    }));
}

/** Recipients are stored by role, never by address: the dispatcher resolves the address at delivery. */
function notificationRow(n: NotificationRequest) {
  return {
    idempotency_key: n.key,
    channel: n.channel,
    template: n.template,
    params: n.params,
    recipient_kind: n.recipient.kind,
    recipient_ref: recipientRef(n.recipient),
    receipt: n.receipt ?? false,
  };
}

/** A clock id twice in one INSERT would make ON CONFLICT DO UPDATE fail; the last entry wins. */
function dedupeClocks(clocks: Clock[]): Clock[] {
  return [...new Map(clocks.map((c) => [c.id, c])).values()];
}
