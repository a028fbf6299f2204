/**
 * Policies (保单) from the core policy system. `PUT /policies/{policyNo}` upserts one;
 * `POST /policies/import` streams a JSON array or a CSV file into the same upsert, batch by batch.
 * The import's body is never buffered: the JSON parser leaves this route alone (`streamedBody`), the
 * request is read as the batches are written, so TCP backpressure holds the sender and memory stays
 * flat for any number of rows. One bad row is reported in `rejected`, never fatal.
 */
import type { Request } from 'express';
import { getInsurancePolicy } from '../../db/repositories/insurance-policies';
import {
  ImportAbortedError,
  ImportFormatError,
  type ImportFormat,
  type ImportProgress,
  importInsurancePolicies,
  InvalidInsurancePolicyError,
  upsertInsurancePolicy,
} from '../../services/insurance-policy-import';
import type { AppContext } from '../context';
import { HttpProblem, problems } from '../errors';
import { presentInsurancePolicy } from '../presenters';
import type { ApiRoutes } from '../routing';
import {
  insurancePolicyBody,
  insurancePolicyImportCsv,
  insurancePolicyImportJson,
  insurancePolicyImportResult,
  insurancePolicyParams,
  insurancePolicyResponse,
} from '../schemas/insurance-policies';

/** The most an import may send: 100,000 rows of CSV are about 15 MB, of JSON about 30 MB. */
const MAX_IMPORT_BYTES = 200 * 1024 * 1024;
/** A progress line on the server log every so many rows. */
const PROGRESS_EVERY_ROWS = 10_000;

export function registerInsurancePolicyRoutes(routes: ApiRoutes, { db, logger }: AppContext): void {
  routes.add(
    {
      method: 'get',
      path: '/policies/{policyNo}',
      tag: 'Policies',
      summary: 'One policy as the core policy system last wrote it; the holder and plate masked',
      access: 'agent',
      params: insurancePolicyParams,
      responses: { 200: { description: 'The policy', schema: insurancePolicyResponse } },
      problems: [403, 404],
    },
    async ({ params }) => {
      const policy = await getInsurancePolicy(db, params.policyNo);
      if (!policy) throw problems.notFound('No policy with this number.');
      return { status: 200, body: presentInsurancePolicy(policy) };
    },
  );

  routes.add(
    {
      method: 'put',
      path: '/policies/{policyNo}',
      tag: 'Policies',
      summary: 'Create or replace one policy from the core policy system',
      description:
        'The renewal sweep starts a renewal for each policy term expiring within `renewal.window`. A policy whose renewal is open passes a changed holder on to it. `expiresAt` must be after `startsAt` (400 otherwise): values compared, which JSON Schema cannot state.',
      access: 'manager',
      params: insurancePolicyParams,
      body: insurancePolicyBody,
      responses: {
        201: { description: 'The policy was new', schema: insurancePolicyResponse },
        200: { description: 'The policy replaced the one with this number', schema: insurancePolicyResponse },
      },
      problems: [403],
    },
    async ({ params, body }) => {
      try {
        const { outcome, policy } = await upsertInsurancePolicy(db, params.policyNo, body);
        return { status: outcome === 'created' ? 201 : 200, body: presentInsurancePolicy(policy) };
      } catch (err) {
        // The route validated the same schema already; kept so the service stays the one authority.
        if (err instanceof InvalidInsurancePolicyError)
          throw problems.validation(err.errors, 'The request body is not valid.');
        throw err;
      }
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/policies/import',
      tag: 'Policies',
      summary: 'Import policies: a JSON array or a CSV file with a header row (upsert, streamed)',
      description:
        'Every row is validated on its own; valid rows are upserted in batches of 1,000 while the body streams in, bad rows come back in `rejected` with their 1-based number and field errors. A problem with the file as a whole (not an array, a bad CSV header, a truncated file) is a 400; rows before it stay imported, and sending the corrected file again is safe (upsert). At most 200 MB.',
      access: 'manager',
      streamedBody: {
        description:
          'By Content-Type: `application/json` (an array of PolicyImportRow) or `text/csv` (UTF-8, header row).',
        content: { 'application/json': insurancePolicyImportJson, 'text/csv': insurancePolicyImportCsv },
      },
      responses: { 200: { description: 'Counts and the rejected rows', schema: insurancePolicyImportResult } },
      problems: [403, 413, 415],
    },
    async ({ req, res, principal }) => {
      const format = importFormatOf(req);
      if (Number(req.get('content-length')) > MAX_IMPORT_BYTES) throw tooLarge();
      const requestId = typeof res.locals.requestId === 'string' ? res.locals.requestId : undefined;
      const started = Date.now();
      let loggedAt = 0;
      const onProgress = (p: ImportProgress) => {
        if (!p.done && p.rows - loggedAt < PROGRESS_EVERY_ROWS) return;
        loggedAt = p.rows;
        const seconds = (Date.now() - started) / 1000;
        const line = {
          requestId,
          actor: principal.sub,
          format,
          rows: p.rows,
          created: p.created,
          updated: p.updated,
          rejected: p.rejected,
          bytes: p.bytes,
          seconds,
        };
        logger.info(line, p.done ? 'policy import finished' : 'policy import progress');
      };
      try {
        const result = await importInsurancePolicies(
          db,
          capped(req as AsyncIterable<Buffer>, MAX_IMPORT_BYTES),
          format,
          {
            onProgress,
          },
        );
        return { status: 200, body: result };
      } catch (err) {
        if (!(err instanceof ImportFormatError)) throw err;
        const partial = err instanceof ImportAbortedError ? err.partial : { created: 0, updated: 0 };
        const message = withoutQuotedValues(err.message);
        logger.info(
          {
            requestId,
            actor: principal.sub,
            format,
            created: partial.created,
            updated: partial.updated,
            problem: message,
          },
          'policy import stopped',
        );
        throw problems.validation(
          [{ path: 'body', message }],
          `The file cannot be read on. Rows before the problem were imported (${partial.created} created, ${partial.updated} updated); sending the corrected file again is safe.`,
        );
      }
    },
  );
}

