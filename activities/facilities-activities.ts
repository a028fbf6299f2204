/**
 * What the facilities workflows write besides the case projection: the register's state columns (the
 * `?due=true` list and the daily sweep read them), each check (点检记录) and each repair row (维修档案).
 * Every write is idempotent — checks by their number, state and repairs by their projection version —
 * so a retried or replayed activity changes nothing.
 */
import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import {
  type EquipmentCheckRecord,
  listCheckSweepPage,
  type EquipmentState,
  type RepairRecord,
  saveEquipmentCheck,
  saveEquipmentState,
  saveRepair,
} from '../db/repositories/facilities';
import type { Database } from '../db/schema';
import { checkOpened, equipmentWorkflowId } from '../workflows/facilities/equipment-contract';
import { equipmentWorkflow } from '../workflows/facilities/equipment';
import type { CheckSweepPage, CheckSweepPageResult } from '../workflows/facilities/check-sweep';

export interface FacilitiesActivities {
  recordEquipmentState(state: EquipmentState): Promise<void>;
  recordEquipmentCheck(check: EquipmentCheckRecord): Promise<void>;
  recordRepair(repair: RepairRecord & { version: number }): Promise<void>;
}

export interface FacilitiesSweepActivities {
  /**
   * One page of the daily sweep: each item due today hears that its check is open (and an item whose
   * workflow never started is started by the same call). Signals are idempotent per day in the item.
   */
  openDueChecks(page: CheckSweepPage): Promise<CheckSweepPageResult>;
}

export interface FacilitiesActivityDeps {
  db: Kysely<Database>;
  temporal: Client;
  taskQueue: string;
}

export function createFacilitiesActivities({
  db,
  temporal,
  taskQueue,
}: FacilitiesActivityDeps): FacilitiesActivities & FacilitiesSweepActivities {
  return {
    async openDueChecks({ day, dueBy, after, limit }) {
      const items = await listCheckSweepPage(db, {
        dueBy: new Date(dueBy),
        limit,
        ...(after ? { after } : {}),
      });
      for (const item of items) {
        await temporal.workflow.signalWithStart(equipmentWorkflow, {
          workflowId: equipmentWorkflowId(item.assetId),
          taskQueue,
          signal: checkOpened,
          signalArgs: [{ day, dueBy }],
          args: [
            {
              assetId: item.assetId,
              team: item.team,
              kind: item.kind,
              location: item.location,
              purchasedAt: item.purchasedAt,
              checkEveryDays: item.checkEveryDays,
              registeredAt: item.registeredAt,
              registeredBy: item.registeredBy,
            },
          ],
        });
      }
      const last = items.length === limit ? items.at(-1)?.assetId : undefined;
      return { opened: items.length, cursor: last ?? null };
    },
    recordEquipmentState: (state) => saveEquipmentState(db, state),
    recordEquipmentCheck: (check) => saveEquipmentCheck(db, check),
    recordRepair: (repair) => saveRepair(db, repair),
  };
}
