/**
 * Every patch of the case workflows, and the one that stands for all of them. Each `patched(id)` a
 * new run reaches writes a marker and a `TemporalChangeVersion` upsert to its history (two events,
 * and a visibility write on the server): a claim's opening alone reached two, and later patches
 * added more over the case's life. A run recorded with BASELINE has every patch listed here, so
 * it asks Temporal once and records one marker; runs recorded before it have no BASELINE marker,
 * find it absent on replay and ask for each patch as they always did, marker by marker.
 *
 * The baseline is decided at the run's first question and kept for the run: asked first while
 * replaying a run recorded before it, it is absent, and the run goes on asking patch by patch even
 * past its replay, as that code did. A patch added after the baseline is asked for on its own (not
 * listed in IMPLIED) until a newer baseline lists it.
 */
// eslint-disable-next-line no-restricted-imports -- the one module that asks Temporal for patches
import { patched } from '@temporalio/workflow';

/** A run recorded with this marker keeps every patch in IMPLIED without a marker of its own. */
export const BASELINE = 'case-baseline-2026-12';

/**
 * Cases recorded before this patch ended a breached clock as `cancelled` when their case cancelled it
 * (erasing the breach), and a breached clock met late kept running; they replay that way.
 */
export const BREACH_SURVIVES_END = 'breach-survives-end';
/** Cases recorded before this patch moved a resumed (or recomputed) clock by the wall-clock time it was paused. */
export const PAUSE_IN_WORKING_TIME = 'pause-in-working-time';
/**
 * Cases recorded before this patch ran a watcher per clock, each on its own timer (three timers for a
 * newly opened claim), and waited for their other instants (reminders) on timers of their own; they
 * replay that way for their whole run. Newer runs keep one timer per case.
 */
export const ONE_TIMER_PER_CASE = 'one-timer-per-case';
/**
 * An inquiry's consultations and its quality-review window waited on timers of their own beside the
 * one timer in runs recorded before this patch (the claim's reminders were on it from the start).
 */
export const INQUIRY_INSTANTS_ON_ONE_TIMER = 'inquiry-instants-on-one-timer';
/**
 * Cases recorded before this patch took one step per clock at a wake-up, and a step due at once after
 * it (a breach right after a warning put off to the due instant) on the next timer, about a second
 * late; they replay that way.
 */
export const STEPS_DUE_TOGETHER = 'steps-due-together';
/**
 * Projections of a run go out one after another (histories recorded before this may hold two in
 * flight at once): the first one after a rebuild supersedes a failed task's writes, which must not
 * take a later projection of the same run with them.
 */
export const ONE_PROJECTION_AT_A_TIME = 'journal-one-projection-at-a-time';
/** Claims paid before surveys were recorded in PostgreSQL sent the survey as a plain notification. */
export const CLAIM_SURVEY_ROW = 'claim-survey-row';
/** Receipts arriving before the claim is open are kept (they were ignored, and the statutory clock breached). */
export const CLAIM_EARLY_RECEIPT_KEPT = 'claim-early-receipt-kept';
/**
 * Kept only while the clock is not open yet: a receipt arriving while the opening's own projection
 * (the one writing the notice to the outbox) was still completing was kept after open() had looked
 * for it, and lost.
 */
export const CLAIM_RECEIPT_MET_ONCE_CLOCK_OPEN = 'claim-receipt-met-once-clock-open';
/** Answer receipts arriving before the answer clock is open are kept (they met nothing, and the clock breached). */
export const INQUIRY_EARLY_RECEIPT_KEPT = 'inquiry-early-receipt-kept';
/**
 * Proposals made before this patch sent their notice without asking for a receipt and met
 * complaint.decision only on the customer's acceptance; they replay (and keep running) that way.
 */
export const DECISION_MET_ON_DELIVERY = 'complaint-decision-met-on-delivery';

/** The patches BASELINE stands for: every one above, all older than it. */
const IMPLIED: ReadonlySet<string> = new Set([
  BREACH_SURVIVES_END,
  PAUSE_IN_WORKING_TIME,
  ONE_TIMER_PER_CASE,
  INQUIRY_INSTANTS_ON_ONE_TIMER,
  STEPS_DUE_TOGETHER,
  ONE_PROJECTION_AT_A_TIME,
  CLAIM_SURVEY_ROW,
  CLAIM_EARLY_RECEIPT_KEPT,
  CLAIM_RECEIPT_MET_ONCE_CLOCK_OPEN,
  INQUIRY_EARLY_RECEIPT_KEPT,
  DECISION_MET_ON_DELIVERY,
]);

/** One run's answers: `has(id)` where the code said `patched(id)`. One instance per run, never shared. */
export class Patches {
  private baseline: boolean | undefined;

  has(id: string): boolean {
    if (IMPLIED.has(id) && this.hasBaseline()) return true;
    return patched(id);
  }

  private hasBaseline(): boolean {
    if (this.baseline === undefined) this.baseline = patched(BASELINE);
    return this.baseline;
  }
}
