/**
 * The manager's two moves on a repair: done (repaired, or replaced once a replacement was asked for)
 * and the replacement request (beyond repair). Validators are synchronous and ask domain/facilities.ts;
 * handlers change the status before their first await.
 */
import { setHandler } from '@temporalio/workflow';
import {
  FACILITIES_CLOCKS,
  repairActionAllowed,
  repairOutcomeFor,
  type RepairAction,
  type RepairStatus,
} from '../../domain/facilities';
import { type CaseContext, moveTo, touched as touchCase } from '../shared/case-context';
import { registerCaseHandlers } from '../shared/case-handlers';
import { REFUSAL } from '../shared/contract';
import { nowIso } from '../shared/journal';
import { refuse, requireRole, requireStatus } from '../shared/refuse';
import { facilitiesActivities } from './activities';
import { completeRepair, requestReplacement, type RepairView } from './repair-contract';

export interface RepairContext extends CaseContext<RepairView> {
  state: { view: RepairView; opened: boolean; seq: number };
}

/** The case projection, then the repair's row in the maintenance history. */
export async function touched(ctx: RepairContext): Promise<RepairView> {
  const view = await touchCase(ctx);
  await facilitiesActivities.recordRepair({
    repairId: view.id,
    assetId: view.assetId,
    status: view.status,
    fault: view.fault,
    openedBy: view.openedBy,
    openedAt: view.createdAt,
    outcome: view.outcome,
    replacementReason: view.replacement?.reason ?? null,
    closedAt: view.closedAt,
    version: ctx.journal.seq,
  });
  return view;
}

export function registerRepairHandlers(ctx: RepairContext): void {
  const { state, journal, clocks } = ctx;
  const view = state.view;
  const allow = (action: RepairAction) => requireStatus(repairActionAllowed(view.status, action), view.status, action);
  const move = (to: RepairStatus, actor: string, detail: Record<string, unknown> = {}) =>
    moveTo(ctx, to, actor, detail);

  setHandler(
    completeRepair,
    async ({ actor, note }) => {
      const outcome = repairOutcomeFor(view.status);
      view.outcome = outcome;
      view.doneNote = note ?? null;
      view.closedAt = nowIso();
      if (outcome === 'repaired') {
        clocks.meet(FACILITIES_CLOCKS.repair, actor.id);
        // Repaired closes at once: the item is back in service, the step stays on the timeline.
        move('repaired', actor.id, { outcome });
      } else {
        clocks.meet(FACILITIES_CLOCKS.replacement, actor.id);
      }
      move('closed', outcome === 'repaired' ? 'system' : actor.id, { outcome });
      return touched(ctx);
    },
    {
      validator: ({ actor }) => {
        requireRole(actor, 'manager', 'closing a repair');
        allow('done');
      },
    },
  );

  setHandler(
    requestReplacement,
    async ({ actor, reason }) => {
      // Declaring the item beyond repair is the repair clock's answer, in time or late.
      clocks.meet(FACILITIES_CLOCKS.repair, actor.id);
      view.replacement = { reason, by: actor.id, at: nowIso() };
      move('replacement_requested', actor.id, { reason });
      const [clock] = await clocks.start([FACILITIES_CLOCKS.replacement]);
      journal.notify('replacement', {
        channel: 'internal',
        template: 'facilities.replacement',
        recipient: { kind: 'role', role: 'manager' },
        params: { caseId: view.id, assetId: view.assetId, location: view.location, dueAt: clock?.dueAt ?? null },
      });
      return touched(ctx);
    },
    {
      validator: ({ actor, reason }) => {
        requireRole(actor, 'manager', 'asking for a replacement');
        allow('replacement');
        if (!reason.trim()) refuse(REFUSAL.invalidInput, 'a replacement request needs a reason');
      },
    },
  );

  registerCaseHandlers({
    view,
    journal,
    clocks,
    // The repair belongs to the manager's desk, not to a person: it is never reassigned.
    allow: (action) => {
      if (action === 'assign') refuse(REFUSAL.invalidState, 'a repair record is not reassigned');
      allow('note');
    },
    touched: () => touched(ctx),
  });
}
