/**
 * `npm run bench:reads`: the read side at a million cases. Seeds BENCH_READS_CASES cases (default
 * 1,000,000) with their clocks into a database of its own, through the project's migrations, then
 * times every `GET /cases` filter combination the list offers (the repository call the route makes),
 * `GET /cases?q=` by case number, policy number and phone (one keyed hash per case), `GET /reports/kpis`
 * for a month of all teams, a year, one team and one agent, and `GET /reports/breaches`.
 *
 * The seed is kept between runs (it takes minutes); BENCH_READS_RESEED=1 builds it again. Figures
 * go in notes, never in tests. Everything talks to 127.0.0.1; every loop is bounded.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { ensureDatabaseExists, openDatabase } from '../db/connection';
import { migrateToLatest } from '../db/migrate';
import { breachesByPolicy, type BreachFilter } from '../db/repositories/breaches';
import { listCases, type CaseListFilter, type CaseScope } from '../db/repositories/case-reads';
import { kpiCounts, type KpiFilter } from '../db/repositories/kpis';
import { type Executor, inTransaction } from '../db/repositories/support';

const CASES = Number(process.env.BENCH_READS_CASES ?? 1_000_000);
const RUNS = Number(process.env.BENCH_READS_RUNS ?? 20);
const DATABASE_URL = process.env.BENCH_READS_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/motordesk_bench_reads';
const TEAMS = 8;
const AGENTS_PER_TEAM = 25;
/** The seed spans two years back from here, so "a month" and "a year" both hold real volumes. */
const NOW = new Date('2026-12-01T00:00:00Z');

async function main(): Promise<void> {
  await ensureDatabaseExists(DATABASE_URL);
  const database = await openDatabase({ databaseUrl: DATABASE_URL, dataDir: '.data/bench-reads', max: 4 });
  const db = database.db;
  try {
    await migrateToLatest(db);
    const have = Number((await sql<{ n: string }>`select count(*) as n from cases`.execute(db)).rows[0]?.n ?? 0);
    if (have !== CASES || process.env.BENCH_READS_RESEED === '1') await seed(db);
    else console.log(`[bench:reads] reusing the seed: ${have} cases`);
    await seedSearchKeys(db);
    const clocks = Number((await sql<{ n: string }>`select count(*) as n from clocks`.execute(db)).rows[0]?.n ?? 0);
    console.log(`[bench:reads] ${CASES} cases, ${clocks} clocks; ${RUNS} runs per query; milliseconds`);

    console.log('\nGET /cases (first page of 50, newest first)');
    for (const [name, filter, scope] of listQueries()) report(name, await timed(() => listCases(db, filter, scope)));

    console.log('\nGET /cases?q= (first page of 50)');
    for (const [name, filter] of searchQueries()) report(name, await timed(() => listCases(db, filter)));

    console.log('\nGET /reports/kpis');
    for (const [name, filter] of kpiQueries()) report(name, await timed(() => kpiCounts(db, filter)));

    console.log('\nGET /reports/breaches (every breached clock in the range, with its case)');
    for (const [name, filter] of breachQueries()) {
      const groups = await breachesByPolicy(db, filter);
      const rows = groups.reduce((n, g) => n + g.cases.length, 0);
      report(`${name} (${rows} breaches)`, await timed(() => breachesByPolicy(db, filter)));
    }
  } finally {
    await database.close();
  }
}

/**
 * One INSERT … SELECT per table: types, statuses, teams, agents, clocks and breaches spread the way a
 * department's year looks (most cases closed, a few percent breached or escalated, a long tail of
 * policy numbers).
 */
