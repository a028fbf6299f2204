/**
 * An equipment item's public contract (设备点检: one registered item, its check cycle for life). The
 * API imports these objects, never raw names. No personal data: asset tags, staff ids, notes on faults.
 *
 * Updates refuse with an ApplicationFailure whose `type` is one of REFUSAL (shared contract):
 * `InvalidStateTransition` → 409, `ActionForbidden` → 403, `InvalidCaseInput` → 422. Besides these,
 * the item answers the shared `addNote` update and the `calendarChanged` signal.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor, EscalationLevel } from '../../domain/case';
import type { Clock } from '../../domain/clock';
import type { ClockPolicyName } from '../../domain/deadline-policies';
import {
  type CheckResult,
  equipmentCaseId,
  type EquipmentRegistration,
  type EquipmentStatus,
  type RepairOutcome,
} from '../../domain/facilities';
import { caseWorkflowId } from '../shared/contract';

export const equipmentWorkflowId = (assetId: string): string => caseWorkflowId('equipment', equipmentCaseId(assetId));

export interface EquipmentInput extends EquipmentRegistration {
  assetId: string;
  /** The registering manager's team: whose agents check the item. */
  team: string;
  registeredAt: string;
  /** The staff id of who registered it. */
  registeredBy: string;
}

export interface EquipmentCheck {
  n: number;
  result: CheckResult;
  note: string | null;
  by: string;
  at: string;
  /** The repair a fault opened. */
  repairId: string | null;
}

/** What the item's workflow knows; the register row and GET /facilities/equipment/{assetId} show it. */
export interface EquipmentView extends EquipmentRegistration {
  id: string;
  type: 'equipment';
  status: EquipmentStatus;
  team: string;
  /** Nobody in particular: the team's agents check the item. */
  assignee: string | null;
  escalationLevel: EscalationLevel;
  assetId: string;
  /** Checks recorded so far (the last one is `lastCheck`). */
  checks: number;
  lastCheck: EquipmentCheck | null;
  /** Repairs opened so far; the n-th is `RP-<assetId>-<n>`. */
  repairs: number;
  openRepairId: string | null;
  nextCheckDue: string | null;
  /** The Shanghai day the daily sweep last opened a check for (今日点检). */
  checkOpenedFor: string | null;
  /** The item's open clocks and its last few ended ones (older ones stay in the read model). */
  clocks: Clock[];
  clockRuns: Partial<Record<ClockPolicyName, number>>;
  createdAt: string;
  updatedAt: string;
}

/** `PUT /facilities/equipment/{assetId}` on a registered item — admin, manager+. */
export interface RegistrationInput extends EquipmentRegistration {
  actor: Actor;
}
/** `POST /facilities/equipment/{assetId}/checks` — agent+: ok, or a fault that opens a repair. */
export interface CheckInput {
  actor: Actor;
  result: CheckResult;
  note?: string;
}
/** From the daily sweep: the item's check falls due today (or is overdue). */
export interface CheckOpening {
  /** `YYYY-MM-DD`, Shanghai. */
  day: string;
  /** The end of that day: an item whose check falls due by then is opened. */
  dueBy: string;
}
/** From the repair's workflow: it asked for a replacement, or it closed. */
export interface RepairSettlement {
  repairId: string;
  status: 'replacement_requested' | 'closed';
  outcome: RepairOutcome | null;
}

export const updateRegistration = defineUpdate<EquipmentView, [RegistrationInput]>('updateRegistration');
export const recordCheck = defineUpdate<EquipmentView, [CheckInput]>('recordCheck');
export const getEquipment = defineQuery<EquipmentView>('getEquipment');
/** Completes once the item's first projection is in PostgreSQL. */
export const equipmentOpened = defineUpdate<EquipmentView, []>('equipmentOpened');
export const checkOpened = defineSignal<[CheckOpening]>('checkOpened');
export const repairSettled = defineSignal<[RepairSettlement]>('repairSettled');
