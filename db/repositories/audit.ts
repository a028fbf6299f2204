/**
 * The audit trail of sign-ins, reveals, exports and administrative changes. Append-only and a hash
 * chain, both enforced by the database (migration 2026_12_02_0541_audit_chain): a trigger refuses
 * UPDATE, DELETE and TRUNCATE, another links every new row to the one before it. `verifyAuditChain`
 * recomputes the chain here, outside the database, so a row changed by someone who could lift the
 * triggers (a superuser) is found.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { type Executor, jsonb } from './support';

export interface AuditEntry {
  /** Staff id, or `system`. */
  actor: string;
  /** e.g. `deadline_policy.override`, `calendar.load`, `personal_data.reveal`, `auth.sign_in`. */
  action: string;
  /** What was acted on: a case id, a policy name, a year, `staff:<id>`. */
  target: string;
  /** No personal data here: the audit log is kept longer than the cases. */
  detail: Record<string, unknown>;
}

export async function appendAudit(db: Executor, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({ actor: entry.actor, action: entry.action, target: entry.target, detail: jsonb(entry.detail) })
    .execute();
}

export interface AuditRecord extends AuditEntry {
  id: string;
  seq: string;
  at: Date;
  hash: string;
}

export interface AuditFilter {
  target?: string;
  actor?: string;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
  /** Keyset paging: rows with a smaller seq than this one. */
  beforeSeq?: string;
  limit?: number;
}

/** Newest first. */
export async function listAudit(db: Executor, filter: AuditFilter = {}): Promise<AuditRecord[]> {
  let query = db.selectFrom('audit_log').select(['id', 'seq', 'at', 'actor', 'action', 'target', 'detail', 'hash']);
  if (filter.target !== undefined) query = query.where('target', '=', filter.target);
  if (filter.actor !== undefined) query = query.where('actor', '=', filter.actor);
  if (filter.from !== undefined) query = query.where('at', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('at', '<', filter.to);
  if (filter.beforeSeq !== undefined) query = query.where('seq', '<', filter.beforeSeq);
  return query
    .orderBy('seq', 'desc')
    .limit(Math.min(1000, Math.max(1, filter.limit ?? 100)))
    .execute();
}

export const AUDIT_GENESIS_HASH = '0'.repeat(64);

export interface AuditChainProblem {
  seq: string;
  id: string | null;
  problem: 'gap' | 'prev_hash' | 'hash' | 'head';
}

export interface AuditChainReport {
  ok: boolean;
  rows: number;
  /** The last row's seq and hash: record them elsewhere, and a rewritten chain cannot pass as this one. */
  head: { seq: string; hash: string };
  /** The head the database keeps (written by the insert trigger). */
  recordedHead: { seq: string; hash: string } | null;
  /** The first problems found, at most 100. */
  problems: AuditChainProblem[];
}

const PAGE = 1000;
const MAX_PROBLEMS = 100;

/**
 * The canonical text of a row, as the trigger's `audit_log_row_hash` builds it. `at` and `detail` come
 * rendered by the database (UTC with microseconds; jsonb's own normal form), so both sides hash the
 * same bytes; every other field is plain text. JSON.stringify escapes strings as PostgreSQL's to_json
 * does for all the text the API lets in (no control characters but tab and newlines).
 */
export function auditRowHash(row: {
  prevHash: string;
  seq: string;
  at: string;
  actor: string;
  action: string;
  target: string;
  detail: string;
}): string {
  const head = JSON.stringify([row.prevHash, row.seq, row.at, row.actor, row.action, row.target]);
  return createHash('sha256').update(`${head}\n${row.detail}`, 'utf8').digest('hex');
}

/**
 * Walks the whole chain in seq order, a page at a time, in one snapshot: the pages and the recorded
 * head are read as of the same instant, so rows appended while it walks (a live system, other tests
 * sharing the database) are neither half-seen nor reported as a head that moved past the last row read.
 */
export async function verifyAuditChain(db: Executor): Promise<AuditChainReport> {
  if (db.isTransaction) return verifyChainIn(db);
  return db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(verifyChainIn);
}

async function verifyChainIn(db: Executor): Promise<AuditChainReport> {
  const problems: AuditChainProblem[] = [];
  const note = (p: AuditChainProblem) => {
    if (problems.length < MAX_PROBLEMS) problems.push(p);
  };
  let expectedSeq = 1n;
  let prevHash = AUDIT_GENESIS_HASH;
  let last = { seq: '0', hash: AUDIT_GENESIS_HASH };
  let rows = 0;
  let after = '0';
  for (;;) {
    const page = await db
      .selectFrom('audit_log')
      .select([
        'id',
        sql<string>`seq::text`.as('seq'),
        'prev_hash',
        'hash',
        'actor',
        'action',
        'target',
        sql<string>`to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('at_text'),
        sql<string>`detail::text`.as('detail_text'),
      ])
      // Qualified: the text alias `seq` above would otherwise sort 10 before 2.
      .where('audit_log.seq', '>', after)
      .orderBy('audit_log.seq')
      .limit(PAGE)
      .execute();
    for (const row of page) {
      rows += 1;
      if (BigInt(row.seq) !== expectedSeq) note({ seq: row.seq, id: row.id, problem: 'gap' });
      if (row.prev_hash !== prevHash) note({ seq: row.seq, id: row.id, problem: 'prev_hash' });
      const computed = auditRowHash({
        prevHash: row.prev_hash,
        seq: row.seq,
        at: row.at_text,
        actor: row.actor,
        action: row.action,
        target: row.target,
        detail: row.detail_text,
      });
      if (computed !== row.hash) note({ seq: row.seq, id: row.id, problem: 'hash' });
      expectedSeq = BigInt(row.seq) + 1n;
      // The next row must name what this row's content hashes to, not what it claims.
      prevHash = computed;
      last = { seq: row.seq, hash: row.hash };
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.seq;
  }
  const recorded = await db
    .selectFrom('audit_chain_head')
    .select([sql<string>`seq::text`.as('seq'), 'hash'])
    .executeTakeFirst();
  const recordedHead = recorded ? { seq: recorded.seq, hash: recorded.hash } : null;
  if (!recordedHead || recordedHead.seq !== last.seq || recordedHead.hash !== last.hash)
    note({ seq: recordedHead?.seq ?? last.seq, id: null, problem: 'head' });
  return { ok: problems.length === 0, rows, head: last, recordedHead, problems };
}