async function seed(db: Executor): Promise<void> {
  const t0 = Date.now();
  console.log(`[bench:reads] seeding ${CASES} cases …`);
  // A truncate fires no delete trigger: the KPIs' daily rollups go with the rows.
  await sql`truncate cases, clocks, case_assignments, clock_outcome_days, case_opened_days cascade`.execute(db);
  // Independent draws per column (a fixed seed: the same rows every build); open cases overdue or not, so no two filters are
  // correlated by construction; creation times spread evenly over two years.
  await inTransaction(db, async (trx) => {
    await sql`select setseed(0.42)`.execute(trx);
    await sql`
    insert into cases (id, type, status, team, assignee, escalation_level, policy_no, next_due_at, sla_breached,
                       data, version, created_at, updated_at, closed_at)
    select 'bench-' || g, t.type,
           case when r.closed then t.closed_status else t.open_status end,
           'team-' || r.team, 'agent-' || r.team || '-' || r.agent,
           case when r.escalation < 0.01 then 2 when r.escalation < 0.04 then 1 else 0 end,
           case when t.type in ('claim', 'renewal') then 'PDAA' || lpad(r.policy::text, 12, '0') end,
           case when r.closed then null else r.created + r.outcome * interval '20 days' end,
           r.breached < 0.04,
           -- Half the answered inquiries carry a quality review (what 咨询解答准确率 counts).
           case when k.type = 'inquiry' and r.closed and r.outcome < 0.5
                then jsonb_build_object('review', jsonb_build_object('correct', r.outcome < 0.45,
                       'at', to_char((r.created + interval '6 days') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
                else '{}'::jsonb end,
           1, r.created, r.created + interval '1 day',
           case when r.closed then r.created + interval '5 days' end
    from (select g,
                 ${NOW}::timestamptz - (g::float8 / ${CASES}) * interval '730 days' as created,
                 -- Open cases are recent, as at a working desk: half of the last 60 days' cases.
                 g::float8 / ${CASES} * 730 > 60 or random() < 0.5 as closed,
                 random() as kind, random() as outcome, random() as escalation, random() as breached,
                 floor(random() * ${TEAMS})::int as team, floor(random() * ${AGENTS_PER_TEAM})::int as agent,
                 floor(random() * 400000)::int as policy
          from generate_series(1, ${CASES}) as g) as r,
         lateral (select case when r.kind < 0.4 then 'claim' when r.kind < 0.7 then 'inquiry'
                              when r.kind < 0.8 then 'complaint' else 'renewal' end as type) as k,
         lateral (select k.type,
                         case k.type when 'claim' then 'awaiting_documents' when 'inquiry' then 'open'
                                     when 'complaint' then 'investigating' else 'contacted' end as open_status,
                         case k.type when 'claim' then (case when r.outcome < 0.15 then 'withdrawn' else 'closed' end)
                                     when 'renewal' then (case when r.outcome < 0.3 then 'lapsed' else 'renewed' end)
                                     else 'closed' end as closed_status) as t
  `.execute(trx);
  });
  // The assignment history an agent's figures count (every case once; a tenth reassigned in-team).
  await sql`
    insert into case_assignments (case_id, assignee, assigned_at, assignment_key)
    select id, assignee, created_at, id || ':v1' from cases
    union all
    select id, 'agent-' || substr(team, 6) || '-' || (abs(hashtext(id)) % ${AGENTS_PER_TEAM}), created_at + interval '1 hour',
           id || ':v2'
    from cases where abs(hashtext(id)) % 10 = 0
  `.execute(db);
  console.log(`[bench:reads]   cases in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  // Two clocks a case: the first response (met or breached) and the type's main clock.
  await sql`
    insert into clocks (case_id, clock_id, policy, kind, state, started_at, due_at, warn_at, ended_at, escalations,
                        version, updated_at)
    select c.id, p.clock_id, p.policy, p.kind,
           case when c.sla_breached and p.clock_id = 'main' then 'breached'
                when c.closed_at is null and p.clock_id = 'main' then 'pending' else 'met' end,
           c.created_at, c.created_at + p.span, c.created_at + p.span * 0.8,
           case when c.closed_at is null and p.clock_id = 'main' then null else c.created_at + p.span * 0.5 end,
           0, 1, c.updated_at
    from cases c,
         lateral (values
           ('first', case c.type when 'claim' then 'claim.firstContact' when 'complaint' then 'complaint.acknowledge'
                                 when 'inquiry' then 'inquiry.answer' else 'renewal.window' end,
            'internal', interval '1 day'),
           ('main', case c.type when 'claim' then 'claim.payment' when 'complaint' then 'complaint.decision'
                                when 'inquiry' then 'inquiry.consultation' else 'renewal.window' end,
            'statutory', interval '10 days')) as p(clock_id, policy, kind, span)
  `.execute(db);
  // As autovacuum leaves a table in steady state: statistics and the visibility map (index-only scans).
  await sql`vacuum analyze cases`.execute(db);
  await sql`vacuum analyze clocks`.execute(db);
  await sql`vacuum analyze case_assignments`.execute(db);
  await sql`vacuum analyze clock_outcome_days`.execute(db);
  await sql`vacuum analyze case_opened_days`.execute(db);
  console.log(`[bench:reads]   seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/**
 * One phone per case in the keyed-hash index `q` searches. The bench has no HMAC key of its own: a
 * sha256 of a per-case string stands in for the HMAC (the same 64 hex characters, the same index).
 */
async function seedSearchKeys(db: Executor): Promise<void> {
  const have = Number(
    (await sql<{ n: string }>`select count(*) as n from case_search_keys`.execute(db)).rows[0]?.n ?? 0,
  );
  if (have === CASES) return;
  const t0 = Date.now();
  await sql`truncate case_search_keys`.execute(db);
  await sql`
    insert into case_search_keys (hash, case_id, kind)
    select encode(sha256(convert_to('phone:' || id, 'UTF8')), 'hex'), id, 'phone' from cases
  `.execute(db);
  await sql`vacuum analyze case_search_keys`.execute(db);
  console.log(`[bench:reads]   search keys in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

const phoneHashOf = (caseId: string): string => createHash('sha256').update(`phone:${caseId}`).digest('hex');

function searchQueries(): [string, CaseListFilter][] {
  const nowhere = '0'.repeat(64);
  return [
    ['q=<case number>', { search: { text: 'bench-500000', hashes: [] } }],
    ['q=<policy number>', { search: { text: 'PDAA000000012345', hashes: [] } }],
    ['q=<phone> (one case)', { search: { text: '13800012345', hashes: [phoneHashOf('bench-12345')] } }],
    ['q=<phone> matching nothing', { search: { text: '13999999999', hashes: [nowhere] } }],
    ['q=<phone>&open=true', { open: true, search: { text: '13800012345', hashes: [phoneHashOf('bench-999')] } }],
  ];
}

function breachQueries(): [string, BreachFilter][] {
  const month = { from: new Date('2026-11-01T00:00:00+08:00'), to: new Date('2026-12-01T00:00:00+08:00') };
  const year = { from: new Date('2026-01-01T00:00:00+08:00'), to: new Date('2027-01-01T00:00:00+08:00') };
  return [
    ['a month, all teams', month],
    ['a month, statutory', { ...month, kind: 'statutory' }],
    ['a month, one team', { ...month, team: 'team-3' }],
    ['a year, all teams', year],
  ];
}

type ListQuery = [string, CaseListFilter, CaseScope?];

/** Each filter alone, in the team scope agents and supervisors list within, and the pairs a desk uses. */
function listQueries(): ListQuery[] {
  const past = new Date(NOW.getTime() - 86_400_000);
  const singles: [string, CaseListFilter][] = [
    ['none', {}],
    ['type=claim', { type: 'claim' }],
    ['status=closed', { status: 'closed' }],
    ['status=awaiting_documents', { status: 'awaiting_documents' }],
    ['status=open,investigating', { status: ['open', 'investigating'] }],
    ['open=true', { open: true }],
    ['open=false', { open: false }],
    ['team=team-3', { team: 'team-3' }],
    ['assignee=agent-3-7', { assignee: 'agent-3-7' }],
    ['breached=true', { breached: true }],
    ['breached=false', { breached: false }],
    ['escalated=true', { escalated: true }],
    ['escalated=false', { escalated: false }],
    ['dueBefore=yesterday', { dueBefore: past }],
    ['policyNo=PDAA000000012345', { policyNo: 'PDAA000000012345' }],
  ];
  const pairs: [string, CaseListFilter][] = [
    ['type=claim&status=closed', { type: 'claim', status: 'closed' }],
    ['type=claim&status=withdrawn', { type: 'claim', status: 'withdrawn' }],
    ['type=complaint&open=true', { type: 'complaint', open: true }],
    ['type=inquiry&breached=true', { type: 'inquiry', breached: true }],
    ['type=renewal&escalated=true', { type: 'renewal', escalated: true }],
    ['open=true&breached=true', { open: true, breached: true }],
    ['open=true&escalated=true', { open: true, escalated: true }],
    ['open=true&dueBefore=yesterday', { open: true, dueBefore: past }],
    ['assignee&open=true', { assignee: 'agent-3-7', open: true }],
    ['assignee&breached=true', { assignee: 'agent-3-7', breached: true }],
    ['team&type=complaint&status=investigating', { team: 'team-3', type: 'complaint', status: 'investigating' }],
    // No case matches: the worst case for a plan that walks the newest-first index and filters.
    ['type=complaint&status=withdrawn (none)', { type: 'complaint', status: 'withdrawn' }],
    [
      'assignee&type=renewal&breached=true&escalated=true',
      { assignee: 'agent-3-7', type: 'renewal', breached: true, escalated: true },
    ],
  ];
  const all: ListQuery[] = [...singles, ...pairs].map(([n, f]) => [n, f]);
  const scoped: ListQuery[] = [...singles, ...pairs].map(([n, f]) => [`[team scope] ${n}`, f, { team: 'team-3' }]);
  return [...all, ...scoped];
}

function kpiQueries(): [string, KpiFilter][] {
  const month = { from: new Date('2026-11-01T00:00:00+08:00'), to: new Date('2026-12-01T00:00:00+08:00') };
  const year = { from: new Date('2026-01-01T00:00:00+08:00'), to: new Date('2027-01-01T00:00:00+08:00') };
  return [
    ['a month, all teams', month],
    ['a year, all teams', year],
    ['a month, one team', { ...month, team: 'team-3' }],
    ['a month, one agent', { ...month, team: 'team-3', agent: 'agent-3-7' }],
  ];
}

async function timed(run: () => Promise<unknown>): Promise<number[]> {
  await run(); // warm the plan and the buffer cache once
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

function report(name: string, sorted: number[]): void {
  const p50 = percentile(sorted, 50).toFixed(1).padStart(8);
  const p95 = percentile(sorted, 95).toFixed(1).padStart(8);
  console.log(`  ${name.padEnd(52)} p50 ${p50}   p95 ${p95}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
