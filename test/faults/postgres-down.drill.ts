/**
 * Drill: the read model's PostgreSQL (a cluster the drill starts itself from the server binaries on
 * the machine, on a port of its own; the machine's PostgreSQL is never touched) is stopped for 30 s
 * while claims are opened and read at a light, steady rate. While it is down every answer is a 503
 * with Retry-After (never a 500, never a hang); once it is back, the same API and worker processes
 * carry on (neither is restarted): every claim answered 201 is there exactly once, with its personal
 * data, its one document notice and its clock met, no timeline event or notification twice, and no
 * personal data left behind by a refused opening.
 */
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { expect, inject, it } from 'vitest';
import { loadConfig } from '../../config';
import type { Database } from '../../db/schema';
import { type Opening, lossesOf, openClaim, settleAndCount, statusCounts } from './support/claims';
import { printFigures, seconds } from './support/figures';
import { postgresCluster } from './support/postgres';
import { sleep } from './support/service';
import { type Answer, call, drillLogDir, migrate, startStack, until } from './support/stack';
import { devServer } from './support/temporal';

const DOWN_MS = 30_000;
const UP_BEFORE_MS = 10_000;
const UP_AFTER_MS = 15_000;
/** Light load: this many clients opening claims, each pausing between two; one client reading. */
const CLIENTS = 2;
const PAUSE_MS = 400;
const READ_PAUSE_MS = 250;
const NOTE_PAUSE_MS = 500;
/** Statuses a client retries with the same Idempotency-Key. */
const RETRYABLE = new Set([0, 409, 429, 503]);

it('holds through a 30 s PostgreSQL outage: only 503 + Retry-After while down, no process restarted, nothing lost or doubled', async () => {
  const logDir = drillLogDir('postgres-down');
  const cluster = await postgresCluster(logDir);
  await cluster.start();
  const temporal = await devServer({ cliPath: loadConfig().temporal.cliPath, logDir });
  let stack: Awaited<ReturnType<typeof startStack>> | undefined;
  try {
    await temporal.start();
    const maintenance = new pg.Client({ connectionString: cluster.url('postgres') });
    await maintenance.connect();
    await maintenance.query('create database motordesk_drill');
    await maintenance.end();
    const databaseUrl = cluster.url('motordesk_drill');
    await migrate(databaseUrl);
    stack = await startStack({
      logDir,
      temporalAddress: temporal.address,
      databaseUrl,
      workflowBundlePath: inject('drillBundlePath'),
    });
    const { url } = stack;
    const token = stack.token('agent', 'drill');
    const started = Date.now();
    let loading = true;
    const openings: Opening[] = [];
    const clients = Array.from({ length: CLIENTS }, async (_, c) => {
      for (let i = 0; loading; i++) {
        openings.push(await openClaim(url, token, `drill-pg-${started}-${c}-${i}`, { giveUpAfterMs: 120_000 }));
        await sleep(PAUSE_MS);
      }
    });
    // A reader: the case list and the timeline of the last claim answered, as a console polls them.
    const reads: Answer[] = [];
    const lastClaim = () => openings.findLast((o) => o.id)?.id;
    const reader = (async () => {
      while (loading) {
        reads.push(await call(url, 'GET', '/api/v1/cases?limit=5', { token }));
        const id = lastClaim();
        if (id) reads.push(await call(url, 'GET', `/api/v1/cases/${id}/timeline`, { token }));
        await sleep(READ_PAUSE_MS);
      }
    })();
    // A note-taker: one note (its own key and text) at a time on the last claim answered, retried with
    // its key after a 503 or a 409 until answered; each must be on the timeline exactly once.
    const notes: Note[] = [];
    const noter = (async () => {
      for (let i = 0; loading; i++) {
        const caseId = lastClaim();
        if (caseId) notes.push(await addNote(url, token, caseId, `drill-pg-note-${started}-${i}`));
        await sleep(NOTE_PAUSE_MS);
      }
    })();

    await sleep(UP_BEFORE_MS);
    const downFrom = Date.now();
    await cluster.stop();
    const stoppedAt = Date.now();
    await sleep(DOWN_MS);
    await cluster.start();
    const downMs = Date.now() - downFrom;
    const upAt = Date.now();
    await sleep(UP_AFTER_MS);
    loading = false;
    await Promise.all([...clients, reader, noter]);
    const loadMs = Date.now() - started;

    const attempts = openings.flatMap((o) => o.attempts);
    const ids = openings.flatMap((o) => (o.id ? [o.id] : []));
    const noteAttempts = notes.flatMap((n) => n.attempts);
    const answers = [...attempts, ...reads, ...noteAttempts];
    const refusals = answers.filter((a) => a.status !== 200 && a.status !== 201);
    // A retry meeting its own first request still running (409 + Retry-After) is an answer a client
    // is told to retry; a key left "still processing" for good shows as an unanswered opening.
    const badRefusals = refusals.filter((a) => !isServiceUnavailable(a) && !isStillProcessing(a));
    const figures = await settleAndCount(stack.database.db, ids);
    const orphanPersonalData = Number(
      (
        await sql<{ n: string }>`select count(*) as n from case_personal_data p
          where not exists (select 1 from cases c where c.id = p.case_id)`.execute(stack.database.db)
      ).rows[0]?.n ?? 0,
    );
    const casesOfDrill = Number(
      (await sql<{ n: string }>`select count(*) as n from cases`.execute(stack.database.db)).rows[0]?.n ?? 0,
    );
    const db = stack.database.db;
    await until(async () => (await notesOnTimeline(db, notes)).missing === 0, 60_000, 1_000);
    const noteCounts = await notesOnTimeline(db, notes);
    const losses = {
      unanswered: openings.length - ids.length,
      notesUnanswered: notes.filter((n) => !n.answered).length,
      notesMissing: noteCounts.missing,
      notesDoubled: noteCounts.doubled,
      distinctIdsShort: ids.length - new Set(ids).size,
      casesOtherThanAnswered: casesOfDrill - ids.length,
      refusalsOtherThan503Or409WithRetryAfter: badRefusals.length,
      orphanPersonalData,
      // Neither process was restarted by the drill, and neither died on its own.
      apiRestarts: stack.api.starts - 1,
      workerRestarts: stack.worker.starts - 1,
      apiExited: stack.api.running ? 0 : 1,
      workerExited: stack.worker.running ? 0 : 1,
      ...lossesOf(figures),
    };
    printFigures('postgres-down', {
      'outage (stop → started again)': `${seconds(downMs)} (stop took ${seconds(stoppedAt - downFrom)})`,
      clients: `${CLIENTS} opening, 1 reading`,
      openings: openings.length,
      'answered 201': ids.length,
      'opening attempts by status': statusCounts(attempts),
      'reads by status': statusCounts(reads),
      'note attempts by status': statusCounts(noteAttempts),
      'notes answered 200': notes.filter((n) => n.answered).length,
      'refusals, first few': badRefusals.slice(0, 3).map((a) => `${a.status} ${a.error ?? JSON.stringify(a.body)}`),
      'retried openings': openings.filter((o) => o.attempts.length > 1).length,
      'slowest answer': `${Math.max(...answers.map((a) => a.ms))} ms`,
      'load time': `${seconds(loadMs)} (${seconds(Date.now() - upAt)} since the restart)`,
      ...figures,
      ...losses,
      logs: logDir,
    });
    expect(refusals.length).toBeGreaterThan(0); // the outage was seen by clients
    expect(losses).toEqual(Object.fromEntries(Object.keys(losses).map((k) => [k, 0])));
  } finally {
    await stack?.close();
    await temporal.stop();
    await cluster.destroy();
  }
});

