/**
 * The case read model: what lists, filters and reports read. Workflows write it through one activity
 * (`applyProjection`), idempotently and never backwards; the API only reads it.
 */
import type { Selectable } from 'kysely';
import type { CaseProjection, CaseType, EscalationLevel, NotificationRequest } from '../../domain/case';
import { type Clock, isClockOpen } from '../../domain/clock';
import { InvalidCursorError } from '../errors';
import type { CasesTable } from '../schema';
import { type Executor, inTransaction, jsonb } from './support';

export interface ProjectionResult {
  /** False when the stored row was already at this version or newer (a retry, or a late older write). */
  caseWritten: boolean;
  eventsInserted: number;
  notificationsInserted: number;
}

/**
 * Writes one state change of a case in one transaction: the case row and its clocks (only when
 * `p.version` is newer than what is stored), the timeline events and the queued notifications (each
 * once, by key). Applying the same projection again writes nothing.
 */
export async function applyProjection(db: Executor, p: CaseProjection): Promise<ProjectionResult> {
  const { summary } = p;
  const clocks = dedupeClocks(summary.clocks);
  // The next deadline among clocks still running; an ended case has none (its clocks may still show a
  // past breach, which is history, not a deadline). `endedAt` also ends a breach met late in a case
  // recorded before `endedAs` existed.
  const open = p.closed ? [] : clocks.filter((c) => isClockOpen(c) && c.endedAt === undefined);
  const nextDueAt = open.length ? new Date(Math.min(...open.map((c) => Date.parse(c.dueAt)))) : null;
  const closedAt = p.closed ? summary.updatedAt : null;

  return inTransaction(db, async (trx) => {
    const written = await trx
      .insertInto('cases')
      .values({
        id: summary.id,
        type: summary.type,
        status: summary.status,
        team: summary.team,
        assignee: summary.assignee,
        escalation_level: summary.escalationLevel,
        policy_no: summary.policyNo,
        next_due_at: nextDueAt,
        sla_breached: clocks.some((c) => c.state === 'breached'),
        data: jsonb(p.data),
        version: p.version,
        created_at: summary.createdAt,
        updated_at: summary.updatedAt,
        closed_at: closedAt,
      })
      .onConflict((oc) =>
        oc
          .column('id')
          .doUpdateSet((eb) => ({
            type: eb.ref('excluded.type'),
            status: eb.ref('excluded.status'),
            team: eb.ref('excluded.team'),
            assignee: eb.ref('excluded.assignee'),
            escalation_level: eb.ref('excluded.escalation_level'),
            policy_no: eb.ref('excluded.policy_no'),
            next_due_at: eb.ref('excluded.next_due_at'),
            sla_breached: eb.ref('excluded.sla_breached'),
            data: eb.ref('excluded.data'),
            version: eb.ref('excluded.version'),
            updated_at: eb.ref('excluded.updated_at'),
            // The first closing projection fixes closed_at; later ones (follow-ups) keep it, a reopening clears it.
            closed_at: eb
              .case()
              .when('excluded.closed_at', 'is', null)
              .then(null)
              .else(eb.fn.coalesce('cases.closed_at', 'excluded.closed_at'))
              .end(),
          }))
          .where('cases.version', '<', (eb) => eb.ref('excluded.version')),
      )
      .returning('id')
      .executeTakeFirst();

    if (clocks.length) {
      await trx
        .insertInto('clocks')
        .values(
          clocks.map((c) => ({
            case_id: summary.id,
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
            version: p.version,
            updated_at: summary.updatedAt,
          })),
        )
        .onConflict((oc) =>
          oc
            .columns(['case_id', 'clock_id'])
            .doUpdateSet((eb) => ({
              policy: eb.ref('excluded.policy'),
              kind: eb.ref('excluded.kind'),
              state: eb.ref('excluded.state'),
              started_at: eb.ref('excluded.started_at'),
              due_at: eb.ref('excluded.due_at'),
              warn_at: eb.ref('excluded.warn_at'),
              ended_at: eb.ref('excluded.ended_at'),
              provisional: eb.ref('excluded.provisional'),
              escalations: eb.ref('excluded.escalations'),
              version: eb.ref('excluded.version'),
              updated_at: eb.ref('excluded.updated_at'),
            }))
            .where('clocks.version', '<', (eb) => eb.ref('excluded.version')),
        )
        .execute();
    }

    // Events and notifications of an older projection are still facts: they go in regardless of the
    // version check, and their keys make a retry a no-op.
    const events = p.events.length
      ? await trx
          .insertInto('timeline_events')
          .values(
            p.events.map((e) => ({
              case_id: summary.id,
              event_key: e.key,
              at: e.at,
              actor: e.actor,
              kind: e.kind,
              detail: jsonb(e.detail),
            })),
          )
          .onConflict((oc) => oc.column('event_key').doNothing())
          .returning('id')
          .execute()
      : [];

    const notifications = p.notifications.length
      ? await trx
          .insertInto('notifications')
          .values(p.notifications.map((n) => notificationRow(summary.id, n)))
          .onConflict((oc) => oc.column('idempotency_key').doNothing())
          .returning('id')
          .execute()
      : [];

    return {
      caseWritten: written !== undefined,
      eventsInserted: events.length,
      notificationsInserted: notifications.length,
    };
  });
}

