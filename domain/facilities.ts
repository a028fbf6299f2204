/**
 * Facilities (设施, rulebook 六): the equipment register, the periodic check (点检) of each item and
 * the repair record (维修档案) a fault opens. Pure: the workflows' validators, the API's 409s and the
 * register's "due" filter ask the same rules.
 *
 * An item's check clock is the `facilities.check` policy counted `checkEveryDays` times: the policy
 * holds one day's span (P1D, calendar days), so an override of PT2S makes every "day" two seconds
 * for a quick look, and the register's intervals keep their proportions.
 */
import { shanghaiDate, shanghaiInstant, addDays } from './civil-time';
import { parseDuration, type DurationParts } from './duration';

export const EQUIPMENT_KINDS = [
  'computer',
  'telephone',
  'headset',
  'printer',
  'copier',
  'fax',
  'network',
  'projector',
  'air_conditioner',
  'fire_safety',
  'other',
] as const;
export type EquipmentKind = (typeof EQUIPMENT_KINDS)[number];

/** The department's own asset tag, e.g. `PC-0012` (upper case, digits, hyphens). */
export const ASSET_ID_PATTERN = /^[A-Z0-9][A-Z0-9-]{1,31}$/;
export const CHECK_EVERY_DAYS = { min: 1, max: 366 } as const;

/**
 * Case ids of the records: prefixed, so an asset tag can never be mistaken for (or collide with) a
 * customer's case number or another record in the shared read model.
 */
export const equipmentCaseId = (assetId: string): string => `EQ-${assetId}`;
/** The asset's n-th repair (1, 2, …): readable on the phone, deterministic inside the workflow. */
export const repairCaseId = (assetId: string, n: number): string => `RP-${assetId}-${n}`;
export const REPAIR_ID_PATTERN = /^RP-[A-Z0-9][A-Z0-9-]{1,31}-[1-9]\d{0,5}$/;

export const FACILITIES_CLOCKS = {
  /** The next check (点检) of an item, from its last check or its registration. */
  check: 'facilities.check',
  /** A fault reported: repaired, or declared beyond repair, within this. */
  repair: 'facilities.repair',
  /** Beyond repair: the manager has the item replaced within this. */
  replacement: 'facilities.replacement',
} as const;

export const CHECK_RESULTS = ['ok', 'fault'] as const;
export type CheckResult = (typeof CHECK_RESULTS)[number];

/** An item is in service, out of service while a repair is open, or waiting for its replacement. */
export const EQUIPMENT_STATUSES = ['in_service', 'under_repair', 'awaiting_replacement'] as const;
export type EquipmentStatus = (typeof EQUIPMENT_STATUSES)[number];
export type EquipmentAction = 'update' | 'check' | 'replacement' | 'note';

const EQUIPMENT_ACTIONS: Record<EquipmentStatus, readonly EquipmentAction[]> = {
  // A fault found at a check opens a repair: no further check until the item is back in service.
  in_service: ['update', 'check', 'note'],
  under_repair: ['update', 'replacement', 'note'],
  awaiting_replacement: ['update', 'note'],
};

export function equipmentActionAllowed(status: EquipmentStatus, action: EquipmentAction): boolean {
  return EQUIPMENT_ACTIONS[status].includes(action);
}

/** DOMAIN.md: repair 维修 `open` → `repaired` / `replacement_requested` → `closed`. */
export const REPAIR_STATUSES = ['open', 'repaired', 'replacement_requested', 'closed'] as const;
export type RepairStatus = (typeof REPAIR_STATUSES)[number];
export const REPAIR_OUTCOMES = ['repaired', 'replaced'] as const;
export type RepairOutcome = (typeof REPAIR_OUTCOMES)[number];
export type RepairAction = 'done' | 'replacement' | 'note';

const REPAIR_TRANSITIONS: Record<RepairStatus, Partial<Record<RepairAction, RepairStatus>>> = {
  open: { done: 'repaired', replacement: 'replacement_requested', note: 'open' },
  // Repaired closes at once (the item is back in service); the status is kept as a step on the timeline.
  repaired: { note: 'repaired' },
  replacement_requested: { done: 'closed', note: 'replacement_requested' },
  closed: {},
};

export function repairActionAllowed(status: RepairStatus, action: RepairAction): boolean {
  return REPAIR_TRANSITIONS[status][action] !== undefined;
}

/** The outcome `done` records in a status: repaired from `open`, replaced once a replacement was asked for. */
export function repairOutcomeFor(status: RepairStatus): RepairOutcome | null {
  if (status === 'open') return 'repaired';
  if (status === 'replacement_requested') return 'replaced';
  return null;
}

export function isRepairFinished(status: RepairStatus): boolean {
  return status === 'closed';
}

/**
 * The span of an item's check clock: the policy's one-day span counted `checkEveryDays` times, in
 * the policy's own units (P1D × 30 = P30D; PT2S × 30 = PT60S).
 */
export function checkInterval(policyDuration: string, checkEveryDays: number): string {
  return scaleDuration(parseDuration(policyDuration), checkEveryDays);
}

export function scaleDuration({ days, hours, minutes, seconds }: DurationParts, times: number): string {
  if (!Number.isInteger(times) || times < 1) throw new RangeError(`cannot count a duration ${times} times`);
  const d = days * times;
  const h = hours * times;
  const m = minutes * times;
  // Fractions of a second keep three decimals (the clock's millisecond precision).
  const s = Math.round(seconds * times * 1000) / 1000;
  const time = `${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s ? `${s}S` : ''}`;
  const text = `P${d ? `${d}D` : ''}${time ? `T${time}` : ''}`;
  return text === 'P' ? 'PT0S' : text;
}

/**
 * Whether an item's check is due for the day (今日点检): its next check falls due by the end of the
 * current Shanghai day, or is already overdue. A check clock counts whole calendar days, so "by the
 * end of day D" is the instant D+1 00:00 itself: that check is D's, not tomorrow's. The register's
 * `?due=true` and the daily sweep that opens the checks use this one rule.
 */
export function isCheckDue(nextCheckDue: string | null, now: Date): boolean {
  if (nextCheckDue === null) return false;
  return Date.parse(nextCheckDue) <= checkDayEnd(now).getTime();
}

/** The end of the Shanghai day `now` falls in: the horizon of the day's checks. */
export function checkDayEnd(now: Date): Date {
  return shanghaiInstant(addDays(shanghaiDate(now), 1));
}

/** What a register entry says (PUT /facilities/equipment/{assetId}); validated at the edge. */
export interface EquipmentRegistration {
  kind: EquipmentKind;
  location: string;
  /** `YYYY-MM-DD`. */
  purchasedAt: string;
  checkEveryDays: number;
}

/** A problem with a registration the schema cannot see (a purchase date after today). */
export function registrationProblem(registration: EquipmentRegistration, now: Date): string | null {
  if (!registration.location.trim()) return 'location must name where the item is';
  if (registration.purchasedAt > shanghaiDate(now)) return 'purchasedAt must not be in the future';
  return null;
}
