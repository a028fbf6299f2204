/**
 * The case's write-ahead: timeline events and notifications gathered during one state change, then
 * flushed to PostgreSQL in one projection. Event keys carry a sequence number that survives
 * continue-as-new, and notification keys are workflow id + purpose, so a retried projection (or a
 * replayed workflow) writes nothing twice.
 *
 * The projections are local activities: they run, and write, before the workflow task that holds them
 * is accepted. When the server refuses that task (a signal arrived while the workflow completed) or
 * the worker dies, the task runs again from the committed history, possibly in another order (a
 * signal's events first, the Update's after, or never when the Update was refused with the task).
 * The first projection of a run rebuilt from history therefore supersedes whatever the read model
 * holds above the committed sequence number (`CaseProjection.supersede`), and projections go out one
 * after another so that no later one of the same run is written before it.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { CaseActivities } from '../../activities/types';
import {
  type CaseProjection,
  type CaseSummary,
  type NotificationRequest,
  recipientRef,
  type TimelineEvent,
} from '../../domain/case';
import { anyBreached, nextDeadlineOf } from '../../domain/clock';
import {
  Assignee,
  CaseStatus,
  CaseType,
  EscalationLevel,
  NextDeadline,
  notificationKey,
  PROJECTION_REJECTED,
  SlaBreached,
  Team,
} from './contract';
import { ONE_PROJECTION_AT_A_TIME, Patches } from './patches';

/** A run's history when its first workflow task starts for the first time. */
const FIRST_TASK_EVENTS = 3;

export interface CaseSnapshot {
  summary: CaseSummary;
  data: Record<string, unknown>;
  closed: boolean;
}

/** The fields every case view carries (API.md: "Every case response carries ..."). */
type CaseViewCore = Omit<CaseSummary, 'policyNo'> & { policyNo?: string | null };

/** A case view as the projection stores it: the shared summary plus the whole view as `data`. */
export function caseSnapshot(view: CaseViewCore, closed: boolean): CaseSnapshot {
  const { id, type, status, team, assignee, escalationLevel, policyNo, clocks, createdAt, updatedAt } = view;
  const summary: CaseSummary = {
    id,
    type,
    status,
    team,
    assignee,
    escalationLevel,
    policyNo: policyNo ?? null,
    clocks,
    createdAt,
    updatedAt,
  };
  return { summary, data: { ...view }, closed };
}

export class Journal {
  /** This run's patch decisions, asked by everything that writes the run's history (its clocks, its handlers). */
  readonly patches = new Patches();
  private events: TimelineEvent[] = [];
  private notifications: NotificationRequest[] = [];
  /** Search attributes as last upserted: an unchanged set is not written again (one history event each). */
  private lastAttributes = '';
  /** Projections sent but not yet acknowledged; the run must not end while any is in flight. */
  private inFlight = 0;
  /** The last projection asked for: the next one goes out when it has settled. */
  private previous: Promise<void> = Promise.resolve();
  /** The sequence number the history had committed when this run first executed new code. */
  private committedSeq: number | undefined;
  /**
   * Whether a projection of this run (not replayed) has superseded what failed tasks wrote, or no
   * task can have failed before (see noteCommitted).
   */
  private superseded = false;

  constructor(
    private readonly snapshot: () => CaseSnapshot,
    private readonly activities: Pick<CaseActivities, 'projectCase'>,
    /** The last sequence number used; carried across continue-as-new. */
    public seq = 0,
  ) {}

  record(actor: string, kind: string, detail: Record<string, unknown> = {}): void {
    this.noteCommitted();
    this.seq += 1;
    const { summary } = this.snapshot();
    this.events.push({ key: `${summary.id}:${this.seq}`, at: nowIso(), actor, kind, detail });
  }

  /** `purpose` must name this notification uniquely within the case (it is the idempotency key). */
  notify(purpose: string, request: Omit<NotificationRequest, 'key'>): void {
    const key = notificationKey(workflowInfo().workflowId, purpose);
    this.notifications.push({ key, ...request });
    this.record('system', 'notification.queued', {
      template: request.template,
      channel: request.channel,
      to: recipientRef(request.recipient),
    });
  }

