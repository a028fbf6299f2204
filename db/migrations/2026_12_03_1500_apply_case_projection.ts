/**
 * `apply_case_projection(p jsonb)`: one state change of a case written in one call, so the worker
 * sends one statement per projection instead of four round trips (BEGIN, the case row, the facts,
 * COMMIT), and PostgreSQL plans the statements once per connection instead of parsing a query built
 * anew for every projection (issue 10: the projection was about 2.2 ms of the worker's CPU and 2.4 ms
 * of PostgreSQL's per opened claim, most of the worker's in building the queries).
 *
 * A function's statements run one after another in the caller's transaction, as the two statements
 * did: the case row first (a case moved to another team takes its clocks' counts with it, counted by
 * the `cases` trigger from the clocks as they were), then the clocks (counted under the team the case
 * now has). What the function writes and when is what db/repositories/case-projection.ts documents;
 * the caller computes every value (the next deadline, the search hashes, the exception rows) and
 * passes rows, so no rule of the application lives here.
 *
 * `p`: { supersede: number | null, version, case: {...the cases row},
 *   clocks: [...rows], events: [...rows], exceptions: [...rows], notifications: [...rows],
 *   searchKeys: [{ hash, kind }] }, timestamps as ISO strings.
 * Returns { caseWritten, events, notifications }: whether the case row was written, how many events
 * and notifications were new.
 *
 * Frozen once released; imports nothing from the application.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- a migration types against no Database: it must not change when db/schema.ts does */
import { type Kysely, sql } from 'kysely';

