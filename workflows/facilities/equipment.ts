/**
 * An equipment item (设备点检), on paper: registered → the first check falls due checkEveryDays
 * later (facilities.check) → each day the sweep opens the due checks and tells the team → an agent
 * checks it: ok starts the next interval; a fault takes it out of service and opens a repair record
 * → repaired, or replaced after a replacement request → back in service, next check from then. An
 * overdue check warns, breaches (the supervisor) and escalates to the manager a full interval later.
 * The item lives as long as it is registered: it continues as new when its history grows long.
 */
import { condition, continueAsNew } from '@temporalio/workflow';
import { FACILITIES_CLOCKS } from '../../domain/facilities';
import { caseActivities } from '../shared/activities';
import { historyTooLong, serveView, settleRun } from '../shared/case-run';
import { ClockKeeper } from '../shared/clocks';
import { caseSnapshot, Journal } from '../shared/journal';
import { equipmentOpened, getEquipment, type EquipmentInput, type EquipmentView } from './equipment-contract';
import {
  type EquipmentContext,
  type EquipmentState,
  newEquipmentState,
  startCheckClock,
  touched,
} from './equipment-context';
import { registerEquipmentHandlers } from './equipment-handlers';

export interface EquipmentResume {
  state: EquipmentState;
}

export async function equipmentWorkflow(input: EquipmentInput, resume?: EquipmentResume): Promise<EquipmentView> {
  const state = resume?.state ?? newEquipmentState(input);
  const view = state.view;
  // The item never closes: it is in service, under repair or awaiting its replacement.
  const journal = new Journal(() => caseSnapshot(view, false), caseActivities, state.seq);
  const clocks = new ClockKeeper(view, journal, caseActivities, {
    // A check clock recomputed on new calendar data keeps the item's interval.
    timesOf: (clock) => (clock.policy === FACILITIES_CLOCKS.check ? view.checkEveryDays : undefined),
  });
  const ctx: EquipmentContext = { state, journal, clocks };

  serveView(state, getEquipment, equipmentOpened);
  registerEquipmentHandlers(ctx);

  if (resume) clocks.resume();
  else await open(ctx, input);

  await condition(historyTooLong);
  await settleRun(state, journal);
  return continueAsNew<typeof equipmentWorkflow>(input, { state });
}

async function open(ctx: EquipmentContext, input: EquipmentInput): Promise<void> {
  const { state, journal } = ctx;
  journal.record(input.registeredBy, 'case.opened', {
    type: 'equipment',
    assetId: input.assetId,
    kind: input.kind,
    team: input.team,
    checkEveryDays: input.checkEveryDays,
  });
  await startCheckClock(ctx, input.registeredAt);
  await touched(ctx);
  state.opened = true;
}
