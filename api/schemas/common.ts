/** Schemas shared by every route: problems, clocks, the fields every case carries, parameters. */
import { z } from 'zod';
import { CUSTOMER_CASE_TYPES } from '../../domain/case';
import { NOT_BLANK_TEXT_PATTERN } from '../body';

/** The `type` of the /cases contract: the customer's cases only (department records have their own routes). */
export const CASE_TYPES = CUSTOMER_CASE_TYPES;

export const problemSchema = z
  .looseObject({
    type: z.string().meta({ example: '/problems/validation' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional().meta({ description: 'The request id, for support.' }),
    errors: z
      .array(z.object({ path: z.string().meta({ example: 'reporter.phone' }), message: z.string() }))
      .optional()
      .meta({ description: 'One entry per invalid field (400 only).' }),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details; never carries personal data.' });

/** An instant as the API renders it: ISO-8601 with the +08:00 offset. */
export const instant = z.string().meta({ format: 'date-time', example: '2026-11-25T09:30:00.000+08:00' });

export const clockSchema = z
  .looseObject({
    id: z.string(),
    policy: z.string().meta({ example: 'claim.firstContact' }),
    kind: z.enum(['statutory', 'internal']),
    startedAt: instant,
    dueAt: instant,
    warnAt: instant,
    state: z.enum(['pending', 'paused', 'warned', 'met', 'breached', 'cancelled']),
    provisional: z.boolean().meta({ description: 'Due date falls in a year without official holiday data.' }),
    escalations: z.number().int(),
    mode: z
      .enum(['calendar_days', 'working_days', 'business_hours', 'elapsed'])
      .optional()
      .meta({ description: 'How the clock counts: its policy mode when it started.' }),
    pausedMs: z
      .number()
      .optional()
      .meta({ description: 'Time excluded while paused: working time in the clock’s own mode.' }),
    endedAt: instant.optional(),
    endedAs: z.enum(['met', 'cancelled']).optional().meta({
      description: 'How the clock ended; a clock that breached keeps state breached (a breach is never erased).',
    }),
  })
  .meta({ id: 'Clock' });

/**
 * What `allowedActions` may hold: the path of a POST below the case's URL (`/claims/{id}/decision`)
 * or below `/cases/{id}/` for the actions every case type shares (assign, notes, reveal).
 */
export const CASE_ACTION_NAMES = [
  'contact',
  'documents',
  'document-request',
  'assessment',
  'decision',
  'payment',
  'withdraw',
  'acknowledge',
  'investigation',
  'proposal',
  'customer-response',
  'extension',
  'satisfaction',
  'review-request',
  'review-decision',
  'consultation',
  'consultations/{consultationId}/reply',
  'awaiting-customer',
  'customer-reply',
  'answer',
  'review',
  'renewed',
  'opt-out',
  'purchase',
  'quote',
  'application',
  'correction',
  'issue',
  'abandon',
  'assign',
  'notes',
  'reveal',
] as const;
export type CaseActionName = (typeof CASE_ACTION_NAMES)[number];

export const caseFields = {
  id: z.string().meta({ example: 'CL20261125K7F3QX' }),
  type: z.enum(CASE_TYPES),
  status: z.string(),
  team: z.string(),
  assignee: z.string().nullable(),
  escalationLevel: z.number().int().min(0).max(2).meta({ description: '0 agent, 1 supervisor, 2 manager' }),
  clocks: z.array(clockSchema),
  createdAt: instant,
  updatedAt: instant,
  allowedActions: z.array(z.enum(CASE_ACTION_NAMES)).meta({
    description:
      "The actions the caller may take on the case now (its status by the transition rules, and the caller's role): each the path of a POST below the case's URL, or below /cases/{id}/ for assign, notes and reveal. Anything else would be refused with 403 or 409.",
    example: ['contact', 'documents', 'assessment', 'withdraw', 'notes', 'reveal'],
  }),
};

export const caseIdParams = z.object({ id: z.string().min(1).max(64) }).strict();

/** Money in CNY: a number with at most two decimals. */
export const money = z.number().multipleOf(0.01).max(1_000_000_000);

/** ISO-8601 with an offset (`Z` or `+08:00`). */
export const isoInstant = z.iso.datetime({ offset: true });

/**
 * Free text: trimmed, then 1..max characters. The document's pattern says the same of the string as
 * sent (a character that is neither whitespace, which trim removes, nor a control): `minLength: 1`
 * alone let a blank string through that the trim then refuses.
 */
export const text = (max: number) => z.string().trim().min(1).max(max).meta({ pattern: NOT_BLANK_TEXT_PATTERN });