  async flush(): Promise<void> {
    const { summary, data, closed } = this.snapshot();
    const events = this.events;
    const notifications = this.notifications;
    this.events = [];
    this.notifications = [];
    const attributes = searchAttributesOf(summary);
    const signature = JSON.stringify(attributes.map((a) => a.value));
    if (signature !== this.lastAttributes) {
      upsertSearchAttributes(attributes);
      this.lastAttributes = signature;
    }
    const projection: CaseProjection = { summary, data, version: this.seq, closed, events, notifications };
    this.inFlight += 1;
    try {
      if (this.patches.has(ONE_PROJECTION_AT_A_TIME)) {
        const previous = this.previous;
        let settled: () => void = () => undefined;
        this.previous = new Promise((resolve) => (settled = resolve));
        try {
          await previous;
          await this.project(projection);
        } finally {
          settled();
        }
      } else {
        await this.activities.projectCase(projection);
      }
    } catch (err) {
      // Refused for good and recorded by the activity: the case goes on, and its next projection
      // writes the case row again. Anything else is not ours to swallow.
      if (!isProjectionRejected(err)) throw err;
    } finally {
      this.inFlight -= 1;
    }
  }

  /**
   * The first projection this run executes for real (not replayed from history) carries the committed
   * sequence number, once it is known, until one such projection has been written.
   */
  private async project(projection: CaseProjection): Promise<void> {
    this.noteCommitted();
    const supersede = !this.superseded && !workflowInfo().unsafe.isReplaying ? this.committedSeq : undefined;
    await this.activities.projectCase(supersede === undefined ? projection : { ...projection, supersede });
    if (supersede !== undefined) this.superseded = true;
  }

  /**
   * Remembers the sequence number at the first record or projection that runs past the history (the
   * same point where a failed attempt of this task started numbering). Replay decides nothing else by
   * it: only a local activity's input carries it.
   *
   * A case's first run (nothing numbered yet, not continued from another run) whose history is
   * still only its first task's three events (started, task scheduled, task started) has had no
   * attempt before this one: any failed or timed-out attempt adds its event before the task is
   * tried again. Nothing can stand above the committed number then, so there is nothing to
   * supersede, and a case's opening projection saves the statement that would look. A continued
   * run still looks: its predecessor's last task may have failed after projecting and its retry
   * projected nothing, leaving rows above the sequence it carried over.
   */
  private noteCommitted(): void {
    if (this.committedSeq !== undefined) return;
    const info = workflowInfo();
    if (info.unsafe.isReplaying) return;
    this.committedSeq = this.seq;
    const firstTryOfNewCase =
      this.seq === 0 && info.continuedFromExecutionRunId === undefined && info.historyLength <= FIRST_TASK_EVENTS;
    if (firstTryOfNewCase) this.superseded = true;
  }

  /** Waits until everything recorded has been written: then the run may end or continue as new. */
  async drain(): Promise<void> {
    await condition(() => this.inFlight === 0);
    if (this.events.length > 0 || this.notifications.length > 0) await this.flush();
  }
}

/** The activity's refusal, as the workflow sees it (wrapped in an ActivityFailure, or as it was thrown). */
function isProjectionRejected(err: unknown): boolean {
  const failure = err instanceof ActivityFailure ? err.cause : err;
  return failure instanceof ApplicationFailure && failure.type === PROJECTION_REJECTED;
}

export function nowIso(): string {
  // Workflow time: deterministic on replay.
  return new Date().toISOString();
}

function searchAttributesOf(summary: CaseSummary) {
  const next = nextDeadlineOf(summary.clocks);
  return [
    { key: CaseType, value: summary.type },
    { key: CaseStatus, value: summary.status },
    { key: Team, value: summary.team },
    { key: Assignee, value: summary.assignee },
    { key: EscalationLevel, value: summary.escalationLevel },
    { key: NextDeadline, value: next ? new Date(next) : null },
    { key: SlaBreached, value: anyBreached(summary.clocks) },
  ];
}
