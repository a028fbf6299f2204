/** The person's rights (PIPL 第四十四条–第四十七条): access to and erasure of everything held about one person. */
import { z } from 'zod';
import { mobilePhone } from './claims';
import { text } from './common';
import { exactlyOneOf, withRules } from './rules';

const idNumber = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^\d{17}[\dX]$/, 'An 18-character resident ID number.');

/** One person, by phone or by ID number (exactly one); in the body, never in a URL a log could keep. */
const subjectFields = {
  phone: mobilePhone.optional().meta({ description: 'The person’s mobile number (11 digits).' }),
  idNumber: idNumber.optional().meta({ description: 'The person’s resident ID number.' }),
  reason: text(500).meta({
    description: 'The request being answered (ticket, letter): kept in the audit log, which never holds the number.',
  }),
};

const oneSubject = exactlyOneOf(['phone', 'idNumber'], 'Give exactly one of phone and idNumber.');

export const personalDataAccessBody = withRules(z.object(subjectFields).strict(), [oneSubject]).meta({
  id: 'PersonalDataAccessRequest',
});

const erasureFields = z
  .object({
    ...subjectFields,
    partial: z.boolean().optional().meta({
      description:
        'false (default): one record still retained refuses the whole request with 409. true: erase what retention allows, name the rest.',
    }),
  })
  .strict();
export const personalDataErasureBody = withRules(erasureFields, [oneSubject]).meta({
  id: 'PersonalDataErasureRequest',
});

const retention = z
  .looseObject({
    erasable: z.boolean(),
    reason: z.enum(['open', 'retained', 'expired']),
    ground: z.enum(['contract_up_to_one_year', 'contract_over_one_year', 'contract_unknown', 'no_contract']).optional(),
    retainedUntil: z.string().optional().meta({ description: 'The last day the records must be kept (Shanghai).' }),
    erasableFrom: z.string().optional(),
    basis: z.string(),
  })
  .meta({ id: 'Retention' });

export const personalDataAccessResponse = z
  .object({
    subject: z.string().meta({ description: 'A keyed digest of the number: what the audit log names.' }),
    generatedAt: z.string(),
    cases: z.array(
      z.looseObject({
        id: z.string(),
        type: z.string(),
        status: z.string(),
        personalData: z.record(z.string(), z.unknown()).nullable(),
        timeline: z.array(z.looseObject({ at: z.string(), kind: z.string() })),
        retention,
      }),
    ),
    policies: z.array(z.looseObject({ policyNo: z.string(), retention })),
    notifications: z.array(z.looseObject({ id: z.string(), template: z.string() })),
  })
  .meta({ id: 'PersonalDataAccess' });

const retainedRecord = z
  .object({
    record: z.string().meta({ description: 'A case id, or policy:<policyNo>.' }),
    reason: z.enum(['open', 'retained']),
    retainedUntil: z.string().nullable(),
    ground: z.string().nullable(),
  })
  .meta({ id: 'RetainedRecord' });

export const personalDataErasureResponse = z
  .object({
    subject: z.string(),
    erasedCases: z.array(z.string()),
    anonymisedPolicies: z.array(z.string()),
    notifications: z.number().int(),
    timelineEvents: z.number().int(),
    retained: z.array(retainedRecord),
  })
  .meta({ id: 'PersonalDataErasure' });
