import type { CaseProjection, NotificationRequest, TimelineEvent } from '../../domain/case';
import type { Clock } from '../../domain/clock';
import type { ClockPolicyName } from '../../domain/deadline-policies';

export function clock(id: string, over: Partial<Clock> = {}): Clock {
  return {
    id,
    // Fixtures name clocks freely; the projection stores whatever policy a clock names.
    policy: (id.split('#')[0] ?? id) as ClockPolicyName,
    kind: 'statutory',
    startedAt: '2026-11-25T01:00:00.000Z',
    dueAt: '2026-11-26T01:00:00.000Z',
    warnAt: '2026-11-25T20:00:00.000Z',
    state: 'pending',
    provisional: false,
    escalations: 0,
    ...over,
  };
}

export function projection(
  id: string,
  over: {
    version?: number;
    status?: string;
    team?: string;
    assignee?: string | null;
    escalationLevel?: 0 | 1 | 2;
    policyNo?: string | null;
    createdAt?: string;
    clocks?: Clock[];
    events?: TimelineEvent[];
    notifications?: NotificationRequest[];
    closed?: boolean;
  } = {},
): CaseProjection {
  const createdAt = over.createdAt ?? '2026-11-25T01:00:00.000Z';
  return {
    summary: {
      id,
      type: 'claim',
      status: over.status ?? 'reported',
      team: over.team ?? 'teamA',
      assignee: over.assignee ?? null,
      escalationLevel: over.escalationLevel ?? 0,
      policyNo: over.policyNo ?? null,
      clocks: over.clocks ?? [],
      createdAt,
      updatedAt: createdAt,
    },
    data: { status: over.status ?? 'reported', missingDocuments: ['id_card'] },
    version: over.version ?? 1,
    closed: over.closed ?? false,
    events: over.events ?? [],
    notifications: over.notifications ?? [],
  };
}

export function event(caseId: string, seq: number, kind = 'status', at = '2026-11-25T01:00:00.000Z'): TimelineEvent {
  return { key: `${caseId}:${seq}`, at, actor: 'agent-1', kind, detail: { seq } };
}

export function notification(
  key: string,
  recipient: NotificationRequest['recipient'] = { kind: 'customer' },
  receipt = false,
): NotificationRequest {
  return {
    key,
    channel: 'sms',
    template: 'claim.documentNotice',
    recipient,
    params: { documents: ['id_card'], amount: 12.5 },
    receipt,
  };
}
