import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findEquipment,
  findRepair,
  listEquipment,
  listEquipmentChecks,
  listRepairs,
  migrateToLatest,
  saveEquipmentCheck,
  saveEquipmentRegistration,
  saveEquipmentState,
  saveRepair,
  type OpenedDatabase,
} from '../../db';
import { BACKENDS, uid } from './backends';

const assetTag = () => uid('PC').toUpperCase();

describe.each(BACKENDS)('equipment register on $name', (backend) => {
  let database: OpenedDatabase & { dispose(): Promise<void> };
  const db = () => database.db;

  beforeAll(async () => {
    database = await backend.open();
    await migrateToLatest(database.db);
  });
  afterAll(async () => {
    await database?.dispose();
  });

  const register = (assetId: string, over: { team?: string; checkEveryDays?: number } = {}) =>
    saveEquipmentRegistration(db(), {
      assetId,
      kind: 'computer',
      location: '3F 坐席 12',
      purchasedAt: '2025-06-01',
      checkEveryDays: over.checkEveryDays ?? 30,
      team: over.team ?? 'east',
      actor: 'm-1',
    });

  it('registers an item once, then updates it in place keeping its team', async () => {
    const assetId = assetTag();
    expect(await register(assetId)).toEqual({ created: true });
    expect(await register(assetId, { team: 'west', checkEveryDays: 7 })).toEqual({ created: false });
    const item = await findEquipment(db(), assetId);
    expect(item).toMatchObject({
      assetId,
      team: 'east',
      checkEveryDays: 7,
      purchasedAt: '2025-06-01',
      status: 'in_service',
    });
    expect(item?.nextCheckDue).toBeNull();
  });

  it('keeps the newest state the workflow wrote, and lists the due checks', async () => {
    const team = uid('team');
    const [due, later] = [assetTag(), assetTag()];
    await register(due, { team });
    await register(later, { team });
    const state = { status: 'in_service' as const, lastCheckedAt: null, openRepairId: null };
    await saveEquipmentState(db(), { ...state, assetId: due, nextCheckDue: '2026-12-02T10:00:00.000Z', version: 5 });
    await saveEquipmentState(db(), { ...state, assetId: due, nextCheckDue: '2027-01-01T10:00:00.000Z', version: 4 });
    await saveEquipmentState(db(), { ...state, assetId: later, nextCheckDue: '2026-12-20T10:00:00.000Z', version: 1 });
    expect((await findEquipment(db(), due))?.nextCheckDue).toBe('2026-12-02T10:00:00.000Z');
    const listed = await listEquipment(db(), { team, limit: 10, dueBy: new Date('2026-12-02T16:00:00Z') });
    expect(listed.map((e) => e.assetId)).toEqual([due]);
    expect(await listEquipment(db(), { team, limit: 10 })).toHaveLength(2);
  });

  it('writes a check once and keeps the maintenance history newest first', async () => {
    const assetId = assetTag();
    await register(assetId);
    const check = {
      assetId,
      n: 1,
      result: 'fault' as const,
      note: '屏幕闪烁',
      checkedBy: 'a-1',
      checkedAt: '2026-12-02T02:00:00.000Z',
      repairId: `RP-${assetId}-1`,
    };
    await saveEquipmentCheck(db(), check);
    await saveEquipmentCheck(db(), { ...check, note: 'a retry never overwrites' });
    expect(await listEquipmentChecks(db(), assetId)).toEqual([check]);
    const repair = {
      repairId: `RP-${assetId}-1`,
      assetId,
      status: 'open' as const,
      fault: '屏幕闪烁',
      openedBy: 'a-1',
      openedAt: '2026-12-02T02:00:00.000Z',
      outcome: null,
      replacementReason: null,
      closedAt: null,
    };
    await saveRepair(db(), { ...repair, version: 2 });
    await saveRepair(db(), {
      ...repair,
      status: 'closed',
      outcome: 'repaired',
      closedAt: '2026-12-03T02:00:00.000Z',
      version: 6,
    });
    await saveRepair(db(), { ...repair, version: 3 });
    expect(await findRepair(db(), repair.repairId)).toMatchObject({ status: 'closed', outcome: 'repaired' });
    expect(await listRepairs(db(), assetId)).toHaveLength(1);
  });
});