/** Recipients are stored by role, never by address: the dispatcher resolves the address at delivery. */
function notificationRow(caseId: string, n: NotificationRequest) {
  const r = n.recipient;
  const [kind, ref] =
    r.kind === 'customer'
      ? ['customer', 'customer']
      : r.kind === 'staff'
        ? ['staff', r.staffId]
        : ['role', r.team ? `${r.role}@${r.team}` : r.role];
  return {
    case_id: caseId,
    idempotency_key: n.key,
    channel: n.channel,
    template: n.template,
    params: jsonb<Record<string, unknown>>(n.params),
    recipient_kind: kind,
    recipient_ref: ref,
    recipient: null,
    receipt: n.receipt ?? false,
  };
}

/** A clock id twice in one statement would make ON CONFLICT DO UPDATE fail; the last entry wins. */
function dedupeClocks(clocks: Clock[]): Clock[] {
  return [...new Map(clocks.map((c) => [c.id, c])).values()];
}

export interface CaseRow {
  id: string;
  type: CaseType;
  status: string;
  team: string;
  assignee: string | null;
  escalationLevel: EscalationLevel;
  policyNo: string | null;
  nextDueAt: Date | null;
  slaBreached: boolean;
  /** The case view without personal data, as the last projection wrote it. */
  data: Record<string, unknown>;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
}

export async function getCaseRow(db: Executor, id: string): Promise<CaseRow | undefined> {
  const row = await db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toCaseRow(row);
}

function toCaseRow(row: Selectable<CasesTable>): CaseRow {
  return {
    id: row.id,
    type: row.type as CaseType,
    status: row.status,
    team: row.team,
    assignee: row.assignee,
    escalationLevel: row.escalation_level as EscalationLevel,
    policyNo: row.policy_no,
    nextDueAt: row.next_due_at,
    slaBreached: row.sla_breached,
    data: row.data,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    closedAt: row.closed_at,
  };
}

export interface CaseListFilter {
  type?: CaseType;
  /** One status, or any of several. */
  status?: string | readonly string[];
  /** true: only cases still open (ended cases left out of every other filter); false: only ended ones. */
  open?: boolean;
  team?: string;
  assignee?: string;
  /** true: some clock is breached; false: none is. */
  breached?: boolean;
  /** true: escalated above the agent (level ≥ 1); false: not escalated. */
  escalated?: boolean;
  /** Cases whose next open deadline falls before this instant (ended cases have none). */
  dueBefore?: Date;
  policyNo?: string;
  /** 1..200 (clamped); default 50. */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

/** Who is asking: agents and supervisors see their team's cases only. */
export interface CaseScope {
  team?: string;
}

export interface CaseListItem {
  id: string;
  type: CaseType;
  status: string;
  team: string;
  assignee: string | null;
  escalationLevel: EscalationLevel;
  nextDueAt: Date | null;
  policyNo: string | null;
  slaBreached: boolean;
  createdAt: Date;
}

export interface CasePage {
  items: CaseListItem[];
  nextCursor: string | null;
}

export const DEFAULT_CASE_PAGE = 50;
export const MAX_CASE_PAGE = 200;

/** Newest first, keyset-paged on (created_at desc, id desc), which the cases_created_at_id_idx serves. */
export async function listCases(db: Executor, filter: CaseListFilter, scope: CaseScope = {}): Promise<CasePage> {
  const limit = Math.min(MAX_CASE_PAGE, Math.max(1, Math.trunc(filter.limit ?? DEFAULT_CASE_PAGE)));
  const after = filter.cursor === undefined ? undefined : decodeCursor(filter.cursor);
  let query = db
    .selectFrom('cases')
    .select([
      'id',
      'type',
      'status',
      'team',
      'assignee',
      'escalation_level',
      'next_due_at',
      'policy_no',
      'sla_breached',
      'created_at',
    ]);
  if (scope.team !== undefined) query = query.where('team', '=', scope.team);
  if (filter.team !== undefined) query = query.where('team', '=', filter.team);
  if (filter.type !== undefined) query = query.where('type', '=', filter.type);
  if (typeof filter.status === 'string') query = query.where('status', '=', filter.status);
  else if (filter.status !== undefined && filter.status.length > 0) query = query.where('status', 'in', filter.status);
  if (filter.open !== undefined) query = query.where('closed_at', filter.open ? 'is' : 'is not', null);
  if (filter.assignee !== undefined) query = query.where('assignee', '=', filter.assignee);
  if (filter.breached !== undefined) query = query.where('sla_breached', '=', filter.breached);
  if (filter.escalated !== undefined) query = query.where('escalation_level', filter.escalated ? '>' : '=', 0);
  if (filter.dueBefore !== undefined) query = query.where('next_due_at', '<', filter.dueBefore);
  if (filter.policyNo !== undefined) query = query.where('policy_no', '=', filter.policyNo);
  if (after) query = query.where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(after.createdAt, after.id)));
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();

  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      id: r.id,
      type: r.type as CaseType,
      status: r.status,
      team: r.team,
      assignee: r.assignee,
      escalationLevel: r.escalation_level as EscalationLevel,
      nextDueAt: r.next_due_at,
      policyNo: r.policy_no,
      slaBreached: r.sla_breached,
      createdAt: r.created_at,
    })),
    nextCursor: rows.length > limit && last ? encodeCursor(last.created_at, last.id) : null,
  };
}

function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') {
      const createdAt = new Date(value[0]);
      if (!Number.isNaN(createdAt.getTime())) return { createdAt, id: value[1] };
    }
  } catch {
    // fall through: not base64url JSON
  }
  throw new InvalidCursorError();
}
