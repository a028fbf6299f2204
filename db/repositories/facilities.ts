/**
 * The equipment register, its checks and its maintenance history (维修档案). The registration is the
 * API's; the state columns, checks and repairs are written by the workflows' activities, each write
 * idempotent (checks by their sequence number, repairs and state by their projection version).
 */
import { sql } from 'kysely';
import type {
  CheckResult,
  EquipmentKind,
  EquipmentRegistration,
  EquipmentStatus,
  RepairOutcome,
  RepairStatus,
} from '../../domain/facilities';
import type { Executor } from './support';

export interface EquipmentRecord extends EquipmentRegistration {
  assetId: string;
  team: string;
  registeredBy: string;
  registeredAt: string;
  updatedAt: string;
  status: EquipmentStatus;
  lastCheckedAt: string | null;
  nextCheckDue: string | null;
  openRepairId: string | null;
}

export interface EquipmentCheckRecord {
  assetId: string;
  n: number;
  result: CheckResult;
  note: string | null;
  checkedBy: string;
  checkedAt: string;
  repairId: string | null;
}

export interface RepairRecord {
  repairId: string;
  assetId: string;
  status: RepairStatus;
  fault: string | null;
  openedBy: string;
  openedAt: string;
  outcome: RepairOutcome | null;
  replacementReason: string | null;
  closedAt: string | null;
}

const iso = (value: Date | string | null): string | null =>
  value === null ? null : (value instanceof Date ? value : new Date(value)).toISOString();

const EQUIPMENT_COLUMNS = [
  'asset_id',
  'kind',
  'location',
  sql<string>`to_char(purchased_at, 'YYYY-MM-DD')`.as('purchased_at'),
  'check_every_days',
  'team',
  'registered_by',
  'registered_at',
  'updated_at',
  'status',
  'last_checked_at',
  'next_check_due',
  'open_repair_id',
] as const;

interface EquipmentRow {
  asset_id: string;
  kind: string;
  location: string;
  purchased_at: string;
  check_every_days: number;
  team: string;
  registered_by: string;
  registered_at: Date;
  updated_at: Date;
  status: string;
  last_checked_at: Date | null;
  next_check_due: Date | null;
  open_repair_id: string | null;
}

function toEquipment(row: EquipmentRow): EquipmentRecord {
  return {
    assetId: row.asset_id,
    kind: row.kind as EquipmentKind,
    location: row.location,
    purchasedAt: row.purchased_at,
    checkEveryDays: row.check_every_days,
    team: row.team,
    registeredBy: row.registered_by,
    registeredAt: iso(row.registered_at) ?? '',
    updatedAt: iso(row.updated_at) ?? '',
    status: row.status as EquipmentStatus,
    lastCheckedAt: iso(row.last_checked_at),
    nextCheckDue: iso(row.next_check_due),
    openRepairId: row.open_repair_id,
  };
}

/**
 * Writes an item's registration (PUT). The team is the registering manager's on the first write and
 * kept afterwards. Returns whether the item is new.
 */
export async function saveEquipmentRegistration(
  db: Executor,
  registration: EquipmentRegistration & { assetId: string; team: string; actor: string },
): Promise<{ created: boolean }> {
  const row = await db
    .insertInto('equipment')
    .values({
      asset_id: registration.assetId,
      kind: registration.kind,
      location: registration.location,
      purchased_at: registration.purchasedAt,
      check_every_days: registration.checkEveryDays,
      team: registration.team,
      registered_by: registration.actor,
    })
    .onConflict((oc) =>
      oc.column('asset_id').doUpdateSet({
        kind: registration.kind,
        location: registration.location,
        purchased_at: registration.purchasedAt,
        check_every_days: registration.checkEveryDays,
        updated_at: sql`now()`,
      }),
    )
    // xmax = 0 only on a row this statement inserted.
    .returning(sql<boolean>`(xmax = 0)`.as('created'))
    .executeTakeFirstOrThrow();
  return { created: row.created };
}

export interface EquipmentState {
  assetId: string;
  status: EquipmentStatus;
  lastCheckedAt: string | null;
  nextCheckDue: string | null;
  openRepairId: string | null;
  version: number;
}

/** The workflow's view of the item; an older projection never overwrites a newer one. */
export async function saveEquipmentState(db: Executor, state: EquipmentState): Promise<void> {
  await db
    .updateTable('equipment')
    .set({
      status: state.status,
      last_checked_at: state.lastCheckedAt,
      next_check_due: state.nextCheckDue,
      open_repair_id: state.openRepairId,
      state_version: state.version,
      updated_at: sql`now()`,
    })
    .where('asset_id', '=', state.assetId)
    .where('state_version', '<=', state.version)
    .execute();
}

