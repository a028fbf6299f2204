#!/usr/bin/env tsx
/**
 * `motordesk`: the operators' command line, over the same services as the API.
 *   motordesk import-policies FILE [--format csv|json]   (progress bar on stderr, result JSON on stdout)
 *   motordesk renewal-sweep [--page-size N]              (`{ started, existing }` on stdout)
 *   motordesk index-search                              (search hashes for cases opened before they existed)
 *   motordesk token --sub ID [--expires 12h]            (a bearer token for a directory member on stdout)
 *   motordesk audit verify [--expect-head SEQ:HASH]      (the audit log's hash chain; exit 1 when broken)
 * Configuration as for every process (DATABASE_URL, TEMPORAL_ADDRESS, MOTORDESK_POLICIES …). With the
 * embedded PGlite of `npm start` the database is held by that process: import through the API
 * (`POST /api/v1/policies/import`) instead, or run against PostgreSQL.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../config';
import { openDatabase } from '../db/connection';
import { temporalConnectionOptions } from '../infra/temporal-connection';
import {
  ImportAbortedError,
  importInsurancePolicies,
  type ImportFormat,
  type ImportProgress,
  type ImportResult,
} from '../services/insurance-policy-import';
import { runRenewalSweep } from '../services/renewal-sweep';
import { payloadKeyRingOf, sealedDataConverter } from '../infra/payload-codec';
import { signToken } from '../api/auth';
import { getStaffMember } from '../db/repositories/staff';
import { indexUnindexedCases } from '../db/repositories/search-keys';
import { searchKeyOf } from '../config';
import { principalOf, readDevSecret, SEEDED_DIRECTORY } from './dev-directory';
import { verifyAuditChain } from '../db/repositories/audit';

/** Exit code when the import finished but rejected rows (scripts can tell "all in" from "some out"). */
const EXIT_ROWS_REJECTED = 2;

const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
};

function formatOf(file: string, given?: string): ImportFormat {
  const format = given ?? path.extname(file).slice(1).toLowerCase();
  if (format === 'csv' || format === 'json') return format;
  throw new InvalidArgumentError(`cannot tell the format of ${file}; pass --format csv|json`);
}

/** One line on stderr, redrawn in place on a terminal; every 10 % as a new line otherwise. */
function progressBar(total: number) {
  const started = Date.now();
  const tty = process.stderr.isTTY;
  let lastLine = '';
  let lastDecile = -1;
  return (p: ImportProgress) => {
    const fraction = total > 0 ? Math.min(1, p.bytes / total) : 1;
    const width = 30;
    const filled = Math.round(fraction * width);
    const rate = p.rows / Math.max(0.001, (Date.now() - started) / 1000);
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%  ${p.rows} rows  ${p.created} created  ${p.updated} updated  ${p.rejected} rejected  ${rate.toFixed(0)} rows/s`;
    if (tty) process.stderr.write(`\r${line}${p.done ? '\n' : ''}`);
    else if ((Math.floor(fraction * 10) > lastDecile || p.done) && line !== lastLine) {
      lastDecile = Math.floor(fraction * 10);
      lastLine = line;
      process.stderr.write(`${line}\n`);
    }
  };
}

async function importCommand(file: string, opts: { format?: string; batchSize?: number }): Promise<void> {
  const format = formatOf(file, opts.format);
  const size = fs.statSync(file).size;
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, max: 2 });
  let result: ImportResult;
  try {
    result = await importInsurancePolicies(
      database.db,
      fs.createReadStream(file, { highWaterMark: 256 * 1024 }),
      format,
      {
        batchSize: opts.batchSize,
        onProgress: progressBar(size),
      },
    );
  } catch (err) {
    if (err instanceof ImportAbortedError) {
      process.stderr.write(`\nimport stopped: ${err.message}\n`);
      process.stdout.write(`${JSON.stringify(err.partial, null, 2)}\n`);
      process.exitCode = 1;
      return;
    }
    throw err;
  } finally {
    await database.close();
  }
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  if (result.rejectedTotal > 0) process.exitCode = EXIT_ROWS_REJECTED;
}

async function sweepCommand(opts: { pageSize?: number }): Promise<void> {
  const config = loadConfig();
  // Without TEMPORAL_ADDRESS: the embedded dev server that `npm start` runs on this machine.
  const address = config.temporal.address ?? `127.0.0.1:${config.temporal.port}`;
  const connection = await Connection.connect(temporalConnectionOptions(config.temporal, address));
  try {
    const client = new Client({
      connection,
      namespace: config.temporal.namespace,
      dataConverter: sealedDataConverter(payloadKeyRingOf(config)),
    });
    const counts = await runRenewalSweep(client, { pageSize: opts.pageSize });
    process.stdout.write(`${JSON.stringify(counts)}\n`);
  } finally {
    await connection.close();
  }
}

interface Member {
  id: string;
  role: import('../domain/case').Role;
  team: string | null;
  active: boolean;
}

/**
 * The directory member `sub`. With DATABASE_URL, from the staff table. In the embedded mode the
 * PGlite database belongs to the running `npm start`, so its dev sign-in list (active members) is
 * asked over HTTP; when nothing answers there, the seeded directory is all there is.
 */
async function findMember(sub: string): Promise<Member | undefined> {
  const config = loadConfig();
  if (config.databaseUrl) {
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, max: 1 });
    try {
      return await getStaffMember(database.db, sub);
    } finally {
      await database.close();
    }
  }
  try {
    const res = await fetch(`http://${config.host}:${config.port}/dev/staff`, { signal: AbortSignal.timeout(3000) });
    if (res.ok) {
      const { items } = (await res.json()) as { items: Omit<Member, 'active'>[] };
      const member = items.find((m) => m.id === sub);
      return member && { ...member, active: true };
    }
  } catch {
    process.stderr.write('motordesk: npm start is not answering; looking in the seeded directory\n');
  }
  return SEEDED_DIRECTORY.find((m) => m.id === sub);
}

