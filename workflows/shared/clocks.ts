/**
 * Runs a case's clocks: each open clock warns at `warnAt`, breaches at `dueAt` and escalates once more
 * a full span later (agent → supervisor → manager). The case keeps one timer for all of them (and for
 * its other instants, `sleepUntil`): it sleeps until the next clock event of any clock
 * (`nextClockEventAt`), acts on whatever is due then, and sleeps again; any change to the clocks
 * moves the timer. Runs recorded before that kept a watcher, with its own timer, per clock. Both read
 * only the case state, so after continue-as-new `resume()` picks every clock up where it stood.
 */
import { condition } from '@temporalio/workflow';
import type { CaseActivities } from '../../activities/types';
import type { EscalationLevel, NotificationRequest } from '../../domain/case';
import {
  type Clock,
  type ClockSchedule,
  clockFromSchedule,
  clocksDueBy,
  clockTouchesDays,
  endClock,
  ESCALATION_LADDER,
  escalationLevelAfter,
  extendClock,
  isClockOpen,
  movePausedClock,
  nextClockEventAt,
  nextStepAt,
  pauseClock,
  resumeClock,
  resumeClockByWallTime,
} from '../../domain/clock';
import type { ClockPolicyName } from '../../domain/deadline-policies';
import { type Journal, nowIso } from './journal';
import { BREACH_SURVIVES_END, ONE_TIMER_PER_CASE, PAUSE_IN_WORKING_TIME, STEPS_DUE_TOGETHER } from './patches';

/** The part of a case's state the clocks read and change. */
export interface ClockedCase {
  id: string;
  team: string;
  assignee: string | null;
  escalationLevel: EscalationLevel;
  clocks: Clock[];
  updatedAt: string;
  /**
   * Clocks started per policy, for a case that drops its ended clocks from view (an equipment item
   * checked for years): the next clock's number keeps counting, so a clock id is never used twice.
   */
  clockRuns?: Partial<Record<ClockPolicyName, number>>;
}

export interface ClockHooks {
  /** Case-specific work at a warning (e.g. a task to pay the determinable part of a claim). */
  onWarned?: (clock: Clock) => void;
  /**
   * A warned clock reached its due instant. The case may end the clock here itself (e.g. a survey's
   * answer window that closes the case rather than breaching); a clock left open breaches as usual.
   */
  onDue?: (clock: Clock) => void;
  /**
   * The policy a provisional clock is computed again with when calendar data arrives; default its
   * own. A clock moved by an extension is recomputed with the extended policy (complaint decisions).
   */
  recomputeWith?: (clock: Clock) => ClockPolicyName;
  /** How many times the policy's span counts for this clock (an item's checkEveryDays); default once. */
  timesOf?: (clock: Clock) => number | undefined;
  /**
   * Who is warned as the clock nears its end; default the team's supervisor. A clock the supervisor
   * (or HR) must meet warns that person instead.
   */
  warnRecipient?: (clock: Clock) => NotificationRequest['recipient'];
  /**
   * The clock's breach goes straight to the manager (level 2): the one who is late is the
   * supervisor, or HR, so warning them again as the first step up would climb nowhere.
   */
  breachGoesToManager?: (clock: Clock) => boolean;
}

export class ClockKeeper {
  constructor(
    private readonly kase: ClockedCase,
    private readonly journal: Journal,
    private readonly activities: Pick<CaseActivities, 'scheduleClocks' | 'shiftResumedClocks'>,
    private readonly hooks: ClockHooks = {},
  ) {}

  /** Resumed clocks whose instants the calendar is still moving: their watchers wait for the new ones. */
  private readonly moving = new Set<string>();

  /**
   * Whether this run keeps one timer for the case (ONE_TIMER_PER_CASE), decided at the keeper's first
   * use and kept for the run: a run recorded with a watcher per clock goes on with watchers even past
   * its replay, and never mixes them with the one timer.
   */
  private oneTimer: boolean | undefined;

  /** The case's other instants waiting on its one timer (`sleepUntil`); each is marked when its time comes. */
  private readonly alarms: { at: number; rang: boolean }[] = [];

  private keepsOneTimer(): boolean {
    if (this.oneTimer === undefined) {
      this.oneTimer = this.journal.patches.has(ONE_TIMER_PER_CASE);
      if (this.oneTimer) void this.keepTime();
    }
    return this.oneTimer;
  }

