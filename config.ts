/**
 * Configuration, read and validated once at start-up, then frozen and passed down.
 * Nothing else in the code base reads process.env.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { deadlinePolicyFileSchema, type DeadlinePolicyFile } from './domain/deadline-policies';
import { parsePayloadKeyRing, type PayloadKey } from './infra/payload-codec';
import type { Role } from './domain/case';

const ROOT = __dirname;

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.string().min(1).optional(),
  MOTORDESK_DATA_DIR: z.string().default(path.join(ROOT, '.data')),
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  TEMPORAL_TLS: z.enum(['true', 'false']).optional(),
  TEMPORAL_TLS_CERT: z.string().optional(),
  TEMPORAL_TLS_KEY: z.string().optional(),
  TEMPORAL_TLS_CA: z.string().optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().optional(),
  TEMPORAL_CLI_PATH: z.string().optional(),
  TEMPORAL_TEST_SERVER_PATH: z.string().optional(),
  TEMPORAL_UI_PORT: z.coerce.number().int().default(8233),
  TEMPORAL_UI_ORIGIN: z.string().url().optional(),
  CONSOLE_ORIGIN: z.string().url().optional(),
  TEMPORAL_PORT: z.coerce.number().int().default(7233),
  JWT_SECRET: z.string().min(16, 'JWT_SECRET must be at least 16 characters').optional(),
  // Company sign-in: RS256/ES256 tokens of the identity provider, verified through its JWKS.
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_AUDIENCE: z.string().min(1).optional(),
  OIDC_JWKS_URL: z.string().url().optional(),
  OIDC_STAFF_ID_CLAIM: z.string().min(1).default('sub'),
  OIDC_ROLE_CLAIM: z.string().min(1).default('role'),
  OIDC_TEAM_CLAIM: z.string().min(1).default('team'),
  OIDC_ROLE_MAP: z.string().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_SCOPES: z.string().min(1).default('openid profile'),
  /** `false`: only the identity provider's tokens are accepted (HS256 refused). */
  AUTH_HS256: z.enum(['true', 'false']).default('true'),
  PAYLOAD_KEYS: z.string().min(1).optional(),
  PAYLOAD_KEYS_FILE: z.string().min(1).optional(),
  MOTORDESK_POLICIES: z.string().optional(),
  MOTORDESK_SEARCH_KEY: z.string().min(16, 'MOTORDESK_SEARCH_KEY must be at least 16 characters').optional(),
  MOTORDESK_NOTIFIER: z.enum(['log', 'smtp']).default('log'),
  SMTP_URL: z.string().optional(),
  SMTP_FROM: z.string().default('motordesk@localhost'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // 0 would make the SDK run every workflow task without a cache, and the local activities every case
  // opens with then fail ("This is an SDK bug"): refused here, with the reason, instead.
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce
    .number()
    .int()
    .min(1, 'WORKER_MAX_CACHED_WORKFLOWS must be at least 1: without a cache the local activities cases open with fail')
    .default(250),
  // Measured on the 2-core machine (issue 10): 200 workflow-task slots, 50 pollers and 200 local-activity
  // slots gave 13–14% more claims per second than the SDK's 40 / 10 / 100; small counts cost 35–40%.
  // `npm run bench:workers` compares settings side by side (README, the environment table).
  WORKER_WORKFLOW_TASK_SLOTS: z.coerce.number().int().min(2).max(10_000).default(200),
  WORKER_WORKFLOW_TASK_POLLERS: z.coerce.number().int().min(2).max(1_000).default(50),
  WORKER_LOCAL_ACTIVITY_SLOTS: z.coerce.number().int().min(1).max(10_000).default(200),
  // The SDK's promise hook records a stack for every promise a workflow makes, only to answer the
  // stack-trace query: about 4 ms of the worker's CPU per opened claim (issue 10). Off unless asked for
  // while diagnosing a stuck case (patches/, infra/workflow-stack-traces.ts).
  WORKER_WORKFLOW_STACK_TRACES: z.enum(['on', 'off']).default('off'),
  WORKFLOW_BUNDLE_PATH: z.string().optional(),
  NODE_ENV: z.string().default('development'),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(600),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(10_000),
  EXPORT_MAX_ROWS: z.coerce.number().int().min(1).max(10_000_000).default(100_000),
  // Openings answer 503 + Retry-After while the oldest workflow task has waited longer than this: the
  // workers are behind, and a new case's clocks would already run late. 0 turns it off.
  BACKPRESSURE_MAX_BACKLOG_AGE_MS: z.coerce.number().int().min(0).max(600_000).default(2_000),
});