function isServiceUnavailable(a: Answer): boolean {
  return a.status === 503 && Number(a.headers.get('retry-after')) > 0;
}

function isStillProcessing(a: Answer): boolean {
  return a.status === 409 && Number(a.headers.get('retry-after')) > 0;
}

interface Note {
  key: string;
  text: string;
  answered: boolean;
  attempts: Answer[];
}

async function addNote(url: string, token: string, caseId: string, key: string): Promise<Note> {
  const note: Note = { key, text: `drill note ${key}`, answered: false, attempts: [] };
  const deadline = Date.now() + 120_000;
  for (;;) {
    const answer = await call(url, 'POST', `/api/v1/cases/${caseId}/notes`, {
      token,
      body: { text: note.text },
      headers: { 'idempotency-key': key },
    });
    note.attempts.push(answer);
    if (answer.status === 200) return { ...note, answered: true };
    if (!RETRYABLE.has(answer.status) || Date.now() > deadline) return note;
    await sleep(Math.min(5, Number(answer.headers.get('retry-after') ?? '1') || 1) * 200);
  }
}

/** Each answered note's note.added events on the timeline: exactly one is right. */
async function notesOnTimeline(db: Kysely<Database>, notes: Note[]): Promise<{ missing: number; doubled: number }> {
  const answered = notes.filter((n) => n.answered).map((n) => n.text);
  if (answered.length === 0) return { missing: 0, doubled: 0 };
  const rows = (
    await sql<{ text: string; n: string }>`select detail->>'text' as text, count(*) as n from timeline_events
      where kind = 'note.added' and detail->>'text' in (${sql.join(notes.map((n) => n.text))})
      group by 1`.execute(db)
  ).rows;
  const counts = new Map(rows.map((r) => [r.text, Number(r.n)]));
  return {
    missing: answered.filter((t) => !counts.has(t)).length,
    doubled: [...counts.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0),
  };
}