  /** Starts clocks for the given policies at `startedAt` (one activity call for all of them). */
  async start(policies: ClockPolicyName[], startedAt = nowIso()): Promise<Clock[]> {
    return this.adopt(await this.activities.scheduleClocks(policies.map((policy) => ({ policy, startedAt }))));
  }

  /** Starts one clock whose policy's span counts `times` over (an item's check every N days). */
  async startCounted(policy: ClockPolicyName, times: number, startedAt = nowIso()): Promise<Clock | undefined> {
    const [clock] = this.adopt(await this.activities.scheduleClocks([{ policy, startedAt, times }]));
    return clock;
  }

  /** Starts clocks whose instants were already computed. */
  adopt(schedules: ClockSchedule[]): Clock[] {
    const oneTimer = this.keepsOneTimer();
    return schedules.map((schedule) => {
      const kept = this.kase.clocks.filter((c) => c.policy === schedule.policy).length;
      const runs = Math.max(kept, this.kase.clockRuns?.[schedule.policy] ?? 0);
      if (this.kase.clockRuns) this.kase.clockRuns[schedule.policy] = runs + 1;
      const clock = clockFromSchedule(`${schedule.policy}#${runs + 1}`, schedule);
      this.kase.clocks.push(clock);
      this.journal.record('system', 'clock.started', {
        clock: clock.id,
        policy: clock.policy,
        kind: clock.kind,
        dueAt: clock.dueAt,
        provisional: clock.provisional,
      });
      if (!oneTimer) this.watch(clock.id);
      return clock;
    });
  }

  /** Ends the open clocks of a policy as met (a breached clock stays breached). */
  meet(policy: ClockPolicyName, actor = 'system'): void {
    this.end((c) => c.policy === policy, 'met', actor);
  }

  /** Ends one clock by id as met: for a policy that runs several clocks at once (consultations). */
  meetClock(id: string, actor = 'system'): void {
    this.end((c) => c.id === id, 'met', actor);
  }

  cancel(policy: ClockPolicyName, actor = 'system'): void {
    this.end((c) => c.policy === policy, 'cancelled', actor);
  }

  cancelAll(actor = 'system'): void {
    this.end(() => true, 'cancelled', actor);
  }

  /** Pauses the open internal clocks of a policy (the case waits on the customer). */
  pause(policy: ClockPolicyName, actor = 'system'): void {
    this.update(policy, (clock, at) => pauseClock(clock, at), 'clock.paused', actor);
  }

  /** Resumes the paused clocks of a policy, moved on by the working time they were paused. */
  resumePaused(policy: ClockPolicyName, actor = 'system'): Promise<void> {
    return this.resumeWhere((c) => c.policy === policy, actor);
  }

  /** Resumes every paused clock of the case (the customer has answered). */
  resumeAllPaused(actor = 'system'): Promise<void> {
    return this.resumeWhere(() => true, actor);
  }

  private async resumeWhere(match: (c: Clock) => boolean, actor: string): Promise<void> {
    const paused = this.kase.clocks.filter((c) => match(c) && c.state === 'paused' && isClockOpen(c));
    if (paused.length === 0) return;
    if (!this.journal.patches.has(PAUSE_IN_WORKING_TIME)) {
      for (const policy of new Set(paused.map((c) => c.policy)))
        this.update(policy, (clock, at) => resumeClockByWallTime(clock, at), 'clock.resumed', actor);
      return;
    }
    const at = nowIso();
    // Running again at once, so that a new pause meanwhile is a pause; watched again once moved.
    for (const clock of paused) {
      this.moving.add(clock.id);
      this.replace(resumeClock(clock));
    }
    try {
      const shifts = await this.activities.shiftResumedClocks(
        paused.map((c) => ({
          policy: c.policy,
          mode: c.mode,
          dueAt: c.dueAt,
          warnAt: c.warnAt,
          pausedAt: c.pausedAt ?? at,
          resumedAt: at,
        })),
      );
      paused.forEach((old, i) => {
        const shift = shifts[i];
        const current = this.kase.clocks.find((c) => c.id === old.id);
        if (!shift || !current || !isClockOpen(current)) return;
        const next = movePausedClock(current, shift);
        this.replace(next);
        this.journal.record(actor, 'clock.resumed', {
          clock: old.id,
          policy: old.policy,
          state: next.state,
          dueAt: next.dueAt,
          pausedMs: shift.pausedMs,
        });
      });
    } finally {
      for (const clock of paused) this.moving.delete(clock.id);
    }
  }

