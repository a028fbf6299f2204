/**
 * The read side of the case read model: one case by id, and the scoped, filtered, keyset-paged
 * list. Written only by the projection (case-projection.ts); the API only reads it.
 */
import type { Selectable, SelectQueryBuilder } from 'kysely';
import { CUSTOMER_CASE_TYPES, type CaseType, type EscalationLevel } from '../../domain/case';
import { InvalidCursorError } from '../errors';
import type { CasesTable, Database } from '../schema';
import type { Executor } from './support';

/** A case as lists show it. */
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

/** A whole case row. */
export interface CaseRow extends CaseListItem {
  /** The case view without personal data, as the last projection wrote it. */
  data: Record<string, unknown>;
  version: number;
  updatedAt: Date;
  closedAt: Date | null;
}

/** The columns of a list item: a page leaves the (large) case view out. */
const LIST_COLUMNS = [
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
] as const;

function toCaseListItem(row: Pick<Selectable<CasesTable>, (typeof LIST_COLUMNS)[number]>): CaseListItem {
  return {
    id: row.id,
    type: row.type as CaseType,
    status: row.status,
    team: row.team,
    assignee: row.assignee,
    escalationLevel: row.escalation_level as EscalationLevel,
    nextDueAt: row.next_due_at,
    policyNo: row.policy_no,
    slaBreached: row.sla_breached,
    createdAt: row.created_at,
  };
}

function toCaseRow(row: Selectable<CasesTable>): CaseRow {
  return {
    ...toCaseListItem(row),
    data: row.data,
    version: row.version,
    updatedAt: row.updated_at,
    closedAt: row.closed_at,
  };
}

export async function getCaseRow(db: Executor, id: string): Promise<CaseRow | undefined> {
  const row = await db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toCaseRow(row);
}

export interface CaseListFilter {
  /** One type; without it, every customer case type (department records are listed by their own routes). */
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
  /**
   * `q`: the text as a case number or a policy number, or the keyed hashes of it as a phone or a
   * plate (search-keys.ts): personal data is never compared in clear.
   */
  search?: { text: string; hashes: readonly string[] };
  /** 1..200 (clamped); default 50. */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

/** Who is asking: agents and supervisors see their team's cases only. */
export interface CaseScope {
  team?: string;
}

export interface CasePage {
  items: CaseListItem[];
  nextCursor: string | null;
}

export const DEFAULT_CASE_PAGE = 50;
export const MAX_CASE_PAGE = 200;

/** Newest first, keyset-paged on (created_at desc, id desc), which the cases_created_at_id_idx serves. */
type CaseFilterInput = Omit<CaseListFilter, 'limit' | 'cursor'>;

/** The list's filters, in one place for the page, the count and the export. */
function whereListed<O>(
  q: SelectQueryBuilder<Database, 'cases', O>,
  filter: CaseFilterInput,
  scope: CaseScope,
): SelectQueryBuilder<Database, 'cases', O> {
  let query = q;
  if (scope.team !== undefined) query = query.where('team', '=', scope.team);
  if (filter.team !== undefined) query = query.where('team', '=', filter.team);
  query =
    filter.type !== undefined ? query.where('type', '=', filter.type) : query.where('type', 'in', CUSTOMER_CASE_TYPES);
  if (typeof filter.status === 'string') query = query.where('status', '=', filter.status);
  else if (filter.status !== undefined && filter.status.length > 0) query = query.where('status', 'in', filter.status);
  if (filter.open !== undefined) query = query.where('closed_at', filter.open ? 'is' : 'is not', null);
  if (filter.assignee !== undefined) query = query.where('assignee', '=', filter.assignee);
  if (filter.breached !== undefined) query = query.where('sla_breached', '=', filter.breached);
  if (filter.escalated !== undefined) query = query.where('escalation_level', filter.escalated ? '>' : '=', 0);
  if (filter.dueBefore !== undefined) query = query.where('next_due_at', '<', filter.dueBefore);
  if (filter.policyNo !== undefined) query = query.where('policy_no', '=', filter.policyNo);
  const search = filter.search;
  if (search !== undefined)
    // The few cases the text names, found first (by case number, policy number, keyed hash: each an
    // index lookup), then filtered and ordered. An OR of the three inside the list's own scan kept
    // the planner on the newest-first index: 336 ms at a million cases for a phone (bench:reads).
    query = query.where('id', 'in', (eb) => {
      const named = eb
        .selectFrom('cases as named')
        .select('named.id')
        .where((w) =>
          w.or([
            w('named.id', 'in', [...new Set([search.text, search.text.toUpperCase()])]),
            w('named.policy_no', '=', search.text),
          ]),
        );
      return search.hashes.length
        ? named.union(eb.selectFrom('case_search_keys').select('case_id as id').where('hash', 'in', search.hashes))
        : named;
    });
  return query;
}

/** How many cases the filters select, counted up to `upTo + 1` (enough to tell "more than upTo"). */
export async function countCasesUpTo(
  db: Executor,
  filter: CaseFilterInput,
  scope: CaseScope,
  upTo: number,
): Promise<number> {
  const selected = whereListed(db.selectFrom('cases').select('id'), filter, scope).limit(upTo + 1);
  const row = await db
    .selectFrom(selected.as('selected'))
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function listCases(db: Executor, filter: CaseListFilter, scope: CaseScope = {}): Promise<CasePage> {
  const limit = Math.min(MAX_CASE_PAGE, Math.max(1, Math.trunc(filter.limit ?? DEFAULT_CASE_PAGE)));
  const after = filter.cursor === undefined ? undefined : decodeCursor(filter.cursor);
  let query = whereListed(db.selectFrom('cases').select(LIST_COLUMNS), filter, scope);
  if (after) query = query.where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(after.createdAt, after.id)));
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();

  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toCaseListItem),
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