export interface TemporalConfig {
  /** Unset: the embedded dev server started by `npm start`. */
  address: string | undefined;
  namespace: string;
  apiKey: string | undefined;
  tls: { enabled: boolean; certPath?: string; keyPath?: string; caPath?: string; serverName?: string };
  cliPath: string;
  testServerPath: string;
  uiPort: number;
  /** The Temporal Web UI's origin: the only one the codec endpoint answers CORS for. */
  uiOrigin: string;
  port: number;
}

export interface OidcConfig {
  issuer: string;
  audience: string;
  /** Unset: the `jwks_uri` of the issuer's discovery document. */
  jwksUrl: string | undefined;
  /** Claims, as dot paths (`realm_access.roles`), that carry the staff id, the role and the team. */
  staffIdClaim: string;
  roleClaim: string;
  teamClaim: string;
  /** The provider's role names → ours (`OIDC_ROLE_MAP=cs-agent=agent,cs-lead=supervisor`); empty: taken as they are. */
  roleMap: Readonly<Record<string, Role>>;
  /** The console's OpenID Connect client (authorization code + PKCE, a public client); unset: no console sign-in. */
  clientId: string | undefined;
  scopes: string;
}

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  temporal: TemporalConfig;
  /** The HS256 secret of embedded-mode and service tokens; undefined when HS256 is off (AUTH_HS256=false). */
  jwtSecret: string | undefined;
  /** The company's identity provider (OIDC_ISSUER), whose RS256/ES256 tokens are verified through its JWKS. */
  oidc: OidcConfig | undefined;
  /** Temporal payload keys, newest first; unset outside production: a generated dev ring under dataDir. */
  payloadKeys: PayloadKey[] | undefined;
  /**
   * The HMAC key of the search hashes (phones, plates) behind GET /cases?q=; every API and worker
   * process must share it. Required in production; elsewhere see searchKeyOf().
   */
  searchKey: string | undefined;
  deadlinePolicies: DeadlinePolicyFile;
  notifier: { kind: 'log' | 'smtp'; smtpUrl: string | undefined; from: string };
  logLevel: string;
  worker: {
    maxCachedWorkflows: number;
    workflowTaskSlots: number;
    workflowTaskPollers: number;
    localActivitySlots: number;
    workflowBundlePath: string | undefined;
    /** Whether workflow threads answer the stack-trace query (costs CPU for every promise). */
    workflowStackTraces: boolean;
  };
  /** Requests per staff member per minute and API process; 0 turns the limit off (load tests, fuzzers). */
  rateLimitPerMinute: number;
  /** How long a request may wait on Temporal before it answers 503 with Retry-After. */
  requestTimeoutMs: number;
  /** The most cases one `GET /cases/export` writes; broader filters are refused before any row. */
  exportMaxRows: number;
  /** The workflow-task backlog age past which openings answer 503 (0: never). */
  maxBacklogAgeMs: number;
  /** A console served from another origin than the API (CORS answers it alone); unset: same origin only. */
  consoleOrigin: string | undefined;
  production: boolean;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const hs256 = e.AUTH_HS256 === 'true';
  if (e.OIDC_ISSUER && !e.OIDC_AUDIENCE) throw new ConfigError('OIDC_AUDIENCE is required with OIDC_ISSUER');
  if (!hs256 && !e.OIDC_ISSUER)
    throw new ConfigError('AUTH_HS256=false needs OIDC_ISSUER (no token could be verified)');
  if (production && hs256 && !e.JWT_SECRET)
    throw new ConfigError('JWT_SECRET is required in production (or AUTH_HS256=false with OIDC_ISSUER)');
  const payloadKeys = readPayloadKeys(e.PAYLOAD_KEYS, e.PAYLOAD_KEYS_FILE);
  if (production && !payloadKeys) throw new ConfigError('PAYLOAD_KEYS or PAYLOAD_KEYS_FILE is required in production');
  if (production && !e.MOTORDESK_SEARCH_KEY) throw new ConfigError('MOTORDESK_SEARCH_KEY is required in production');
  if (e.MOTORDESK_NOTIFIER === 'smtp' && !e.SMTP_URL)
    throw new ConfigError('SMTP_URL is required when MOTORDESK_NOTIFIER=smtp');
  const tools = path.join(ROOT, '.tools');
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.MOTORDESK_DATA_DIR),
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      apiKey: e.TEMPORAL_API_KEY,
      tls: {
        enabled: e.TEMPORAL_TLS === 'true' || Boolean(e.TEMPORAL_API_KEY) || Boolean(e.TEMPORAL_TLS_CERT),
        certPath: e.TEMPORAL_TLS_CERT,
        keyPath: e.TEMPORAL_TLS_KEY,
        caPath: e.TEMPORAL_TLS_CA,
        serverName: e.TEMPORAL_TLS_SERVER_NAME,
      },
      cliPath: e.TEMPORAL_CLI_PATH ?? path.join(tools, 'temporal'),
      testServerPath: e.TEMPORAL_TEST_SERVER_PATH ?? path.join(tools, 'temporal-test-server'),
      uiPort: e.TEMPORAL_UI_PORT,
      uiOrigin: e.TEMPORAL_UI_ORIGIN ?? `http://127.0.0.1:${e.TEMPORAL_UI_PORT}`,
      port: e.TEMPORAL_PORT,
    },
    jwtSecret: hs256 ? e.JWT_SECRET : undefined,
    oidc: e.OIDC_ISSUER
      ? {
          issuer: e.OIDC_ISSUER,
          audience: e.OIDC_AUDIENCE!,
          jwksUrl: e.OIDC_JWKS_URL,
          staffIdClaim: e.OIDC_STAFF_ID_CLAIM,
          roleClaim: e.OIDC_ROLE_CLAIM,
          teamClaim: e.OIDC_TEAM_CLAIM,
          roleMap: parseRoleMap(e.OIDC_ROLE_MAP),
          clientId: e.OIDC_CLIENT_ID,
          scopes: e.OIDC_SCOPES,
        }
      : undefined,
    payloadKeys,
    searchKey: e.MOTORDESK_SEARCH_KEY,
    deadlinePolicies: e.MOTORDESK_POLICIES ? readDeadlinePolicyFile(e.MOTORDESK_POLICIES) : {},
    notifier: { kind: e.MOTORDESK_NOTIFIER, smtpUrl: e.SMTP_URL, from: e.SMTP_FROM },
    logLevel: e.LOG_LEVEL,
    worker: {
      maxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS,
      workflowTaskSlots: e.WORKER_WORKFLOW_TASK_SLOTS,
      workflowTaskPollers: e.WORKER_WORKFLOW_TASK_POLLERS,
      localActivitySlots: e.WORKER_LOCAL_ACTIVITY_SLOTS,
      workflowBundlePath: e.WORKFLOW_BUNDLE_PATH,
      workflowStackTraces: e.WORKER_WORKFLOW_STACK_TRACES === 'on',
    },
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    exportMaxRows: e.EXPORT_MAX_ROWS,
    maxBacklogAgeMs: e.BACKPRESSURE_MAX_BACKLOG_AGE_MS,
    consoleOrigin: e.CONSOLE_ORIGIN ? new URL(e.CONSOLE_ORIGIN).origin : undefined,
    production,
  });
}

