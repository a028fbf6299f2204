/**
 * The API as a factory: `createApp(deps)` wires routes over the Temporal client and the read model
 * and returns an Express app without listening, so tests and the dev launcher run the real thing.
 */
import type { Client } from '@temporalio/client';
import express, { type Express, type RequestHandler } from 'express';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { countFailedProjections } from '../db/repositories/failed-projections';
import type { Database } from '../db/schema';
import { actionIndex } from './allowed-actions';
import { consoleRouter } from './console';
import { consoleCors, securityHeaders } from './security-headers';
import { codecRouter } from './codec';
import { PayloadEncryptionCodec, payloadKeyRingOf } from '../infra/payload-codec';
import type { AppContext } from './context';
import { type BackPressure, workerBacklogWatch } from './back-pressure';
import { TASK_QUEUE } from '../workflows/shared/contract';
import { jsonBodyParser } from './body';
import { createErrorHandler, notFoundHandler } from './errors';
import { databaseIdempotencyStore, type IdempotencyStore } from './idempotency';
import { createMetrics } from './metrics';
import { buildOpenApiDocument } from './openapi';
import { createRateLimiter, type RateLimitOptions } from './rate-limit';
import { requestLogger } from './request-log';
import { registerAdminRoutes } from './routes/admin';
import { registerAuditRoutes } from './routes/audit';
import { registerSignInRoutes } from './routes/sign-in';
import { createSignInRecorder } from './sign-in-audit';
import { createTokenVerifier } from './auth';
import { registerCalendarYearRoutes } from './routes/calendar-years';
import { registerCaseRoutes } from './routes/cases';
import { registerClaimRoutes } from './routes/claims';
import { registerComplaintRoutes } from './routes/complaints';
import { registerInquiryRoutes } from './routes/inquiries';
import { registerNotificationRoutes } from './routes/notifications';
import { registerPurchaseRoutes } from './routes/purchases';
import { registerAssessmentRoutes } from './routes/assessments';
import { registerQualityReviewRoutes } from './routes/quality-reviews';
import { registerInsurancePolicyRoutes } from './routes/insurance-policies';
import { registerRenewalRoutes } from './routes/renewals';
import { registerReportRoutes } from './routes/reports';
import { registerPersonalDataRoutes } from './routes/personal-data';
import { registerRevealRoutes } from './routes/reveal';
import { registerKpiTargetRoutes } from './routes/kpi-targets';
import { registerStaffRoutes } from './routes/staff';
import { registerSurveyRoutes } from './routes/surveys';
import { registerTrainingRoutes } from './routes/training';
import { registerFacilitiesRoutes } from './routes/facilities';
import { DOCS_INIT, SWAGGER_UI_DIR, registerOpsRoutes } from './routes/ops';
import { ApiRoutes, type RouteSpec } from './routing';

export const API_BASE = '/api/v1';
const API_VERSION = '1.0.0';

export interface AppDeps {
  temporal: Client;
  db: Kysely<Database>;
  config: Config;
  logger: Logger;
  now?: () => Date;
  /** Per-staff request budget; default `config.rateLimitPerMinute` (0 there: off). `false` turns it off. */
  rateLimit?: RateLimitOptions | false;
  /** Default: the idempotency_keys table. */
  idempotency?: IdempotencyStore;
  /** Body size limit for JSON; default 256kb. */
  bodyLimit?: string;
  /** Default: the cases' task-queue backlog against `config.backPressure.maxBacklogAgeMs`. */
  backPressure?: BackPressure;
  /** The built console served at `/`; default web/dist of this checkout. */
  consoleDir?: string;
}

