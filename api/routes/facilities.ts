/**
 * Facilities (设施). Managers keep the equipment register (PUT, idempotent: the same registration
 * again changes nothing); agents check the items of their team (ok, or a fault that opens a repair
 * record, 维修档案); managers close repairs and ask for replacements of items beyond repair. Each
 * item is a workflow (its check cycle), each repair another; both are department records, read only
 * through these routes. Agents and supervisors see their own team's items, managers and admins all.
 */
import { WithStartWorkflowOperation } from '@temporalio/client';
import {
  type EquipmentRecord,
  findEquipment,
  findRepair,
  listEquipment,
  listEquipmentChecks,
  listRepairs,
  saveEquipmentRegistration,
} from '../../db/repositories/facilities';
import { getCaseRow } from '../../db/repositories/case-reads';
import {
  checkDayEnd,
  equipmentActionAllowed,
  equipmentCaseId,
  isCheckDue,
  registrationProblem,
} from '../../domain/facilities';
import * as equipment from '../../workflows/facilities/equipment-contract';
import { equipmentWorkflow } from '../../workflows/facilities/equipment';
import * as repair from '../../workflows/facilities/repair-contract';
import { TASK_QUEUE } from '../../workflows/shared/contract';
import { actorOf, inScope, scopeTeam, type Principal } from '../auth';
import { updateExistingCase } from '../case-access';
import type { AppContext } from '../context';
import { problems } from '../errors';
import type { ApiRoutes } from '../routing';
import {
  assetParams,
  checkBody,
  equipmentBody,
  equipmentDetail,
  equipmentList,
  equipmentQuery,
  repairDoneBody,
  repairParams,
  repairSchema,
  replacementBody,
} from '../schemas/facilities';
import { renderTimes } from '../time';

const ANYONE_ON_THE_FLOOR = ['agent', 'supervisor', 'manager', 'admin'] as const;

