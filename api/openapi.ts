/**
 * The OpenAPI 3.1 document, generated from the route declarations and the very zod schemas that
 * validate requests (zod 4's `z.toJSONSchema`, JSON Schema 2020-12 as OpenAPI 3.1 expects).
 * Schemas with a `meta({ id })` become components; every route lists its problem responses.
 */
import { z } from 'zod';
import { NO_CONTROL_CHARACTERS_PATTERN } from './body';
import { problemSchema } from './schemas/common';
import type { RouteSpec } from './routing';

type Json = Record<string, unknown>;

/** Problems any authenticated route can answer. */
const COMMON_PROBLEMS = [400, 401, 429, 500, 503];
const PUBLIC_PROBLEMS = [500];
const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid path, query or body (unknown fields are invalid); `errors` lists each field',
  401: 'No token, or an invalid or expired one',
  403: 'Your role may not do this',
  404: 'Unknown id, or a case outside your scope',
  409: 'Not allowed in the case’s current status (nothing changed), or the same Idempotency-Key is still running',
  405: 'The path does not answer this method; see Allow',
  413: 'Body too large',
  415: 'The body is not sent as application/json',
  422: 'Not acceptable for this case, or Idempotency-Key reused with a different body',
  429: 'Rate limited; see Retry-After',
  500: 'Unexpected failure (logged with the request id in `instance`)',
  503: 'A dependency (database, Temporal) is down, or (openings) the workers are behind; see Retry-After',
};

const RETRY_AFTER: Record<number, string> = {
  409: 'Seconds to wait; sent when the same Idempotency-Key is still running',
  429: 'Seconds to wait',
  503: 'Seconds to wait',
};

export interface OpenApiInfo {
  title: string;
  version: string;
  description?: string;
}

export function buildOpenApiDocument(
  groups: { basePath: string; specs: readonly RouteSpec[] }[],
  info: OpenApiInfo,
): Json {
  const components: Record<string, Json> = {};
  const convert = (schema: z.ZodType, io: 'input' | 'output') => toSchema(schema, io, components);
  const problemRef = convert(problemSchema, 'output');
  const paths: Record<string, Record<string, Json>> = {};

  for (const { basePath, specs } of groups) {
    for (const spec of specs) {
      const path = `${basePath}${spec.path}`;
      const operation: Json = {
        operationId: operationId(spec),
        summary: spec.summary,
        ...(spec.description ? { description: spec.description } : {}),
        tags: [spec.tag],
        security: spec.access === 'public' ? [] : [{ bearerAuth: [] }],
        ...(spec.access === 'public' ? {} : { 'x-required-role': spec.access }),
        parameters: [
          ...objectParameters(spec.params, 'path', convert),
          ...objectParameters(spec.query, 'query', convert),
          ...(spec.idempotent
            ? [
                {
                  name: 'Idempotency-Key',
                  in: 'header',
                  required: false,
                  description:
                    'Same key and body: the first response again; different body: 422; first still running: 409. 1 to 255 visible ASCII characters.',
                  schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]{1,255}$' },
                },
              ]
            : []),
        ],
        ...(spec.body
          ? {
              requestBody: {
                // No body at all is read as `{}` (api/body.ts): a body `{}` satisfies may be left out.
                required: !spec.body.safeParse({}).success,
                content: { 'application/json': { schema: convert(spec.body, 'input') } },
              },
            }
          : {}),
        ...(spec.streamedBody
          ? {
              requestBody: {
                required: true,
                description: spec.streamedBody.description,
                content: Object.fromEntries(
                  Object.entries(spec.streamedBody.content).map(([type, schema]) => [
                    type,
                    { schema: convert(schema, 'input') },
                  ]),
                ),
              },
            }
          : {}),
        responses: {
          ...Object.fromEntries(
            Object.entries(spec.responses).map(([status, r]) => [
              status,
              {
                description: r.description,
                ...(r.headers
                  ? {
                      headers: Object.fromEntries(
                        Object.entries(r.headers).map(([h, d]) => [h, { description: d, schema: { type: 'string' } }]),
                      ),
                    }
                  : {}),
                ...(r.schema
                  ? { content: { 'application/json': { schema: convert(r.schema, 'output') } } }
                  : r.contentType
                    ? { content: { [r.contentType]: { schema: { type: 'string' } } } }
                    : {}),
              },
            ]),
          ),
          ...Object.fromEntries(
            [
              ...new Set([
                ...(spec.access === 'public' ? PUBLIC_PROBLEMS : COMMON_PROBLEMS),
                ...(spec.body ? [415] : []),
                // An Idempotency-Key reused with a different body.
                ...(spec.idempotent ? [422] : []),
                ...(spec.problems ?? []),
              ]),
            ]
              .sort()
              .map((status) => [
                String(status),
                {
                  description: PROBLEM_DESCRIPTIONS[status] ?? 'Problem',
                  ...(status === 503 || status === 429 || (status === 409 && spec.idempotent)
                    ? { headers: { 'Retry-After': { description: RETRY_AFTER[status], schema: { type: 'integer' } } } }
                    : {}),
                  content: { 'application/problem+json': { schema: problemRef } },
                },
              ]),
          ),
        },
      };
      (paths[path] ??= {})[spec.method] = operation;
    }
  }

  return {
    openapi: '3.1.0',
    info,
    servers: [{ url: '/' }],
    tags: [...new Set(groups.flatMap((g) => g.specs.map((s) => s.tag)))].map((name) => ({ name })),
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'HS256; claims sub, role (agent|supervisor|manager|admin), team, exp.',
        },
      },
    },
  };
}

function operationId(spec: RouteSpec): string {
  const words = spec.path
    .replace(/\{(\w+)\}/g, 'by-$1')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return [spec.method, ...words].map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join('');
}

function objectParameters(
  schema: z.ZodObject | undefined,
  where: 'path' | 'query',
  convert: (s: z.ZodType, io: 'input' | 'output') => Json,
): Json[] {
  if (!schema) return [];
  const json = convert(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, Json>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: where === 'path' || required.has(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

/**
 * Converts one schema; its `$defs` become components and references are rewritten to them. Ids are
 * unique across request and response schemas (CreateClaim vs Claim), so one namespace serves both.
 */
function toSchema(schema: z.ZodType, io: 'input' | 'output', components: Record<string, Json>): Json {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  const { $schema: _ignored, $defs, ...rest } = json;
  for (const [id, def] of Object.entries(($defs ?? {}) as Record<string, Json>))
    components[id] = withoutControlCharacters(rewriteRefs(def)) as Json;
  return withoutControlCharacters(rewriteRefs(rest)) as Json;
}

/**
 * Every string the document describes refuses control characters (api/body.ts refuses them in
 * every body, query and path): free text says so with a `pattern`. Strings that already carry a
 * pattern, a format or a fixed set of values admit none anyway.
 */
function withoutControlCharacters(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutControlCharacters);
  if (!value || typeof value !== 'object') return value;
  const node: Json = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutControlCharacters(v)]));
  const isString = node.type === 'string' || (Array.isArray(node.type) && node.type.includes('string'));
  if (isString && !('pattern' in node) && !('format' in node) && !('enum' in node) && !('const' in node))
    node.pattern = NO_CONTROL_CHARACTERS_PATTERN;
  return node;
}

function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        k === '$ref' && typeof v === 'string' ? v.replace('#/$defs/', '#/components/schemas/') : rewriteRefs(v),
      ]),
    );
  }
  return value;
}
