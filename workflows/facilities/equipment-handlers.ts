/**
 * An item's checks and register changes, and what the sweep and its repairs tell it. A check meets
 * the check clock and ends any escalation it caused (the overdue check is done); ok starts the next
 * clock, a fault takes the item out of service and opens a repair record (a workflow of its own). The
 * repair reports back by signal: a replacement request, then the close that puts the item back.
 */
import { ParentClosePolicy, setHandler, startChild } from '@temporalio/workflow';
import type { Actor } from '../../domain/case';
import {
  CHECK_RESULTS,
  equipmentActionAllowed,
  FACILITIES_CLOCKS,
  repairCaseId,
  type EquipmentAction,
} from '../../domain/facilities';
import { moveTo } from '../shared/case-context';
import { registerCaseHandlers } from '../shared/case-handlers';
import { REFUSAL } from '../shared/contract';
import { nowIso } from '../shared/journal';
import { refuse, requireRole, requireStatus } from '../shared/refuse';
import { facilitiesActivities } from './activities';
import * as equipment from './equipment-contract';
import { type EquipmentContext, startCheckClock, touched } from './equipment-context';
import { repairWorkflowId } from './repair-contract';
import { repairWorkflow } from './repair';

export function registerEquipmentHandlers(ctx: EquipmentContext): void {
  const { state, journal, clocks } = ctx;
  const view = state.view;
  const allow = (action: EquipmentAction) =>
    requireStatus(equipmentActionAllowed(view.status, action), view.status, action);

  setHandler(
    equipment.recordCheck,
    async ({ actor, result, note }) => {
      state.checking = true;
      try {
        const n = view.checks + 1;
        const at = nowIso();
        const repairId = result === 'fault' ? repairCaseId(view.assetId, view.repairs + 1) : null;
        const check = { n, result, note: note ?? null, by: actor.id, at, repairId };
        view.checks = n;
        view.lastCheck = check;
        clocks.meet(FACILITIES_CLOCKS.check, actor.id);
        journal.record(actor.id, 'equipment.checked', { check: n, result, repairId });
        view.escalationLevel = 0;
        if (repairId) {
          view.repairs += 1;
          view.openRepairId = repairId;
          moveTo(ctx, 'under_repair', actor.id, { repairId });
        }
        await facilitiesActivities.recordEquipmentCheck({
          assetId: view.assetId,
          checkedBy: actor.id,
          checkedAt: at,
          ...check,
        });
        if (repairId) await startRepair(ctx, repairId, check, actor);
        else await startCheckClock(ctx, at);
        return await touched(ctx);
      } finally {
        state.checking = false;
      }
    },
    {
      validator: ({ actor, result }) => {
        requireRole(actor, 'agent', 'checking equipment');
        allow('check');
        if (state.checking) refuse(REFUSAL.invalidState, 'another check of this item is being recorded');
        if (!CHECK_RESULTS.includes(result)) refuse(REFUSAL.invalidInput, `unknown check result ${result}`);
      },
    },
  );

  setHandler(
    equipment.updateRegistration,
    async ({ actor, kind, location, purchasedAt, checkEveryDays }) => {
      const next = { kind, location, purchasedAt, checkEveryDays };
      const changed = (Object.keys(next) as (keyof typeof next)[]).filter((field) => view[field] !== next[field]);
      // The same registration again (a retried PUT) changes nothing and writes nothing.
      if (changed.length === 0) return view;
      Object.assign(view, next);
      journal.record(actor.id, 'equipment.updated', { changed });
      const running = clocks.openClock(FACILITIES_CLOCKS.check);
      if (changed.includes('checkEveryDays') && running) {
        // The new interval counts from the same start: the last check, or the registration.
        clocks.cancel(FACILITIES_CLOCKS.check, actor.id);
        await startCheckClock(ctx, view.lastCheck?.at ?? view.createdAt);
      }
      return touched(ctx);
    },
    {
      validator: ({ actor }) => {
        requireRole(actor, 'manager', 'changing the register');
        allow('update');
      },
    },
  );

  setHandler(equipment.checkOpened, async ({ day, dueBy }) => {
    // Once a day, and only for an item that can be checked: the sweep may run again (catch-up, by hand).
    if (view.checkOpenedFor === day || !equipmentActionAllowed(view.status, 'check')) return;
    // The item's own clock decides, not the register row the sweep read: checked since, or just started.
    const due = clocks.openClock(FACILITIES_CLOCKS.check)?.dueAt;
    if (due === undefined || Date.parse(due) > Date.parse(dueBy)) return;
    view.checkOpenedFor = day;
    journal.record('system', 'check.opened', { day, dueAt: view.nextCheckDue });
    journal.notify(`check-due:${day}`, {
      channel: 'internal',
      template: 'facilities.checkDue',
      recipient: { kind: 'role', role: 'agent', team: view.team },
      params: { caseId: view.id, assetId: view.assetId, location: view.location, dueAt: view.nextCheckDue },
    });
    await touched(ctx);
  });

  setHandler(equipment.repairSettled, async ({ repairId, status, outcome }) => {
    if (repairId !== view.openRepairId) return;
    if (status === 'replacement_requested') {
      if (view.status === 'under_repair') moveTo(ctx, 'awaiting_replacement', 'system', { repairId });
      await touched(ctx);
      return;
    }
    view.openRepairId = null;
    moveTo(ctx, 'in_service', 'system', { repairId, outcome });
    // Back in service (repaired, or a new unit under the same tag): the check cycle starts again now.
    await startCheckClock(ctx, nowIso());
    await touched(ctx);
  });

  registerCaseHandlers({
    view,
    journal,
    clocks,
    allow: (action) => {
      if (action === 'assign') refuse(REFUSAL.invalidState, "an item is checked by its team's agents, not assigned");
      allow('note');
    },
    touched: () => touched(ctx),
  });
}

/** The repair record (维修档案) as its own workflow: its clocks and escalation are the repair's, not the item's. */
async function startRepair(
  ctx: EquipmentContext,
  repairId: string,
  check: equipment.EquipmentCheck,
  openedBy: Actor,
): Promise<void> {
  const { view } = ctx.state;
  // Abandoned, not terminated, with the item: the item continues as new while a repair runs.
  await startChild(repairWorkflow, {
    workflowId: repairWorkflowId(repairId),
    parentClosePolicy: ParentClosePolicy.ABANDON,
    args: [
      {
        repairId,
        assetId: view.assetId,
        team: view.team,
        kind: view.kind,
        location: view.location,
        fault: check.note,
        checkN: check.n,
        openedBy,
        openedAt: check.at,
      },
    ],
  });
}
