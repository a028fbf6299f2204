/**
 * The write side of the case read model: workflows project each state change through one activity
 * (`applyProjection`), idempotently and never backwards. What lists and reports read is in case-reads.ts.
 */
import { type Compilable, type QueryCreator, sql, type Transaction } from 'kysely';
import { type CaseProjection, type NotificationRequest, recipientRef, type TimelineEvent } from '../../domain/case';
import { anyBreached, type Clock, nextDeadlineOf } from '../../domain/clock';
import type { Database } from '../schema';
import { type SearchKind, searchHashesOf } from './search-keys';
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
 *
 * Two statements (three after a rebuild, four round trips with BEGIN and COMMIT), whatever the change
 * holds: every round trip costs the worker a query compiled, written to a socket and read back, which
 * was most of its CPU per opened case (issue 10). Each statement's parts are data-modifying CTEs.
 */
export async function applyProjection(
  db: Executor,
  p: CaseProjection,
  opts: { searchKey?: string } = {},
): Promise<ProjectionResult> {
  const clocks = dedupeClocks(p.summary.clocks);
  return inTransaction(db, async (trx) => {
    if (p.supersede !== undefined) await dropUncommitted(trx, p, clocks, p.supersede);
    const written = await writeCaseRow(trx, p, clocks, opts.searchKey !== undefined);
    // Phones and plates the case's personal data holds now (a purchase's application adds some later).
    const searchKeys =
      written && opts.searchKey && written.personal ? searchHashesOf(opts.searchKey, written.personal) : [];
    const facts = await writeFacts(trx, p, clocks, searchKeys);
    return { caseWritten: written !== undefined, ...facts };
  });
}

/**
 * What a workflow task that failed wrote above the committed sequence number `committed`. Its local
 * activities ran (and projected) before the server refused the task; the retried task numbers its
 * events from the same point but in another order (a signal that arrived meanwhile now runs first)
 * or not at all (the Update it ran was refused with the task). Those rows describe a history that
 * never happened: without this, an event of the retry whose key the failed task took is lost, and
 * the failed task's events stand beside the retry's ("case.closed" twice). Journal keys are
 * `<case id>:<sequence number>`; other keys (a dispatcher's `notification:<id>:sent`) are never touched.
 * Notifications stay: their keys do not depend on the order, and one may already have been sent.
 */
async function dropUncommitted(
  trx: Transaction<Database>,
  p: CaseProjection,
  clocks: Clock[],
  committed: number,
): Promise<void> {
  const id = p.summary.id;
  const seqOf = (column: string, prefix: string) => {
    const rest = sql`substr(${sql.ref(column)}, ${prefix.length + 1})`;
    return sql<number>`(case when starts_with(${sql.ref(column)}, ${prefix}) and ${rest} ~ '^[0-9]{1,15}$' then ${rest}::bigint end)`;
  };
  // One statement, one round trip (every projection that follows a rebuild, every opening among them).
  let stale = trx
    .with('events', (db) =>
      db
        .deleteFrom('timeline_events')
        .where('case_id', '=', id)
        .where(seqOf('event_key', `${id}:`), '>', committed),
    )
    .with('exceptions', (db) =>
      db
        .deleteFrom('compliance_exceptions')
        .where('case_id', '=', id)
        .where(seqOf('event_key', `${id}:`), '>', committed),
    )
    .with('assignments', (db) =>
      db
        .deleteFrom('case_assignments')
        .where('case_id', '=', id)
        .where(seqOf('assignment_key', `${id}:v`), '>', committed),
    )
    // A clock only the failed task started; the others are written again below.
    .deleteFrom('clocks')
    .where('case_id', '=', id)
    .where('version', '>', committed);
  if (clocks.length)
    stale = stale.where(
      'clock_id',
      'not in',
      clocks.map((c) => c.id),
    );
  await stale.execute();
}

/**
 * The case row, only when `p.version` is newer than the stored one; with it, in the same statement,
 * a new assignment when the assignee is not the case's last one (only a newer projection can carry a
 * new assignee; the history keeps every one, for per-agent figures), and the personal data as it now
 * stands when asked for. Undefined when the row was not written.
 */
