/**
 * The audit log cannot be rewritten unnoticed: the database refuses UPDATE/DELETE/TRUNCATE for
 * everyone (a trigger, so the table's owner too), chains every row to the one before it even when
 * appends race, and a row changed by a superuser who lifted the trigger is found by the verifier and
 * by `npm run motordesk -- audit verify`. Each backend gets a database of its own: tampering is the point.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ensureDatabaseExists, openDatabase, type OpenedDatabase } from '../../db/connection';
import { createMigrator, migrateToLatest } from '../../db/migrate';
import { appendAudit, listAudit, verifyAuditChain } from '../../db/repositories/audit';
import { scratchPostgres } from './backends';

const ROOT = path.join(__dirname, '..', '..');
const run = promisify(execFile);

interface Fresh {
  name: 'postgres' | 'pglite';
  url?: string;
  open(): Promise<OpenedDatabase>;
  dispose(): Promise<void>;
}

function freshPostgres(): Fresh {
  const { url, drop } = scratchPostgres('motordesk_dbtest_audit');
  return {
    name: 'postgres',
    url,
    async open() {
      await ensureDatabaseExists(url);
      return openDatabase({ databaseUrl: url, dataDir: os.tmpdir(), max: 8 });
    },
    dispose: drop,
  };
}

function freshPGlite(): Fresh {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'motordesk-audit-'));
  return {
    name: 'pglite',
    open: () => openDatabase({ dataDir }),
    async dispose() {
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const entry = (i: number) => ({
  actor: `admin-${i % 3}`,
  action: 'deadline_policy.override',
  target: `claim.firstContact`,
  detail: { i, note: '说明 "quoted"', nested: { b: 2, a: [1, 'x'] } },
});

describe.each([freshPostgres, freshPGlite])('the audit chain (%o)', (make) => {
  const fresh = make();
  let database: OpenedDatabase;
  const db = () => database.db;

  beforeAll(async () => {
    database = await fresh.open();
    await migrateToLatest(database.db);
  });
  afterAll(async () => {
    await database?.close();
    await fresh.dispose();
  });

  it('rows appended at the same time form one unbroken chain, numbered 1, 2, 3 … in commit order', async () => {
    await Promise.all(Array.from({ length: 24 }, (_, i) => appendAudit(db(), entry(i))));
    const report = await verifyAuditChain(db());
    expect(report).toMatchObject({ ok: true, rows: 24, problems: [] });
    expect(report.recordedHead).toEqual(report.head);
    const seqs = (await listAudit(db(), { limit: 1000 })).map((r) => Number(r.seq)).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
  });

  it('a verify while rows are being appended reads one snapshot: the chain and its head agree', async () => {
    let appending = true;
    const appender = async (lane: number) => {
      for (let i = 0; appending && i < 400; i++) await appendAudit(db(), entry(lane * 1000 + i));
    };
    const appenders = Promise.all([0, 1, 2, 3].map(appender));
    const reports = [];
    for (let i = 0; i < 8; i++) reports.push(await verifyAuditChain(db()));
    appending = false;
    await appenders;
    for (const report of reports) expect(report).toMatchObject({ ok: true, problems: [] });
    expect(reports.map((r) => r.recordedHead)).toEqual(reports.map((r) => r.head));
  });

  it('the application cannot change or remove a row, even as the table owner', async () => {
    await expect(db().updateTable('audit_log').set({ actor: 'someone-else' }).execute()).rejects.toThrow(/append-only/);
    await expect(db().deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`.execute(db())).rejects.toThrow(/append-only/);
    expect((await verifyAuditChain(db())).ok).toBe(true);
  });

  it('a row a superuser rewrote with the trigger lifted is found, and so is a tail cut off', async () => {
    await appendAudit(db(), { actor: 'admin-x', action: 'calendar.load', target: '2027', detail: { days: 30 } });
    const [victim] = await listAudit(db(), { target: '2027' });
    await sql`alter table audit_log disable trigger audit_log_no_update_delete`.execute(db());
    await sql`update audit_log set detail = '{"days": 31}'::jsonb where seq = ${victim!.seq}`.execute(db());
    await sql`alter table audit_log enable trigger audit_log_no_update_delete`.execute(db());

    const rewritten = await verifyAuditChain(db());
    expect(rewritten.ok).toBe(false);
    expect(rewritten.problems).toContainEqual({ seq: victim!.seq, id: victim!.id, problem: 'hash' });

    if (fresh.url) {
      // The operators' command says the same, with exit code 1.
      const failed = await run('npx', ['tsx', 'scripts/cli.ts', 'audit', 'verify'], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: fresh.url },
      }).then(
        () => ({ code: 0, stdout: '' }),
        (err: { code: number; stdout: string }) => err,
      );
      expect(failed.code).toBe(1);
      expect(JSON.parse(failed.stdout)).toMatchObject({ ok: false, problems: [{ seq: victim!.seq, problem: 'hash' }] });
    }

    await sql`alter table audit_log disable trigger audit_log_no_update_delete`.execute(db());
    await sql`delete from audit_log where seq = ${victim!.seq}`.execute(db());
    await sql`alter table audit_log enable trigger audit_log_no_update_delete`.execute(db());
    const cut = await verifyAuditChain(db());
    expect(cut.problems).toContainEqual(expect.objectContaining({ problem: 'head' }));
  });
});

describe('npm run motordesk -- audit verify', () => {
  const fresh = freshPostgres();
  let database: OpenedDatabase;

  beforeAll(async () => {
    database = await fresh.open();
    await migrateToLatest(database.db);
  });
  afterAll(async () => {
    await database?.close();
    await fresh.dispose();
  });

  it('proves an intact chain (exit 0) and checks a head kept from an earlier run', async () => {
    for (let i = 0; i < 3; i++) await appendAudit(database.db, entry(i));
    const { head } = await verifyAuditChain(database.db);
    const { stdout } = await run(
      'npx',
      ['tsx', 'scripts/cli.ts', 'audit', 'verify', '--expect-head', `${head.seq}:${head.hash}`],
      { cwd: ROOT, env: { ...process.env, DATABASE_URL: fresh.url } },
    );
    expect(JSON.parse(stdout)).toMatchObject({ ok: true, rows: 3, head, expectedHead: { found: true } });
  });
});

describe('the audit-chain migration', () => {
  const fresh = freshPostgres();
  afterAll(() => fresh.dispose());

  it('chains the rows written before it, oldest first, and new rows continue the chain', async () => {
    const database = await fresh.open();
    try {
      const { error } = await createMigrator(database.db).migrateTo('2026_12_02_0520_staff_directory');
      expect(error).toBeUndefined();
      for (let i = 0; i < 3; i++)
        await sql`insert into audit_log (actor, action, target, detail) values (${`admin-${i}`}, 'calendar.load', '2026', ${JSON.stringify({ i })}::jsonb)`.execute(
          database.db,
        );
      await migrateToLatest(database.db);
      await appendAudit(database.db, entry(9));
      const report = await verifyAuditChain(database.db);
      expect(report).toMatchObject({ ok: true, rows: 4, head: { seq: '4' } });
      const before = await listAudit(database.db, { target: '2026' });
      expect(before.map((r) => [r.seq, r.actor])).toEqual([
        ['3', 'admin-2'],
        ['2', 'admin-1'],
        ['1', 'admin-0'],
      ]);
    } finally {
      await database.close();
    }
  });
});