async function tokenCommand(opts: { sub: string; expires: string }): Promise<void> {
  const config = loadConfig();
  const secret = config.jwtSecret ?? readDevSecret(config.dataDir);
  if (!secret) throw new Error('no JWT_SECRET and no dev secret under the data directory: run npm start once');
  if (!/^\d+[smhd]$/.test(opts.expires)) throw new InvalidArgumentError('--expires takes a number with s, m, h or d');
  const member = await findMember(opts.sub);
  if (!member) throw new Error(`${opts.sub} is not in the staff directory`);
  if (!member.active) throw new Error(`${opts.sub} is no longer active`);
  process.stdout.write(`${signToken(principalOf(member), secret, opts.expires as `${number}h`)}\n`);
}

/**
 * Recomputes the audit log's hash chain. `--expect-head` takes a head printed by an earlier run
 * (kept outside the database): the chain must still contain that row with that hash, so a chain
 * rewritten from the start by someone who can lift the triggers does not pass either.
 */
async function auditVerifyCommand(opts: { expectHead?: string }): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, max: 1 });
  try {
    const report = await verifyAuditChain(database.db);
    let expected: { seq: string; hash: string; found: boolean } | undefined;
    if (opts.expectHead) {
      const [seq = '', hash = ''] = opts.expectHead.split(':');
      const row = /^\d+$/.test(seq)
        ? await database.db.selectFrom('audit_log').select('hash').where('seq', '=', seq).executeTakeFirst()
        : undefined;
      expected = { seq, hash, found: row?.hash === hash };
    }
    const ok = report.ok && (expected?.found ?? true);
    process.stdout.write(
      `${JSON.stringify({ ...report, ok, ...(expected ? { expectedHead: expected } : {}) }, null, 2)}\n`,
    );
    if (!ok) process.exitCode = 1;
  } finally {
    await database.close();
  }
}

const program = new Command()
  .name('motordesk')
  .description('motordesk operations: policy imports, the renewal sweep, staff tokens, the audit chain')
  .showHelpAfterError();

program
  .command('import-policies')
  .description(
    'import insurance policies from a JSON array or a CSV file with a header row (upsert; bad rows are reported, not imported)',
  )
  .argument('<file>', 'a .json or .csv file')
  .option('--format <format>', 'csv or json (default: from the file extension)')
  .option('--batch-size <n>', 'rows per database statement', positiveInt)
  .action(importCommand);

program
  .command('renewal-sweep')
  .description('run the renewal sweep now (the same workflow the daily 08:00 schedule runs)')
  .option('--page-size <n>', 'policies per page', positiveInt)
  .action(sweepCommand);

program
  .command('index-search')
  .description('write the keyed search hashes (GET /cases?q= by phone or plate) of cases that have none yet')
  .action(async () => {
    const config = loadConfig();
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, max: 2 });
    try {
      const indexed = await indexUnindexedCases(database.db, searchKeyOf(config));
      process.stdout.write(`${JSON.stringify({ indexed })}\n`);
    } finally {
      await database.close();
    }
  });

program
  .command('token')
  .description('sign a bearer token for a member of the staff directory (JWT_SECRET, or the dev secret of npm start)')
  .requiredOption('--sub <staffId>', 'the staff id')
  .option('--expires <duration>', 'lifetime such as 30m, 12h, 7d', '12h')
  .action(tokenCommand);

program
  .command('audit')
  .description('the audit log')
  .command('verify')
  .description('recompute the hash chain of the audit log; exit 1 when a row was changed, removed or inserted')
  .option('--expect-head <seq:hash>', 'a head printed by an earlier run, which must still be in the chain')
  .action(auditVerifyCommand);

program.parseAsync().catch((err: unknown) => {
  // Messages only: driver errors can quote parameters, and parameters can be personal data.
  process.stderr.write(`motordesk: ${err instanceof Error ? err.message : 'failed'}\n`);
  process.exit(1);
});
