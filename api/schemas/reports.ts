/** Reports: the KPI figures of a period for a team or an agent. */
import { z } from 'zod';
import { KPI_KEYS } from '../../domain/kpis';
import { instant, isoInstant } from './common';
import { teamName } from './claims';
import { notEmpty, withRules } from './rules';

/** The longest period one request may cover: a year, leap day included. */
const MAX_REPORT_DAYS = 366;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A calendar date means midnight in Asia/Shanghai, the department's day; an instant is taken as given. */
const periodBound = z
  .union([z.iso.date(), isoInstant])
  .transform((v) => new Date(v.length === 10 ? `${v}T00:00:00+08:00` : v))
  .meta({
    description: 'A date (yyyy-mm-dd, midnight Asia/Shanghai) or an ISO-8601 instant with an offset.',
    example: '2026-11-01',
  });

export const kpisQuery = z
  .object({
    from: periodBound.meta({ description: 'Start of the period, included.' }),
    to: periodBound.meta({
      description: `End of the period, excluded; after from, at most ${MAX_REPORT_DAYS} days later.`,
    }),
    team: teamName
      .optional()
      .meta({ description: 'Managers: one team (default all). Supervisors: their own team only (default).' }),
    agent: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9._@-]{1,100}$/, 'A staff id.')
      .optional()
      .meta({
        description:
          "One agent's figures: every case they were assigned (assignment history, also after a reassignment), surveys rating them.",
      }),
    format: z
      .enum(['json', 'csv'])
      .optional()
      .meta({ description: 'csv: the same figures as CSV (UTF-8 with BOM); also chosen by Accept: text/csv.' }),
  })
  .strict()
  .superRefine(({ from, to }, ctx) => {
    if (to.getTime() <= from.getTime())
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must be after from.' });
    else if (to.getTime() - from.getTime() > MAX_REPORT_DAYS * DAY_MS)
      ctx.addIssue({ code: 'custom', path: ['to'], message: `A period covers at most ${MAX_REPORT_DAYS} days.` });
  });

export const kpisResponse = z
  .object({
    from: instant,
    to: instant,
    scope: z.object({
      team: z.string().nullable().meta({ description: 'null: all teams' }),
      agent: z.string().nullable(),
    }),
    kpis: z.array(
      z.object({
        key: z.enum(KPI_KEYS),
        value: z
          .number()
          .nullable()
          .meta({ description: 'numerator ÷ denominator, 4 decimals; null when the denominator is 0.' }),
        numerator: z.number().int(),
        denominator: z.number().int(),
        target: z
          .number()
          .meta({ description: 'complaint_rate must stay at or below its target; every other figure must reach it.' }),
        met: z.boolean().nullable().meta({ description: 'null when there is no value.' }),
      }),
    ),
  })
  .meta({ id: 'KpiReport' });

export const kpiTargetsBody = z
  .object({
    period: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'A month: YYYY-MM.')
      .meta({ description: 'The month (Asia/Shanghai) the targets hold for.', example: '2026-12' }),
    team: teamName.optional().meta({ description: "This team's targets (above the period's)." }),
    staffId: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9._@-]{1,100}$/, 'A staff id.')
      .optional()
      .meta({ description: "This agent's targets (above the team's); team is then ignored." }),
    targets: withRules(
      z
        .object(
          Object.fromEntries(KPI_KEYS.map((k) => [k, z.number().min(0).max(1).optional()])) as Record<
            (typeof KPI_KEYS)[number],
            z.ZodOptional<z.ZodNumber>
          >,
        )
        .strict(),
      [notEmpty('Name at least one KPI.')],
    ).meta({ description: 'Ratios 0..1 by KPI key; a KPI left out keeps the value this level had.' }),
  })
  .strict()
  .meta({ id: 'KpiTargets' });

export const kpiTargetsResponse = z
  .object({
    period: z.string(),
    team: z.string().nullable(),
    staffId: z.string().nullable(),
    targets: z.record(z.string(), z.number()).meta({ description: 'Every value this level now sets.' }),
    updatedBy: z.string(),
    updatedAt: instant,
  })
  .meta({ id: 'KpiTargetsSaved' });

export const breachesQuery = z
  .object({
    from: periodBound.meta({ description: 'Start of the period (due instants), included.' }),
    to: periodBound.meta({ description: 'End of the period, excluded.' }),
    team: teamName.optional().meta({ description: 'Supervisors: their own team only (the default).' }),
    kind: z.enum(['statutory', 'internal']).optional(),
  })
  .strict()
  .superRefine(({ from, to }, ctx) => {
    if (to.getTime() <= from.getTime())
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must be after from.' });
    else if (to.getTime() - from.getTime() > MAX_REPORT_DAYS * DAY_MS)
      ctx.addIssue({ code: 'custom', path: ['to'], message: `A period covers at most ${MAX_REPORT_DAYS} days.` });
  });

const breachGroup = z.object({
  policy: z.string().meta({ example: 'claim.firstContact' }),
  kind: z.enum(['statutory', 'internal']),
  count: z.number().int(),
  cases: z.array(
    z.object({
      id: z.string(),
      type: z.string(),
      team: z.string(),
      assignee: z.string().nullable(),
      status: z.string(),
      dueAt: instant,
    }),
  ),
});

export const breachesResponse = z
  .object({
    from: instant,
    to: instant,
    scope: z.object({ team: z.string().nullable() }),
    totals: z.object({
      statutory: z.number().int(),
      internal: z.number().int(),
      complianceExceptions: z.number().int(),
    }),
    statutory: z.array(breachGroup),
    internal: z.array(breachGroup),
    complianceExceptions: z.array(
      z.object({
        caseId: z.string(),
        caseType: z.string(),
        team: z.string(),
        at: instant,
        kind: z.string().meta({ example: 'document_request' }),
        documents: z.array(z.string()),
        cause: z.enum(['omitted', 'new_facts']),
        actor: z.string(),
      }),
    ),
  })
  .meta({ id: 'BreachReport' });
