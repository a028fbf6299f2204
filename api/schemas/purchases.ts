/** Purchases (投保): request bodies validated at the edge, and the purchase as responses show it. */
import { z } from 'zod';
import { INSURANCE_PRODUCTS } from '../../domain/insurance-policy';
import {
  APPLICATION_FIELDS,
  COVERAGE_CODE_PATTERN,
  COVERAGE_CODES,
  DELIVERY_METHODS,
  PAYMENT_METHODS,
  PURCHASE_PRODUCTS,
  PURCHASE_STATUSES,
  VEHICLE_USAGES,
} from '../../domain/purchase';
import { POLICY_NO_PATTERN } from '../../domain/renewal';
import { mobilePhone, plate, teamName } from './claims';
import { caseFields, instant, isoInstant, money, text } from './common';
import { atLeastOneOf, withRules } from './rules';

const maskedNote = 'Masked for every role; full values through POST /cases/{id}/reveal.';

/** 居民身份证号码: 17 digits and a check character (digit or X). */
const idNumber = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^\d{17}[\dX]$/, 'An 18-character resident ID number.');
/** 车架号 (VIN): 17 characters, no I, O or Q. */
const vin = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-HJ-NPR-Z0-9]{17}$/, 'A 17-character VIN (no I, O or Q).');
const engineNo = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9-]{4,30}$/, 'An engine number: 4–30 letters, digits or -.');
const policyNo = z.string().trim().regex(POLICY_NO_PATTERN, 'A policy number: 4–40 upper-case letters, digits or -.');

export const purchaseCustomerBody = z
  .object({ name: text(50), phone: mobilePhone, email: z.email().max(254).optional() })
  .strict();

export const createPurchaseBody = z
  .object({
    customer: purchaseCustomerBody,
    vehicle: z.object({ plate, usage: z.enum(VEHICLE_USAGES).optional() }).strict(),
    product: z.enum(PURCHASE_PRODUCTS),
    needs: text(2000)
      .optional()
      .meta({ description: "The customer's needs in their words; personal data, kept outside the workflow." }),
    renewalOf: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .meta({ description: 'A renewal case id: the purchase renews that policy (as POST /renewals/{id}/purchase).' }),
    team: teamName.optional().meta({
      description:
        'Required for managers and admins (400 without it); agents and supervisors may leave it out or name their own team (403 for another).',
    }),
  })
  .strict()
  .meta({ id: 'CreatePurchase' });

export const renewalPurchaseBody = z
  .object({ needs: text(2000).optional() })
  .strict()
  .meta({ id: 'RenewalPurchase', description: 'Everything else is taken from the expiring policy.' });

const coverage = z
  .object({
    code: z
      .string()
      .regex(COVERAGE_CODE_PATTERN)
      .meta({
        description: `${COVERAGE_CODES.join(', ')} (交强险, 车损, 三者, 司机座位, 乘客座位, 玻璃单独破碎, 不计免赔); riders may be added.`,
      }),
    sumInsured: money.min(0).optional().meta({ description: '保额, CNY' }),
    deductible: money.min(0).optional().meta({ description: '免赔额, CNY' }),
    premium: money.min(0).meta({ description: '保费, CNY' }),
  })
  .strict();

export const quoteBody = z
  .object({
    coverages: z.array(coverage).min(1).max(20),
    validUntil: isoInstant
      .optional()
      .meta({ description: 'Shortens the quote (never past purchase.quoteValidity, 15 days by default).' }),
  })
  .strict()
  .transform(({ coverages, validUntil }) => ({
    coverages: coverages.map((c) => ({
      code: c.code,
      sumInsured: c.sumInsured ?? null,
      deductible: c.deductible ?? null,
      premium: c.premium,
    })),
    ...(validUntil === undefined ? {} : { validUntil }),
  }))
  .meta({ id: 'PurchaseQuote' });

const holder = z
  .object({ name: text(50), phone: mobilePhone, idNumber, email: z.email().max(254).optional() })
  .strict();
const applicationVehicle = z.object({ plate, vin, engineNo: engineNo.optional() }).strict();

export const applicationBody = z.object({ holder, vehicle: applicationVehicle, startsAt: isoInstant }).strict().meta({
  id: 'PurchaseApplication',
  description: 'The application form (投保单); holder and vehicle are personal data.',
});

export const correctionBody = withRules(
  z
    .object({
      holder: holder.partial().optional(),
      vehicle: applicationVehicle.partial().optional(),
      startsAt: isoInstant.optional(),
    })
    .strict(),
  [atLeastOneOf(['holder', 'vehicle', 'startsAt'], 'Name at least one of holder, vehicle, startsAt.')],
).meta({ id: 'PurchaseCorrection', description: 'Only the fields that change; the rest of the form stays.' });