export function registerFacilitiesRoutes(routes: ApiRoutes, ctx: AppContext): void {
  const { db, temporal, now } = ctx;

  /** The item, if the caller may see it (another team's item is answered like a missing one). */
  async function itemOf(principal: Principal, assetId: string): Promise<EquipmentRecord> {
    const item = await findEquipment(db, assetId);
    if (!item || !inScope(principal, item.team)) throw problems.notFound('No equipment with this asset tag.');
    return item;
  }

  async function detailOf(item: EquipmentRecord) {
    const [row, checks, repairs] = await Promise.all([
      getCaseRow(db, equipmentCaseId(item.assetId)),
      listEquipmentChecks(db, item.assetId),
      listRepairs(db, item.assetId),
    ]);
    return renderTimes({
      ...present(item, now()),
      escalationLevel: row?.escalationLevel ?? 0,
      // The open check clock and the last few ended ones, as the item's last projection wrote them.
      clocks: (row?.data as Partial<equipment.EquipmentView> | undefined)?.clocks ?? [],
      checks,
      repairs,
    });
  }

  routes.add(
    {
      method: 'put',
      path: '/facilities/equipment/{assetId}',
      tag: 'Facilities',
      summary: 'Register an item or change its registration (设备台账): kind, location, purchase date, check interval',
      description:
        "Creates the item's check cycle on the first write (201): its first check falls due `checkEveryDays` later (facilities.check). The same registration again is 200 and changes nothing; a new interval counts from the last check. The item belongs to the registering manager's team (or `team`), kept afterwards.",
      access: 'manager',
      params: assetParams,
      body: equipmentBody,
      responses: {
        200: { description: 'Updated (or unchanged)', schema: equipmentDetail },
        201: { description: 'Registered', schema: equipmentDetail, headers: { Location: 'The item' } },
      },
      problems: [403],
    },
    async ({ principal, params: { assetId }, body }) => {
      const problem = registrationProblem(body, now());
      if (problem) throw problems.validation([{ path: problem.split(' ')[0] ?? '', message: problem }]);
      const existing = await findEquipment(db, assetId);
      const team = existing?.team ?? body.team ?? principal.team;
      if (team === undefined)
        throw problems.validation([{ path: 'team', message: 'Required for an admin without a team.' }]);
      const { team: _team, ...registration } = body;
      const actor = actorOf(principal);
      const { created } = await saveEquipmentRegistration(db, { ...registration, assetId, team, actor: actor.id });
      const input: equipment.EquipmentInput = {
        ...registration,
        assetId,
        team,
        registeredAt: (existing?.registeredAt ? new Date(existing.registeredAt) : now()).toISOString(),
        registeredBy: actor.id,
      };
      // Started with the registration written, and joined when it already runs: a PUT retried after a
      // lost answer (or one whose first start failed) ends in the same single workflow.
      await temporal.workflow.executeUpdateWithStart(equipment.equipmentOpened, {
        startWorkflowOperation: new WithStartWorkflowOperation(equipmentWorkflow, {
          workflowId: equipment.equipmentWorkflowId(assetId),
          taskQueue: TASK_QUEUE,
          args: [input],
          workflowIdConflictPolicy: 'USE_EXISTING',
        }),
      });
      if (!created) {
        await temporal.workflow
          .getHandle(equipment.equipmentWorkflowId(assetId))
          .executeUpdate(equipment.updateRegistration, { args: [{ ...registration, actor }] });
      }
      const item = await findEquipment(db, assetId);
      if (!item) throw new Error(`equipment ${assetId} vanished`);
      return {
        status: created ? 201 : 200,
        body: await detailOf(item),
        ...(created ? { headers: { Location: `/api/v1/facilities/equipment/${assetId}` } } : {}),
      };
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/facilities/equipment',
      tag: 'Facilities',
      summary: 'The equipment register; `due=true`: the checks due today (今日点检), overdue ones included',
      description: "Agents and supervisors see their team's items; asking for another team is 404. In asset-tag order.",
      access: ANYONE_ON_THE_FLOOR,
      query: equipmentQuery,
      responses: { 200: { description: 'Register entries', schema: equipmentList } },
      problems: [403, 404],
    },
    async ({ principal, query }) => {
      const own = scopeTeam(principal);
      if (own !== undefined && query.team !== undefined && query.team !== own) throw problems.notFound();
      const team = own ?? query.team;
      const at = now();
      const items = await listEquipment(db, {
        limit: query.limit,
        ...(team === undefined ? {} : { team }),
        ...(query.cursor === undefined ? {} : { after: query.cursor }),
        ...(query.due === 'true' ? { dueBy: checkDayEnd(at) } : {}),
      });
      const nextCursor = items.length === query.limit ? (items.at(-1)?.assetId ?? null) : null;
      return { status: 200, body: renderTimes({ items: items.map((item) => present(item, at)), nextCursor }) };
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/facilities/equipment/{assetId}',
      tag: 'Facilities',
      summary: 'One item: registration, status, next check due, its checks and its maintenance history (维修档案)',
      access: ANYONE_ON_THE_FLOOR,
      params: assetParams,
      responses: { 200: { description: 'The item', schema: equipmentDetail } },
      problems: [403, 404],
    },
    async ({ principal, params: { assetId } }) => ({
      status: 200,
      body: await detailOf(await itemOf(principal, assetId)),
    }),
  );

  routes.add(
    {
      method: 'post',
      path: '/facilities/equipment/{assetId}/checks',
      tag: 'Facilities',
      summary: 'Record a check (点检): ok starts the next interval, a fault opens a repair record',
      description:
        'A fault takes the item out of service and opens `RP-<assetId>-<n>` with facilities.repair (3 working days), the manager told. An item under repair or awaiting its replacement takes no check (409).',
      access: ANYONE_ON_THE_FLOOR,
      params: assetParams,
      body: checkBody,
      idempotent: true,
      responses: {
        201: { description: 'The item after the check', schema: equipmentDetail, headers: { Location: 'The item' } },
      },
      problems: [403, 404, 409],
    },
    async ({ principal, params: { assetId }, body, updateId }) => {
      const item = await itemOf(principal, assetId);
      const row = await getCaseRow(db, equipmentCaseId(assetId));
      if (!row) throw problems.conflict('The item is still being registered; retry shortly.', 1);
      const view = await updateExistingCase(row, () =>
        temporal.workflow.getHandle(equipment.equipmentWorkflowId(assetId)).executeUpdate(equipment.recordCheck, {
          args: [{ actor: actorOf(principal), result: body.result, ...(body.note ? { note: body.note } : {}) }],
          updateId,
        }),
      );
      // The repair runs in its own workflow: answer once its record is written, so the history shows it.
      if (body.result === 'fault' && view.openRepairId)
        await temporal.workflow
          .getHandle(repair.repairWorkflowId(view.openRepairId))
          .executeUpdate(repair.repairOpened);
      return {
        status: 201,
        body: await detailOf((await findEquipment(db, assetId)) ?? item),
        headers: { Location: `/api/v1/facilities/equipment/${assetId}` },
      };
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/facilities/repairs/{id}/done',
      tag: 'Facilities',
      summary: 'The repair is done: repaired (from open), or the item replaced (once a replacement was asked for)',
      description:
        'Closes the record; the item goes back into service and its next check falls due `checkEveryDays` from now. A closed repair is 409.',
      access: 'manager',
      params: repairParams,
      body: repairDoneBody,
      idempotent: true,
      responses: { 200: { description: 'The repair record', schema: repairSchema } },
      problems: [403, 404, 409],
    },
    async ({ principal, params: { id }, body, updateId }) => {
      const record = await findRepair(db, id);
      const row = record ? await getCaseRow(db, id) : undefined;
      if (!record || !row || !inScope(principal, row.team)) throw problems.notFound('No repair with this id.');
      const view = await updateExistingCase(row, () =>
        temporal.workflow.getHandle(repair.repairWorkflowId(id)).executeUpdate(repair.completeRepair, {
          args: [{ actor: actorOf(principal), ...(body.note ? { note: body.note } : {}) }],
          updateId,
        }),
      );
      return { status: 200, body: renderTimes(presentRepair(view)) };
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/facilities/equipment/{assetId}/replacement',
      tag: 'Facilities',
      summary: 'The item is beyond repair: its open repair becomes a replacement request to the manager',
      description:
        'facilities.replacement (10 working days) starts; `POST /facilities/repairs/{id}/done` closes it once the item is replaced. An item without an open repair, or whose replacement was already asked for, is 409.',
      access: 'manager',
      params: assetParams,
      body: replacementBody,
      idempotent: true,
      responses: { 200: { description: 'The repair record', schema: repairSchema } },
      problems: [403, 404, 409],
    },
    async ({ principal, params: { assetId }, body, updateId }) => {
      await itemOf(principal, assetId);
      // The workflow's own view, not the register row: the status the validators will see.
      const item = await temporal.workflow
        .getHandle(equipment.equipmentWorkflowId(assetId))
        .query(equipment.getEquipment);
      if (!equipmentActionAllowed(item.status, 'replacement') || !item.openRepairId)
        throw problems.conflict(`A replacement is asked for an item under repair; this one is ${item.status}.`);
      const row = await getCaseRow(db, item.openRepairId);
      if (!row) throw problems.conflict('The repair record is still being opened; retry shortly.', 1);
      const repairId = item.openRepairId;
      const view = await updateExistingCase(row, () =>
        temporal.workflow.getHandle(repair.repairWorkflowId(repairId)).executeUpdate(repair.requestReplacement, {
          args: [{ actor: actorOf(principal), reason: body.reason }],
          updateId,
        }),
      );
      return { status: 200, body: renderTimes(presentRepair(view)) };
    },
  );
}

function present(item: EquipmentRecord, at: Date) {
  return {
    assetId: item.assetId,
    kind: item.kind,
    location: item.location,
    purchasedAt: item.purchasedAt,
    checkEveryDays: item.checkEveryDays,
    team: item.team,
    status: item.status,
    lastCheckedAt: item.lastCheckedAt,
    nextCheckDueAt: item.nextCheckDue,
    due: isCheckDue(item.nextCheckDue, at),
    overdue: item.nextCheckDue !== null && Date.parse(item.nextCheckDue) < at.getTime(),
    openRepairId: item.openRepairId,
    registeredAt: item.registeredAt,
    updatedAt: item.updatedAt,
  };
}

function presentRepair(view: repair.RepairView) {
  return {
    id: view.id,
    assetId: view.assetId,
    status: view.status,
    team: view.team,
    escalationLevel: view.escalationLevel,
    fault: view.fault,
    openedBy: view.openedBy,
    outcome: view.outcome,
    replacement: view.replacement,
    doneNote: view.doneNote,
    closedAt: view.closedAt,
    clocks: view.clocks,
    createdAt: view.createdAt,
    updatedAt: view.updatedAt,
  };
}