export async function saveEquipmentCheck(db: Executor, check: EquipmentCheckRecord): Promise<void> {
  await db
    .insertInto('equipment_checks')
    .values({
      asset_id: check.assetId,
      n: check.n,
      result: check.result,
      note: check.note,
      checked_by: check.checkedBy,
      checked_at: check.checkedAt,
      repair_id: check.repairId,
    })
    .onConflict((oc) => oc.columns(['asset_id', 'n']).doNothing())
    .execute();
}

export async function saveRepair(db: Executor, repair: RepairRecord & { version: number }): Promise<void> {
  const values = {
    status: repair.status,
    fault: repair.fault,
    outcome: repair.outcome,
    replacement_reason: repair.replacementReason,
    closed_at: repair.closedAt,
    version: repair.version,
    updated_at: new Date(),
  };
  await db
    .insertInto('equipment_repairs')
    .values({
      repair_id: repair.repairId,
      asset_id: repair.assetId,
      opened_by: repair.openedBy,
      opened_at: repair.openedAt,
      ...values,
    })
    .onConflict((oc) =>
      oc.column('repair_id').doUpdateSet(values).where('equipment_repairs.version', '<=', repair.version),
    )
    .execute();
}

export async function findEquipment(db: Executor, assetId: string): Promise<EquipmentRecord | undefined> {
  const row = await db
    .selectFrom('equipment')
    .select(EQUIPMENT_COLUMNS)
    .where('asset_id', '=', assetId)
    .executeTakeFirst();
  return row ? toEquipment(row) : undefined;
}

export interface EquipmentFilter {
  /** Only items whose next check falls due at or before this instant (the day's checks, and overdue ones). */
  dueBy?: Date;
  team?: string;
  limit: number;
  /** The last asset id of the previous page. */
  after?: string;
}

/** The register in asset-id order (keyset paging); with `dueBy`, only the items due by then. */
export async function listEquipment(db: Executor, filter: EquipmentFilter): Promise<EquipmentRecord[]> {
  let query = db.selectFrom('equipment').select(EQUIPMENT_COLUMNS);
  if (filter.team !== undefined) query = query.where('team', '=', filter.team);
  if (filter.after !== undefined) query = query.where('asset_id', '>', filter.after);
  if (filter.dueBy !== undefined) query = query.where('next_check_due', '<=', filter.dueBy);
  const rows = await query.orderBy('asset_id').limit(filter.limit).execute();
  return rows.map((row) => toEquipment(row));
}

/** The newest checks first. */
export async function listEquipmentChecks(db: Executor, assetId: string, limit = 50): Promise<EquipmentCheckRecord[]> {
  const rows = await db
    .selectFrom('equipment_checks')
    .selectAll()
    .where('asset_id', '=', assetId)
    .orderBy('n', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    assetId: row.asset_id,
    n: row.n,
    result: row.result as CheckResult,
    note: row.note,
    checkedBy: row.checked_by,
    checkedAt: iso(row.checked_at) ?? '',
    repairId: row.repair_id,
  }));
}

/** The maintenance history (维修档案), newest first. */
export async function listRepairs(db: Executor, assetId: string): Promise<RepairRecord[]> {
  const rows = await db
    .selectFrom('equipment_repairs')
    .selectAll()
    .where('asset_id', '=', assetId)
    .orderBy('opened_at', 'desc')
    .execute();
  return rows.map(toRepair);
}

export async function findRepair(db: Executor, repairId: string): Promise<RepairRecord | undefined> {
  const row = await db.selectFrom('equipment_repairs').selectAll().where('repair_id', '=', repairId).executeTakeFirst();
  return row ? toRepair(row) : undefined;
}

function toRepair(row: {
  repair_id: string;
  asset_id: string;
  status: string;
  fault: string | null;
  opened_by: string;
  opened_at: Date;
  outcome: string | null;
  replacement_reason: string | null;
  closed_at: Date | null;
}): RepairRecord {
  return {
    repairId: row.repair_id,
    assetId: row.asset_id,
    status: row.status as RepairStatus,
    fault: row.fault,
    openedBy: row.opened_by,
    openedAt: iso(row.opened_at) ?? '',
    outcome: row.outcome as RepairOutcome | null,
    replacementReason: row.replacement_reason,
    closedAt: iso(row.closed_at),
  };
}

/**
 * One page of the daily sweep (今日点检), in asset-id order: items in service whose check falls due
 * by `dueBy`, and items in service with no check clock written yet (a registration whose
 * workflow never started: the sweep starts it).
 */
export async function listCheckSweepPage(
  db: Executor,
  page: { dueBy: Date; after?: string; limit: number },
): Promise<EquipmentRecord[]> {
  let query = db
    .selectFrom('equipment')
    .select(EQUIPMENT_COLUMNS)
    .where('status', '=', 'in_service')
    .where((eb) => eb.or([eb('next_check_due', '<=', page.dueBy), eb('next_check_due', 'is', null)]));
  if (page.after !== undefined) query = query.where('asset_id', '>', page.after);
  const rows = await query.orderBy('asset_id').limit(page.limit).execute();
  return rows.map((row) => toEquipment(row));
}
