/**
 * What computing a clock reads: the admins' deadline policy overrides and the official calendar
 * years, both in one statement. Every clock a case starts reads them afresh (an admin change applies
 * to the very next clock), so this is one round trip of each opening instead of two.
 */
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { ClockPolicyOverride } from '../../domain/deadline-policies';
import type { CalendarDay } from './calendar';
import { overridesOf } from './deadline-policies';
import type { Executor } from './support';

export interface ClockSettings {
  overrides: Record<string, ClockPolicyOverride>;
  years: Record<number, CalendarDay[]>;
}

export async function readClockSettings(db: Executor): Promise<ClockSettings> {
  const row = await db
    .selectNoFrom((eb) => [
      jsonArrayFrom(
        eb
          .selectFrom('deadline_policies')
          .select(['name', 'duration', 'mode', 'warn_at', 'max_reminders'])
          .orderBy('name'),
      ).as('policies'),
      jsonArrayFrom(eb.selectFrom('calendar_years').select(['year', 'days']).orderBy('year')).as('years'),
    ])
    .executeTakeFirstOrThrow();
  return {
    overrides: overridesOf(row.policies),
    years: Object.fromEntries(row.years.map((r) => [r.year, r.days])),
  };
}
