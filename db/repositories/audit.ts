/** The audit trail of administrative and sensitive actions. Append-only: the database refuses UPDATE and DELETE. */
import { type Executor, jsonb } from './support';

export interface AuditEntry {
  /** Staff id, or `system`. */
  actor: string;
  /** e.g. `deadline-policy.update`, `calendar.update`, `personal-data.read`. */
  action: string;
  /** What was acted on: a case id, `deadline-policy:<name>`, `calendar:<year>`. */
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
  at: Date;
}

/** Newest first, optionally for one target. */
export async function listAudit(
  db: Executor,
  filter: { target?: string; limit?: number } = {},
): Promise<AuditRecord[]> {
  let query = db.selectFrom('audit_log').select(['id', 'at', 'actor', 'action', 'target', 'detail']);
  if (filter.target !== undefined) query = query.where('target', '=', filter.target);
  return query
    .orderBy('id', 'desc')
    .limit(Math.min(1000, Math.max(1, filter.limit ?? 100)))
    .execute();
}
