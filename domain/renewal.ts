/**
 * The renewal (续保) rules: statuses and the actions each allows, the reminder ladder before expiry,
 * quiet hours (outreach only inside `renewal.outreachHours`, Asia/Shanghai) and the call window
 * (`renewal.callWindow`: not before 40 days before expiry, at most N unanswered calls a day).
 * Pure: the workflow's validators, the activities and the API ask the same functions.
 */
import { addDays, shanghaiDate, shanghaiInstant, shanghaiMinuteOfDay } from './civil-time';
import { durationToMillis } from './duration';
import type { CallWindowPolicy, RenewalRemindersPolicy } from './deadline-policies';

export const RENEWAL_STATUSES = ['scheduled', 'contacted', 'renewed', 'declined', 'lapsed', 'opted_out'] as const;
export type RenewalStatus = (typeof RENEWAL_STATUSES)[number];

export const TERMINAL_RENEWAL_STATUSES: readonly RenewalStatus[] = ['renewed', 'declined', 'lapsed', 'opted_out'];

export type RenewalAction = 'contact' | 'renewed' | 'optOut' | 'assign' | 'note';

const OPEN: readonly RenewalStatus[] = ['scheduled', 'contacted'];

/** Which statuses allow which action. Anything not listed is refused (HTTP 409). */
const RENEWAL_ACTIONS: Record<RenewalAction, readonly RenewalStatus[]> = {
  contact: OPEN,
  renewed: OPEN,
  optOut: OPEN,
  assign: OPEN,
  note: RENEWAL_STATUSES,
};

export function renewalActionAllowed(status: RenewalStatus, action: RenewalAction): boolean {
  return RENEWAL_ACTIONS[action].includes(status);
}

export function isRenewalFinished(status: RenewalStatus): boolean {
  return TERMINAL_RENEWAL_STATUSES.includes(status);
}

export const CONTACT_CHANNELS = ['phone', 'sms', 'email'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];
export const CONTACT_OUTCOMES = ['reached', 'no_answer', 'interested', 'declined', 'callback'] as const;
export type ContactOutcome = (typeof CONTACT_OUTCOMES)[number];

/** Where a contact outcome takes the case; `null`: the status stays. */
export function statusAfterContact(status: RenewalStatus, outcome: ContactOutcome): RenewalStatus | null {
  if (outcome === 'declined') return 'declined';
  if (outcome === 'no_answer') return null;
  return status === 'scheduled' ? 'contacted' : null;
}

/** Policy numbers as the core system issues them; they become workflow ids, so no ':' and no personal data. */
export const POLICY_NO_PATTERN = /^[A-Z0-9][A-Z0-9-]{3,39}$/;

/** `20261201`: the expiry's civil date in Asia/Shanghai, as it appears in the renewal's id. */
function expiryDateKey(expiresAt: string | Date): string {
  return shanghaiDate(new Date(expiresAt)).replaceAll('-', '');
}

/** The renewal case of one policy term: `<policyNo>-<yyyymmdd>` (the workflow id adds `renewal-`). */
export function renewalCaseId(policyNo: string, expiresAt: string | Date): string {
  return `${policyNo}-${expiryDateKey(expiresAt)}`;
}

// ---- quiet hours ---------------------------------------------------------------------------------

export interface OutreachHours {
  start: string;
  end: string;
}

const minutesOf = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
};