  /**
   * Moves a policy's open clock to new instants (an approved extension). `provisional`: whether the
   * new instants were computed on provisional calendar data (default: the clock keeps its flag).
   */
  extend(
    policy: ClockPolicyName,
    dueAt: string,
    warnAt: string,
    actor: string,
    detail: Record<string, unknown> = {},
    provisional?: boolean,
  ): void {
    this.update(
      policy,
      (clock, at) => ({ ...extendClock(clock, dueAt, warnAt, at), provisional: provisional ?? clock.provisional }),
      'clock.extended',
      actor,
      detail,
    );
  }

  /**
   * Computes open provisional clocks again from their start (official calendar data has arrived),
   * keeping any time they spent paused excluded, and likewise the open clocks that touch `days`
   * (days a holiday file fixed in another year's calendar). A breached clock is only recomputed when
   * provisional: a breach on official data is a fact. Returns whether anything changed.
   */
  async recomputeProvisional(days: readonly string[] = []): Promise<boolean> {
    const provisional = this.kase.clocks.filter(
      (c) =>
        isClockOpen(c) && (c.provisional || (days.length > 0 && c.state !== 'breached' && clockTouchesDays(c, days))),
    );
    if (provisional.length === 0) return false;
    // The engine moves a recomputed clock by its paused working time itself; before, the workflow added wall time.
    const inWorkingTime =
      !provisional.some((c) => (c.pausedMs ?? 0) > 0) || this.journal.patches.has(PAUSE_IN_WORKING_TIME);
    const schedules = await this.activities.scheduleClocks(
      provisional.map((c) => {
        const times = this.hooks.timesOf?.(c);
        return {
          policy: this.hooks.recomputeWith?.(c) ?? c.policy,
          startedAt: c.startedAt,
          ...(inWorkingTime && c.pausedMs ? { pausedMs: c.pausedMs } : {}),
          ...(times !== undefined ? { times } : {}),
        };
      }),
    );
    const at = nowIso();
    provisional.forEach((old, i) => {
      const schedule = schedules[i];
      const current = this.kase.clocks.find((c) => c.id === old.id);
      if (!schedule || !current || !isClockOpen(current)) return;
      const paused = inWorkingTime ? 0 : (current.pausedMs ?? 0);
      const shift = (iso: string) => new Date(Date.parse(iso) + paused).toISOString();
      const next = {
        ...extendClock(current, shift(schedule.dueAt), shift(schedule.warnAt), at),
        provisional: schedule.provisional,
      };
      this.replace(next);
      this.journal.record('system', 'clock.recomputed', {
        clock: old.id,
        policy: old.policy,
        from: old.dueAt,
        dueAt: next.dueAt,
        provisional: next.provisional,
      });
    });
    return true;
  }

  openClock(policy: ClockPolicyName): Clock | undefined {
    return this.kase.clocks.find((c) => c.policy === policy && isClockOpen(c));
  }

  isOpen(policy: ClockPolicyName): boolean {
    return this.kase.clocks.some((c) => c.policy === policy && isClockOpen(c));
  }

  /** After continue-as-new: watch every clock that is still open (the one timer reads them all). */
  resume(): void {
    if (this.keepsOneTimer()) return;
    for (const clock of this.kase.clocks) if (isClockOpen(clock)) this.watch(clock.id);
  }

  /**
   * Waits until `instant` (a case's instant that is not a clock's, e.g. the next document reminder)
   * or until `stop()` holds, on the case's one timer; true when stopped first. A run with a watcher per
   * clock waits on a timer of its own, as it did when recorded. `since`: the patch that moved this
   * wait onto the one timer after the one timer itself came (runs recorded in between keep a timer
   * of its own here too); decided once per run like the one timer.
   */
  sleepUntil(instant: number, stop: () => boolean, since?: string): Promise<boolean> {
    // The very promise the run awaited when recorded (no async hop): its continuations keep their order.
    if (!this.keepsOneTimer() || (since !== undefined && !this.patchedOnce(since))) {
      return condition(stop, untilInstant(instant));
    }
    return this.alarmAt(instant, stop);
  }

