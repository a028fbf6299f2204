/** Complaints (投诉): request bodies validated at the edge, and the complaint as responses show it. */
import { z } from 'zod';
import { COMPLAINT_CHANNELS, COMPLAINT_STATUSES, RESOLUTION_KINDS } from '../../domain/complaint';
import { SURVEY_SCORE } from '../../domain/survey';
import { mobilePhone, teamName } from './claims';
import { caseFields, instant, money, text } from './common';
import { requiredWhen, withRules } from './rules';

/** Category and topic codes (`claim_delay`, `service_attitude`): never free text, so never personal data. */
export const caseCode = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]{1,49}$/, 'A code of lower-case letters, digits and _ (2–50), such as claim_delay.');

const policyNumber = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9-]{4,40}$/, 'Letters, digits and - (4–40).');

const caseReference = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9-]{4,64}$/, 'A case id such as CL20261125K7F3QX.');

export const customerBody = z.object({ name: text(50), phone: mobilePhone }).strict();

const teamField = teamName.optional().meta({
  description:
    'Required for managers and admins (400 without it); agents and supervisors may leave it out or name their own team (403 for another).',
});

export const createComplaintBody = z
  .object({
    customer: customerBody,
    channel: z.enum(COMPLAINT_CHANNELS).meta({
      description: '`regulator`: forwarded by the regulator (监管转办); the case starts at escalation level 1.',
    }),
    category: caseCode.meta({ example: 'claim_delay' }),
    description: text(4000).meta({
      description: 'What the customer complains about; personal data, kept outside the workflow.',
    }),
    policyNo: policyNumber.optional(),
    relatedCaseId: caseReference
      .optional()
      .meta({ description: 'Another case this complaint is about (e.g. the claim); must be a case you can see.' }),
    team: teamField,
  })
  .strict()
  .meta({ id: 'CreateComplaint' });
export type CreateComplaintBody = z.output<typeof createComplaintBody>;

export const acknowledgeBody = z
  .object({
    message: text(1000).optional().meta({ description: 'What the customer was told (apology, promise of handling).' }),
  })
  .strict()
  .meta({ id: 'ComplaintAcknowledgement' });

export const investigationBody = z
  .object({ note: text(2000) })
  .strict()
  .meta({ id: 'ComplaintInvestigation' });

const NEEDS_AMOUNT: readonly string[] = ['compensation', 'refund'];

export const proposalBody = withRules(
  z
    .object({
      resolution: z.enum(RESOLUTION_KINDS),
      detail: text(2000),
      amount: money.min(0).optional().meta({ description: 'CNY; required for compensation and refund.' }),
    })
    .strict(),
  [
    requiredWhen(
      'resolution',
      NEEDS_AMOUNT,
      RESOLUTION_KINDS.filter((k) => !NEEDS_AMOUNT.includes(k)),
      'amount',
      'A compensation or refund proposal needs an amount.',
    ),
  ],
).meta({ id: 'ComplaintProposal' });

export const customerResponseBody = z
  .object({ accepted: z.boolean(), comment: text(1000).optional() })
  .strict()
  .meta({ id: 'ComplaintCustomerResponse' });

export const extensionBody = z
  .object({
    reason: text(1000).meta({ description: 'Why the case is complex; sent to the customer with the notice.' }),
  })
  .strict()
  .meta({ id: 'ComplaintExtension' });

export const reviewRequestBody = z
  .object({
    reason: text(2000).meta({ description: 'Why the complainant disputes the decision (复核).' }),
  })
  .strict()
  .meta({ id: 'ComplaintReviewRequest' });

export const reviewDecisionBody = z
  .object({
    upheld: z
      .boolean()
      .meta({ description: 'true: the original decision stands; false: it is changed as `detail` says.' }),
    detail: text(2000).meta({ description: 'The review decision, sent to the complainant.' }),
  })
  .strict()
  .meta({ id: 'ComplaintReviewDecision' });

export const satisfactionBody = z
  .object({ score: z.number().int().min(SURVEY_SCORE.min).max(SURVEY_SCORE.max), comment: text(1000).optional() })
  .strict()
  .meta({ id: 'ComplaintSatisfaction' });

const maskedNote = 'Masked for every role; full values through POST /cases/{id}/reveal.';

export const maskedCustomer = z
  .object({ name: z.string().meta({ example: '张*' }), phone: z.string().meta({ example: '138****1234' }) })
  .nullable()
  .meta({ description: maskedNote });

export const complaintResponse = z
  .looseObject({
    ...caseFields,
    type: z.literal('complaint'),
    status: z.enum(COMPLAINT_STATUSES),
    complaintNo: z.string(),
    channel: z.enum(COMPLAINT_CHANNELS),
    category: z.string(),
    policyNo: z.string().nullable(),
    relatedCaseId: z.string().nullable(),
    receivedAt: instant,
    acknowledgement: z.object({ message: z.string().nullable(), by: z.string(), at: instant }).nullable(),
    investigation: z.array(z.object({ note: z.string(), by: z.string(), at: instant })),
    proposals: z.array(
      z.object({
        n: z.number().int(),
        resolution: z.enum(RESOLUTION_KINDS),
        detail: z.string(),
        amount: z.number().nullable(),
        proposedBy: z.string(),
        proposedAt: instant,
        response: z
          .object({ accepted: z.boolean(), comment: z.string().nullable(), recordedBy: z.string(), at: instant })
          .nullable(),
      }),
    ),
    extensions: z.array(
      z.object({
        n: z.number().int(),
        reason: z.string(),
        approvedBy: z.string(),
        approverRole: z.string(),
        at: instant,
        dueAt: instant,
      }),
    ),
    decisionDueAt: instant
      .nullable()
      .meta({ description: 'The statutory decision due instant in force (moves with each extension).' }),
    decisionCommunicatedAt: instant.nullable().meta({
      description:
        'When the notice of the (latest) proposed resolution reached the complainant: the decision is made and communicated, which meets complaint.decision.',
    }),
    reviewWindowEndsAt: instant.nullable().meta({
      description: 'Until when the complainant may ask for a review (complaint.reviewWindow after the communication).',
    }),
    review: z
      .object({
        reason: z.string(),
        requestedBy: z.string(),
        requestedAt: instant,
        dueAt: instant.meta({ description: 'complaint.reviewDecision due instant.' }),
        decision: z
          .object({ upheld: z.boolean(), detail: z.string(), decidedBy: z.string(), decidedAt: instant })
          .nullable(),
        communicatedAt: instant.nullable().meta({
          description: "When the review decision's notice reached the complainant (meets complaint.reviewDecision).",
        }),
      })
      .nullable()
      .meta({ description: 'The review (复核) the complainant asked for, and its decision.' }),
    resolvedAt: instant.nullable(),
    surveySentAt: instant.nullable(),
    satisfaction: z
      .union([
        z.object({
          outcome: z.literal('answered'),
          score: z.number().int(),
          comment: z.string().nullable(),
          at: instant,
        }),
        z.object({ outcome: z.literal('unanswered'), at: instant }),
      ])
      .nullable(),
    customer: maskedCustomer,
    description: z
      .string()
      .nullable()
      .meta({ description: 'Kept in PostgreSQL with the personal data, never in the workflow.' }),
  })
  .meta({ id: 'Complaint' });
