/** Claims (理赔): request bodies validated at the edge, and the claim as responses show it. */
import { z } from 'zod';
import { CLAIM_STATUSES, COVERAGES, DOCUMENT_REQUEST_CAUSES, DOCUMENT_TYPES } from '../../domain/claim';
import { caseFields, instant, isoInstant, money, text } from './common';
import { forbiddenWhen, requiredWhen, withRules } from './rules';

/** Mainland mobile numbers. */
export const mobilePhone = z
  .string()
  .trim()
  .regex(/^1[3-9]\d{9}$/, 'A mainland mobile number (11 digits, starting 13–19).');

/**
 * A Chinese plate: province character, issuing-office letter (no I or O), then five characters, or
 * six for new-energy vehicles, or four and a 挂/学/警/港/澳 suffix.
 */
export const plate = z
  .string()
  .trim()
  .toUpperCase()
  .regex(
    /^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z](?:[A-HJ-NP-Z0-9]{5,6}|[A-HJ-NP-Z0-9]{4}[挂学警港澳])$/,
    'A Chinese licence plate such as 粤B12345.',
  );

export const teamName = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,50}$/, 'Letters, digits, - and _ (1–50).');

export const createClaimBody = z
  .object({
    policyNo: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{4,40}$/, 'Letters, digits and - (4–40).'),
    coverage: z.enum(COVERAGES),
    reporter: z.object({ name: text(50), phone: mobilePhone }).strict(),
    vehicle: z.object({ plate }).strict(),
    accident: z
      .object({
        occurredAt: isoInstant.meta({
          description:
            'With an offset; not in the future (more than 5 minutes ahead of the server is 400: a value compared with the clock, which JSON Schema cannot state).',
        }),
        location: text(200),
        description: text(2000),
        injuries: z.boolean().optional(),
        policeReported: z.boolean().optional(),
      })
      .strict(),
    team: teamName.optional().meta({
      description:
        'Required for managers and admins (400 without it); agents and supervisors may leave it out or name their own team (403 for another).',
    }),
  })
  .strict()
  .meta({ id: 'CreateClaim' });
export type CreateClaimBody = z.output<typeof createClaimBody>;

export const contactBody = z
  .object({ outcome: z.enum(['reached', 'no_answer']), note: text(1000).optional() })
  .strict()
  .meta({ id: 'ClaimContact' });

export const documentsBody = z
  .object({ documents: z.array(z.enum(DOCUMENT_TYPES)).min(1).max(DOCUMENT_TYPES.length) })
  .strict()
  .meta({ id: 'ClaimDocuments' });

export const documentRequestBody = z
  .object({
    documents: z.array(z.enum(DOCUMENT_TYPES)).min(1).max(DOCUMENT_TYPES.length),
    cause: z.enum(DOCUMENT_REQUEST_CAUSES).meta({
      description:
        'new_facts: learned after the first notice (injuries, a document rejected as illegible); omitted: the first notice should have listed it — a compliance exception.',
    }),
    note: text(1000).meta({ description: 'The new fact, or what was omitted.' }),
  })
  .strict()
  .meta({ id: 'ClaimDocumentRequest' });

export const assessmentBody = z
  .object({ amount: money.min(0), note: text(1000).optional() })
  .strict()
  .meta({ id: 'ClaimAssessment' });

export const decisionBody = withRules(
  z
    .object({
      outcome: z.enum(['approve', 'deny']),
      amount: money.positive().optional().meta({ description: 'Approve only; defaults to the assessed amount.' }),
      reason: text(1000).optional().meta({ description: 'Required to deny.' }),
    })
    .strict(),
  [
    requiredWhen('outcome', ['deny'], ['approve'], 'reason', 'A denial needs a reason.'),
    forbiddenWhen('outcome', ['deny'], ['approve'], 'amount', 'Only an approval carries an amount.'),
  ],
).meta({ id: 'ClaimDecision' });

export const paymentBody = z
  .object({ amount: money.positive(), reference: text(100), paidAt: isoInstant.optional() })
  .strict()
  .meta({ id: 'ClaimPayment' });

export const withdrawBody = z
  .object({ reason: text(500) })
  .strict()
  .meta({ id: 'ClaimWithdrawal' });

const maskedNote = 'Masked for every role; full values through POST /cases/{id}/reveal.';

export const claimResponse = z
  .looseObject({
    ...caseFields,
    type: z.literal('claim'),
    status: z.enum(CLAIM_STATUSES),
    claimNo: z.string(),
    policyNo: z.string(),
    coverage: z.enum(COVERAGES),
    injuries: z.boolean(),
    requiredDocuments: z.array(z.enum(DOCUMENT_TYPES)),
    receivedDocuments: z.array(z.enum(DOCUMENT_TYPES)),
    missingDocuments: z.array(z.enum(DOCUMENT_TYPES)),
    documentNoticeSentAt: instant.nullable(),
    firstContactAt: instant.nullable(),
    assessedAmount: z.number().nullable(),
    decision: z
      .object({
        outcome: z.enum(['approve', 'deny']),
        amount: z.number().nullable(),
        reason: z.string().nullable(),
        decidedBy: z.string(),
        decidedAt: instant,
      })
      .nullable(),
    payment: z
      .object({ amount: z.number(), reference: z.string(), paidAt: instant, recordedBy: z.string() })
      .nullable(),
    withdrawal: z.object({ reason: z.string(), at: instant }).nullable(),
    tasks: z.array(z.object({ kind: z.string(), createdAt: instant, done: z.boolean() })),
    documentRequests: z
      .array(
        z.object({
          n: z.number().int(),
          documents: z.array(z.enum(DOCUMENT_TYPES)),
          cause: z.enum(DOCUMENT_REQUEST_CAUSES),
          note: z.string(),
          requestedBy: z.string(),
          at: instant,
        }),
      )
      .optional()
      .meta({ description: 'Further document notices after the first, consolidated one.' }),
    complianceExceptions: z
      .array(
        z.object({
          at: instant,
          documents: z.array(z.enum(DOCUMENT_TYPES)),
          cause: z.enum(DOCUMENT_REQUEST_CAUSES),
          actor: z.string(),
        }),
      )
      .optional()
      .meta({
        description:
          '合规异常 (保险法 第二十二条): further requests for documents the first notice should have listed (cause omitted, or listed by the facts at the report).',
      }),
    reporter: z
      .object({ name: z.string().meta({ example: '张*' }), phone: z.string().meta({ example: '138****1234' }) })
      .nullable()
      .meta({ description: maskedNote }),
    vehicle: z
      .object({ plate: z.string().meta({ example: '粤B***45' }) })
      .nullable()
      .meta({ description: maskedNote }),
    accident: z
      .object({
        occurredAt: instant,
        location: z.string(),
        description: z.string(),
        injuries: z.boolean(),
        policeReported: z.boolean().nullable(),
      })
      .nullable(),
  })
  .meta({ id: 'Claim' });
