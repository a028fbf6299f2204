/** The append-only case timeline: every transition, clock event, notification and assignment. */
import type { TimelineEvent } from '../../domain/case';
import { type Executor, jsonb } from './support';

export interface TimelineEntry {
  at: Date;
  actor: string;
  kind: string;
  detail: Record<string, unknown>;
}

export async function listTimeline(db: Executor, caseId: string): Promise<TimelineEntry[]> {
  return db
    .selectFrom('timeline_events')
    .select(['at', 'actor', 'kind', 'detail'])
    .where('case_id', '=', caseId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

/** Appends one event; a second call with the same `event.key` writes nothing. Returns whether it was new. */
export async function appendTimelineEvent(db: Executor, caseId: string, event: TimelineEvent): Promise<boolean> {
  const inserted = await db
    .insertInto('timeline_events')
    .values({
      case_id: caseId,
      event_key: event.key,
      at: event.at,
      actor: event.actor,
      kind: event.kind,
      detail: jsonb(event.detail),
    })
    .onConflict((oc) => oc.column('event_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}
