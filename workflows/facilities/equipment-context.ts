/** What the equipment item's handlers and main flow share, and its write after every change. */
import { isClockOpen } from '../../domain/clock';
import { equipmentCaseId, FACILITIES_CLOCKS } from '../../domain/facilities';
import { type CaseContext, touched as touchCase } from '../shared/case-context';
import { facilitiesActivities } from './activities';
import type { EquipmentInput, EquipmentView } from './equipment-contract';

export interface EquipmentState {
  view: EquipmentView;
  seq: number;
  opened: boolean;
  /** A check is being written: a second one waits for it (two would start two check clocks). */
  checking: boolean;
}

export interface EquipmentContext extends CaseContext<EquipmentView> {
  state: EquipmentState;
}

/** Ended clocks an item keeps in view; a check every day would otherwise grow it by one a day, for years. */
const ENDED_CLOCKS_KEPT = 5;

/** The case projection, then the register's state columns (the due list reads them). */
export async function touched(ctx: EquipmentContext): Promise<EquipmentView> {
  const { view } = ctx.state;
  view.nextCheckDue = ctx.clocks.openClock(FACILITIES_CLOCKS.check)?.dueAt ?? null;
  await touchCase(ctx);
  // Written in their final state just now: the read model keeps them, the view lets them go.
  const ended = view.clocks.filter((c) => !isClockOpen(c));
  const dropped = new Set(ended.slice(0, Math.max(0, ended.length - ENDED_CLOCKS_KEPT)).map((c) => c.id));
  if (dropped.size) view.clocks = view.clocks.filter((c) => !dropped.has(c.id));
  await facilitiesActivities.recordEquipmentState({
    assetId: view.assetId,
    status: view.status,
    lastCheckedAt: view.lastCheck?.at ?? null,
    nextCheckDue: view.nextCheckDue,
    openRepairId: view.openRepairId,
    version: ctx.journal.seq,
  });
  return view;
}

/** The next check (点检) falls due checkEveryDays after `from` (the last check, the registration, the repair). */
export async function startCheckClock(ctx: EquipmentContext, from: string): Promise<void> {
  await ctx.clocks.startCounted(FACILITIES_CLOCKS.check, ctx.state.view.checkEveryDays, from);
}

export function newEquipmentState(input: EquipmentInput): EquipmentState {
  return {
    seq: 0,
    opened: false,
    checking: false,
    view: {
      id: equipmentCaseId(input.assetId),
      type: 'equipment',
      status: 'in_service',
      team: input.team,
      assignee: null,
      escalationLevel: 0,
      assetId: input.assetId,
      kind: input.kind,
      location: input.location,
      purchasedAt: input.purchasedAt,
      checkEveryDays: input.checkEveryDays,
      checks: 0,
      lastCheck: null,
      repairs: 0,
      openRepairId: null,
      nextCheckDue: null,
      checkOpenedFor: null,
      clocks: [],
      clockRuns: {},
      createdAt: input.registeredAt,
      updatedAt: input.registeredAt,
    },
  };
}
