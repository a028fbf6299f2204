/** Renewals (续保): request bodies validated at the edge, and the renewal as responses show it. */
import { z } from 'zod';
import { INSURANCE_PRODUCTS } from '../../domain/insurance-policy';
import { CONTACT_CHANNELS, CONTACT_OUTCOMES, POLICY_NO_PATTERN, RENEWAL_STATUSES } from '../../domain/renewal';
import { caseFields, instant, money, text } from './common';

export const contactBody = z
  .object({
    channel: z.enum(CONTACT_CHANNELS),
    outcome: z.enum(CONTACT_OUTCOMES).meta({
      description:
        '`declined` ends the renewal and puts the holder on the do-not-contact list; `callback` creates a call-back task.',
    }),
    note: text(2000).optional(),
  })
  .strict()
  .meta({ id: 'RenewalContact' });

export const renewedBody = z
  .object({
    newPolicyNo: z
      .string()
      .trim()
      .regex(POLICY_NO_PATTERN, 'A policy number: 4–40 upper-case letters, digits or hyphens.'),
    premium: money.min(0).meta({ description: 'CNY, the new term’s premium.' }),
  })
  .strict()
  .meta({ id: 'RenewalRenewed' });

export const optOutBody = z
  .object({
    reason: text(200).optional().meta({ description: 'Kept with the do-not-contact entry; no personal data.' }),
  })
  .strict()
  .meta({ id: 'RenewalOptOut' });

export const sweepBody = z
  .object({})
  .strict()
  .meta({ id: 'RenewalSweepRequest', description: 'Empty (the body may be left out).' });

export const sweepResult = z
  .object({
    started: z.number().int().meta({ description: 'Renewal workflows this sweep started.' }),
    existing: z.number().int().meta({ description: 'Due policy terms that already had their renewal (left alone).' }),
  })
  .meta({ id: 'RenewalSweepResult' });

const maskedNote = 'Masked for every role; full values through POST /cases/{id}/reveal.';

export const renewalResponse = z
  .looseObject({
    ...caseFields,
    id: z.string().meta({
      example: 'PDAA202612010001-20261201',
      description: '`<policyNo>-<yyyymmdd of expiry, Asia/Shanghai>`: one renewal per policy term.',
    }),
    type: z.literal('renewal'),
    status: z.enum(RENEWAL_STATUSES),
    policyNo: z.string(),
    product: z.enum(INSURANCE_PRODUCTS),
    startsAt: instant,
    expiresAt: instant,
    offer: z
      .object({
        basePremium: z.number(),
        premium: z.number(),
        coefficient: z.number(),
        discount: z.number(),
        claimFreeYears: z.number().int(),
        claimsThisTerm: z.number().int(),
      })
      .nullable()
      .meta({
        description:
          'The renewal offer every reminder carries (no-claim discount applied); null while the renewal is being planned.',
      }),
    reminders: z.array(
      z.object({
        offset: z.string().meta({ example: 'P30D' }),
        channel: z.enum(['sms', 'email']),
        dueAt: instant,
        state: z.enum(['scheduled', 'sent', 'skipped', 'suppressed', 'cancelled']),
        sentAt: instant.optional(),
      }),
    ),
    callWindow: z.object({ opensAt: instant, maxUnansweredPerDay: z.number().int() }).nullable(),
    outreachHours: z
      .object({ start: z.string(), end: z.string() })
      .nullable()
      .meta({ description: 'Asia/Shanghai wall-clock times.' }),
    calls: z.array(
      z.object({
        at: instant,
        channel: z.enum(CONTACT_CHANNELS),
        outcome: z.enum(CONTACT_OUTCOMES),
        note: z.string().nullable(),
        by: z.string(),
      }),
    ),
    tasks: z.array(z.object({ kind: z.enum(['call_for_renewal', 'callback']), createdAt: instant, done: z.boolean() })),
    doNotContact: z.boolean(),
    renewal: z.object({ newPolicyNo: z.string(), premium: z.number(), at: instant, by: z.string() }).nullable(),
    endedAt: instant.nullable(),
    holder: z
      .object({
        name: z.string().meta({ example: '张*' }),
        phone: z.string().meta({ example: '138****1234' }),
        email: z.string().nullable(),
      })
      .nullable()
      .meta({ description: maskedNote }),
    vehicle: z
      .object({ plate: z.string().meta({ example: '粤B***45' }) })
      .nullable()
      .meta({ description: maskedNote }),
  })
  .meta({ id: 'Renewal' });