async function writeCaseRow(
  trx: Transaction<Database>,
  p: CaseProjection,
  clocks: Clock[],
  withPersonalData: boolean,
): Promise<{ personal: unknown } | undefined> {
  const { id, assignee, updatedAt } = p.summary;
  const withCase = trx.with('written', () => caseUpsert(trx, p, clocks));
  const statement =
    assignee === null
      ? withCase
      : withCase.with('assigned', (db) =>
          db
            .insertInto('case_assignments')
            .columns(['case_id', 'assignee', 'assigned_at', 'assignment_key'])
            .expression(
              db
                .selectFrom('written')
                .select((eb) => [
                  eb.val(id).as('case_id'),
                  eb.val(assignee).as('assignee'),
                  sql<Date>`cast(${updatedAt} as timestamptz)`.as('assigned_at'),
                  eb.val(`${id}:v${p.version}`).as('assignment_key'),
                ])
                .where((eb) =>
                  eb(
                    eb
                      .selectFrom('case_assignments')
                      .select('assignee')
                      .where('case_id', '=', id)
                      .orderBy('id', 'desc')
                      .limit(1),
                    'is distinct from',
                    assignee,
                  ),
                ),
            )
            .onConflict((oc) => oc.column('assignment_key').doNothing()),
        );
  const row = await statement
    .selectFrom('written')
    .select((eb) =>
      withPersonalData
        ? eb.selectFrom('case_personal_data').select('data').where('case_id', '=', id).as('personal')
        : sql<null>`null`.as('personal'),
    )
    .executeTakeFirst();
  return row && { personal: row.personal };
}

/** The case row's upsert, writing only when `p.version` is newer than the stored one. */
function caseUpsert(trx: Transaction<Database>, p: CaseProjection, clocks: Clock[]) {
  const { summary } = p;
  // The next deadline among clocks still running; an ended case has none (its clocks may still show a
  // past breach, which is history, not a deadline). `endedAt` also ends a breach met late in a case
  // recorded before `endedAs` existed.
  const next = p.closed ? null : nextDeadlineOf(clocks.filter((c) => c.endedAt === undefined));
  const nextDueAt = next === null ? null : new Date(next);
  return trx
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
      sla_breached: anyBreached(clocks),
      data: jsonb(p.data),
      version: p.version,
      created_at: summary.createdAt,
      updated_at: summary.updatedAt,
      closed_at: p.closed ? summary.updatedAt : null,
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
        .where((eb) =>
          eb.or([
            eb('cases.version', '<', eb.ref('excluded.version')),
            // Written by a workflow task that failed (see dropUncommitted): replaced, whatever its version.
            ...(p.supersede === undefined ? [] : [eb('cases.version', '>', p.supersede)]),
          ]),
        ),
    )
    .returning('id');
}

