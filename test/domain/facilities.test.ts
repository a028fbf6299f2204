import { describe, expect, it } from 'vitest';
import { WorkCalendar } from '../../domain/calendar';
import { scheduleClock } from '../../domain/deadline';
import { DeadlinePolicyTable } from '../../domain/deadline-policies';
import {
  ASSET_ID_PATTERN,
  checkDayEnd,
  checkInterval,
  equipmentActionAllowed,
  equipmentCaseId,
  EQUIPMENT_STATUSES,
  FACILITIES_CLOCKS,
  isCheckDue,
  registrationProblem,
  repairActionAllowed,
  repairCaseId,
  REPAIR_ID_PATTERN,
  repairOutcomeFor,
  REPAIR_STATUSES,
} from '../../domain/facilities';

describe('facilities rules', () => {
  it('counts the check policy checkEveryDays times, in the policy’s own units', () => {
    expect(checkInterval('P1D', 30)).toBe('P30D');
    expect(checkInterval('PT2S', 30)).toBe('PT60S');
    expect(checkInterval('PT1.5S', 3)).toBe('PT4.5S');
    expect(checkInterval('P1DT2H', 2)).toBe('P2DT4H');
    expect(() => checkInterval('P1D', 0)).toThrow(RangeError);
  });

  it('puts the next check due at the end of the Nth calendar day, moved off a rest day', () => {
    const policy = new DeadlinePolicyTable().clock(FACILITIES_CLOCKS.check);
    expect(policy.basis).toMatch(/六\(二\)1/);
    const calendar = new WorkCalendar();
    const counted = { ...policy, duration: checkInterval(policy.duration, 7) };
    // Registered on Wednesday 2026-12-02 10:00 Shanghai: seven days end at 24:00 on Wednesday 12-09.
    const schedule = scheduleClock(counted, new Date('2026-12-02T02:00:00Z'), calendar);
    expect(schedule.dueAt).toBe('2026-12-09T16:00:00.000Z');
    // Four days would end on Sunday 12-06: the check falls due on Monday 12-07 instead.
    const weekend = scheduleClock(
      { ...policy, duration: checkInterval(policy.duration, 4) },
      new Date('2026-12-02T02:00:00Z'),
      calendar,
    );
    expect(weekend.dueAt).toBe('2026-12-07T16:00:00.000Z');
  });

  it('names the repair policies (not in DOMAIN.md) with their basis', () => {
    const table = new DeadlinePolicyTable();
    for (const name of [FACILITIES_CLOCKS.repair, FACILITIES_CLOCKS.replacement]) {
      expect(table.clock(name).basis).toMatch(/department rule/);
      expect(table.clock(name).kind).toBe('internal');
    }
  });

  it('checks only an item in service; a replacement only while a repair is open', () => {
    expect(equipmentActionAllowed('in_service', 'check')).toBe(true);
    expect(equipmentActionAllowed('under_repair', 'check')).toBe(false);
    expect(equipmentActionAllowed('awaiting_replacement', 'check')).toBe(false);
    expect(equipmentActionAllowed('under_repair', 'replacement')).toBe(true);
    expect(equipmentActionAllowed('in_service', 'replacement')).toBe(false);
    for (const status of EQUIPMENT_STATUSES) expect(equipmentActionAllowed(status, 'update')).toBe(true);
  });

  it('runs a repair open → repaired or replacement_requested → closed, and nothing after closed', () => {
    expect(repairActionAllowed('open', 'done')).toBe(true);
    expect(repairActionAllowed('open', 'replacement')).toBe(true);
    expect(repairActionAllowed('replacement_requested', 'done')).toBe(true);
    expect(repairActionAllowed('replacement_requested', 'replacement')).toBe(false);
    expect(repairOutcomeFor('open')).toBe('repaired');
    expect(repairOutcomeFor('replacement_requested')).toBe('replaced');
    expect(repairOutcomeFor('closed')).toBeNull();
    for (const action of ['done', 'replacement', 'note'] as const)
      expect(repairActionAllowed('closed', action)).toBe(false);
    expect(REPAIR_STATUSES).toEqual(['open', 'repaired', 'replacement_requested', 'closed']);
  });

  it('lists as due the checks falling due before the end of the Shanghai day, and the overdue ones', () => {
    const now = new Date('2026-12-02T15:30:00Z'); // 23:30 Shanghai
    expect(checkDayEnd(now).toISOString()).toBe('2026-12-02T16:00:00.000Z');
    expect(isCheckDue('2026-12-02T15:59:59.000Z', now)).toBe(true);
    expect(isCheckDue('2026-11-20T00:00:00.000Z', now)).toBe(true);
    // Due by the end of today: the clock's instant is midnight itself (whole calendar days).
    expect(isCheckDue('2026-12-02T16:00:00.000Z', now)).toBe(true);
    expect(isCheckDue('2026-12-02T16:00:00.001Z', now)).toBe(false);
    expect(isCheckDue(null, now)).toBe(false);
  });

  it('keeps asset tags apart from case numbers, and repair ids readable', () => {
    expect(ASSET_ID_PATTERN.test('PC-0012')).toBe(true);
    expect(ASSET_ID_PATTERN.test('pc-12')).toBe(false);
    expect(ASSET_ID_PATTERN.test('P')).toBe(false);
    expect(equipmentCaseId('PC-0012')).toBe('EQ-PC-0012');
    expect(repairCaseId('PC-0012', 3)).toBe('RP-PC-0012-3');
    expect(REPAIR_ID_PATTERN.test('RP-PC-0012-3')).toBe(true);
    expect(REPAIR_ID_PATTERN.test('RP-PC-0012-0')).toBe(false);
  });

  it('refuses a registration without a location or bought in the future', () => {
    const now = new Date('2026-12-02T02:00:00Z');
    const ok = { kind: 'computer' as const, location: '3F 坐席 12', purchasedAt: '2025-06-01', checkEveryDays: 30 };
    expect(registrationProblem(ok, now)).toBeNull();
    expect(registrationProblem({ ...ok, location: ' ' }, now)).toMatch(/location/);
    expect(registrationProblem({ ...ok, purchasedAt: '2026-12-03' }, now)).toMatch(/future/);
  });
});
