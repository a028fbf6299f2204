/**
 * A repair record's public contract (维修档案: one fault found at a check, until the item is repaired
 * or replaced). Refusals as in the equipment contract; the record also answers `addNote`.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor, EscalationLevel } from '../../domain/case';
import type { Clock } from '../../domain/clock';
import type { EquipmentKind, RepairOutcome, RepairStatus } from '../../domain/facilities';
import { caseWorkflowId } from '../shared/contract';

export const repairWorkflowId = (repairId: string): string => caseWorkflowId('repair', repairId);

export interface RepairInput {
  repairId: string;
  assetId: string;
  team: string;
  kind: EquipmentKind;
  location: string;
  /** The check's note: what is wrong. */
  fault: string | null;
  /** The check that found the fault. */
  checkN: number;
  openedBy: Actor;
  openedAt: string;
}

export interface RepairView {
  id: string;
  type: 'repair';
  status: RepairStatus;
  team: string;
  assignee: string | null;
  escalationLevel: EscalationLevel;
  assetId: string;
  kind: EquipmentKind;
  location: string;
  fault: string | null;
  checkN: number;
  openedBy: string;
  outcome: RepairOutcome | null;
  replacement: { reason: string; by: string; at: string } | null;
  doneNote: string | null;
  closedAt: string | null;
  clocks: Clock[];
  createdAt: string;
  updatedAt: string;
}

/** `POST /facilities/repairs/{id}/done` — manager+: repaired (from open) or replaced (once requested). */
export interface RepairDoneInput {
  actor: Actor;
  note?: string;
}
/** `POST /facilities/equipment/{assetId}/replacement` — manager+: the item is beyond repair. */
export interface ReplacementInput {
  actor: Actor;
  reason: string;
}

export const completeRepair = defineUpdate<RepairView, [RepairDoneInput]>('completeRepair');
export const requestReplacement = defineUpdate<RepairView, [ReplacementInput]>('requestReplacement');
export const getRepair = defineQuery<RepairView>('getRepair');
/** Completes once the record's first projection is in PostgreSQL. */
export const repairOpened = defineUpdate<RepairView, []>('repairOpened');