export const reviewBody = z
  .object({
    approved: z.boolean(),
    problems: z
      .array(z.object({ field: z.enum(APPLICATION_FIELDS), message: text(500) }).strict())
      .max(20)
      .optional()
      .meta({ description: 'Required when not approved: each field to correct, and why (the customer is told).' }),
  })
  .strict()
  .meta({ id: 'PurchaseReview' });

export const paymentBody = z
  .object({
    amount: money.min(0).meta({ description: 'Must equal the quoted total (409 otherwise).' }),
    method: z.enum(PAYMENT_METHODS),
    reference: text(100).meta({ description: 'The payment receipt / transaction number.' }),
    invoiceNo: text(100).optional().meta({ description: '发票号' }),
  })
  .strict()
  .meta({ id: 'PurchasePayment' });

export const issueBody = z
  .object({
    policyNo,
    compulsoryPolicyNo: policyNo
      .optional()
      .meta({ description: 'Required when both products were bought: the 交强险 policy number.' }),
    effectiveAt: isoInstant,
    delivery: z.enum(DELIVERY_METHODS),
  })
  .strict()
  .meta({ id: 'PurchaseIssue' });

export const abandonBody = z
  .object({ reason: text(500) })
  .strict()
  .meta({ id: 'PurchaseAbandon' });

const person = z
  .object({
    name: z.string().meta({ example: '张*' }),
    phone: z.string().meta({ example: '138****1234' }),
    email: z.string().optional(),
  })
  .nullable()
  .meta({ description: maskedNote });

export const purchaseResponse = z
  .looseObject({
    ...caseFields,
    type: z.literal('purchase'),
    status: z.enum(PURCHASE_STATUSES),
    purchaseNo: z.string(),
    policyNo: z.string().nullable().meta({ description: 'The issued policy; null until issued.' }),
    product: z.enum(PURCHASE_PRODUCTS),
    usage: z.enum(VEHICLE_USAGES).nullable(),
    renewalOf: z
      .object({
        caseId: z.string(),
        policyNo: z.string(),
        product: z.enum(INSURANCE_PRODUCTS),
        expiresAt: instant,
        offeredPremium: z.number().nullable(),
      })
      .nullable(),
    openedAt: instant,
    quote: z
      .object({
        n: z.number().int(),
        coverages: z.array(
          z.object({
            code: z.string(),
            sumInsured: z.number().nullable(),
            deductible: z.number().nullable(),
            premium: z.number(),
          }),
        ),
        total: z.number(),
        validUntil: instant.nullable(),
        by: z.string(),
        at: instant,
      })
      .nullable(),
    application: z
      .looseObject({
        submissionId: z.string(),
        takenBy: z.string(),
        at: instant,
        startsAt: instant,
        keyedBy: z.array(z.string()),
        corrections: z.number().int(),
        holder: person,
        vehicle: z
          .object({ plate: z.string(), vin: z.string(), engineNo: z.string().optional() })
          .nullable()
          .meta({ description: maskedNote }),
      })
      .nullable(),
    reviews: z.array(
      z.object({
        n: z.number().int(),
        approved: z.boolean(),
        problems: z.array(z.object({ field: z.string(), message: z.string() })),
        by: z.string(),
        at: instant,
      }),
    ),
    reviewProblems: z.array(z.object({ field: z.string(), message: z.string() })),
    payment: z
      .object({
        amount: z.number(),
        method: z.enum(PAYMENT_METHODS),
        reference: z.string(),
        invoiceNo: z.string().nullable(),
        by: z.string(),
        at: instant,
      })
      .nullable(),
    premium: z.number().nullable().meta({ description: 'The quoted total, then the premium paid.' }),
    issuance: z
      .object({
        policyNo: z.string(),
        compulsoryPolicyNo: z.string().nullable(),
        effectiveAt: instant,
        expiresAt: instant,
        delivery: z.enum(DELIVERY_METHODS),
        policies: z.array(
          z.object({
            policyNo: z.string(),
            product: z.enum(INSURANCE_PRODUCTS),
            premium: z.number(),
            written: z.enum(['written', 'clash']).nullable(),
          }),
        ),
        by: z.string(),
        at: instant,
      })
      .nullable(),
    confirmedAt: instant.nullable(),
    renewalOutcome: z
      .object({ outcome: z.enum(['renewed', 'refused']), reason: z.string().nullable(), at: instant })
      .nullable(),
    abandonment: z.object({ reason: z.string(), by: z.string(), at: instant }).nullable(),
    endedAt: instant.nullable(),
    customer: person,
    vehicle: z
      .object({ plate: z.string().meta({ example: '粤B***45' }), usage: z.string().optional() })
      .nullable()
      .meta({ description: maskedNote }),
    needs: z.string().nullable().meta({ description: "The customer's needs, kept with the personal data." }),
  })
  .meta({ id: 'Purchase' });
