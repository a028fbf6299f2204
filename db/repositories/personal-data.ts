/**
 * Personal data (PIPL), kept in its own table so nothing else — Temporal history, the case row, logs —
 * ever holds it. The API masks it by role on the way out; the notifier reads it at delivery time.
 */
import { sql } from 'kysely';
import { type Executor, jsonb } from './support';

/** Stores (or replaces) the personal data of a case. */
export async function savePersonalData(db: Executor, caseId: string, data: Record<string, unknown>): Promise<void> {
  await db
    .insertInto('case_personal_data')
    .values({ case_id: caseId, data: jsonb(data) })
    .onConflict((oc) =>
      oc.column('case_id').doUpdateSet({ data: (eb) => eb.ref('excluded.data'), updated_at: sql`now()` }),
    )
    .execute();
}

/**
 * Stores a new case's personal data only if the case id is still free. Returns false when a row
 * exists already: a clashing random number, or the retry of a request whose number was derived
 * from its Idempotency-Key (then the row is that same request's data).
 */
export async function reservePersonalData(
  db: Executor,
  caseId: string,
  data: Record<string, unknown>,
): Promise<boolean> {
  const result = await db
    .insertInto('case_personal_data')
    .values({ case_id: caseId, data: jsonb(data) })
    .onConflict((oc) => oc.column('case_id').doNothing())
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

export async function getPersonalData(db: Executor, caseId: string): Promise<Record<string, unknown> | undefined> {
  const row = await db.selectFrom('case_personal_data').select('data').where('case_id', '=', caseId).executeTakeFirst();
  return row?.data;
}

/** Erasure (PIPL right to deletion, end of retention). Returns whether there was anything to erase. */
export async function deletePersonalData(db: Executor, caseId: string): Promise<boolean> {
  const result = await db.deleteFrom('case_personal_data').where('case_id', '=', caseId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/**
 * Removes personal data that no case row ever joined and that is older than `olderThan`: left by an
 * opening whose workflow may or may not have started (a timeout) or by a process that died between
 * reserving the number and starting. Returns how many rows went.
 */
export async function deleteOrphanedPersonalData(db: Executor, olderThan: Date): Promise<number> {
  const result = await db
    .deleteFrom('case_personal_data as p')
    .where('p.created_at', '<', olderThan)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('cases as c').select('c.id').whereRef('c.id', '=', 'p.case_id'))))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
