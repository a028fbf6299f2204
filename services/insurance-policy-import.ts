/**
 * Policies from the core policy system, for the API (`PUT /policies/{policyNo}`, `POST
 * /policies/import`) and the CLI (`motordesk import-policies`): one code path for both.
 *
 * An import streams: text is parsed as it arrives (JSON array or CSV with a header row), every row is
 * validated on its own, valid rows are upserted in batches, and the next chunk is read only when the
 * batch is written — memory stays flat however long the file. One bad row is reported and skipped;
 * it never stops or corrupts the others.
 */
import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { isDatabaseUnavailable } from '../db/errors';
import { upsertInsurancePolicies } from '../db/repositories/insurance-policies';
import type { Database } from '../db/schema';
import {
  csvHeaderProblems,
  csvRecordToRow,
  type FieldIssue,
  type InsurancePolicy,
  validateInsurancePolicyBody,
  validateInsurancePolicyRow,
} from '../domain/insurance-policy';
import { CsvParser, ImportFormatError, JsonArraySplitter } from './stream-parsers';

export { ImportFormatError } from './stream-parsers';

export type ImportFormat = 'json' | 'csv';

export interface RejectedRow {
  /** 1-based position among the data rows (the JSON array's n-th element, the CSV's n-th record after the header). */
  row: number;
  errors: FieldIssue[];
}

export interface ImportProgress {
  rows: number;
  created: number;
  updated: number;
  rejected: number;
  /** Bytes read from the source so far (for a progress bar against the file size). */
  bytes: number;
  done: boolean;
}

export interface ImportResult {
  created: number;
  updated: number;
  /** The rejected rows, the first `maxRejectedListed` of them. */
  rejected: RejectedRow[];
  /** Every rejected row, listed or not. */
  rejectedTotal: number;
  rows: number;
}

export interface ImportOptions {
  /** Rows per upsert statement (default 1000). */
  batchSize?: number;
  /** Called after every batch and once at the end. */
  onProgress?: (progress: ImportProgress) => void;
  /** How many rejected rows the result lists in full (default 1000); the total is always counted. */
  maxRejectedListed?: number;
}

/** Whole-file problems leave as ImportFormatError; batches written before it stay written (`partial`). */
export class ImportAbortedError extends ImportFormatError {
  constructor(
    message: string,
    readonly partial: ImportResult,
  ) {
    super(message);
    this.name = 'ImportAbortedError';
  }
}

export async function importInsurancePolicies(
  db: Kysely<Database>,
  source: Readable | AsyncIterable<Buffer | Uint8Array | string>,
  format: ImportFormat,
  opts: ImportOptions = {},
): Promise<ImportResult> {
  const batchSize = Math.max(1, opts.batchSize ?? 1000);
  const maxListed = Math.max(0, opts.maxRejectedListed ?? 1000);
  const result: ImportResult = { created: 0, updated: 0, rejected: [], rejectedTotal: 0, rows: 0 };
  let bytes = 0;
  let batch = new Map<string, { row: number; record: InsurancePolicy }>();

  const reject = (row: number, errors: FieldIssue[]) => {
    result.rejectedTotal += 1;
    if (result.rejected.length < maxListed) result.rejected.push({ row, errors });
  };
  const progress = (done: boolean) =>
    opts.onProgress?.({
      rows: result.rows,
      created: result.created,
      updated: result.updated,
      rejected: result.rejectedTotal,
      bytes,
      done,
    });
  const flush = async () => {
    if (batch.size === 0) return;
    const rows = [...batch.values()];
    batch = new Map();
    await writeBatch(db, rows, result, reject);
    progress(false);
  };
  const accept = async (row: number, raw: unknown) => {
    result.rows = row;
    if (raw === UNPARSABLE) return reject(row, [{ path: '(row)', message: 'not valid JSON' }]);
    const validated = validateInsurancePolicyRow(raw);
    if (!validated.ok) return reject(row, validated.errors);
    // One statement may not touch a row twice: a policy repeated within a batch closes the batch first.
    if (batch.has(validated.record.policyNo)) await flush();
    batch.set(validated.record.policyNo, { row, record: validated.record });
    if (batch.size >= batchSize) await flush();
  };

  const rows = format === 'csv' ? csvRows() : jsonRows();
  try {
    const decoder = new TextDecoder('utf-8');
    for await (const chunk of source) {
      const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
      bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
      for (const [row, raw] of rows.push(text)) await accept(row, raw);
    }
    for (const [row, raw] of rows.push(decoder.decode())) await accept(row, raw);
    for (const [row, raw] of rows.end()) await accept(row, raw);
    await flush();
  } catch (err) {
    if (err instanceof ImportFormatError) {
      await flush();
      throw new ImportAbortedError(`${err.message} (after row ${result.rows})`, result);
    }
    throw err;
  }
  progress(true);
  return result;
}

