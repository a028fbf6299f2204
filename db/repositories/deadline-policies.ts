/** Deadline policy overrides set through the admin API; they apply to clocks started afterwards. */
import { sql } from 'kysely';
import type { ClockMode, ClockPolicyOverride } from '../../domain/deadline-policies';
import type { Executor } from './support';

export async function listDeadlinePolicyOverrides(db: Executor): Promise<Record<string, ClockPolicyOverride>> {
  const rows = await db
    .selectFrom('deadline_policies')
    .select(['name', 'duration', 'mode', 'warn_at', 'max_reminders'])
    .orderBy('name')
    .execute();
  return overridesOf(rows);
}

/** The overrides by policy name, from their rows (read alone or with the calendar: clock-settings.ts). */
export function overridesOf(
  rows: readonly {
    name: string;
    duration: string;
    mode: string;
    warn_at: number | null;
    max_reminders: number | null;
  }[],
): Record<string, ClockPolicyOverride> {
  return Object.fromEntries(
    rows.map((r) => {
      const override: ClockPolicyOverride = { duration: r.duration, mode: r.mode as ClockMode };
      if (r.warn_at !== null) override.warnAt = r.warn_at;
      if (r.max_reminders !== null) override.maxReminders = r.max_reminders;
      return [r.name, override];
    }),
  );
}

/** Upserts one override (validated by the caller against the policy table). Audit separately, in the same transaction if wanted. */
export async function saveDeadlinePolicyOverride(
  db: Executor,
  name: string,
  override: ClockPolicyOverride,
  actor: string,
): Promise<void> {
  const values = {
    duration: override.duration,
    mode: override.mode,
    warn_at: override.warnAt ?? null,
    max_reminders: override.maxReminders ?? null,
    updated_by: actor,
    updated_at: sql<Date>`now()`,
  };
  await db
    .insertInto('deadline_policies')
    .values({ name, ...values })
    .onConflict((oc) => oc.column('name').doUpdateSet(values))
    .execute();
}

/** Back to the file/default value. Returns whether there was an override. */
export async function deleteDeadlinePolicyOverride(db: Executor, name: string): Promise<boolean> {
  const result = await db.deleteFrom('deadline_policies').where('name', '=', name).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
