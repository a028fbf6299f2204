/** All cases: list filters, list items, timeline, assignment, notes, the audited reveal, notifications. */
import { z } from 'zod';
import { CASE_TYPES, instant, isoInstant, text } from './common';
import { teamName } from './claims';

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');
const staffId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9._@-]{1,100}$/, 'A staff id.');

export const listCasesQuery = z
  .object({
    type: z.enum(CASE_TYPES).optional(),
    status: z
      .string()
      .regex(/^[a-z_]{1,40}(,[a-z_]{1,40}){0,19}$/, 'A status word such as under_review, or several: denied,closed.')
      .transform((v) => [...new Set(v.split(','))])
      .optional()
      .meta({ description: 'One status, or several separated by commas (any of them).' }),
    open: flag
      .optional()
      .meta({ description: 'true: ended cases (closed, withdrawn, renewed ...) are left out of every filter.' }),
    team: teamName.optional(),
    assignee: staffId.optional(),
    breached: flag.optional().meta({ description: 'Only cases with (true) or without (false) a breached clock.' }),
    escalated: flag.optional().meta({ description: 'Only cases above (true) or at (false) escalation level 0.' }),
    dueBefore: isoInstant
      .optional()
      .meta({ description: 'Only cases whose next open clock is due before this instant (an ended case has none).' }),
    policyNo: z
      .string()
      .regex(/^[A-Za-z0-9-]{4,40}$/)
      .optional(),
    q: z.string().trim().min(3).max(64).optional().meta({
      description:
        'Finds a case by case number, policy number, licence plate or phone (phones and plates are matched by keyed hash).',
      example: '13812341234',
    }),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().min(1).max(500).optional().meta({ description: 'nextCursor of the previous page, opaque.' }),
  })
  .strict();

/** The same filters as the list, without paging: the export walks every page itself. */
export const exportCasesQuery = listCasesQuery.omit({ limit: true, cursor: true }).strict();

const caseListItem = z
  .looseObject({
    id: z.string(),
    type: z.enum(CASE_TYPES),
    status: z.string(),
    team: z.string(),
    assignee: z.string().nullable(),
    escalationLevel: z.number().int(),
    nextDueAt: instant
      .nullable()
      .meta({ description: 'The earliest due instant among open clocks; null once the case has ended.' }),
    policyNo: z.string().nullable(),
  })
  .meta({ id: 'CaseListItem' });

export const caseListResponse = z
  .object({ items: z.array(caseListItem), nextCursor: z.string().nullable() })
  .meta({ id: 'CaseList' });

export const timelineResponse = z
  .object({
    items: z.array(
      z.object({
        at: instant,
        actor: z.string(),
        kind: z.string().meta({ example: 'status.changed' }),
        detail: z.record(z.string(), z.unknown()),
      }),
    ),
  })
  .meta({ id: 'Timeline' });

export const assignBody = z.object({ assignee: staffId }).strict().meta({ id: 'Assignment' });
export const noteBody = z
  .object({ text: text(2000) })
  .strict()
  .meta({ id: 'Note' });

export const surveyResponseBody = z
  .object({ score: z.number().int().min(1).max(5), comment: text(500).optional() })
  .strict()
  .meta({ id: 'SurveyResponse' });
export const surveyResponse = z
  .object({
    caseId: z.string(),
    caseType: z.string(),
    score: z.number().int(),
    comment: z.string().nullable(),
    answeredAt: z.string(),
  })
  .meta({ id: 'SurveyAnswer' });

export const REVEALABLE = ['reporter', 'vehicle', 'accident', 'customer', 'holder', 'application', 'needs'] as const;
export const revealBody = z
  .object({
    reason: text(500).meta({ description: 'Why the full values are needed; kept in the audit log.' }),
    fields: z.array(z.enum(REVEALABLE)).min(1).optional().meta({ description: 'Default: everything the case holds.' }),
  })
  .strict()
  .meta({ id: 'RevealRequest' });

export const revealResponse = z
  .looseObject({ id: z.string(), personalData: z.record(z.string(), z.unknown()) })
  .meta({ id: 'RevealedPersonalData' });

export const notificationsQuery = z
  .object({
    caseId: z.string().min(1).max(64).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

export const notificationsResponse = z
  .object({
    items: z.array(
      z.object({
        id: z.string(),
        caseId: z.string().nullable(),
        channel: z.string(),
        template: z.string(),
        recipient: z.string().nullable().meta({ description: 'Masked.', example: '138****1234' }),
        status: z.enum(['queued', 'sent', 'suppressed', 'failed']),
        createdAt: instant,
        sentAt: instant.nullable(),
      }),
    ),
  })
  .meta({ id: 'Notifications' });
