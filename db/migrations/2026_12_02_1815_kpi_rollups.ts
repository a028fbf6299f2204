/**
 * Daily rollups for the KPIs, so a year of all teams reads a few thousand counts instead of scanning
 * the period's rows (at a million cases the year's clocks were about a million index entries and its
 * cases half a million rows: 217 ms p50 before this):
 * - `clock_outcome_days`: per Shanghai day × team × clock policy × outcome, the clocks whose outcome
 *   fell on that day — a met clock on the day it ended (`ended_at`), a breached one on its due day
 *   (`due_at`), the instants domain/kpis.ts counts by (the timeliness KPIs);
 * - `case_opened_days`: per Shanghai day × team × case type, the cases opened (`created_at`) that day
 *   (the complaint rate).
 *
 * The database keeps them: statement-level triggers on `clocks` and `cases` add what each statement's
 * new rows count and subtract what its old rows counted, so every writer (the projection's upserts, a
 * retried or superseded task's deletes, a case moved to another team, a seeding script) keeps them
 * exact in its own transaction, and a rolled-back projection takes its counts with it. Days are
 * UTC+08:00 (China has kept no daylight time since 1991; domain/civil-time.ts does the same).
 *
 * Existing rows are counted here. Frozen once released; imports nothing from the application.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- a migration types against no Database: it must not change when db/schema.ts does */
import { type Kysely, sql } from 'kysely';

/** The Shanghai date of an instant (a timestamptz expression). */
const shanghaiDay = (instant: string) => `((${instant} at time zone 'UTC') + interval '8 hours')::date`;

/** The Shanghai day a clock row `r`'s outcome fell on: a met clock's end, a breached clock's due instant. */
const outcomeDay = (r: string) => shanghaiDay(`(case when ${r}.state = 'met' then ${r}.ended_at else ${r}.due_at end)`);
/** The clock rows `r` that have an outcome. */
const hasOutcome = (r: string) => `((${r}.state = 'met' and ${r}.ended_at is not null) or ${r}.state = 'breached')`;

/** The outcomes of a set of clock rows (`rows`: a table or transition table with the clocks' columns). */
const outcomes = (rows: string, sign: '' | '-') => `
  select ${outcomeDay('r')} as day, c.team, r.policy, r.state as outcome, ${sign}1 as delta
    from ${rows} r join cases c on c.id = r.case_id
   where ${hasOutcome('r')}`;

/** Adds the deltas of `deltas` (a query of day, team, policy, outcome, delta) to the rollup. */
const apply = (deltas: string) => `
  insert into clock_outcome_days as d (day, team, policy, outcome, clocks)
  select day, team, policy, outcome, sum(delta) from (${deltas}) x
   group by day, team, policy, outcome
  having sum(delta) <> 0
   -- One order for every writer: two projections touching the same days lock them alike.
   order by day, team, policy, outcome
  on conflict (day, team, policy, outcome) do update set clocks = d.clocks + excluded.clocks`;

/** Rows of an update whose opening day, team or type changed (`o`: the old row, `n`: the new). */
const MOVED = `exists (select 1 from old_rows o join new_rows n on n.id = o.id
                where n.id = r.id and (o.team, o.type, ${shanghaiDay('o.created_at')}) is distinct from
                                      (n.team, n.type, ${shanghaiDay('n.created_at')}))`;

/** The cases a set of case rows opens, per day, team and type; `where`: which of the rows. */
const opened = (rows: string, sign: '' | '-', where = 'true') => `
  select ${shanghaiDay('r.created_at')} as day, r.team, r.type, ${sign}1 as delta from ${rows} r where ${where}`;

const applyOpened = (deltas: string) => `
  insert into case_opened_days as d (day, team, type, cases)
  select day, team, type, sum(delta) from (${deltas}) x
   group by day, team, type
  having sum(delta) <> 0
   order by day, team, type
  on conflict (day, type, team) do update set cases = d.cases + excluded.cases`;

