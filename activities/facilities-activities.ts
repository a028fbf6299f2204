/**
 * What the facilities workflows write besides the case projection: the register's state columns (the
 * `?due=true` list and the daily sweep read them), each check (点检记录) and each repair row (维修档案).
 * Every write is idempotent — checks by their number, state and repairs by their projection version —
 * so a retried or replayed activity changes nothing.
 */
import type { Kysely } from 'kysely';
import {
  type EquipmentCheckRecord,
  type EquipmentState,
  type RepairRecord,
  saveEquipmentCheck,
  saveEquipmentState,
  saveRepair,
} from '../db/repositories/facilities';
import type { Database } from '../db/schema';

export interface FacilitiesActivities {
  recordEquipmentState(state: EquipmentState): Promise<void>;
  recordEquipmentCheck(check: EquipmentCheckRecord): Promise<void>;
  recordRepair(repair: RepairRecord & { version: number }): Promise<void>;
}

export function createFacilitiesActivities({ db }: { db: Kysely<Database> }): FacilitiesActivities {
  return {
    recordEquipmentState: (state) => saveEquipmentState(db, state),
    recordEquipmentCheck: (check) => saveEquipmentCheck(db, check),
    recordRepair: (repair) => saveRepair(db, repair),
  };
}
