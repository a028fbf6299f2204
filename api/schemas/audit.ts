/** The audit log as the API shows it (admins only). */
import { z } from 'zod';
import { instant, isoInstant } from './common';

export const auditQuery = z
  .object({
    caseId: z.string().min(1).max(64).optional().meta({ description: 'Entries about this case (its target).' }),
    target: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .meta({ description: 'Entries about any target: a case id, a policy name, a year, `staff:<id>`.' }),
    actor: z.string().min(1).max(100).optional().meta({ description: 'Entries by this staff id.' }),
    from: isoInstant.optional().meta({ description: 'Inclusive.' }),
    to: isoInstant.optional().meta({ description: 'Exclusive.' }),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z
      .string()
      // A position in the chain (bigint): 19 digits could pass its maximum (PostgreSQL 22003, a 500).
      .regex(/^\d{1,18}$/, 'A nextCursor this API gave out.')
      .optional()
      .meta({ description: 'nextCursor of the previous page.' }),
  })
  .strict();

const auditItem = z
  .object({
    seq: z.string().meta({ description: 'Position in the hash chain (1, 2, 3 …).' }),
    at: instant,
    actor: z.string(),
    action: z.string().meta({ example: 'personal_data.reveal' }),
    target: z.string(),
    detail: z.record(z.string(), z.unknown()),
    hash: z.string().meta({ description: 'SHA-256 of the entry chained to the one before (hex).' }),
  })
  .meta({ id: 'AuditEntry' });

export const auditResponse = z
  .object({ items: z.array(auditItem), nextCursor: z.string().nullable() })
  .meta({ id: 'AuditLog' });
