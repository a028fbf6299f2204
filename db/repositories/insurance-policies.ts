/**
 * Insurance policies from the core policy system: upserted in batches by the import, paged by
 * expiry by the renewal sweep. Holder and plate are personal data: they leave this module only
 * towards the personal-data store of a renewal case and the notifier, never into workflows.
 */
import { sql } from 'kysely';
import type { InsuranceProduct, InsurancePolicy } from '../../domain/insurance-policy';
import { type Executor, inTransaction, jsonb } from './support';

export interface UpsertResult {
  created: number;
  updated: number;
}

/**
 * Inserts or updates each record (one statement), telling new from existing rows. The caller
 * passes each policy number at most once per call (Postgres refuses to update one row twice in a
 * statement). The personal data of the policy's open renewal case follows an updated holder.
 */
export async function upsertInsurancePolicies(
  db: Executor,
  records: readonly InsurancePolicy[],
): Promise<UpsertResult> {
  if (records.length === 0) return { created: 0, updated: 0 };
  return inTransaction(db, async (trx) => {
    const rows = await trx
      .insertInto('insurance_policies')
      .values(
        records.map((r) => ({
          policy_no: r.policyNo,
          holder: jsonb(r.holder),
          plate: r.plate,
          product: r.product,
          starts_at: r.startsAt,
          expires_at: r.expiresAt,
          premium: r.premium.toFixed(2),
          claim_free_years: r.claimFreeYears,
        })),
      )
      .onConflict((oc) =>
        oc.column('policy_no').doUpdateSet((eb) => ({
          holder: eb.ref('excluded.holder'),
          plate: eb.ref('excluded.plate'),
          product: eb.ref('excluded.product'),
          starts_at: eb.ref('excluded.starts_at'),
          expires_at: eb.ref('excluded.expires_at'),
          premium: eb.ref('excluded.premium'),
          claim_free_years: eb.ref('excluded.claim_free_years'),
          updated_at: sql<Date>`now()`,
        })),
      )
      // xmax = 0 on a freshly inserted row version: the usual way to tell insert from update in one upsert.
      .returning(['policy_no', sql<boolean>`(xmax = 0)`.as('inserted')])
      .execute();
    const updated = rows.filter((r) => !r.inserted).map((r) => r.policy_no);
    if (updated.length > 0) await refreshRenewalPersonalData(trx, updated);
    return { created: rows.length - updated.length, updated: updated.length };
  });
}

/** The renewal case of a policy term keeps the holder's current addresses (the notifier reads them there). */
async function refreshRenewalPersonalData(db: Executor, policyNos: string[]): Promise<void> {
  await sql`
    update case_personal_data as d
       set data = jsonb_build_object('holder', p.holder, 'vehicle', jsonb_build_object('plate', p.plate)), updated_at = now()
      from insurance_policies as p
     where p.policy_no = any(${policyNos})
       and d.case_id = p.policy_no || '-' || to_char(p.expires_at at time zone 'Asia/Shanghai', 'YYYYMMDD')`.execute(
    db,
  );
}

export async function getInsurancePolicy(db: Executor, policyNo: string): Promise<InsurancePolicy | undefined> {
  const row = await db
    .selectFrom('insurance_policies')
    .selectAll()
    .where('policy_no', '=', policyNo)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    policyNo: row.policy_no,
    holder: row.holder,
    plate: row.plate,
    product: row.product as InsuranceProduct,
    startsAt: row.starts_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    premium: Number(row.premium),
    claimFreeYears: row.claim_free_years,
  };
}

/** A policy the sweep starts a renewal for: no personal data (it goes to the workflow's input). */
export interface DueInsurancePolicy {
  policyNo: string;
  product: InsuranceProduct;
  startsAt: string;
  expiresAt: string;
}

/** Keyset position of the sweep: the last policy handed out. */
export interface InsurancePolicyCursor {
  expiresAt: string;
  policyNo: string;
}

/** Policies expiring in (from, until], after the cursor, in (expires_at, policy_no) order. */
export async function listDueInsurancePolicies(
  db: Executor,
  q: { from: Date; until: Date; after: InsurancePolicyCursor | null; limit: number },
): Promise<DueInsurancePolicy[]> {
  let query = db
    .selectFrom('insurance_policies')
    .select(['policy_no', 'product', 'starts_at', 'expires_at'])
    .where('expires_at', '>', q.from)
    .where('expires_at', '<=', q.until);
  if (q.after) {
    const { expiresAt, policyNo } = q.after;
    query = query.where((eb) =>
      eb(eb.refTuple('expires_at', 'policy_no'), '>', eb.tuple(new Date(expiresAt), policyNo)),
    );
  }
  const rows = await query
    .orderBy('expires_at')
    .orderBy('policy_no')
    .limit(Math.max(1, Math.trunc(q.limit)))
    .execute();
  return rows.map((r) => ({
    policyNo: r.policy_no,
    product: r.product as InsuranceProduct,
    startsAt: r.starts_at.toISOString(),
    expiresAt: r.expires_at.toISOString(),
  }));
}

/** Claims reported on a policy within its term (withdrawn claims excluded): the no-claim discount's input. */
export async function countClaimsInTerm(db: Executor, policyNo: string, from: Date, until: Date): Promise<number> {
  const row = await db
    .selectFrom('cases')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('type', '=', 'claim')
    .where('policy_no', '=', policyNo)
    .where('status', '!=', 'withdrawn')
    .where('created_at', '>=', from)
    .where('created_at', '<', until)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Case ids among `ids` that already have a case row, with whether that case has closed. */
export async function existingCases(db: Executor, ids: readonly string[]): Promise<Map<string, { closed: boolean }>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('cases')
    .select(['id', 'closed_at'])
    .where('id', 'in', [...ids])
    .execute();
  return new Map(rows.map((r) => [r.id, { closed: r.closed_at !== null }]));
}

/**
 * Gives each renewal case the holder's data (`{ holder: { name, phone, email }, vehicle: { plate } }`)
 * in case_personal_data, where the notifier resolves customer addresses. Copied inside the database:
 * the personal data never passes through the sweep. `cases` pairs a case id with its policy number.
 */
export async function saveRenewalPersonalData(
  db: Executor,
  cases: readonly { caseId: string; policyNo: string }[],
): Promise<void> {
  if (cases.length === 0) return;
  await sql`
    insert into case_personal_data (case_id, data)
    select c.case_id, jsonb_build_object('holder', p.holder, 'vehicle', jsonb_build_object('plate', p.plate))
      from unnest(${cases.map((c) => c.caseId)}::text[], ${cases.map((c) => c.policyNo)}::text[]) as c(case_id, policy_no)
      join insurance_policies as p on p.policy_no = c.policy_no
    on conflict (case_id) do update set data = excluded.data, updated_at = now()`.execute(db);
}