/** The sequence number of a journal key `<prefix><n>` held in `col`, or null for any other key. */
const seqOf = (col: string, prefix: string) => `
  (case when starts_with(${col}, ${prefix}) and substr(${col}, length(${prefix}) + 1) ~ '^[0-9]{1,15}$'
        then substr(${col}, length(${prefix}) + 1)::bigint end)`;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function apply_case_projection(p jsonb) returns jsonb language plpgsql as $$
    declare
      -- Named apart from every column: PL/pgSQL refuses a name that could be either.
      _c jsonb := p->'case';
      _id text := _c->>'id';
      _v integer := (p->>'version')::integer;
      _sup integer := (p->>'supersede')::integer;
      _who text := _c->>'assignee';
      _updated timestamptz := (_c->>'updated_at')::timestamptz;
      _written boolean;
      _events integer;
      _notifications integer;
    begin
      -- What a failed workflow task wrote above the committed sequence number (see dropUncommitted).
      if _sup is not null then
        delete from timeline_events t
         where t.case_id = _id
           and ${sql.raw(seqOf('t.event_key', "_id || ':'"))} > _sup;
        delete from compliance_exceptions e
         where e.case_id = _id
           and ${sql.raw(seqOf('e.event_key', "_id || ':'"))} > _sup;
        delete from case_assignments a
         where a.case_id = _id
           and ${sql.raw(seqOf('a.assignment_key', "_id || ':v'"))} > _sup;
        delete from clocks k
         where k.case_id = _id and k.version > _sup
           and k.clock_id <> all (array(select r->>'clock_id' from jsonb_array_elements(p->'clocks') r));
      end if;

      insert into cases as s (id, type, status, team, assignee, escalation_level, policy_no, next_due_at,
                              sla_breached, data, version, created_at, updated_at, closed_at)
      values (_id, _c->>'type', _c->>'status', _c->>'team', _c->>'assignee', coalesce((_c->>'escalation_level')::integer, 0),
              _c->>'policy_no', (_c->>'next_due_at')::timestamptz, (_c->>'sla_breached')::boolean, _c->'data', _v,
              (_c->>'created_at')::timestamptz, _updated, (_c->>'closed_at')::timestamptz)
      on conflict (id) do update set
        type = excluded.type, status = excluded.status, team = excluded.team, assignee = excluded.assignee,
        escalation_level = excluded.escalation_level, policy_no = excluded.policy_no,
        next_due_at = excluded.next_due_at, sla_breached = excluded.sla_breached, data = excluded.data,
        version = excluded.version, updated_at = excluded.updated_at,
        -- The first closing projection fixes closed_at; later ones keep it, a reopening clears it.
        closed_at = case when excluded.closed_at is null then null else coalesce(s.closed_at, excluded.closed_at) end
      where s.version < excluded.version or (_sup is not null and s.version > _sup)
      returning true into _written;
      _written := coalesce(_written, false);

      -- A new assignment when the assignee is not the case's last one (the history keeps every one).
      if _written and _who is not null then
        insert into case_assignments (case_id, assignee, assigned_at, assignment_key)
        select _id, _who, _updated, _id || ':v' || _v
         where (select a.assignee from case_assignments a where a.case_id = _id
                 order by a.id desc limit 1) is distinct from _who
        on conflict (assignment_key) do nothing;
      end if;

      -- Only when there are clocks: an empty INSERT would still run the clocks' rollup triggers.
      if jsonb_array_length(p->'clocks') > 0 then
        insert into clocks as k (case_id, clock_id, policy, kind, state, started_at, due_at, warn_at, ended_at,
                                 provisional, escalations, version, updated_at)
        -- A clock carried over from a view older than a field gets the column's default, as an insert leaving
        -- the column out would.
        select _id, r.clock_id, r.policy, r.kind, r.state, r.started_at, r.due_at, r.warn_at, r.ended_at,
               coalesce(r.provisional, false), coalesce(r.escalations, 0), _v, _updated
          from jsonb_to_recordset(p->'clocks') as r(clock_id text, policy text, kind text, state text,
               started_at timestamptz, due_at timestamptz, warn_at timestamptz, ended_at timestamptz,
               provisional boolean, escalations integer)
        on conflict (case_id, clock_id) do update set
          policy = excluded.policy, kind = excluded.kind, state = excluded.state, started_at = excluded.started_at,
          due_at = excluded.due_at, warn_at = excluded.warn_at, ended_at = excluded.ended_at,
          provisional = excluded.provisional, escalations = excluded.escalations, version = excluded.version,
          updated_at = excluded.updated_at
        where k.version < excluded.version or (_sup is not null and k.version > _sup);
      end if;

      -- Events and notifications are facts: in whatever the version, once each by key.
      with inserted as (
        insert into timeline_events (case_id, event_key, at, actor, kind, detail)
        select _id, r.event_key, r.at, r.actor, r.kind, r.detail
          from jsonb_to_recordset(p->'events') as r(event_key text, at timestamptz, actor text, kind text, detail jsonb)
        on conflict (event_key) do nothing
        returning 1)
      select count(*) into _events from inserted;

      insert into compliance_exceptions (case_id, case_type, team, event_key, at, kind, documents, cause, actor)
      select _id, r.case_type, r.team, r.event_key, r.at, r.kind, r.documents, r.cause, r.actor
        from jsonb_to_recordset(p->'exceptions') as r(case_type text, team text, event_key text, at timestamptz,
             kind text, documents jsonb, cause text, actor text)
      on conflict (event_key) do nothing;

      with inserted as (
        insert into notifications (case_id, idempotency_key, channel, template, params, recipient_kind,
                                   recipient_ref, recipient, receipt)
        select _id, r.idempotency_key, r.channel, r.template, r.params, r.recipient_kind, r.recipient_ref,
               null, r.receipt
          from jsonb_to_recordset(p->'notifications') as r(idempotency_key text, channel text, template text,
               params jsonb, recipient_kind text, recipient_ref text, receipt boolean)
        on conflict (idempotency_key) do nothing
        returning 1)
      select count(*) into _notifications from inserted;

      -- Phones and plates the case's personal data holds now, with the case row that was written.
      if _written then
        insert into case_search_keys (hash, case_id, kind)
        select r.hash, _id, r.kind from jsonb_to_recordset(p->'searchKeys') as r(hash text, kind text)
        on conflict (hash, case_id) do nothing;
      end if;

      return jsonb_build_object('caseWritten', _written, 'events', _events, 'notifications', _notifications);
    end
    $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function apply_case_projection(jsonb)`.execute(db);
}
