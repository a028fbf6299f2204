/**
 * Routes are declared once, as data: method, path, role, zod schemas for params/query/body and the
 * responses. The same declaration mounts the Express handler (auth → role → rate limit → validation
 * → idempotency → handler) and feeds the OpenAPI document, so the spec cannot drift from the code.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { authenticate, principalOf, requireRole, type Principal, type RoleRule, type TokenVerifier } from './auth';
import { refuseControlCharacters, requireJsonBody } from './body';
import { runIdempotently, type IdempotencyStore, updateIdOf } from './idempotency';
import type { RateLimiter } from './rate-limit';
import type { SignInRecorder } from './sign-in-audit';
import { problems } from './errors';
import { parseOrThrow } from './validation';

/** A role and every role above it, exactly the roles listed (`['admin', 'hr']`), or anyone. */
export type Access = RoleRule | 'public';

export interface ResponseSpec {
  description: string;
  /** JSON body schema; omit for non-JSON bodies. */
  schema?: z.ZodType;
  /** For non-JSON bodies (metrics text, docs HTML). */
  contentType?: string;
  headers?: Record<string, string>;
}

export interface RouteSpec {
  method: 'get' | 'post' | 'put';
  /** OpenAPI form, relative to the mount point: `/claims/{id}`. */
  path: string;
  summary: string;
  tag: string;
  access: Access;
  description?: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /**
   * A body the handler reads from the request stream itself (large uploads), documented per content
   * type. The JSON parser leaves it alone and nothing here validates it; exclusive with `body`.
   */
  streamedBody?: { description: string; content: Record<string, z.ZodType> };
  /** Accepts `Idempotency-Key`. */
  idempotent?: boolean;
  responses: Record<number, ResponseSpec>;
  /** Problem statuses this route can answer besides the ones every route can (400/401/429/500/503). */
  problems?: number[];
}

export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Send `body` as-is with this type instead of JSON. */
  contentType?: string;
  /** A body written as it is produced (large exports), with `contentType`; exclusive with `body`. */
  stream?: AsyncIterable<string>;
}

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteContext<S extends RouteSpec> {
  req: Request;
  res: Response;
  principal: S['access'] extends 'public' ? Principal | undefined : Principal;
  params: Parsed<S['params']>;
  query: Parsed<S['query']>;
  body: Parsed<S['body']>;
  /**
   * The id to give the Update this request runs (`updateIdOf`): set when an idempotent route is
   * called with an Idempotency-Key, so its retries join the first Update. Undefined otherwise.
   */
  updateId: string | undefined;
}

export interface RoutingDeps {
  /** HS256 and, when configured, the identity provider's tokens (auth.ts createTokenVerifier). */
  verifyToken: TokenVerifier;
  idempotency: IdempotencyStore;
  rateLimiter: RateLimiter | undefined;
  logger: Logger;
  /**
   * Runs a handler under the request's deadline for Temporal calls: past it they fail as timed out
   * and the request answers 503 with Retry-After instead of waiting as long as Temporal does.
   */
  withDeadline?: <T>(run: () => Promise<T>) => Promise<T>;
  /** Writes a token's first use to the audit log (a sign-in). */
  recordSignIn?: SignInRecorder;
}

export class ApiRoutes {
  readonly router = Router();
  readonly specs: RouteSpec[] = [];
  private readonly auth;

  constructor(private readonly deps: RoutingDeps) {
    this.auth = authenticate(deps.verifyToken);
  }

