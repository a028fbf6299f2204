/**
 * Breaches by clock policy, statutory and internal apart, each with its cases: clocks that breached
 * (a breach is never erased, DOMAIN.md) with their due instant in [from, to), from the read model.
 */
import type { Executor } from './support';

export interface BreachFilter {
  from: Date;
  to: Date;
  team?: string;
  kind?: 'statutory' | 'internal';
}

export interface BreachGroup {
  policy: string;
  kind: string;
  count: number;
  cases: { id: string; type: string; team: string; assignee: string | null; dueAt: Date; status: string }[];
}

/** By kind (statutory first), then by count; a case's clocks of the same policy count once each. */
export async function breachesByPolicy(db: Executor, filter: BreachFilter): Promise<BreachGroup[]> {
  let query = db
    .selectFrom('clocks')
    .innerJoin('cases', 'cases.id', 'clocks.case_id')
    .select([
      'clocks.policy',
      'clocks.kind',
      'clocks.due_at',
      'cases.id',
      'cases.type',
      'cases.team',
      'cases.assignee',
      'cases.status',
    ])
    .where('clocks.state', '=', 'breached')
    .where('clocks.due_at', '>=', filter.from)
    .where('clocks.due_at', '<', filter.to);
  if (filter.team !== undefined) query = query.where('cases.team', '=', filter.team);
  if (filter.kind !== undefined) query = query.where('clocks.kind', '=', filter.kind);
  const rows = await query.orderBy('clocks.due_at').limit(50_000).execute();
  const groups = new Map<string, BreachGroup>();
  for (const r of rows) {
    const key = `${r.kind}\u0000${r.policy}`;
    const group = groups.get(key) ?? { policy: r.policy, kind: r.kind, count: 0, cases: [] };
    group.count++;
    group.cases.push({ id: r.id, type: r.type, team: r.team, assignee: r.assignee, dueAt: r.due_at, status: r.status });
    groups.set(key, group);
  }
  return [...groups.values()].sort(
    (a, b) => Number(b.kind === 'statutory') - Number(a.kind === 'statutory') || b.count - a.count,
  );
}

export interface ComplianceExceptionRow {
  caseId: string;
  caseType: string;
  team: string;
  at: Date;
  kind: string;
  documents: string[];
  cause: string;
  actor: string;
}

/**
 * Compliance exceptions recorded in [from, to) (e.g. a claim document the first consolidated notice
 * should have listed, 保险法 第二十二条), oldest first. They break a statutory rule, so an `internal`
 * report has none.
 */
export async function complianceExceptionsIn(db: Executor, filter: BreachFilter): Promise<ComplianceExceptionRow[]> {
  if (filter.kind === 'internal') return [];
  let query = db
    .selectFrom('compliance_exceptions')
    .select(['case_id', 'case_type', 'team', 'at', 'kind', 'documents', 'cause', 'actor'])
    .where('at', '>=', filter.from)
    .where('at', '<', filter.to);
  if (filter.team !== undefined) query = query.where('team', '=', filter.team);
  const rows = await query.orderBy('at').orderBy('id').limit(50_000).execute();
  return rows.map((r) => ({
    caseId: r.case_id,
    caseType: r.case_type,
    team: r.team,
    at: r.at,
    kind: r.kind,
    documents: r.documents,
    cause: r.cause,
    actor: r.actor,
  }));
}