function isInsideOutreachHours(instant: Date, hours: OutreachHours): boolean {
  const start = minutesOf(hours.start);
  const end = minutesOf(hours.end);
  const minute = shanghaiMinuteOfDay(instant);
  if (start === end) return false;
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

/** The instant itself when outreach is allowed then, else the next opening (a reminder due at 21:00 goes out at 08:00). */
export function nextOutreachMoment(instant: Date, hours: OutreachHours): Date {
  if (isInsideOutreachHours(instant, hours)) return instant;
  const start = minutesOf(hours.start);
  if (start === minutesOf(hours.end)) throw new RangeError('renewal.outreachHours is an empty window');
  const today = shanghaiDate(instant);
  const opening = shanghaiInstant(today, start);
  return opening.getTime() > instant.getTime() ? opening : shanghaiInstant(addDays(today, 1), start);
}

// ---- the reminder ladder -------------------------------------------------------------------------

export type ReminderChannel = 'sms' | 'email';
/**
 * `scheduled` waits for its instant; `sent` was queued to the outbox; `skipped` fell due before the
 * case opened or after expiry; `suppressed` the number is on the do-not-contact list; `cancelled`
 * the case ended first.
 */
export type ReminderState = 'scheduled' | 'sent' | 'skipped' | 'suppressed' | 'cancelled';

export interface Reminder {
  /** The `renewal.reminders` offset it stands for (`P30D`). */
  offset: string;
  channel: ReminderChannel;
  /** When it goes out: the offset before expiry, moved to the next moment inside outreach hours. */
  dueAt: string;
  state: ReminderState;
  sentAt?: string;
}

/**
 * The ladder for one policy term. Offsets already past when the case opens are skipped, except the
 * latest of them, which goes out at the first allowed moment: a policy swept late still gets one
 * reminder, never a burst of stale ones. A reminder that quiet hours would push past expiry is skipped.
 */
export function planReminders(
  expiresAt: Date,
  openedAt: Date,
  policy: Pick<RenewalRemindersPolicy, 'offsets' | 'channels'>,
  hours: OutreachHours,
): Reminder[] {
  const expiry = expiresAt.getTime();
  const offsets = [...new Set(policy.offsets)].sort((a, b) => durationToMillis(b) - durationToMillis(a));
  const nominal = offsets.map((offset) => ({ offset, at: expiry - durationToMillis(offset) }));
  const missed = nominal.filter((n) => n.at < openedAt.getTime());
  const catchUp = missed.at(-1);
  return nominal.flatMap(({ offset, at }) => {
    const isMissed = at < openedAt.getTime();
    const due = nextOutreachMoment(new Date(isMissed ? openedAt.getTime() : at), hours);
    const skipped = (isMissed && offset !== catchUp?.offset) || due.getTime() >= expiry;
    return policy.channels.map((channel): Reminder => ({
      offset,
      channel,
      dueAt: due.toISOString(),
      state: skipped ? 'skipped' : 'scheduled',
    }));
  });
}

/** The reminders that fall due next (one instant, every channel), or none. */
export function nextReminders(reminders: readonly Reminder[]): Reminder[] {
  const pending = reminders.filter((r) => r.state === 'scheduled');
  const first = pending.map((r) => r.dueAt).sort()[0];
  return first === undefined ? [] : pending.filter((r) => r.dueAt === first);
}

// ---- the call window -----------------------------------------------------------------------------

export interface CallWindow {
  /** Calls may start here: `earliestBeforeExpiry` before expiry (or the opening), inside outreach hours. */
  opensAt: string;
  maxUnansweredPerDay: number;
}

export function planCallWindow(
  expiresAt: Date,
  openedAt: Date,
  policy: Pick<CallWindowPolicy, 'earliestBeforeExpiry' | 'maxUnansweredPerDay'>,
  hours: OutreachHours,
): CallWindow {
  const earliest = Math.max(expiresAt.getTime() - durationToMillis(policy.earliestBeforeExpiry), openedAt.getTime());
  return {
    opensAt: nextOutreachMoment(new Date(earliest), hours).toISOString(),
    maxUnansweredPerDay: policy.maxUnansweredPerDay,
  };
}

export interface ContactAttempt {
  at: string;
  channel: ContactChannel;
  outcome: ContactOutcome;
}

/** Unanswered phone calls on the Shanghai day of `now`. */
function unansweredCallsOn(calls: readonly ContactAttempt[], now: Date): number {
  const day = shanghaiDate(now);
  return calls.filter((c) => c.channel === 'phone' && c.outcome === 'no_answer' && shanghaiDate(new Date(c.at)) === day)
    .length;
}

/**
 * Why a phone attempt may not be recorded now, or null: before the call window, outside outreach
 * hours, to a number on the do-not-contact list, or one unanswered call too many today.
 */
export function callRefusal(
  attempt: { outcome: ContactOutcome },
  now: Date,
  window: CallWindow,
  hours: OutreachHours,
  calls: readonly ContactAttempt[],
  doNotContact: boolean,
): string | null {
  if (doNotContact) return 'the number is on the do-not-contact list';
  if (now.getTime() < Date.parse(window.opensAt)) return `renewal calls may start at ${window.opensAt}`;
  if (!isInsideOutreachHours(now, hours))
    return `renewal calls only between ${hours.start} and ${hours.end} (Asia/Shanghai)`;
  if (attempt.outcome === 'no_answer' && unansweredCallsOn(calls, now) >= window.maxUnansweredPerDay) {
    return `at most ${window.maxUnansweredPerDay} unanswered calls a day; try again tomorrow`;
  }
  return null;
}

/** Money in CNY with at most 2 decimals. */
export function isMoney(value: number): boolean {
  return Number.isFinite(value) && value >= 0 && Math.abs(Math.round(value * 100) - value * 100) < 1e-6;
}
