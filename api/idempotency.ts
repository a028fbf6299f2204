/**
 * `Idempotency-Key` for creating requests, keyed per actor (the token's `sub`): the same key with
 * the same body answers the first response again (status, body, Location); a different body is
 * 422; a first request still running is 409. Failures release the key so that a retry runs anew:
 * only a response that was actually given is ever replayed.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import {
  abandonIdempotentRequest,
  beginIdempotentRequest,
  completeIdempotentRequest,
} from '../db/repositories/idempotency';
import type { Database } from '../db/schema';
import { problems } from './errors';
import type { RouteResult } from './routing';

export interface StoredResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export type BeginOutcome = { kind: 'new' | 'in_progress' | 'mismatch' } | ({ kind: 'replay' } & StoredResponse);

export interface IdempotencyRef {
  actor: string;
  key: string;
}

export interface IdempotencyStore {
  begin(request: IdempotencyRef & { method: string; path: string; requestHash: string }): Promise<BeginOutcome>;
  complete(ref: IdempotencyRef, response: StoredResponse): Promise<void>;
  abandon(ref: IdempotencyRef): Promise<void>;
}

export function databaseIdempotencyStore(db: Kysely<Database>): IdempotencyStore {
  return {
    begin: (request) => beginIdempotentRequest(db, request),
    complete: (ref, response) => completeIdempotentRequest(db, ref, response),
    abandon: (ref) => abandonIdempotentRequest(db, ref),
  };
}

/** Headers worth replaying; others (dates, request ids) belong to each response. */
const REPLAYED_HEADERS = ['location'];
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
/** The first request is usually done within a second or two. */
export const IN_PROGRESS_RETRY_AFTER_SECONDS = 1;

export interface IdempotentRequest extends IdempotencyRef {
  method: string;
  path: string;
  body: unknown;
}

/**
 * A key the store could not release at once (the database went down while the request ran) is
 * tried again this often, for this long: otherwise the client's retries would meet 409 "still
 * processing" until the store takes the key over as orphaned (5 minutes). The window stays well
 * under that takeover, so a late release never deletes a key a later request holds.
 */
export interface ReleaseRetry {
  everyMs: number;
  forMs: number;
}
export const RELEASE_RETRY: ReleaseRetry = { everyMs: 1_000, forMs: 120_000 };

export async function runIdempotently(
  store: IdempotencyStore,
  request: IdempotentRequest,
  run: () => Promise<RouteResult>,
  logger?: Logger,
  releaseRetry: ReleaseRetry = RELEASE_RETRY,
): Promise<RouteResult> {
  const { actor, key, method, path, body } = request;
  if (!KEY_PATTERN.test(key)) {
    throw problems.validation(
      [{ path: 'Idempotency-Key', message: 'Must be 1 to 255 visible ASCII characters.' }],
      'The Idempotency-Key header is not valid.',
    );
  }
  const ref = { actor, key };
  const begun = await store.begin({ ...ref, method, path, requestHash: requestHash(method, path, body) });
  switch (begun.kind) {
    case 'replay':
      return { status: begun.status, body: begun.body, headers: { ...begun.headers, 'Idempotent-Replayed': 'true' } };
    case 'mismatch':
      throw problems.unprocessable('This Idempotency-Key was used with a different request.');
    case 'in_progress':
      throw problems.conflict(
        'A request with this Idempotency-Key is still being processed; retry shortly.',
        IN_PROGRESS_RETRY_AFTER_SECONDS,
      );
    case 'new':
      break;
  }
  let result: RouteResult;
  try {
    result = await run();
  } catch (err) {
    await release(store, ref, releaseRetry, logger);
    throw err;
  }
  if (result.status >= 500) {
    await release(store, ref, releaseRetry, logger);
    return result;
  }
  try {
    await store.complete(ref, {
      status: result.status,
      body: result.body ?? null,
      headers: pickHeaders(result.headers),
    });
  } catch (err) {
    // The work is done: say so. Without the stored response a retry with this key would run again.
    logger?.warn({ err: errorName(err) }, 'idempotent response not stored');
    await release(store, ref, releaseRetry, logger);
  }
  return result;
}

/** Releases the key now or, failing that, in the background until it is released or the window ends. */
async function release(store: IdempotencyStore, ref: IdempotencyRef, retry: ReleaseRetry, logger?: Logger) {
  try {
    await store.abandon(ref);
    return;
  } catch (err) {
    logger?.warn({ err: errorName(err) }, 'idempotency key not released; trying again in the background');
  }
  const giveUpAt = Date.now() + retry.forMs;
  const again = () => {
    setTimeout(() => {
      store.abandon(ref).then(
        () => logger?.info('idempotency key released'),
        (err: unknown) => {
          if (Date.now() < giveUpAt) again();
          else logger?.warn({ err: errorName(err) }, 'idempotency key not released; it is taken over once stale');
        },
      );
    }, retry.everyMs).unref();
  };
  again();
}

/**
 * The id a request's Update gets in its workflow: the actor's Idempotency-Key, hashed (it is visible
 * in the history). Temporal runs an Update id once per run, so a retry after a lost answer (a 503
 * while the projection waited on the database) joins the first Update instead of applying it again.
 */
export function updateIdOf(actor: string, key: string): string {
  return `idem-${createHash('sha256').update(`${actor}\n${key}`).digest('hex').slice(0, 40)}`;
}

function pickHeaders(headers: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => REPLAYED_HEADERS.includes(name.toLowerCase())));
}

function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method.toUpperCase()} ${path}\n${canonicalJson(body)}`)
    .digest('hex');
}

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` are the same request. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

function errorName(err: unknown): string {
  return err instanceof Error ? err.name : typeof err;
}
