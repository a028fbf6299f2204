/**
 * The codec endpoint for the Temporal Web UI and CLI (`/codec/encode`, `/codec/decode`, Temporal's
 * remote codec protocol: `{ payloads: [{ metadata: { k: base64 }, data: base64 }] }`), so an operator
 * can read histories the workers sealed. Admins only, since a decoded history shows what staff typed
 * about customers; every decode is written to the audit log like a reveal. CORS answers only the
 * Temporal UI's origin (TEMPORAL_UI_ORIGIN): the UI calls it from the operator's browser with the
 * operator's bearer token ("Pass access token" in the UI's codec settings).
 */
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { type Payload, type PayloadCodec, ValueError } from '@temporalio/common';
import { appendAudit } from '../db/repositories/audit';
import type { Database } from '../db/schema';
import { authenticate, principalOf, requireRole, type TokenVerifier } from './auth';
import { problems } from './errors';
import { parseOrThrow } from './validation';

const base64 = z
  .string()
  .max(8_000_000)
  .regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'base64');
const codecBody = z
  .object({
    payloads: z
      .array(z.object({ metadata: z.record(z.string().max(200), base64).nullish(), data: base64.nullish() }))
      .max(1000),
  })
  .strict();

type JsonPayload = { metadata?: Record<string, string> | null; data?: string | null };

const fromJson = ({ metadata, data }: JsonPayload): Payload => ({
  metadata: metadata ? Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])) : {},
  data: data ? Buffer.from(data, 'base64') : undefined,
});

const toJson = ({ metadata, data }: Payload): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  data: data ? Buffer.from(data).toString('base64') : undefined,
});

export interface CodecRouterDeps {
  codec: PayloadCodec;
  verifyToken: TokenVerifier;
  db: Kysely<Database>;
  /** The Temporal UI's origin, e.g. `http://127.0.0.1:8233`; the only one CORS answers. */
  uiOrigin: string;
}

export const CODEC_ROLE = 'admin';

export function codecRouter({ codec, verifyToken, db, uiOrigin }: CodecRouterDeps): Router {
  const router = Router();
  router.use((req: Request, res: Response, next: NextFunction) => {
    res.locals.route = `/codec${req.path}`;
    res.set('Cache-Control', 'no-store');
    if (req.headers.origin === uiOrigin) {
      res.set({
        'Access-Control-Allow-Origin': uiOrigin,
        'Access-Control-Allow-Credentials': 'true',
        'Access-Control-Allow-Headers': 'authorization, content-type, x-namespace',
        'Access-Control-Allow-Methods': 'POST, OPTIONS',
        'Access-Control-Max-Age': '600',
      });
    }
    res.vary('Origin');
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next();
  });
  // Histories hold many payloads: a larger limit than the API's 256 kB.
  router.use(express.json({ limit: '4mb' }));
  const auth = authenticate(verifyToken);
  for (const direction of ['encode', 'decode'] as const) {
    router.post(`/${direction}`, auth, async (req: Request, res: Response) => {
      const principal = principalOf(res);
      requireRole(principal, CODEC_ROLE);
      const { payloads } = parseOrThrow(codecBody, req.body ?? {}, 'body');
      const input = payloads.map(fromJson);
      if (direction === 'decode') {
        // Written before anything is decoded, as for a reveal.
        await appendAudit(db, {
          actor: principal.sub,
          action: 'payload.decode',
          target: `namespace:${String(req.get('x-namespace') ?? 'default').slice(0, 100)}`,
          detail: { role: principal.role, payloads: input.length },
        });
      }
      let output: Payload[];
      try {
        output = direction === 'encode' ? await codec.encode(input) : await codec.decode(input);
      } catch (err) {
        // A key id the ring does not hold, or bytes that do not open: the request's fault, not ours.
        if (err instanceof ValueError)
          throw problems.validation(
            [{ path: 'payloads', message: err.message }],
            'A payload does not open: its key is not in this ring, or it was altered.',
          );
        throw err;
      }
      res.json({ payloads: output.map(toJson) });
    });
  }
  return router;
}
