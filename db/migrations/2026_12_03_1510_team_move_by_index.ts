/**
 * The `cases` trigger that moves a case's counted clock outcomes to its new team
 * (`clock_outcome_days_follow_team`, migration 2026_12_02_1815) read every clock of every case: an
 * INSERT … ON CONFLICT DO UPDATE fires a table's statement-level UPDATE triggers too, so every
 * projection ran it, and on a young table (a new installation, the bench's database, statistics not
 * yet gathered) the planner joined the transition tables to a sequential scan of `clocks`: 12,000
 * projections on a fresh database read 144 million clock rows, PostgreSQL's CPU per projection
 * growing with the table, 1.3 → 3.7 ms over those 12,000. With a million cases' statistics it chose
 * the index and a projection cost 0.75–1.7 ms either way (`npm run bench:reads`' database). Now it returns
 * at once when no row of the statement changed team, which is every projection but a transfer, and a
 * transfer reads only the moved cases' clocks, through the clocks' primary key (case_id first).
 *
 * Frozen once released; imports nothing from the application.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- a migration types against no Database: it must not change when db/schema.ts does */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function clock_outcome_days_follow_team() returns trigger language plpgsql as $$
    begin
      if not exists (select 1 from new_rows n join old_rows o on o.id = n.id where o.team <> n.team) then
        return null;
      end if;
      insert into clock_outcome_days as d (day, team, policy, outcome, clocks)
      select day, team, policy, outcome, sum(delta) from (
        select (((case when k.state = 'met' then k.ended_at else k.due_at end) at time zone 'UTC') + interval '8 hours')::date as day,
               m.team, k.policy, k.state as outcome, m.delta
          from new_rows n join old_rows o on o.id = n.id and o.team <> n.team
          -- Each moved case's clocks once, by the primary key; OFFSET 0 keeps the planner from flattening
          -- this into a join that fetches every clock with an outcome through the outcome indexes instead.
          cross join lateral (select * from clocks c where c.case_id = n.id offset 0) k
          -- Counted under the new team, taken from the old.
          cross join lateral (values (n.team, 1), (o.team, -1)) as m (team, delta)
         where ((k.state = 'met' and k.ended_at is not null) or k.state = 'breached')) x
       group by day, team, policy, outcome
      having sum(delta) <> 0
       -- One order for every writer: two projections touching the same days lock them alike.
       order by day, team, policy, outcome
      on conflict (day, team, policy, outcome) do update set clocks = d.clocks + excluded.clocks;
      return null;
    end
    $$`.execute(db);
}

/** The function as migration 2026_12_02_1815 created it. */
export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function clock_outcome_days_follow_team() returns trigger language plpgsql as $$
    begin
      insert into clock_outcome_days as d (day, team, policy, outcome, clocks)
      select day, team, policy, outcome, sum(delta) from (
        select (((case when k.state = 'met' then k.ended_at else k.due_at end) at time zone 'UTC') + interval '8 hours')::date as day,
               m.team, k.policy, k.state as outcome, m.delta
          from clocks k
          join (select n.id, n.team, 1 as delta from new_rows n join old_rows o on o.id = n.id where o.team <> n.team
                union all
                select o.id, o.team, -1 from new_rows n join old_rows o on o.id = n.id where o.team <> n.team) m
            on m.id = k.case_id
         where ((k.state = 'met' and k.ended_at is not null) or k.state = 'breached')) x
       group by day, team, policy, outcome
      having sum(delta) <> 0
       order by day, team, policy, outcome
      on conflict (day, team, policy, outcome) do update set clocks = d.clocks + excluded.clocks;
      return null;
    end
    $$`.execute(db);
}