  /** Later patches of the one timer, each decided at its first use and kept for the run. */
  private readonly later = new Map<string, boolean>();

  private patchedOnce(patch: string): boolean {
    let decided = this.later.get(patch);
    if (decided === undefined) {
      decided = this.journal.patches.has(patch);
      this.later.set(patch, decided);
    }
    return decided;
  }

  private async alarmAt(instant: number, stop: () => boolean): Promise<boolean> {
    const alarm = { at: instant, rang: false };
    this.alarms.push(alarm);
    try {
      // As condition(stop, timeout) does: the instant wins when both come in the same activation.
      await condition(() => alarm.rang || stop());
      return !alarm.rang;
    } finally {
      this.alarms.splice(this.alarms.indexOf(alarm), 1);
    }
  }

  /** The case's next instant on its one timer: the next clock event or the earliest alarm. */
  private nextWakeAt(): number | null {
    let next = nextClockEventAt(this.kase.clocks, (c) => this.moving.has(c.id));
    for (const alarm of this.alarms) if (!alarm.rang && (next === null || alarm.at < next)) next = alarm.at;
    return next;
  }

  /**
   * The case's one timer, for the whole run: sleeps until the next instant, acts on every clock whose
   * step has come (as a watcher per clock did, one step each) and on the alarms due, then sleeps again.
   * Any change that moves the next instant (a clock started, met, paused, resumed, extended, recomputed)
   * ends the sleep and starts it again for the new instant; a change that does not keeps the timer.
   */
  private async keepTime(): Promise<void> {
    for (;;) {
      const next = this.nextWakeAt();
      const moved = () => this.nextWakeAt() !== next;
      if (next === null) {
        await condition(moved);
        continue;
      }
      if (await condition(moved, untilInstant(next))) continue;
      const now = Date.now();
      const skip = (c: Clock) => this.moving.has(c.id);
      let due = clocksDueBy(this.kase.clocks, now, skip);
      const acted = due.length > 0;
      // A step whose next one has come too (a warning put off to the due instant, outside business
      // hours) takes that one now: another timer for "now" fires only as the server's timer queue
      // turns, about a second later. Bounded: each step moves a clock up its ladder (warned, breached,
      // escalated once more), so no clock takes more than three.
      for (let round = 0; due.length > 0 && round < 3; round++) {
        for (const { id } of due) {
          // An earlier step of this wake-up (a hook) may have ended or moved it.
          const clock = this.find(id);
          const at = isClockOpen(clock) && clock.state !== 'paused' ? nextStepAt(clock) : null;
          if (at !== null && at <= now) this.step(clock);
        }
        due = clocksDueBy(this.kase.clocks, now, skip);
        if (due.length > 0 && !this.journal.patches.has(STEPS_DUE_TOGETHER)) break;
      }
      for (const alarm of this.alarms) if (alarm.at <= now) alarm.rang = true;
      // Projected beside the timer, not before it: a slow projection never holds back the next instant.
      if (acted) void this.journal.flush();
    }
  }

  private end(match: (c: Clock) => boolean, how: 'met' | 'cancelled', actor: string): void {
    const at = nowIso();
    this.kase.clocks = this.kase.clocks.map((clock) => {
      if (!match(clock) || !isClockOpen(clock)) return clock;
      const ended =
        clock.state === 'breached' && !this.journal.patches.has(BREACH_SURVIVES_END)
          ? { ...clock, state: how === 'met' ? ('breached' as const) : how, endedAt: at }
          : endClock(clock, at, how);
      this.journal.record(actor, how === 'met' ? 'clock.met' : 'clock.cancelled', {
        clock: clock.id,
        policy: clock.policy,
        state: ended.state,
        dueAt: clock.dueAt,
      });
      return ended;
    });
  }

