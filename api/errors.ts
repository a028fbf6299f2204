/**
 * One error path for the whole API: every failure leaves as `application/problem+json` (RFC 9457).
 * Messages are written here, never copied from an exception, so no personal data, SQL or stack
 * trace can reach a client; unknown failures are logged with the request id and answered with 500.
 */
import {
  ServiceError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  isGrpcServiceError,
} from '@temporalio/client';
import { ApplicationFailure, NamespaceNotFoundError, WorkflowNotFoundError } from '@temporalio/common';
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { ZodError } from 'zod';
import { InvalidCursorError, isDatabaseUnavailable } from '../db/errors';
import { REFUSAL } from '../workflows/shared/contract';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
/** Seconds a client should wait before retrying while a dependency is down. */
export const RETRY_AFTER_SECONDS = 5;

export interface FieldError {
  path: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** A problem the API raises on purpose; `detail` must be safe to show (no personal data). */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    /** A short slug: the problem `type` is `/problems/<slug>`. */
    readonly slug: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? slug);
    this.name = 'HttpProblem';
  }
}

export const problems = {
  validation: (errors: FieldError[], detail = 'The request is not valid.') =>
    new HttpProblem(400, 'validation', detail, errors),
  unauthorized: (detail = 'A valid bearer token is required.') =>
    new HttpProblem(401, 'unauthorized', detail, undefined, { 'WWW-Authenticate': 'Bearer realm="motordesk"' }),
  forbidden: (detail = 'Your role may not do this.') => new HttpProblem(403, 'forbidden', detail),
  notFound: (detail = 'No such resource.') => new HttpProblem(404, 'not-found', detail),
  methodNotAllowed: (allow: string[]) =>
    new HttpProblem(405, 'method-not-allowed', `This path answers ${allow.join(', ')}.`, undefined, {
      Allow: allow.join(', '),
    }),
  conflict: (detail: string, retryAfter?: number) =>
    new HttpProblem(
      409,
      'conflict',
      detail,
      undefined,
      retryAfter === undefined ? {} : { 'Retry-After': String(retryAfter) },
    ),
  unprocessable: (detail: string) => new HttpProblem(422, 'unprocessable', detail),
  tooManyRequests: (retryAfter: number) =>
    new HttpProblem(429, 'rate-limited', 'Too many requests; slow down.', undefined, {
      'Retry-After': String(retryAfter),
    }),
  overloaded: (retryAfter: number) =>
    new HttpProblem(
      503,
      'overloaded',
      'The workers are behind: no new case is taken until they catch up; retry later.',
      undefined,
      { 'Retry-After': String(retryAfter) },
    ),
  unavailable: (dependency: 'database' | 'temporal') =>
    new HttpProblem(
      503,
      'dependency-unavailable',
      `The ${dependency === 'database' ? 'database' : 'workflow service'} is unavailable; retry later.`,
      undefined,
      {
        'Retry-After': String(RETRY_AFTER_SECONDS),
      },
    ),
};

/** zod issues as `[{ path: 'reporter.phone', message }]`; unknown keys name the key itself. */
export function fieldErrors(error: ZodError, prefix: readonly (string | number)[] = []): FieldError[] {
  return error.issues.flatMap((issue) => {
    const base = [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: joinPath([...base, key]), message: 'Unknown field.' }));
    }
    return [{ path: joinPath(base), message: issue.message }];
  });
}

export function joinPath(path: readonly (string | number)[]): string {
  return path.reduce<string>(
    (acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part),
    '',
  );
}

export function sendProblem(res: Response, problem: Problem, headers: Record<string, string> = {}): void {
  res.status(problem.status).set(headers).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}

function toProblem(p: HttpProblem, instance: string | undefined): Problem {
  return {
    type: `/problems/${p.slug}`,
    title: TITLES[p.status] ?? 'Error',
    status: p.status,
    ...(p.detail ? { detail: p.detail } : {}),
    ...(instance ? { instance } : {}),
    ...(p.errors ? { errors: p.errors } : {}),
  };
}

