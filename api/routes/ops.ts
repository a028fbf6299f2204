/**
 * Operations: liveness, readiness (PostgreSQL and Temporal answer within a short deadline),
 * Prometheus metrics, the OpenAPI document and Swagger UI served from local files (no CDN: the
 * department's network may have no internet).
 */
import path from 'node:path';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../context';
import { PROBLEM_CONTENT_TYPE, RETRY_AFTER_SECONDS } from '../errors';
import type { ApiRoutes } from '../routing';

/** The document's outline (its own schema is OpenAPI 3.1's), so a client reads an object, not a string. */
const openApiDocumentSchema = z
  .looseObject({
    openapi: z.string().meta({ example: '3.1.0' }),
    info: z.looseObject({ title: z.string(), version: z.string() }),
    paths: z.record(z.string(), z.looseObject({})),
    components: z.looseObject({}).optional(),
  })
  .meta({ id: 'OpenApiDocument', description: 'An OpenAPI 3.1 document' });

const CHECK_TIMEOUT_MS = 2_000;

export const SWAGGER_UI_DIR = path.dirname(require.resolve('swagger-ui-dist/package.json'));

const healthResponse = z.object({ status: z.literal('ok') });
const readyResponse = z.object({
  status: z.literal('ready'),
  checks: z.object({ database: z.literal('up'), temporal: z.literal('up') }),
});

export function registerOpsRoutes(
  routes: ApiRoutes,
  { db, temporal, metrics }: AppContext,
  openApi: () => object,
): void {
  routes.add(
    {
      method: 'get',
      path: '/healthz',
      tag: 'Operations',
      summary: 'Liveness: the process answers',
      access: 'public',
      responses: { 200: { description: 'Alive', schema: healthResponse } },
    },
    async () => ({ status: 200, body: { status: 'ok' } }),
  );

  routes.add(
    {
      method: 'get',
      path: '/readyz',
      tag: 'Operations',
      summary: 'Readiness: PostgreSQL and Temporal both answer',
      access: 'public',
      responses: { 200: { description: 'Ready', schema: readyResponse } },
      problems: [503],
    },
    async () => {
      const [database, workflows] = await Promise.all([
        check(() => sql`select 1`.execute(db)),
        check(() =>
          temporal.connection.withDeadline(Date.now() + CHECK_TIMEOUT_MS, () =>
            temporal.workflowService.getSystemInfo({}),
          ),
        ),
      ]);
      const checks = { database: database ? 'up' : 'down', temporal: workflows ? 'up' : 'down' };
      if (database && workflows) return { status: 200, body: { status: 'ready', checks } };
      const problem = {
        type: '/problems/dependency-unavailable',
        title: 'Service Unavailable',
        status: 503,
        detail: 'A dependency is down; see checks.',
        checks,
      };
      return {
        status: 503,
        body: JSON.stringify(problem),
        contentType: PROBLEM_CONTENT_TYPE,
        headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) },
      };
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/metrics',
      tag: 'Operations',
      summary: 'Prometheus metrics',
      access: 'public',
      responses: { 200: { description: 'Prometheus text format', contentType: 'text/plain' } },
    },
    async () => ({ status: 200, body: await metrics.registry.metrics(), contentType: metrics.registry.contentType }),
  );

  routes.add(
    {
      method: 'get',
      path: '/openapi.json',
      tag: 'Operations',
      summary: 'This document',
      access: 'public',
      responses: { 200: { description: 'OpenAPI 3.1', schema: openApiDocumentSchema } },
    },
    async () => ({ status: 200, body: openApi() }),
  );

  routes.add(
    {
      method: 'get',
      path: '/docs',
      tag: 'Operations',
      summary: 'Browsable API documentation (Swagger UI, served offline)',
      access: 'public',
      responses: { 200: { description: 'HTML', contentType: 'text/html' } },
    },
    async ({ req }) => ({ status: 200, body: docsPage(req.baseUrl), contentType: 'text/html; charset=utf-8' }),
  );
}

async function check(probe: () => Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS)));
  try {
    return await Promise.race([probe().then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

function docsPage(base: string): string {
  const assets = `${base}/docs`;
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>motordesk API</title>
  <link rel="stylesheet" href="${assets}/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui" data-spec="${base}/openapi.json"></div>
  <script src="${assets}/swagger-ui-bundle.js"></script>
  <script src="${assets}/swagger-ui-standalone-preset.js"></script>
  <script src="${assets}/init.js"></script>
</body>
</html>
`;
}

/** Served next to the Swagger UI files; reads the spec URL from the page (one script for every mount). */
export const DOCS_INIT = `window.addEventListener('load', function () {
  var root = document.getElementById('swagger-ui');
  window.ui = SwaggerUIBundle({
    url: root.getAttribute('data-spec'),
    dom_id: '#swagger-ui',
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout',
  });
});
`;
