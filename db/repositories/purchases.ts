/**
 * A purchase's personal data and the policy it issues. The application form (the holder with ID
 * number, VIN, engine number) is stored by the API under a submission id before its Update is asked
 * for; the workflow adopts the accepted one, copied inside the database to the case's `application`.
 * A submission the workflow refused stays unread under `submissions` and is erased with the case's data.
 */
import { sql } from 'kysely';
import type { InsuranceProduct } from '../../domain/insurance-policy';
import { type Executor, jsonb } from './support';

export interface ApplicationForm {
  holder: { name: string; phone: string; idNumber: string; email?: string };
  vehicle: { plate: string; vin: string; engineNo?: string };
}

/** Stores one submitted form of a purchase under its submission id (the case's personal-data row exists). */
export async function saveApplicationSubmission(
  db: Executor,
  caseId: string,
  submissionId: string,
  form: ApplicationForm,
): Promise<void> {
  const result = await sql`
    update case_personal_data
       set data = jsonb_set(data, '{submissions}', coalesce(data -> 'submissions', '{}'::jsonb) || jsonb_build_object(${submissionId}::text, ${jsonb(form)})),
           updated_at = now()
     where case_id = ${caseId}`.execute(db);
  if ((result.numAffectedRows ?? 0n) === 0n) throw new Error(`no personal data row for case ${caseId}`);
}

/** Makes a stored submission the case's current application. Returns false when the submission is not there. */
export async function adoptApplicationSubmission(db: Executor, caseId: string, submissionId: string): Promise<boolean> {
  const result = await sql`
    update case_personal_data
       set data = jsonb_set(data, '{application}', data -> 'submissions' -> ${submissionId}::text), updated_at = now()
     where case_id = ${caseId} and data -> 'submissions' ? ${submissionId}::text`.execute(db);
  return (result.numAffectedRows ?? 0n) > 0n;
}

export interface IssuedPolicyRow {
  policyNo: string;
  product: InsuranceProduct;
  premium: number;
}

/**
 * Writes the issued policies into insurance_policies from the case's current application (holder and
 * plate copied inside the database, never through the workflow). A number that already names a
 * policy of another term or vehicle is left alone (`clash`); the same row again (a retry) is `written`.
 */
export async function writeIssuedPolicies(
  db: Executor,
  caseId: string,
  policies: readonly IssuedPolicyRow[],
  term: { startsAt: string; expiresAt: string },
): Promise<Record<string, 'written' | 'clash'>> {
  const outcome: Record<string, 'written' | 'clash'> = {};
  for (const policy of policies) {
    await sql`
      insert into insurance_policies (policy_no, holder, plate, product, starts_at, expires_at, premium, claim_free_years)
      select ${policy.policyNo}, jsonb_strip_nulls(jsonb_build_object(
               'name', d.data -> 'application' -> 'holder' ->> 'name',
               'phone', d.data -> 'application' -> 'holder' ->> 'phone',
               'email', d.data -> 'application' -> 'holder' ->> 'email')),
             d.data -> 'application' -> 'vehicle' ->> 'plate', ${policy.product},
             ${term.startsAt}::timestamptz, ${term.expiresAt}::timestamptz, ${policy.premium.toFixed(2)}::numeric,
             coalesce((${claimFreeYearsCarried(caseId, policy.product)}), 0)
        from case_personal_data as d
       where d.case_id = ${caseId} and d.data -> 'application' is not null
      on conflict (policy_no) do nothing`.execute(db);
    const row = await db
      .selectFrom('insurance_policies')
      .select(['starts_at', 'expires_at', 'product'])
      .where('policy_no', '=', policy.policyNo)
      .executeTakeFirst();
    if (!row) throw new Error(`case ${caseId} has no application to issue from`);
    const same =
      row.starts_at.getTime() === Date.parse(term.startsAt) &&
      row.expires_at.getTime() === Date.parse(term.expiresAt) &&
      row.product === policy.product;
    outcome[policy.policyNo] = same ? 'written' : 'clash';
  }
  return outcome;
}

/**
 * A renewal's new policy of the same product carries the no-claim years on (无赔款优待): one more
 * when the expiring term had no claim (withdrawn ones aside), none left after a claim. Null (→ 0)
 * for a purchase that renews nothing.
 */
function claimFreeYearsCarried(caseId: string, product: InsuranceProduct) {
  return sql<number>`
    select case when exists (
                  select 1 from cases as c
                   where c.type = 'claim' and c.policy_no = o.policy_no and c.status <> 'withdrawn'
                     and c.created_at >= o.starts_at and c.created_at < o.expires_at)
                then 0 else o.claim_free_years + 1 end
      from insurance_policies as o
     where o.product = ${product}
       and o.policy_no = (select p.data -> 'renewalOf' ->> 'policyNo' from cases as p where p.id = ${caseId})`;
}

/** Whether a policy number is taken already (the API refuses to issue under it). */
export async function insurancePolicyExists(db: Executor, policyNo: string): Promise<boolean> {
  const row = await db
    .selectFrom('insurance_policies')
    .select('policy_no')
    .where('policy_no', '=', policyNo)
    .executeTakeFirst();
  return row !== undefined;
}

/** The open purchase opened from a renewal, if any (one at a time per renewal). */
export async function openPurchaseForRenewal(db: Executor, renewalCaseId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('cases')
    .select('id')
    .where('type', '=', 'purchase')
    .where('closed_at', 'is', null)
    .where(sql<boolean>`data -> 'renewalOf' ->> 'caseId' = ${renewalCaseId}`)
    .executeTakeFirst();
  return row?.id;
}
