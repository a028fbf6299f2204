/** Inquiries (咨询): request bodies validated at the edge, and the inquiry as responses show it. */
import { z } from 'zod';
import { INQUIRY_CHANNELS, INQUIRY_STATUSES } from '../../domain/inquiry';
import { teamName } from './claims';
import { caseFields, instant, text } from './common';
import { caseCode, customerBody, maskedCustomer } from './complaints';

export const createInquiryBody = z
  .object({
    customer: customerBody,
    channel: z.enum(INQUIRY_CHANNELS),
    topic: caseCode.meta({ example: 'claim_progress' }),
    question: text(4000).meta({ description: "The customer's question; personal data, kept outside the workflow." }),
    answer: text(4000)
      .optional()
      .meta({ description: 'Answered on the spot: the inquiry is recorded and closed at once.' }),
    team: teamName.optional().meta({
      description:
        'Required for managers and admins (400 without it); agents and supervisors may leave it out or name their own team (403 for another).',
    }),
  })
  .strict()
  .meta({ id: 'CreateInquiry' });
export type CreateInquiryBody = z.output<typeof createInquiryBody>;

export const consultationBody = z
  .object({
    department: teamName.meta({
      description: "The department's team name; its supervisor receives the request.",
      example: 'underwriting',
    }),
    question: text(2000).meta({ description: 'What the agent asks the department (staff text).' }),
  })
  .strict()
  .meta({ id: 'InquiryConsultation' });

export const consultationParams = z
  .object({
    id: z.string().min(1).max(64),
    consultationId: z.string().regex(/^c\d{1,4}$/, 'A consultation id such as c1.'),
  })
  .strict();

export const consultationReplyBody = z
  .object({ reply: text(4000).meta({ description: "The department's answer, as recorded by staff." }) })
  .strict()
  .meta({ id: 'InquiryConsultationReply' });

export const awaitingCustomerBody = z
  .object({ reason: text(500).optional().meta({ description: 'What information the customer still has to give.' }) })
  .strict()
  .meta({ id: 'InquiryAwaitingCustomer' });

export const customerReplyBody = z
  .object({ note: text(1000).optional() })
  .strict()
  .meta({ id: 'InquiryCustomerReply' });

export const answerBody = z
  .object({ answer: text(4000) })
  .strict()
  .meta({ id: 'InquiryAnswer' });

export const reviewBody = z
  .object({ correct: z.boolean(), note: text(1000).optional() })
  .strict()
  .meta({ id: 'InquiryReview' });

export const inquiryResponse = z
  .looseObject({
    ...caseFields,
    type: z.literal('inquiry'),
    status: z.enum(INQUIRY_STATUSES),
    inquiryNo: z.string(),
    channel: z.enum(INQUIRY_CHANNELS),
    topic: z.string(),
    answeredOnTheSpot: z.boolean(),
    receivedAt: instant,
    promisedBy: instant
      .nullable()
      .meta({ description: 'The answer time promised to the customer (the inquiry.answer due instant).' }),
    awaitingCustomer: z
      .object({ since: instant, reason: z.string().nullable() })
      .nullable()
      .meta({ description: 'Waiting for the customer: inquiry.answer is paused.' }),
    consultations: z.array(
      z.object({
        id: z.string().meta({ example: 'c1' }),
        department: z.string(),
        question: z.string(),
        requestedBy: z.string(),
        requestedAt: instant,
        clockId: z.string().nullable(),
        dueAt: instant.nullable(),
        state: z.enum(['pending', 'replied', 'cancelled']),
        late: z.boolean(),
        reply: z.object({ text: z.string(), recordedBy: z.string(), at: instant }).nullable(),
      }),
    ),
    answer: z.object({ text: z.string(), by: z.string(), at: instant }).nullable(),
    answerDeliveredAt: instant.nullable(),
    closedAt: instant.nullable(),
    review: z.object({ correct: z.boolean(), note: z.string().nullable(), by: z.string(), at: instant }).nullable(),
    reviewOpenUntil: instant
      .nullable()
      .meta({ description: 'Quality review is accepted until then (once, supervisor+).' }),
    surveySentAt: instant.nullable(),
    customer: maskedCustomer,
    question: z.string().nullable().meta({
      description: "The customer's question; kept in PostgreSQL with the personal data, never in the workflow.",
    }),
  })
  .meta({ id: 'Inquiry' });