function readPayloadKeys(inline: string | undefined, file: string | undefined): PayloadKey[] | undefined {
  if (inline && file) throw new ConfigError('set PAYLOAD_KEYS or PAYLOAD_KEYS_FILE, not both');
  let spec = inline;
  if (file) {
    try {
      spec = fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new ConfigError(`PAYLOAD_KEYS_FILE: cannot read ${file}: ${(err as Error).message}`);
    }
  }
  if (spec === undefined) return undefined;
  try {
    const ring = parsePayloadKeyRing(spec);
    if (!ring.length) throw new Error('no key');
    return ring;
  } catch (err) {
    // The message names key ids, never key material.
    throw new ConfigError(`${file ? 'PAYLOAD_KEYS_FILE' : 'PAYLOAD_KEYS'}: ${(err as Error).message}`);
  }
}

const ROLE_NAMES: readonly Role[] = ['agent', 'supervisor', 'manager', 'hr', 'admin'];

function parseRoleMap(spec: string | undefined): Record<string, Role> {
  const map: Record<string, Role> = {};
  for (const entry of (spec ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const at = entry.lastIndexOf('=');
    const role = entry.slice(at + 1).trim() as Role;
    if (at < 1 || !ROLE_NAMES.includes(role))
      throw new ConfigError(`OIDC_ROLE_MAP: each entry is providerRole=${ROLE_NAMES.join('|')}`);
    map[entry.slice(0, at).trim()] = role;
  }
  return map;
}

function readDeadlinePolicyFile(file: string): DeadlinePolicyFile {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`MOTORDESK_POLICIES: cannot read ${file}: ${(err as Error).message}`);
  }
  const parsed = deadlinePolicyFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      `MOTORDESK_POLICIES: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}

/**
 * The search HMAC key in force: MOTORDESK_SEARCH_KEY, or outside production one derived from the
 * JWT secret (npm start and the tests run API and worker on one config, so both derive the same).
 */
export function searchKeyOf(config: Pick<Config, 'searchKey' | 'jwtSecret'>): string {
  if (config.searchKey) return config.searchKey;
  return `derived:${config.jwtSecret ?? 'motordesk-development'}:search`;
}