export function createApp(deps: AppDeps): Express {
  const { temporal, db, config, logger } = deps;
  if (!config.jwtSecret && !config.oidc) throw new Error('JWT_SECRET or OIDC_ISSUER is required to serve the API');
  const verifyToken = createTokenVerifier({ jwtSecret: config.jwtSecret, oidc: config.oidc });
  const metrics = createMetrics(() => countFailedProjections(db));
  const backPressure =
    deps.backPressure ??
    workerBacklogWatch({
      temporal,
      namespace: config.temporal.namespace,
      taskQueue: TASK_QUEUE,
      maxBacklogAgeMs: config.maxBacklogAgeMs,
      logger,
    });
  const ctx: AppContext = {
    temporal,
    db,
    config,
    logger,
    metrics,
    backPressure,
    now: deps.now ?? (() => new Date()),
  };
  const routingDeps = {
    verifyToken,
    idempotency: deps.idempotency ?? databaseIdempotencyStore(db),
    rateLimiter: rateLimiterOf(deps.rateLimit, config.rateLimitPerMinute),
    logger,
    withDeadline: <T>(run: () => Promise<T>) =>
      temporal.connection.withDeadline(Date.now() + config.requestTimeoutMs, run),
    recordSignIn: createSignInRecorder(db, { logger }),
  };

  const api = new ApiRoutes(routingDeps);
  registerClaimRoutes(api, ctx);
  registerComplaintRoutes(api, ctx);
  registerInquiryRoutes(api, ctx);
  registerInsurancePolicyRoutes(api, ctx);
  registerRenewalRoutes(api, ctx);
  registerPurchaseRoutes(api, ctx);
  registerCaseRoutes(api, ctx);
  registerRevealRoutes(api, ctx);
  registerSurveyRoutes(api, ctx);
  registerNotificationRoutes(api, ctx);
  registerReportRoutes(api, ctx);
  registerAdminRoutes(api, ctx);
  registerPersonalDataRoutes(api, ctx);
  registerAuditRoutes(api, ctx);
  registerSignInRoutes(api, ctx);
  registerCalendarYearRoutes(api, ctx);
  registerStaffRoutes(api, ctx);
  registerKpiTargetRoutes(api, ctx);
  registerQualityReviewRoutes(api, ctx);
  registerTrainingRoutes(api, ctx);
  registerAssessmentRoutes(api, ctx);
  registerFacilitiesRoutes(api, ctx);
  // Every action route below a case must have its allowedActions rule: a route without one fails here, at start-up.
  actionIndex(api.specs);

  const ops = new ApiRoutes(routingDeps);
  let openApi: object | undefined;
  registerOpsRoutes(
    ops,
    ctx,
    () =>
      (openApi ??= buildOpenApiDocument(
        [
          { basePath: API_BASE, specs: api.specs },
          { basePath: API_BASE, specs: ops.specs },
        ],
        {
          title: 'motordesk API',
          version: API_VERSION,
          description:
            'Customer-service cases of a motor insurer (claims 理赔, complaints 投诉, inquiries 咨询, renewals 续保, purchases 投保). The operations endpoints are also served at the root (/healthz, /readyz, /metrics, /openapi.json, /docs).',
        },
      )),
  );

  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders(config.oidc?.clientId ? [new URL(config.oidc.issuer).origin] : []));
  app.use(consoleCors(config.consoleOrigin));
  app.use(requestLogger(logger));
  app.use(metrics.requestTimer);
  // Before the API's JSON parser: the codec endpoint has its own CORS and a larger body limit.
  app.use(
    '/codec',
    codecRouter({
      codec: new PayloadEncryptionCodec(payloadKeyRingOf(config)),
      verifyToken,
      db,
      uiOrigin: config.temporal.uiOrigin,
    }),
  );
  app.use(API_BASE, api.literalPathsFirst());
  app.use(jsonExceptStreamed(jsonBodyParser(deps.bodyLimit ?? '256kb'), api.specs));
  app.use(API_BASE, api.router);
  for (const base of ['', API_BASE]) {
    app.use(base || '/', ops.router);
    app.get(`${base}/docs/init.js`, (_req, res) => {
      res.type('text/javascript; charset=utf-8').send(DOCS_INIT);
    });
    app.use(
      `${base}/docs`,
      (_req, res, next) => {
        res.locals.route = '/docs/assets';
        next();
      },
      express.static(SWAGGER_UI_DIR, { index: false, maxAge: '1d' }),
    );
  }
  app.use(API_BASE, api.methodNotAllowed());
  for (const base of ['', API_BASE]) app.use(base || '/', ops.methodNotAllowed());
  app.use(consoleRouter(deps.consoleDir));
  app.use(notFoundHandler);
  app.use(createErrorHandler(logger));
  return app;
}

function rateLimiterOf(option: RateLimitOptions | false | undefined, perMinute: number) {
  if (option === false) return undefined;
  if (option) return createRateLimiter(option);
  return perMinute > 0 ? createRateLimiter({ max: perMinute }) : undefined;
}

/**
 * The JSON parser for every route but those reading their body as a stream (`streamedBody`, the
 * policy import): buffering a 100,000-row upload would defeat the streaming import and need a limit
 * in the hundreds of megabytes. Matched as Express routes match: case-insensitive, trailing slash optional.
 */
function jsonExceptStreamed(json: RequestHandler, specs: readonly RouteSpec[]): RequestHandler {
  const streamed = new Set(
    specs
      .filter((spec) => spec.streamedBody)
      .map((spec) => {
        if (spec.path.includes('{'))
          throw new Error(`streamed bodies are only supported on literal paths: ${spec.path}`);
        return `${API_BASE}${spec.path}`.toLowerCase();
      }),
  );
  return (req, res, next) => {
    if (streamed.has(req.path.replace(/\/+$/, '').toLowerCase())) {
      next();
      return;
    }
    void json(req, res, next);
  };
}
