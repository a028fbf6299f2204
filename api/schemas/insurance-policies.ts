/**
 * Policies from the core policy system (保单): the body of `PUT /policies/{policyNo}` is the domain's
 * own row schema (domain/insurance-policy.ts), so the API, the import and the CLI refuse the same rows
 * with the same messages; the import's rows and the responses are described here.
 */
import { z } from 'zod';
import {
  CSV_COLUMNS,
  INSURANCE_PRODUCTS,
  insurancePolicyBodySchema,
  policyNoSchema,
} from '../../domain/insurance-policy';
import { instant } from './common';

export const insurancePolicyParams = z
  .object({ policyNo: policyNoSchema.meta({ example: 'PDAA202612010001' }) })
  .strict();

export const insurancePolicyBody = insurancePolicyBodySchema.meta({
  id: 'PolicyBody',
  description:
    'An insurance policy as the core policy system holds it. `startsAt`/`expiresAt`: ISO-8601 with an offset, or a civil date meaning 00:00 Asia/Shanghai. `claimFreeYears` (optional, default 0) feeds the no-claim discount of the renewal offer. `expiresAt` must be after `startsAt` (400 naming expiresAt otherwise): a rule between two values, which JSON Schema cannot state.',
});

/** One element of an import: the body of `PUT /policies/{policyNo}` with its `policyNo` (documentation; rows are validated one by one while streaming). */
const insurancePolicyImportRow = z
  .object({ policyNo: policyNoSchema, ...insurancePolicyBodySchema.shape })
  .strict()
  .meta({ id: 'PolicyImportRow' });

/**
 * Any element is taken: each is validated on its own and one that is not a PolicyImportRow comes
 * back in `rejected` (200), so the document must not call such a body invalid. The union names the
 * row's shape for readers and generators.
 */
export const insurancePolicyImportJson = z.array(z.union([insurancePolicyImportRow, z.unknown()])).meta({
  description:
    'A JSON array of policies (PolicyImportRow); streamed, so any length. An element that is not a valid row is not a 400: it comes back in `rejected`.',
});

export const insurancePolicyImportCsv = z.string().meta({
  description: `A CSV file (RFC 4180, UTF-8) with a header row naming the columns: ${CSV_COLUMNS.join(', ')} (holder.email and claimFreeYears may be left out or empty). Quoted fields may hold commas, quotes ("") and line breaks.`,
  example: `${CSV_COLUMNS.join(',')}\nPDAA202612010001,张三,13812341234,,粤B12345,commercial,2025-12-01,2026-12-01,3200.00,2`,
});

const fieldIssue = z.object({ path: z.string().meta({ example: 'holder.phone' }), message: z.string() });

export const insurancePolicyImportResult = z
  .object({
    created: z.number().int(),
    updated: z.number().int(),
    rejected: z
      .array(
        z.object({
          row: z
            .number()
            .int()
            .meta({ description: '1-based: the n-th array element, or the n-th CSV record after the header.' }),
          errors: z.array(fieldIssue),
        }),
      )
      .meta({ description: 'The first 1,000 rejected rows; `rejectedTotal` counts them all.' }),
    rejectedTotal: z.number().int(),
    rows: z
      .number()
      .int()
      .meta({ description: 'Rows read (created + updated + rejectedTotal, less repeated policy numbers).' }),
  })
  .meta({ id: 'PolicyImportResult' });

const maskedNote = 'Masked for every role.';

export const insurancePolicyResponse = z
  .object({
    policyNo: z.string(),
    holder: z
      .object({
        name: z.string().meta({ example: '张*' }),
        phone: z.string().meta({ example: '138****1234' }),
        email: z.string().nullable(),
      })
      .meta({ description: maskedNote }),
    vehicle: z.object({ plate: z.string().meta({ example: '粤B***45' }) }).meta({ description: maskedNote }),
    product: z.enum(INSURANCE_PRODUCTS),
    startsAt: instant,
    expiresAt: instant,
    premium: z.number(),
    claimFreeYears: z.number().int(),
  })
  .meta({ id: 'Policy' });