  add<const S extends RouteSpec>(spec: S, handler: (ctx: RouteContext<S>) => Promise<RouteResult>): void {
    this.specs.push(spec);
    const path = spec.path.replace(/\{(\w+)\}/g, ':$1');
    const stages = spec.access === 'public' ? [] : [this.auth];
    this.router[spec.method](path, ...stages, async (req: Request, res: Response) => {
      res.locals.route = spec.path;
      const principal = spec.access === 'public' ? undefined : principalOf(res);
      if (principal && spec.access !== 'public') {
        // A sign-in is recorded even when this request is then refused.
        await this.deps.recordSignIn?.(principal, req);
        requireRole(principal, spec.access);
        this.deps.rateLimiter?.take(principal.sub);
      }
      if (spec.body) requireJsonBody(req);
      refuseControlCharacters(req.params, 'path');
      refuseControlCharacters(req.query, 'query');
      if (spec.body) refuseControlCharacters(req.body, 'body');
      const key = req.get('Idempotency-Key');
      const ctx = {
        req,
        res,
        principal,
        params: spec.params ? parseOrThrow(spec.params, req.params, 'path') : undefined,
        query: spec.query ? parseOrThrow(spec.query, req.query, 'query') : undefined,
        body: spec.body ? parseOrThrow(spec.body, req.body ?? {}, 'body') : undefined,
        updateId: spec.idempotent && key !== undefined && principal ? updateIdOf(principal.sub, key) : undefined,
      } as RouteContext<S>;
      // Public routes (health, readiness with its own short checks, the documents) wait on nobody.
      const withDeadline = spec.access === 'public' ? undefined : this.deps.withDeadline;
      const run = () => (withDeadline ? withDeadline(() => handler(ctx)) : handler(ctx));
      const result =
        spec.idempotent && key !== undefined && principal
          ? await runIdempotently(
              this.deps.idempotency,
              { actor: principal.sub, key, method: req.method, path: req.path, body: req.body as unknown },
              run,
              this.deps.logger,
            )
          : await run();
      send(res, result);
    });
  }

  /**
   * Mounted before `router`: a literal path (`/policies/import`) is that resource, not an id of the
   * templated one beside it (`/policies/{policyNo}`), as OpenAPI matches paths. A method the literal
   * path does not answer is 405 with its own `Allow` (not the templated route's 400 for a bad id),
   * and OPTIONS lists its methods only (Express would add every route the URL matches).
   */
  literalPathsFirst(): Router {
    const router = Router();
    const methodsByPath = this.methodsByPath();
    const templates = [...methodsByPath.keys()].filter((p) => p.includes('{')).map((p) => p.split('/'));
    const shadowed = (path: string) => {
      const segments = path.split('/');
      return templates.some(
        (t) => t.length === segments.length && t.every((s, i) => s === segments[i] || /^\{\w+\}$/.test(s)),
      );
    };
    for (const [path, methods] of methodsByPath) {
      if (path.includes('{') || !shadowed(path)) continue;
      router.all(path, (req, res, next) => {
        if (methods.has(req.method)) return next();
        res.locals.route = path;
        if (req.method === 'OPTIONS') {
          res
            .set('Allow', [...methods].join(', '))
            .status(200)
            .send([...methods].join(', '));
          return;
        }
        next(problems.methodNotAllowed([...methods]));
      });
    }
    return router;
  }

  private methodsByPath(): Map<string, Set<string>> {
    const byPath = new Map<string, Set<string>>();
    for (const spec of this.specs) {
      const methods = byPath.get(spec.path) ?? new Set<string>();
      methods.add(spec.method.toUpperCase());
      if (spec.method === 'get') methods.add('HEAD');
      byPath.set(spec.path, methods);
    }
    return byPath;
  }

  /**
   * Mounted after `router` (and anything else serving these paths): a path this API knows, asked
   * with a method it does not answer, is 405 with `Allow`, not "no such route".
   */
  methodNotAllowed(): Router {
    const router = Router();
    for (const [path, methods] of this.methodsByPath()) {
      router.all(path.replace(/\{(\w+)\}/g, ':$1'), (_req, res, next) => {
        res.locals.route = path;
        next(problems.methodNotAllowed([...methods]));
      });
    }
    return router;
  }
}

function send(res: Response, { status, body, headers, contentType, stream }: RouteResult): void {
  res.status(status);
  if (headers) res.set(headers);
  if (stream) {
    if (contentType) res.type(contentType);
    // Headers are gone once the first chunk is: a failure later can only cut the response short.
    pipeline(Readable.from(stream), res).catch(() => res.destroy());
  } else if (body === undefined) {
    res.end();
  } else if (contentType) {
    res.type(contentType).send(body);
  } else {
    res.json(body);
  }
}