function importFormatOf(req: Request): ImportFormat {
  const encoding = (req.get('content-encoding') ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity') throw unsupported('Send the file uncompressed (no Content-Encoding).');
  const [mime = '', ...parameters] = (req.get('content-type') ?? '')
    .split(';')
    .map((part) => part.trim().toLowerCase());
  const charset = parameters
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replaceAll('"', '');
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') throw unsupported('Send the file as UTF-8.');
  if (mime === 'application/json') return 'json';
  if (mime === 'text/csv') return 'csv';
  throw unsupported(
    'Send a JSON array (Content-Type: application/json) or a CSV file with a header row (Content-Type: text/csv).',
  );
}

/** The request body as it arrives, refused once it passes `max` bytes (whatever Content-Length said). */
async function* capped(source: AsyncIterable<Buffer>, max: number): AsyncGenerator<Buffer> {
  let bytes = 0;
  for await (const chunk of source) {
    bytes += chunk.length;
    if (bytes > max) throw tooLarge();
    yield chunk;
  }
}

const tooLarge = () =>
  new HttpProblem(
    413,
    'payload-too-large',
    `An import may send at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB; split the file.`,
  );
const unsupported = (detail: string) => new HttpProblem(415, 'unsupported-media-type', detail);

/**
 * A whole-file message quotes what it could not read (a CSV header cell, for instance). A file sent
 * without its header row would have its first customer's name and phone quoted: only quoted text
 * shaped like a column name (`holder.email`, `colour`) is kept.
 */
function withoutQuotedValues(message: string): string {
  return message.replace(/"(?:[^"\\]|\\.)*"/g, (quoted) =>
    /^"[a-z][A-Za-z]{0,30}(\.[a-z][A-Za-z]{0,30})?"$/.test(quoted) ? quoted : '"…"',
  );
}
