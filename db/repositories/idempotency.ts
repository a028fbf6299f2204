/**
 * `Idempotency-Key` bookkeeping for creating requests (API.md): same key + same request → the first
 * response again; same key + different request → mismatch (422); first one still running → 409.
 */
import { sql } from 'kysely';
import { type Executor, jsonb } from './support';

export interface IdempotentRequest {
  /** The caller (JWT `sub`): keys are per actor, so two clients can't collide or read each other's responses. */
  actor: string;
  key: string;
  method: string;
  path: string;
  /** A hash of the canonical request body. */
  requestHash: string;
}

export interface StoredResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export type IdempotencyDecision =
  { kind: 'new' } | { kind: 'in_progress' } | { kind: 'mismatch' } | ({ kind: 'replay' } & StoredResponse);

export interface BeginOptions {
  /**
   * An `in_progress` row older than this is taken to be orphaned (its API process died before it could
   * complete or abandon it), and the same request may take it over. Default 5 minutes.
   */
  staleAfterMs?: number;
}

export async function beginIdempotentRequest(
  db: Executor,
  req: IdempotentRequest,
  opts: BeginOptions = {},
): Promise<IdempotencyDecision> {
  const staleAfterMs = opts.staleAfterMs ?? 5 * 60_000;
  // Two rounds: the row we conflicted with may be abandoned (deleted) before we read it.
  for (let round = 0; round < 2; round++) {
    const inserted = await db
      .insertInto('idempotency_keys')
      .values({
        actor: req.actor,
        key: req.key,
        method: req.method,
        path: req.path,
        request_hash: req.requestHash,
        state: 'in_progress',
      })
      .onConflict((oc) => oc.columns(['actor', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();
    if (inserted) return { kind: 'new' };

    const existing = await db
      .selectFrom('idempotency_keys')
      .select(['method', 'path', 'request_hash', 'state', 'response_status', 'response_body', 'response_headers'])
      .where('actor', '=', req.actor)
      .where('key', '=', req.key)
      .executeTakeFirst();
    if (!existing) continue;
    if (existing.method !== req.method || existing.path !== req.path || existing.request_hash !== req.requestHash)
      return { kind: 'mismatch' };
    if (existing.state === 'completed') {
      return {
        kind: 'replay',
        status: existing.response_status ?? 200,
        body: existing.response_body,
        headers: existing.response_headers ?? {},
      };
    }
    const takenOver = await db
      .updateTable('idempotency_keys')
      .set({ created_at: sql`now()` })
      .where('actor', '=', req.actor)
      .where('key', '=', req.key)
      .where('state', '=', 'in_progress')
      .where('created_at', '<', sql<Date>`now() - make_interval(secs => ${staleAfterMs / 1000})`)
      .returning('key')
      .executeTakeFirst();
    return takenOver ? { kind: 'new' } : { kind: 'in_progress' };
  }
  return { kind: 'in_progress' };
}

export async function completeIdempotentRequest(
  db: Executor,
  id: { actor: string; key: string },
  response: StoredResponse,
): Promise<void> {
  await db
    .updateTable('idempotency_keys')
    .set({
      state: 'completed',
      response_status: response.status,
      response_body: jsonb(response.body as object),
      response_headers: jsonb(response.headers),
      completed_at: sql`now()`,
    })
    .where('actor', '=', id.actor)
    .where('key', '=', id.key)
    .execute();
}

/** The request failed without an answer worth replaying: forget the key so the client may retry. */
export async function abandonIdempotentRequest(db: Executor, id: { actor: string; key: string }): Promise<void> {
  await db
    .deleteFrom('idempotency_keys')
    .where('actor', '=', id.actor)
    .where('key', '=', id.key)
    .where('state', '=', 'in_progress')
    .execute();
}

/** Housekeeping: forgets keys older than `before` (clients retry within minutes, not days). */
export async function purgeIdempotencyKeys(db: Executor, before: Date): Promise<number> {
  const result = await db.deleteFrom('idempotency_keys').where('created_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