/** The case's clocks, each only when `p.version` is newer than the stored one. */
function clocksUpsert(trx: Transaction<Database>, p: CaseProjection, clocks: Clock[]) {
  return trx
    .insertInto('clocks')
    .values(
      clocks.map((c) => ({
        case_id: p.summary.id,
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
        updated_at: p.summary.updatedAt,
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
        .where((eb) =>
          eb.or([
            eb('clocks.version', '<', eb.ref('excluded.version')),
            ...(p.supersede === undefined ? [] : [eb('clocks.version', '>', p.supersede)]),
          ]),
        ),
    );
}

/** Each event once, by key; returns the new ones' ids. */
function eventsInsert(trx: Transaction<Database>, caseId: string, events: readonly TimelineEvent[]) {
  return trx
    .insertInto('timeline_events')
    .values(
      events.map((e) => ({
        case_id: caseId,
        event_key: e.key,
        at: e.at,
        actor: e.actor,
        kind: e.kind,
        detail: jsonb(e.detail),
      })),
    )
    .onConflict((oc) => oc.column('event_key').doNothing())
    .returning('id');
}

/** The timeline event a compliance exception is recorded with; each becomes a compliance_exceptions row. */
export const COMPLIANCE_EXCEPTION_EVENT = 'compliance.exception';

/** A row per compliance-exception event, once by its key (the breach report counts them). */
function exceptionRows(p: CaseProjection) {
  return p.events
    .filter((e) => e.kind === COMPLIANCE_EXCEPTION_EVENT)
    .map((e) => ({
      case_id: p.summary.id,
      case_type: p.summary.type,
      team: p.summary.team,
      event_key: e.key,
      at: e.at,
      kind: typeof e.detail.kind === 'string' ? e.detail.kind : 'document_request',
      documents: jsonb(Array.isArray(e.detail.documents) ? e.detail.documents.map(String) : []),
      cause: typeof e.detail.cause === 'string' ? e.detail.cause : '',
      actor: e.actor,
    }));
}

/** Each notification once into the outbox, by idempotency key; returns the new ones' ids. */
function notificationsInsert(
  trx: Transaction<Database>,
  caseId: string,
  notifications: readonly NotificationRequest[],
) {
  return trx
    .insertInto('notifications')
    .values(notifications.map((n) => notificationRow(caseId, n)))
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returning('id');
}

/**
 * Everything else a change writes, in one statement: the clocks (each only when `p.version` is newer
 * than the stored one), the timeline events, the compliance exceptions, the notifications and the
 * search keys. Events and notifications of an older projection are still facts: they go in
 * regardless of the version check, and their keys make a retry a no-op. Returns how many events and
 * notifications were new; no statement at all when there is nothing to write.
 */
async function writeFacts(
  trx: Transaction<Database>,
  p: CaseProjection,
  clocks: Clock[],
  searchKeys: readonly { kind: SearchKind; hash: string }[],
): Promise<{ eventsInserted: number; notificationsInserted: number }> {
  const id = p.summary.id;
  const exceptions = exceptionRows(p);
  // Each part only when it has rows (an INSERT needs at least one); the ones present run together.
  const parts: [string, () => Compilable<unknown>][] = [];
  if (clocks.length) parts.push(['clocks_written', () => clocksUpsert(trx, p, clocks)]);
  if (p.events.length) parts.push(['events_inserted', () => eventsInsert(trx, id, p.events)]);
  if (exceptions.length)
    parts.push([
      'exceptions_inserted',
      () =>
        trx
          .insertInto('compliance_exceptions')
          .values(exceptions)
          .onConflict((oc) => oc.column('event_key').doNothing()),
    ]);
  if (p.notifications.length)
    parts.push(['notifications_inserted', () => notificationsInsert(trx, id, p.notifications)]);
  if (searchKeys.length)
    parts.push([
      'keys_inserted',
      () =>
        trx
          .insertInto('case_search_keys')
          .values(searchKeys.map((k) => ({ hash: k.hash, case_id: id, kind: k.kind })))
          .onConflict((oc) => oc.columns(['hash', 'case_id']).doNothing()),
    ]);
  if (!parts.length) return { eventsInserted: 0, notificationsInserted: 0 };
  // A data-modifying CTE runs whether or not the final SELECT reads it.
  // The CTEs' names are only read by the raw counts below: the statement keeps the schema's type.
  let statement: QueryCreator<Database> = trx;
  for (const [name, part] of parts) statement = statement.with(name, part as never);
  const countOf = (name: string) =>
    parts.some(([n]) => n === name) ? sql<number>`(select count(*)::int from ${sql.table(name)})` : sql<number>`0`;
  const row = await statement
    .selectNoFrom([countOf('events_inserted').as('events'), countOf('notifications_inserted').as('notifications')])
    .executeTakeFirstOrThrow();
  return { eventsInserted: Number(row.events), notificationsInserted: Number(row.notifications) };
}

/** Recipients are stored by role, never by address: the dispatcher resolves the address at delivery. */
function notificationRow(caseId: string, n: NotificationRequest) {
  return {
    case_id: caseId,
    idempotency_key: n.key,
    channel: n.channel,
    template: n.template,
    params: jsonb<Record<string, unknown>>(n.params),
    recipient_kind: n.recipient.kind,
    recipient_ref: recipientRef(n.recipient),
    recipient: null,
    receipt: n.receipt ?? false,
  };
}

/** A clock id twice in one statement would make ON CONFLICT DO UPDATE fail; the last entry wins. */
function dedupeClocks(clocks: Clock[]): Clock[] {
  return [...new Map(clocks.map((c) => [c.id, c])).values()];
}
