/**
 * The audit log becomes a hash chain. Each row carries `seq` (1, 2, 3 … with no gap), the hash of the
 * row before it (`prev_hash`, 64 zeros for the first) and its own `hash` = SHA-256 over its canonical
 * text. The database computes both in a BEFORE INSERT trigger, under the row lock of the one-row
 * `audit_chain_head` table, so concurrent appends from several API processes queue up and each links
 * to the one committed just before it (a bigserial id is handed out before that lock, so ids alone
 * could interleave). The head also records the last seq and hash: a tail cut off with the triggers
 * disabled no longer matches it. `motordesk audit verify` recomputes the chain outside the database.
 *
 * The canonical text (the verifier builds the same string):
 *   to_json(array[prev_hash, seq, at (UTC, microseconds), actor, action, target])::text || '\n' || detail::text
 *
 * Rows written before this migration are chained here, in id order. Frozen once released; imports
 * nothing from the application.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- a migration types against no Database: it must not change when db/schema.ts does */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // One statement per call: PGlite's extended protocol takes a single statement at a time.
  await sql`
    create table audit_chain_head (
      only_row boolean primary key default true check (only_row),
      seq bigint not null,
      hash text not null
    )`.execute(db);
  await sql`insert into audit_chain_head (seq, hash) values (0, repeat('0', 64))`.execute(db);
  await sql`alter table audit_log add column seq bigint, add column prev_hash text, add column hash text`.execute(db);
  await sql`
    create function audit_log_row_hash(prev text, seq bigint, at timestamptz, actor text, action text, target text, detail jsonb)
    returns text language sql stable as $$
      select encode(sha256(convert_to(
        to_json(array[prev, seq::text, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), actor, action, target])::text
          || E'\n' || detail::text,
        'UTF8')), 'hex')
    $$`.execute(db);
  await sql`
    create function audit_log_chain() returns trigger language plpgsql as $$
    declare
      head record;
    begin
      -- The row lock serialises appends; READ COMMITTED re-reads the head once the lock is granted.
      select h.seq, h.hash into head from audit_chain_head h for update;
      new.seq := head.seq + 1;
      new.prev_hash := head.hash;
      new.hash := audit_log_row_hash(new.prev_hash, new.seq, new.at, new.actor, new.action, new.target, new.detail);
      update audit_chain_head set seq = new.seq, hash = new.hash;
      return new;
    end
    $$`.execute(db);

  // Chain the rows that exist, oldest first. The append-only trigger is lifted for this one
  // transaction only (kysely runs a migration in a transaction on PostgreSQL and PGlite).
  await sql`alter table audit_log disable trigger audit_log_no_update_delete`.execute(db);
  await sql`
    do $$
    declare
      r record;
      head record;
      next_hash text;
    begin
      for r in select id, at, actor, action, target, detail from audit_log order by id loop
        select h.seq, h.hash into head from audit_chain_head h;
        next_hash := audit_log_row_hash(head.hash, head.seq + 1, r.at, r.actor, r.action, r.target, r.detail);
        update audit_log set seq = head.seq + 1, prev_hash = head.hash, hash = next_hash where id = r.id;
        update audit_chain_head set seq = head.seq + 1, hash = next_hash;
      end loop;
    end
    $$`.execute(db);
  await sql`alter table audit_log enable trigger audit_log_no_update_delete`.execute(db);

  await sql`
    alter table audit_log
      alter column seq set not null,
      alter column prev_hash set not null,
      alter column hash set not null`.execute(db);
  await sql`create unique index audit_log_seq_idx on audit_log (seq)`.execute(db);
  await sql`
    create trigger audit_log_chain before insert on audit_log
    for each row execute function audit_log_chain()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger audit_log_chain on audit_log`.execute(db);
  await sql`drop function audit_log_chain()`.execute(db);
  await sql`drop index audit_log_seq_idx`.execute(db);
  await sql`alter table audit_log drop column seq, drop column prev_hash, drop column hash`.execute(db);
  await sql`drop function audit_log_row_hash(text, bigint, timestamptz, text, text, text, jsonb)`.execute(db);
  await sql`drop table audit_chain_head`.execute(db);
}