/** Maps what Temporal, PostgreSQL and Express throw to a problem the client may see. */
export function classifyError(err: unknown): HttpProblem | undefined {
  if (err instanceof HttpProblem) return err;
  if (err instanceof WorkflowNotFoundError) return problems.notFound();
  if (err instanceof InvalidCursorError)
    return problems.validation(
      [{ path: 'cursor', message: 'Not a cursor this API gave out.' }],
      'The query parameters are not valid.',
    );
  if (err instanceof WorkflowUpdateFailedError) return refusalProblem(err.cause);
  if (isDatabaseUnavailable(err)) return problems.unavailable('database');
  if (isTemporalUnavailable(err)) return problems.unavailable('temporal');
  const bodyParser = err as { type?: unknown; status?: unknown };
  if (bodyParser.type === 'entity.parse.failed') return problems.validation([], 'The body is not valid JSON.');
  if (bodyParser.type === 'entity.too.large')
    return new HttpProblem(413, 'payload-too-large', 'The body is too large.');
  if (typeof bodyParser.type === 'string' && bodyParser.status === 415)
    return new HttpProblem(415, 'unsupported-media-type', 'Send JSON (UTF-8).');
  if (bodyParser.type === 'entity.invalid.utf8') return problems.validation([], 'The body is not valid UTF-8.');
  // body-parser's other refusals of what arrived (a Content-Encoding the bytes do not match, an
  // aborted upload) are http-errors marked safe to expose: the client's fault, not ours.
  if ((err as { expose?: unknown }).expose === true && bodyParser.status === 400)
    return problems.validation([], 'The body could not be decoded (check Content-Encoding).');
  return undefined;
}

/** An update validator's refusal: its type code says which HTTP answer it is. */
function refusalProblem(cause: Error | undefined): HttpProblem | undefined {
  if (!(cause instanceof ApplicationFailure)) return undefined;
  // The validator's message is written by our workflow code from codes and statuses only.
  switch (cause.type) {
    case REFUSAL.invalidState:
      return problems.conflict(cause.message);
    case REFUSAL.invalidInput:
      return problems.unprocessable(cause.message);
    case REFUSAL.forbidden:
      return problems.forbidden(cause.message);
    default:
      return undefined;
  }
}

/** gRPC codes that mean "the service is not there right now" rather than "you asked wrongly". */
const UNAVAILABLE_GRPC_CODES = new Set([14 /* UNAVAILABLE */, 4 /* DEADLINE_EXCEEDED */, 8 /* RESOURCE_EXHAUSTED */]);

export function isTemporalUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (isGrpcServiceError(e) && UNAVAILABLE_GRPC_CODES.has(e.code)) return true;
    if (e instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
    if (e instanceof NamespaceNotFoundError) return false;
    if (e instanceof ServiceError && !(e.cause && isGrpcServiceError(e.cause))) return true;
  }
  return false;
}

export function createErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const instance = typeof res.locals.requestId === 'string' ? res.locals.requestId : undefined;
    const known = classifyError(err);
    if (known) {
      if (known.status === 503) logger.warn({ requestId: instance, err: describe(err) }, 'dependency unavailable');
      sendProblem(res, toProblem(known, instance), known.headers);
      return;
    }
    // Only the error's class, code and stack: messages of foreign errors may quote request data.
    logger.error(
      { requestId: instance, method: req.method, route: req.route?.path, err: describe(err) },
      'unhandled error',
    );
    sendProblem(res, toProblem(new HttpProblem(500, 'internal', 'Something went wrong on our side.'), instance));
  };
}

function describe(err: unknown, depth = 0): Record<string, unknown> {
  if (!(err instanceof Error)) return { kind: typeof err };
  const code = (err as { code?: unknown }).code;
  const cause = (err as { cause?: unknown }).cause;
  return {
    name: err.name,
    code,
    // The cause's class and code say what a wrapper (Temporal's ServiceError) does not.
    ...(cause instanceof Error && depth < 2 ? { cause: describe(cause, depth + 1) } : {}),
    ...(depth === 0 ? { stack: err.stack?.split('\n').slice(1, 8).join('\n') } : {}),
  };
}

export const notFoundHandler: RequestHandler = (_req, _res, next) => {
  next(problems.notFound('No such route.'));
};
