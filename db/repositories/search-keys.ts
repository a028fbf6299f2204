/**
 * Keyed hashes of a case's phones and plates, so GET /cases?q= can find a case by either without
 * the personal data being stored in clear for search (or as a plain hash, which a phone number's
 * small space would let anyone reverse): HMAC-SHA256 with a secret from config (MOTORDESK_SEARCH_KEY).
 */
import { createHmac } from 'node:crypto';
import type { Executor } from './support';

export type SearchKind = 'phone' | 'plate';

/** Digits only, without the +86 country code; undefined when it cannot be a phone number. */
export function normalisePhone(value: string): string | undefined {
  let digits = value.replace(/\D/g, '');
  if (digits.length === 13 && digits.startsWith('86')) digits = digits.slice(2);
  return digits.length >= 7 && digits.length <= 15 ? digits : undefined;
}

/** Upper case without spaces, dots or dashes (粤B·12345 = 粤b12345); undefined when too short or long. */
export function normalisePlate(value: string): string | undefined {
  const plate = value.replace(/[\s·.\-•]/g, '').toUpperCase();
  return plate.length >= 5 && plate.length <= 10 ? plate : undefined;
}

export function searchHash(key: string, kind: SearchKind, normalised: string): string {
  return createHmac('sha256', key).update(`${kind}:${normalised}`).digest('hex');
}

/** Every phone and plate in a case's personal data (any depth: reporter.phone, holder.phone, vehicle.plate ...). */
export function searchHashesOf(key: string, data: unknown): { kind: SearchKind; hash: string }[] {
  const found = new Map<string, SearchKind>();
  const walk = (value: unknown, name: string | undefined) => {
    if (typeof value === 'string') {
      const kind: SearchKind | undefined = name === 'phone' ? 'phone' : name === 'plate' ? 'plate' : undefined;
      const normalised =
        kind === 'phone' ? normalisePhone(value) : kind === 'plate' ? normalisePlate(value) : undefined;
      if (kind && normalised) found.set(searchHash(key, kind, normalised), kind);
    } else if (Array.isArray(value)) value.forEach((item) => walk(item, name));
    else if (value && typeof value === 'object')
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) walk(v, k);
  };
  walk(data, undefined);
  return [...found].map(([hash, kind]) => ({ hash, kind }));
}

/** The hashes a search text may match: as a phone, and as a plate. */
export function queryHashes(key: string, q: string): string[] {
  const phone = normalisePhone(q);
  const plate = normalisePlate(q);
  return [
    ...(phone && /^[\d\s+()-]+$/.test(q) ? [searchHash(key, 'phone', phone)] : []),
    ...(plate ? [searchHash(key, 'plate', plate)] : []),
  ];
}

/**
 * Indexes the phones and plates of a case's personal data as it now stands. Idempotent; a value
 * later replaced keeps its old hash (the case is still found by the number it was opened with).
 */
export async function indexCaseSearchKeys(db: Executor, caseId: string, key: string): Promise<number> {
  const row = await db.selectFrom('case_personal_data').select('data').where('case_id', '=', caseId).executeTakeFirst();
  if (!row) return 0;
  const hashes = searchHashesOf(key, row.data);
  if (!hashes.length) return 0;
  const inserted = await db
    .insertInto('case_search_keys')
    .values(hashes.map((h) => ({ hash: h.hash, case_id: caseId, kind: h.kind })))
    .onConflict((oc) => oc.columns(['hash', 'case_id']).doNothing())
    .returning('hash')
    .execute();
  return inserted.length;
}

/**
 * Indexes cases that have personal data but no search key yet (cases opened before the index
 * existed), a batch at a time; returns how many cases were indexed.
 */
export async function indexUnindexedCases(db: Executor, key: string, batch = 500): Promise<number> {
  let total = 0;
  let after = '';
  for (;;) {
    const ids = await db
      .selectFrom('case_personal_data as p')
      .select('p.case_id')
      .where('p.case_id', '>', after)
      .where((eb) =>
        eb.not(
          eb.exists(eb.selectFrom('case_search_keys as k').select('k.case_id').whereRef('k.case_id', '=', 'p.case_id')),
        ),
      )
      .orderBy('p.case_id')
      .limit(batch)
      .execute();
    if (!ids.length) return total;
    for (const { case_id } of ids) if ((await indexCaseSearchKeys(db, case_id, key)) > 0) total++;
    after = ids[ids.length - 1]!.case_id;
  }
}