  private update(
    policy: ClockPolicyName,
    change: (clock: Clock, at: string) => Clock,
    kind: string,
    actor: string,
    detail: Record<string, unknown> = {},
  ): void {
    const at = nowIso();
    this.kase.clocks = this.kase.clocks.map((clock) => {
      if (clock.policy !== policy || !isClockOpen(clock)) return clock;
      const next = change(clock, at);
      if (next !== clock) {
        this.journal.record(actor, kind, { clock: clock.id, policy, state: next.state, dueAt: next.dueAt, ...detail });
      }
      return next;
    });
    this.kase.updatedAt = at;
  }

  private find(id: string): Clock {
    const clock = this.kase.clocks.find((c) => c.id === id);
    if (!clock) throw new Error(`clock ${id} vanished`);
    return clock;
  }

  private watch(id: string): void {
    // Runs beside the case's main flow; it ends when the clock ends or has escalated to the top.
    void this.run(id);
  }

  private async run(id: string): Promise<void> {
    for (;;) {
      const clock = this.find(id);
      if (!isClockOpen(clock)) return;
      if (clock.state === 'paused' || this.moving.has(id)) {
        await condition(() => this.find(id).state !== 'paused' && !this.moving.has(id));
        continue;
      }
      const stepAt = nextStepAt(clock);
      if (stepAt === null) return;
      const unchanged = (c: Clock) =>
        c.state === clock.state &&
        c.dueAt === clock.dueAt &&
        c.escalations === clock.escalations &&
        c.endedAs === clock.endedAs;
      const interrupted = await condition(() => !unchanged(this.find(id)), untilInstant(stepAt));
      if (interrupted) continue;
      this.step(clock);
      await this.journal.flush();
    }
  }

  private step(clock: Clock): void {
    const team = this.kase.team;
    if (clock.state === 'pending') {
      this.replace({ ...clock, state: 'warned' });
      this.journal.record('system', 'clock.warned', { clock: clock.id, policy: clock.policy, dueAt: clock.dueAt });
      this.journal.notify(`clock:${clock.id}:warned`, {
        channel: 'internal',
        template: 'clock.warning',
        recipient: this.hooks.warnRecipient?.(clock) ?? { kind: 'role', role: 'supervisor', team },
        params: { caseId: this.kase.id, policy: clock.policy, dueAt: clock.dueAt, assignee: this.kase.assignee },
      });
      this.hooks.onWarned?.(clock);
      return;
    }
    if (clock.state === 'warned' && this.hooks.onDue) {
      this.hooks.onDue(clock);
      if (!isClockOpen(this.find(clock.id))) return;
    }
    const escalations = clock.escalations + 1;
    this.replace({ ...clock, state: 'breached', escalations });
    if (escalations === 1) {
      this.journal.record('system', 'clock.breached', {
        clock: clock.id,
        policy: clock.policy,
        kind: clock.kind,
        dueAt: clock.dueAt,
      });
    }
    if (this.hooks.breachGoesToManager?.(clock)) {
      // One step, at the breach: the manager already has it, the span later adds nothing.
      if (escalations === 1) this.escalate(2, clock);
      return;
    }
    this.escalate(escalationLevelAfter(escalations), clock);
  }

  private escalate(level: 1 | 2, clock: Clock): void {
    const from = this.kase.escalationLevel;
    if (level > from) {
      this.kase.escalationLevel = level;
      this.journal.record('system', 'case.escalated', { from, to: level, clock: clock.id, policy: clock.policy });
    }
    const { role, template } = ESCALATION_LADDER[level];
    const params = { caseId: this.kase.id, policy: clock.policy, kind: clock.kind, dueAt: clock.dueAt, level };
    this.journal.notify(`clock:${clock.id}:escalation:${level}`, {
      channel: 'internal',
      template,
      recipient: { kind: 'role', role, team: level === 1 ? this.kase.team : undefined },
      params,
    });
    if (level === 1 && this.kase.assignee) {
      this.journal.notify(`clock:${clock.id}:breached:assignee`, {
        channel: 'internal',
        template,
        recipient: { kind: 'staff', staffId: this.kase.assignee },
        params,
      });
    }
  }

  private replace(next: Clock): void {
    this.kase.clocks = this.kase.clocks.map((c) => (c.id === next.id ? next : c));
    this.kase.updatedAt = nowIso();
  }
}

/** Milliseconds from workflow-now until an instant; at least 1 ms (a zero timer is not allowed). */
export function untilInstant(instant: number): number {
  return Math.max(1, instant - Date.now());
}