/** Turns text chunks into numbered raw rows; parse errors of one element become that row's rejection. */
interface RowSource {
  push(text: string): [number, unknown][];
  end(): [number, unknown][];
}

const UNPARSABLE = Symbol('unparsable');

function jsonRows(): RowSource {
  const splitter = new JsonArraySplitter();
  let n = 0;
  const parse = (texts: string[]): [number, unknown][] =>
    texts.map((text) => {
      n += 1;
      try {
        return [n, JSON.parse(text) as unknown];
      } catch {
        return [n, UNPARSABLE];
      }
    });
  return { push: (text) => parse(splitter.push(text)), end: () => parse(splitter.end()) };
}

function csvRows(): RowSource {
  const parser = new CsvParser();
  let header: string[] | undefined;
  let n = 0;
  const shape = (records: string[][]): [number, unknown][] =>
    records.flatMap((fields): [number, unknown][] => {
      if (!header) {
        header = fields.map((f) => f.trim());
        const problems = csvHeaderProblems(header);
        if (problems.length > 0) throw new ImportFormatError(`CSV header: ${problems.join('; ')}`);
        return [];
      }
      n += 1;
      return [[n, csvRecordToRow(header, fields)]];
    });
  return {
    push: (text) => shape(parser.push(text)),
    end: () => {
      const rows = shape(parser.end());
      if (!header) throw new ImportFormatError('the CSV has no header row');
      return rows;
    },
  };
}

/**
 * Writes one batch. Validation catches what the table's constraints check, so a refused batch is
 * unexpected; rather than lose its good rows, it is written again row by row and only the rows the
 * database refuses are rejected. An unreachable database is not a row's fault: that stops the import.
 */
async function writeBatch(
  db: Kysely<Database>,
  rows: { row: number; record: InsurancePolicy }[],
  result: ImportResult,
  reject: (row: number, errors: FieldIssue[]) => void,
): Promise<void> {
  try {
    const { created, updated } = await upsertInsurancePolicies(
      db,
      rows.map((r) => r.record),
    );
    result.created += created;
    result.updated += updated;
    return;
  } catch (err) {
    if (isDatabaseUnavailable(err)) throw err;
  }
  for (const { row, record } of rows) {
    try {
      const { created, updated } = await upsertInsurancePolicies(db, [record]);
      result.created += created;
      result.updated += updated;
    } catch (err) {
      if (isDatabaseUnavailable(err)) throw err;
      reject(row, [{ path: '(row)', message: 'refused by the database' }]);
    }
  }
}

export class InvalidInsurancePolicyError extends Error {
  constructor(readonly errors: FieldIssue[]) {
    super(`invalid policy: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
    this.name = 'InvalidInsurancePolicyError';
  }
}

/** `PUT /policies/{policyNo}`: validates (InvalidInsurancePolicyError with field errors), then inserts or updates. */
export async function upsertInsurancePolicy(
  db: Kysely<Database>,
  policyNo: string,
  body: unknown,
): Promise<{ outcome: 'created' | 'updated'; policy: InsurancePolicy }> {
  const validated = validateInsurancePolicyBody(policyNo, body);
  if (!validated.ok) throw new InvalidInsurancePolicyError(validated.errors);
  const { created } = await upsertInsurancePolicies(db, [validated.record]);
  return { outcome: created > 0 ? 'created' : 'updated', policy: validated.record };
}