export async function up(db: Kysely<any>): Promise<void> {
  // One statement per call: PGlite's extended protocol takes a single statement at a time.
  await sql`
    create table clock_outcome_days (
      day date not null,
      team text not null,
      policy text not null,
      outcome text not null check (outcome in ('met', 'breached')),
      clocks bigint not null,
      primary key (day, policy, outcome, team)
    )`.execute(db);
  await sql`
    create function clock_outcome_days_follow_clocks() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        ${sql.raw(apply(outcomes('new_rows', '')))};
      elsif tg_op = 'UPDATE' then
        ${sql.raw(apply(`${outcomes('new_rows', '')} union all ${outcomes('old_rows', '-')}`))};
      else
        ${sql.raw(apply(outcomes('old_rows', '-')))};
      end if;
      return null;
    end
    $$`.execute(db);
  // A trigger with transition tables serves one event: three triggers, one function.
  await sql`
    create trigger clock_outcome_days_insert after insert on clocks
    referencing new table as new_rows
    for each statement execute function clock_outcome_days_follow_clocks()`.execute(db);
  await sql`
    create trigger clock_outcome_days_update after update on clocks
    referencing old table as old_rows new table as new_rows
    for each statement execute function clock_outcome_days_follow_clocks()`.execute(db);
  await sql`
    create trigger clock_outcome_days_delete after delete on clocks
    referencing old table as old_rows
    for each statement execute function clock_outcome_days_follow_clocks()`.execute(db);

  // A case moved to another team takes its counted clocks with it.
  await sql`
    create function clock_outcome_days_follow_team() returns trigger language plpgsql as $$
    begin
      ${sql.raw(
        apply(`
        select ${outcomeDay('k')} as day, m.team, k.policy, k.state as outcome, m.delta
          from clocks k
          join (select n.id, n.team, 1 as delta from new_rows n join old_rows o on o.id = n.id where o.team <> n.team
                union all
                select o.id, o.team, -1 from new_rows n join old_rows o on o.id = n.id where o.team <> n.team) m
            on m.id = k.case_id
         where ${hasOutcome('k')}`),
      )};
      return null;
    end
    $$`.execute(db);
  await sql`
    create trigger clock_outcome_days_team after update on cases
    referencing old table as old_rows new table as new_rows
    for each statement execute function clock_outcome_days_follow_team()`.execute(db);

  // A case removed (the application never does; an operator might) takes its clocks' counts first:
  // by the time its clocks go by cascade, the case and its team can no longer be joined.
  await sql`
    create function clock_outcome_days_case_removed() returns trigger language plpgsql as $$
    begin
      ${sql.raw(apply(`${outcomes('clocks', '-')} and r.case_id = old.id`))};
      return old;
    end
    $$`.execute(db);
  await sql`
    create trigger clock_outcome_days_case_removed before delete on cases
    for each row execute function clock_outcome_days_case_removed()`.execute(db);

  await sql`
    create table case_opened_days (
      day date not null,
      team text not null,
      type text not null,
      cases bigint not null,
      primary key (day, type, team)
    )`.execute(db);
  await sql`
    create function case_opened_days_follow_cases() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        ${sql.raw(applyOpened(opened('new_rows', '')))};
      elsif tg_op = 'UPDATE' then
        -- Only a row whose day, team or type changed moves a count (the projection rewrites every case often).
        ${sql.raw(applyOpened(`${opened('new_rows', '', MOVED)} union all ${opened('old_rows', '-', MOVED)}`))};
      else
        ${sql.raw(applyOpened(opened('old_rows', '-')))};
      end if;
      return null;
    end
    $$`.execute(db);
  await sql`
    create trigger case_opened_days_insert after insert on cases
    referencing new table as new_rows
    for each statement execute function case_opened_days_follow_cases()`.execute(db);
  await sql`
    create trigger case_opened_days_update after update on cases
    referencing old table as old_rows new table as new_rows
    for each statement execute function case_opened_days_follow_cases()`.execute(db);
  await sql`
    create trigger case_opened_days_delete after delete on cases
    referencing old table as old_rows
    for each statement execute function case_opened_days_follow_cases()`.execute(db);

  await sql.raw(apply(outcomes('clocks', ''))).execute(db);
  await sql.raw(applyOpened(opened('cases', ''))).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger clock_outcome_days_case_removed on cases`.execute(db);
  await sql`drop function clock_outcome_days_case_removed()`.execute(db);
  await sql`drop trigger case_opened_days_delete on cases`.execute(db);
  await sql`drop trigger case_opened_days_update on cases`.execute(db);
  await sql`drop trigger case_opened_days_insert on cases`.execute(db);
  await sql`drop function case_opened_days_follow_cases()`.execute(db);
  await sql`drop table case_opened_days`.execute(db);
  await sql`drop trigger clock_outcome_days_team on cases`.execute(db);
  await sql`drop function clock_outcome_days_follow_team()`.execute(db);
  await sql`drop trigger clock_outcome_days_delete on clocks`.execute(db);
  await sql`drop trigger clock_outcome_days_update on clocks`.execute(db);
  await sql`drop trigger clock_outcome_days_insert on clocks`.execute(db);
  await sql`drop function clock_outcome_days_follow_clocks()`.execute(db);
  await sql`drop table clock_outcome_days`.execute(db);
}
