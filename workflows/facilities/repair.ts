/**
 * A repair record (维修档案), on paper: a check found a fault → the record opens with the
 * facilities.repair clock (3 working days), the manager told → repaired (done) closes it; or the
 * item is beyond repair → a replacement request to the manager with the facilities.replacement
 * clock (10 working days) → replaced (done) closes it. Each clock warns and escalates like a case's.
 * The item's own workflow is told of the request and of the close: it goes back into service then.
 */
import { condition, getExternalWorkflowHandle } from '@temporalio/workflow';
import { FACILITIES_CLOCKS, isRepairFinished } from '../../domain/facilities';
import { caseActivities } from '../shared/activities';
import { serveView, settleRun } from '../shared/case-run';
import { ClockKeeper } from '../shared/clocks';
import { caseSnapshot, Journal } from '../shared/journal';
import { repairSettled, equipmentWorkflowId } from './equipment-contract';
import { getRepair, repairOpened, type RepairInput, type RepairView } from './repair-contract';
import { registerRepairHandlers, type RepairContext, touched } from './repair-handlers';

export async function repairWorkflow(input: RepairInput): Promise<RepairView> {
  const state = { view: newRepairView(input), opened: false, seq: 0 };
  const view = state.view;
  const journal = new Journal(() => caseSnapshot(view, isRepairFinished(view.status)), caseActivities);
  const clocks = new ClockKeeper(view, journal, caseActivities);
  const ctx: RepairContext = { state, journal, clocks };

  serveView(state, getRepair, repairOpened);
  registerRepairHandlers(ctx);

  journal.record(input.openedBy.id, 'case.opened', {
    type: 'repair',
    assetId: input.assetId,
    kind: input.kind,
    check: input.checkN,
    team: input.team,
  });
  const [clock] = await clocks.start([FACILITIES_CLOCKS.repair], input.openedAt);
  journal.notify('opened', {
    channel: 'internal',
    template: 'facilities.repairOpened',
    recipient: { kind: 'role', role: 'manager' },
    params: { caseId: view.id, assetId: view.assetId, location: view.location, dueAt: clock?.dueAt ?? null },
  });
  await touched(ctx);
  state.opened = true;

  await condition(() => view.status !== 'open');
  if (view.status === 'replacement_requested') {
    await tellEquipment(ctx);
    await condition(() => isRepairFinished(view.status));
  }
  // The close goes to the item after the last handler: the record is final by then.
  await settleRun(state, journal, () => tellEquipment(ctx));
  return view;
}

/** The item waits on its repair: a signal, not a child's result, so the item may continue as new meanwhile. */
async function tellEquipment({ state, journal }: RepairContext): Promise<void> {
  const { view } = state;
  const status = view.status === 'replacement_requested' ? view.status : 'closed';
  try {
    await getExternalWorkflowHandle(equipmentWorkflowId(view.assetId)).signal(repairSettled, {
      repairId: view.id,
      status,
      outcome: view.outcome,
    });
  } catch {
    // The item's workflow is gone (terminated by hand): the record still closes, and says so.
    journal.record('system', 'equipment.unreachable', { assetId: view.assetId, status });
  }
}

function newRepairView(input: RepairInput): RepairView {
  return {
    id: input.repairId,
    type: 'repair',
    status: 'open',
    team: input.team,
    assignee: null,
    escalationLevel: 0,
    assetId: input.assetId,
    kind: input.kind,
    location: input.location,
    fault: input.fault,
    checkN: input.checkN,
    openedBy: input.openedBy.id,
    outcome: null,
    replacement: null,
    doneNote: null,
    closedAt: null,
    clocks: [],
    createdAt: input.openedAt,
    updatedAt: input.openedAt,
  };
}
