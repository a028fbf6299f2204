/** Facilities (设施): the equipment register, checks (点检), repairs (维修档案) and replacement requests. */
import { z } from 'zod';
import {
  ASSET_ID_PATTERN,
  CHECK_EVERY_DAYS,
  CHECK_RESULTS,
  EQUIPMENT_KINDS,
  EQUIPMENT_STATUSES,
  REPAIR_ID_PATTERN,
  REPAIR_OUTCOMES,
  REPAIR_STATUSES,
} from '../../domain/facilities';
import { teamName } from './claims';
import { clockSchema, instant, text } from './common';

const assetId = z
  .string()
  .regex(ASSET_ID_PATTERN, 'An asset tag: upper-case letters, digits and hyphens (e.g. PC-0012).')
  .meta({ example: 'PC-0012' });

export const assetParams = z.object({ assetId }).strict();
export const repairParams = z
  .object({
    id: z.string().regex(REPAIR_ID_PATTERN, 'A repair id: RP-<assetId>-<n>.').meta({ example: 'RP-PC-0012-1' }),
  })
  .strict();

export const equipmentBody = z
  .object({
    kind: z.enum(EQUIPMENT_KINDS),
    location: text(200).meta({ example: '三楼坐席区 A-12' }),
    purchasedAt: z.iso.date().meta({
      example: '2025-03-01',
      description: 'Not in the future (400 otherwise: a value compared with the day, which JSON Schema cannot state).',
    }),
    checkEveryDays: z
      .number()
      .int()
      .min(CHECK_EVERY_DAYS.min)
      .max(CHECK_EVERY_DAYS.max)
      .meta({ description: 'Days between two checks (点检周期).', example: 30 }),
    team: teamName
      .optional()
      .meta({ description: "Whose agents check it: default the registering manager's team; kept once registered." }),
  })
  .strict()
  .meta({ id: 'EquipmentRegistration' });

export const checkBody = z
  .object({
    result: z.enum(CHECK_RESULTS),
    note: text(1000).optional().meta({ description: 'What was found; with a fault, what is wrong.' }),
  })
  .strict()
  .meta({ id: 'EquipmentCheckRequest' });

export const repairDoneBody = z
  .object({ note: text(1000).optional().meta({ description: 'What was done (维修内容), or the new unit.' }) })
  .strict()
  .meta({ id: 'RepairDone' });

export const replacementBody = z
  .object({ reason: text(1000).meta({ description: 'Why the item is beyond repair.' }) })
  .strict()
  .meta({ id: 'ReplacementRequest' });

export const equipmentQuery = z
  .object({
    due: z.enum(['true', 'false']).optional().meta({
      description: 'true: only items whose check falls due by the end of today (Shanghai), overdue included.',
    }),
    team: teamName.optional().meta({ description: 'Agents and supervisors: their own team (the default).' }),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: assetId.optional().meta({ description: 'nextCursor of the previous page.' }),
  })
  .strict();

export const equipmentItem = z
  .object({
    assetId: z.string(),
    kind: z.enum(EQUIPMENT_KINDS),
    location: z.string(),
    purchasedAt: z.string().meta({ example: '2025-03-01' }),
    checkEveryDays: z.number().int(),
    team: z.string(),
    status: z.enum(EQUIPMENT_STATUSES),
    lastCheckedAt: instant.nullable(),
    nextCheckDueAt: instant.nullable().meta({ description: 'null while the item is out of service.' }),
    due: z.boolean().meta({ description: 'The check falls due by the end of today (Shanghai), or is overdue.' }),
    overdue: z.boolean(),
    openRepairId: z.string().nullable(),
    registeredAt: instant,
    updatedAt: instant,
  })
  .meta({ id: 'EquipmentItem' });

export const equipmentList = z
  .object({ items: z.array(equipmentItem), nextCursor: z.string().nullable() })
  .meta({ id: 'EquipmentRegister' });

const checkSchema = z.object({
  assetId: z.string(),
  n: z.number().int(),
  result: z.enum(CHECK_RESULTS),
  note: z.string().nullable(),
  checkedBy: z.string(),
  checkedAt: instant,
  repairId: z.string().nullable(),
});

const repairSummary = z.object({
  assetId: z.string(),
  repairId: z.string(),
  status: z.enum(REPAIR_STATUSES),
  fault: z.string().nullable(),
  openedBy: z.string(),
  openedAt: instant,
  outcome: z.enum(REPAIR_OUTCOMES).nullable(),
  replacementReason: z.string().nullable(),
  closedAt: instant.nullable(),
});

export const equipmentDetail = equipmentItem
  .extend({
    escalationLevel: z.number().int().min(0).max(2),
    clocks: z.array(clockSchema),
    checks: z.array(checkSchema).meta({ description: 'Newest first (the last 50).' }),
    repairs: z.array(repairSummary).meta({ description: 'The maintenance history (维修档案), newest first.' }),
  })
  .meta({ id: 'EquipmentDetail' });

export const repairSchema = z
  .object({
    id: z.string().meta({ example: 'RP-PC-0012-1' }),
    assetId: z.string(),
    status: z.enum(REPAIR_STATUSES),
    team: z.string(),
    escalationLevel: z.number().int().min(0).max(2),
    fault: z.string().nullable(),
    openedBy: z.string(),
    outcome: z.enum(REPAIR_OUTCOMES).nullable(),
    replacement: z.object({ reason: z.string(), by: z.string(), at: instant }).nullable(),
    doneNote: z.string().nullable(),
    closedAt: instant.nullable(),
    clocks: z.array(clockSchema),
    createdAt: instant,
    updatedAt: instant,
  })
  .meta({ id: 'Repair' });
