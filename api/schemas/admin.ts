/** Administration: deadline policy overrides and the official holiday calendar. */
import { z } from 'zod';
import { holidayYearSchema } from '../../domain/calendar';
import { CLOCK_MODES, clockPolicyOverrideSchema } from '../../domain/deadline-policies';
import { instant } from './common';

export const deadlinePolicyNameParams = z
  .object({ name: z.string().regex(/^[a-zA-Z][a-zA-Z0-9.]{0,80}$/, 'A policy name such as claim.firstContact.') })
  .strict();

export const deadlinePolicyOverrideBody = clockPolicyOverrideSchema.meta({ id: 'DeadlinePolicyOverride' });

export const deadlinePolicy = z
  .looseObject({
    name: z.string(),
    kind: z.enum(['statutory', 'internal']),
    mode: z.enum(CLOCK_MODES),
    duration: z.string().meta({ example: 'P15D' }),
    warnAt: z.number(),
    maxReminders: z.number().int().optional(),
    basis: z.string(),
    description: z.string(),
    source: z
      .enum(['default', 'file', 'admin'])
      .meta({ description: 'Where the effective value comes from (later wins).' }),
    updatedBy: z.string().nullable().optional(),
    updatedAt: instant.nullable().optional(),
  })
  .meta({ id: 'DeadlinePolicy' });

export const deadlinePoliciesResponse = z.object({ items: z.array(deadlinePolicy) }).meta({ id: 'DeadlinePolicies' });

export const calendarYearParams = z.object({ year: z.coerce.number().int().min(2000).max(2100) }).strict();

/** holiday-cn style: every day off and every make-up working day (调休) of the year. */
export const calendarYearBody = holidayYearSchema.meta({ id: 'HolidayYear' });

export const calendarYearResponse = z
  .object({
    year: z.number().int(),
    days: z.number().int(),
    offDays: z.number().int(),
    workdays: z.number().int(),
    updatedAt: instant,
    recomputing: z.number().int().describe('open cases told to recompute provisional clocks'),
  })
  .meta({ id: 'CalendarYearSaved' });
