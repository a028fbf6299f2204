import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { readClockSettings } from '../../db/repositories/clock-settings';
import {
  abandonIdempotentRequest,
  appendAudit,
  appendTimelineEvent,
  applyProjection,
  beginIdempotentRequest,
  claimDueNotifications,
  completeIdempotentRequest,
  deleteOrphanedPersonalData,
  deletePersonalData,
  getCaseRow,
  getPersonalData,
  InvalidCursorError,
  listAudit,
  listCalendarYears,
  listCases,
  listCasesToRecompute,
  listNotifications,
  listDeadlinePolicyOverrides,
  listTimeline,
  markNotificationFailed,
  markNotificationSent,
  markNotificationSuppressed,
  migrateToLatest,
  saveCalendarYear,
  savePersonalData,
  saveDeadlinePolicyOverride,
  type OpenedDatabase,
} from '../../db';
import { kpiCounts } from '../../db/repositories/kpis';
import { BACKENDS, uid } from './backends';
import type { Clock } from '../../domain/clock';
import { clock, event, notification, projection } from './fixtures';

describe.each(BACKENDS)('repositories on $name', (backend) => {
  let database: OpenedDatabase & { dispose(): Promise<void> };
  const db = () => database.db;

  beforeAll(async () => {
    database = await backend.open();
    await migrateToLatest(database.db);
  });
  afterAll(async () => {
    await database?.dispose();
  });

  it('opens the expected kind of database', () => {
    expect(database.kind).toBe(backend.name);
  });

  it('a second migration run applies nothing', async () => {
    expect(await migrateToLatest(db())).toEqual({ applied: [] });
  });

  describe('applyProjection', () => {
    it('applying the same projection twice writes one case row, one timeline event and one notification', async () => {
      const id = uid('claim');
      const p = projection(id, { events: [event(id, 1)], notifications: [notification(`${id}:documents`)] });
      expect(await applyProjection(db(), p)).toEqual({
        caseWritten: true,
        eventsInserted: 1,
        notificationsInserted: 1,
      });
      expect(await applyProjection(db(), p)).toEqual({
        caseWritten: false,
        eventsInserted: 0,
        notificationsInserted: 0,
      });
      expect(await listTimeline(db(), id)).toHaveLength(1);
      expect(await listNotifications(db(), { caseId: id })).toHaveLength(1);
    });

    it('stores the summary, the earliest open deadline, breach and closing', async () => {
      const id = uid('claim');
      const clocks = [
        clock('claim.payment#1', {
          state: 'met',
          dueAt: '2026-11-26T00:00:00.000Z',
          endedAt: '2026-11-25T02:00:00.000Z',
        }),
        clock('claim.verification#1', { state: 'breached', dueAt: '2026-11-27T00:00:00.000Z' }),
        clock('claim.firstContact#1', { state: 'paused', dueAt: '2026-11-28T00:00:00.000Z' }),
      ];
      await applyProjection(
        db(),
        projection(id, { team: 'teamB', assignee: 'agent-7', escalationLevel: 1, policyNo: 'P-1', clocks }),
      );
      const row = await getCaseRow(db(), id);
      expect(row).toMatchObject({
        id,
        type: 'claim',
        status: 'reported',
        team: 'teamB',
        assignee: 'agent-7',
        escalationLevel: 1,
        policyNo: 'P-1',
        slaBreached: true,
        data: { status: 'reported', missingDocuments: ['id_card'] },
        closedAt: null,
      });
      // The met clock is earlier but no longer open.
      expect(row?.nextDueAt).toEqual(new Date('2026-11-27T00:00:00.000Z'));
      expect(row?.createdAt).toEqual(new Date('2026-11-25T01:00:00.000Z'));

      const closed = projection(id, {
        version: 2,
        status: 'paid',
        clocks: clocks.map((c) => ({ ...c, state: 'met' as const })),
        closed: true,
      });
      closed.summary.updatedAt = '2026-11-25T05:00:00.000Z';
      await applyProjection(db(), closed);
      const after = await getCaseRow(db(), id);
      expect(after).toMatchObject({ status: 'paid', nextDueAt: null, slaBreached: false, version: 2 });
      expect(after?.closedAt).toEqual(new Date('2026-11-25T05:00:00.000Z'));
    });

    it('a clock carried over from an older view, without the fields added since, is stored with their defaults', async () => {
      const id = uid('claim');
      const { escalations: _e, provisional: _p, ...older } = clock('claim.firstContact#1');
      const p = projection(id, { clocks: [older as Clock] });
      expect((await applyProjection(db(), p)).caseWritten).toBe(true);
      expect(
        await db().selectFrom('clocks').select(['escalations', 'provisional']).where('case_id', '=', id).execute(),
      ).toEqual([{ escalations: 0, provisional: false }]);
    });

    it('a lone surrogate in a text is stored as U+FFFD, not refused for good', async () => {
      const id = uid('claim');
      const p = projection(id, { events: [{ ...event(id, 1), actor: 'agent-\udc00', detail: { note: 'x\ud800' } }] });
      expect((await applyProjection(db(), p)).eventsInserted).toBe(1);
      expect(
        await db().selectFrom('timeline_events').select(['actor', 'detail']).where('case_id', '=', id).execute(),
      ).toEqual([{ actor: 'agent-\ufffd', detail: { note: 'x\ufffd' } }]);
    });

    it('an older projection arriving late overwrites neither the case nor its clocks, but its events still land', async () => {
      const id = uid('claim');
      const newer = projection(id, {
        version: 5,
        status: 'under_review',
        clocks: [clock('claim.verification#1', { state: 'met', endedAt: '2026-11-25T03:00:00.000Z' })],
      });
      const older = projection(id, {
        version: 3,
        status: 'documents_pending',
        clocks: [clock('claim.verification#1', { state: 'pending' })],
        events: [event(id, 3)],
      });
      await applyProjection(db(), newer);
      expect(await applyProjection(db(), older)).toEqual({
        caseWritten: false,
        eventsInserted: 1,
        notificationsInserted: 0,
      });
      expect(await getCaseRow(db(), id)).toMatchObject({ status: 'under_review', version: 5 });
      const clocks = await db().selectFrom('clocks').select(['state', 'version']).where('case_id', '=', id).execute();
      expect(clocks).toEqual([{ state: 'met', version: 5 }]);
    });

    it('a projection that supersedes replaces what a failed workflow task wrote above the committed sequence', async () => {
      const id = uid('claim');
      const committed = projection(id, {
        version: 2,
        assignee: 'agent-1',
        clocks: [clock('claim.verification#1')],
        events: [event(id, 1, 'case.opened'), event(id, 2, 'case.assigned')],
      });
      await applyProjection(db(), committed);
      // The failed task: closed the case, reassigned it, started a clock, took keys 3 and 4.
      await applyProjection(
        db(),
        projection(id, {
          version: 4,
          status: 'closed',
          closed: true,
          assignee: 'agent-2',
          clocks: [clock('claim.verification#1', { state: 'met' }), clock('claim.payment#1')],
          events: [event(id, 3, 'case.assigned'), event(id, 4, 'case.closed')],
        }),
      );
      await appendTimelineEvent(db(), id, {
        ...event(id, 0, 'notification.sent'),
        key: `notification:${id}:sent`,
      });
      // The retry: a note first (key 3), as the committed history has it.
      const retry = {
        ...projection(id, {
          version: 3,
          assignee: 'agent-1',
          clocks: [clock('claim.verification#1')],
          events: [event(id, 3, 'note.added')],
        }),
        supersede: 2,
      };
      expect(await applyProjection(db(), retry)).toMatchObject({ caseWritten: true, eventsInserted: 1 });
      expect((await listTimeline(db(), id)).map((e) => e.kind).sort()).toEqual([
        'case.assigned',
        'case.opened',
        'note.added',
        'notification.sent',
      ]);
      expect(await getCaseRow(db(), id)).toMatchObject({
        status: 'reported',
        version: 3,
        closedAt: null,
        assignee: 'agent-1',
      });
      const clocks = await db()
        .selectFrom('clocks')
        .select(['clock_id', 'state', 'version'])
        .where('case_id', '=', id)
        .execute();
      expect(clocks).toEqual([{ clock_id: 'claim.verification#1', state: 'pending', version: 3 }]);
      const assignments = await db()
        .selectFrom('case_assignments')
        .select('assignee')
        .where('case_id', '=', id)
        .orderBy('id')
        .execute();
      expect(assignments.map((a) => a.assignee)).toEqual(['agent-1']);
    });

    it('records an assignment only when the assignee changes, once per version', async () => {
      const id = uid('claim');
      const assignees = async () =>
        (
          await db()
            .selectFrom('case_assignments')
            .select(['assignee', 'assignment_key'])
            .where('case_id', '=', id)
            .orderBy('id')
            .execute()
        ).map((a) => `${a.assignee}@${a.assignment_key.slice(id.length + 1)}`);
      await applyProjection(db(), projection(id, { version: 1, assignee: null }));
      for (const [version, assignee] of [
        [2, 'agent-1'],
        [3, 'agent-1'],
        [4, 'agent-2'],
        [5, 'agent-1'],
      ] as const)
        await applyProjection(db(), projection(id, { version, assignee }));
      await applyProjection(db(), projection(id, { version: 5, assignee: 'agent-1' }));
      expect(await assignees()).toEqual(['agent-1@v2', 'agent-2@v4', 'agent-1@v5']);
    });

    it('queues notifications by role, never by address', async () => {
      const id = uid('claim');
      await applyProjection(
        db(),
        projection(id, {
          notifications: [
            notification(`${id}:customer`, { kind: 'customer' }, true),
            notification(`${id}:staff`, { kind: 'staff', staffId: 'agent-9' }),
            notification(`${id}:role`, { kind: 'role', role: 'supervisor', team: 'teamA' }),
            notification(`${id}:manager`, { kind: 'role', role: 'manager' }),
          ],
        }),
      );
      const rows = await db()
        .selectFrom('notifications')
        .select(['idempotency_key', 'recipient_kind', 'recipient_ref', 'recipient', 'status', 'receipt', 'params'])
        .where('case_id', '=', id)
        .orderBy('id')
        .execute();
      expect(rows).toEqual([
        {
          idempotency_key: `${id}:customer`,
          recipient_kind: 'customer',
          recipient_ref: 'customer',
          recipient: null,
          status: 'queued',
          receipt: true,
          params: { documents: ['id_card'], amount: 12.5 },
        },
        {
          idempotency_key: `${id}:staff`,
          recipient_kind: 'staff',
          recipient_ref: 'agent-9',
          recipient: null,
          status: 'queued',
          receipt: false,
          params: { documents: ['id_card'], amount: 12.5 },
        },
        {
          idempotency_key: `${id}:role`,
          recipient_kind: 'role',
          recipient_ref: 'supervisor@teamA',
          recipient: null,
          status: 'queued',
          receipt: false,
          params: { documents: ['id_card'], amount: 12.5 },
        },
        {
          idempotency_key: `${id}:manager`,
          recipient_kind: 'role',
          recipient_ref: 'manager',
          recipient: null,
          status: 'queued',
          receipt: false,
          params: { documents: ['id_card'], amount: 12.5 },
        },
      ]);
    });
  });

  describe('listCases', () => {
    async function seedTeam(team: string, count: number) {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        const id = uid(`c${i}`);
        ids.push(id);
        await applyProjection(
          db(),
          projection(id, {
            team,
            // Pairs share a creation instant, so paging must break ties on id.
            createdAt: new Date(Date.UTC(2026, 10, 1, 0, 0, Math.floor(i / 2))).toISOString(),
            status: i % 3 === 0 ? 'under_review' : 'reported',
            assignee: i % 2 === 0 ? `${team}-agent` : null,
            escalationLevel: i === 4 ? 2 : 0,
            policyNo: `${team}-P${i}`,
            clocks: [
              clock(`claim.payment#${i}`, {
                state: i === 1 ? 'breached' : 'pending',
                dueAt: new Date(Date.UTC(2026, 10, 10 + i)).toISOString(),
              }),
            ],
          }),
        );
      }
      return ids;
    }

    it('pages through a team newest first with a cursor, without gaps or repeats', async () => {
      const team = uid('team');
      const ids = await seedTeam(team, 7);
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await listCases(db(), { team, limit: 3, cursor }, {});
        seen.push(...page.items.map((c) => c.id));
        cursor = page.nextCursor ?? undefined;
        pages++;
        expect(pages).toBeLessThan(10);
      } while (cursor);
      expect(pages).toBe(3);
      expect(new Set(seen).size).toBe(7);
      expect(seen.sort()).toEqual([...ids].sort());
      const all = await listCases(db(), { team, limit: 200 });
      const keys = all.items.map((c) => [c.createdAt.getTime(), c.id] as const);
      const sorted = [...keys].sort((a, b) => b[0] - a[0] || (a[1] < b[1] ? 1 : -1));
      expect(keys).toEqual(sorted);
      expect(all.nextCursor).toBeNull();
    });

    it('filters by status, assignee, breach, escalation, due date and policy number', async () => {
      const team = uid('team');
      const ids = await seedTeam(team, 6);
      const find = async (filter: Parameters<typeof listCases>[1]) =>
        (await listCases(db(), { team, limit: 50, ...filter })).items.map((c) => c.id).sort();
      expect(await find({ status: 'under_review' })).toEqual([ids[0], ids[3]].sort());
      expect(await find({ assignee: `${team}-agent` })).toEqual([ids[0], ids[2], ids[4]].sort());
      expect(await find({ breached: true })).toEqual([ids[1]]);
      expect(await find({ escalated: true })).toEqual([ids[4]]);
      expect((await find({ escalated: false })).length).toBe(5);
      expect(await find({ dueBefore: new Date(Date.UTC(2026, 10, 12)) })).toEqual([ids[0], ids[1]].sort());
      expect(await find({ policyNo: `${team}-P5` })).toEqual([ids[5]]);
      expect(await find({ type: 'complaint' })).toEqual([]);
      const item = (await listCases(db(), { team, policyNo: `${team}-P4`, limit: 1 })).items[0];
      expect(item).toEqual({
        id: ids[4],
        type: 'claim',
        status: 'reported',
        team,
        assignee: `${team}-agent`,
        escalationLevel: 2,
        nextDueAt: new Date(Date.UTC(2026, 10, 14)),
        policyNo: `${team}-P4`,
        slaBreached: false,
        createdAt: new Date(Date.UTC(2026, 10, 1, 0, 0, 2)),
      });
    });

    it("an agent's team scope hides other teams' cases, even when the filter asks for them", async () => {
      const mine = uid('team');
      const theirs = uid('team');
      const [own] = await seedTeam(mine, 1);
      await seedTeam(theirs, 2);
      expect(
        (await listCases(db(), { policyNo: `${mine}-P0`, limit: 10 }, { team: mine })).items.map((c) => c.id),
      ).toEqual([own]);
      expect((await listCases(db(), { policyNo: `${theirs}-P0`, limit: 10 }, { team: mine })).items).toEqual([]);
      expect((await listCases(db(), { team: theirs, limit: 10 }, { team: mine })).items).toEqual([]);
    });

    it('lists customer cases only: a department record (an assessment) is read through its own routes', async () => {
      const team = uid('team');
      const [claim] = await seedTeam(team, 1);
      const record = projection(uid('assessment'), { team, status: 'open', assignee: `${team}-agent` });
      await applyProjection(db(), { ...record, summary: { ...record.summary, type: 'assessment' } });
      expect((await listCases(db(), { team, limit: 10 })).items.map((c) => c.id)).toEqual([claim]);
      expect((await listCases(db(), { team, limit: 10, open: true })).items.map((c) => c.id)).toEqual([claim]);
      expect((await listCases(db(), { team, type: 'assessment', limit: 10 })).items.map((c) => c.id)).toEqual([
        record.summary.id,
      ]);
      const counts = await kpiCounts(db(), {
        from: new Date(Date.UTC(2026, 0, 1)),
        to: new Date(Date.UTC(2028, 0, 1)),
        team,
      });
      expect(counts.complaint_rate).toEqual({ numerator: 0, denominator: 1 });
    });

    it('rejects a cursor it did not produce', async () => {
      await expect(listCases(db(), { limit: 10, cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(InvalidCursorError);
      await expect(
        listCases(db(), { limit: 10, cursor: Buffer.from('["x", 1]').toString('base64url') }),
      ).rejects.toBeInstanceOf(InvalidCursorError);
    });
  });

  describe('timeline', () => {
    it('lists events in time order and appends each key once', async () => {
      const id = uid('claim');
      expect(await appendTimelineEvent(db(), id, event(id, 2, 'note', '2026-11-25T03:00:00.000Z'))).toBe(true);
      expect(await appendTimelineEvent(db(), id, event(id, 1, 'opened', '2026-11-25T01:00:00.000Z'))).toBe(true);
      expect(await appendTimelineEvent(db(), id, event(id, 2, 'note', '2026-11-25T03:00:00.000Z'))).toBe(false);
      expect(await listTimeline(db(), id)).toEqual([
        { at: new Date('2026-11-25T01:00:00.000Z'), actor: 'agent-1', kind: 'opened', detail: { seq: 1 } },
        { at: new Date('2026-11-25T03:00:00.000Z'), actor: 'agent-1', kind: 'note', detail: { seq: 2 } },
      ]);
    });
  });

  describe('idempotency keys', () => {
    const request = (key: string, requestHash = 'h1') => ({
      actor: 'agent-1',
      key,
      method: 'POST',
      path: '/api/v1/claims',
      requestHash,
    });

    it('new, then in progress, then the stored response replayed; a different body is a mismatch', async () => {
      const key = uid('idem');
      expect(await beginIdempotentRequest(db(), request(key))).toEqual({ kind: 'new' });
      expect(await beginIdempotentRequest(db(), request(key))).toEqual({ kind: 'in_progress' });
      expect(await beginIdempotentRequest(db(), request(key, 'h2'))).toEqual({ kind: 'mismatch' });
      const response = {
        status: 201,
        body: { id: 'claim-1', reporter: { name: '张三' } },
        headers: { location: '/api/v1/claims/claim-1' },
      };
      await completeIdempotentRequest(db(), { actor: 'agent-1', key }, response);
      expect(await beginIdempotentRequest(db(), request(key))).toEqual({ kind: 'replay', ...response });
      expect(await beginIdempotentRequest(db(), { ...request(key), path: '/api/v1/complaints' })).toEqual({
        kind: 'mismatch',
      });
      // Keys belong to an actor: another caller with the same key starts afresh.
      expect(await beginIdempotentRequest(db(), { ...request(key), actor: 'agent-2' })).toEqual({ kind: 'new' });
    });

    it('an abandoned request may be retried; a completed one is not abandoned', async () => {
      const key = uid('idem');
      await beginIdempotentRequest(db(), request(key));
      await abandonIdempotentRequest(db(), { actor: 'agent-1', key });
      expect(await beginIdempotentRequest(db(), request(key))).toEqual({ kind: 'new' });
      await completeIdempotentRequest(db(), { actor: 'agent-1', key }, { status: 200, body: [1, 2], headers: {} });
      await abandonIdempotentRequest(db(), { actor: 'agent-1', key });
      expect(await beginIdempotentRequest(db(), request(key))).toEqual({
        kind: 'replay',
        status: 200,
        body: [1, 2],
        headers: {},
      });
    });

    it('an in-progress key orphaned by a crashed process is taken over once stale', async () => {
      const key = uid('idem');
      await beginIdempotentRequest(db(), request(key));
      await new Promise((r) => setTimeout(r, 20));
      expect(await beginIdempotentRequest(db(), request(key), { staleAfterMs: 1 })).toEqual({ kind: 'new' });
      expect(await beginIdempotentRequest(db(), request(key), { staleAfterMs: 60_000 })).toEqual({
        kind: 'in_progress',
      });
    });
  });

  describe('notifications outbox', () => {
    /** Earlier tests (and runs) leave queued rows in the shared database: take them out of the way. */
    async function drainOutbox() {
      for (;;) {
        const rows = await claimDueNotifications(db(), 500);
        if (!rows.length) return;
        for (const row of rows) await markNotificationSuppressed(db(), row.id, 'test drain');
      }
    }

    it('concurrent dispatchers never get the same row', async () => {
      await drainOutbox();
      const id = uid('claim');
      await applyProjection(
        db(),
        projection(id, { notifications: Array.from({ length: 10 }, (_, i) => notification(`${id}:n${i}`)) }),
      );
      const batches = await Promise.all([1, 2, 3, 4].map(() => claimDueNotifications(db(), 3)));
      const claimed = batches.flat().map((r) => r.id);
      expect(new Set(claimed).size).toBe(claimed.length);
      const rest = await claimDueNotifications(db(), 10);
      const all = [...claimed, ...rest.map((r) => r.id)];
      expect(new Set(all).size).toBe(10);
      expect(await claimDueNotifications(db(), 10)).toEqual([]);
      const first =
        batches.flat().find((r) => r.idempotencyKey === `${id}:n0`) ??
        rest.find((r) => r.idempotencyKey === `${id}:n0`);
      expect(first).toMatchObject({
        caseId: id,
        channel: 'sms',
        template: 'claim.documentNotice',
        recipientKind: 'customer',
        recipientRef: 'customer',
        receipt: false,
        attempts: 0,
        params: { documents: ['id_card'], amount: 12.5 },
      });
      for (const rowId of all) await markNotificationSuppressed(db(), rowId, 'test');
    });

    it('a row whose lease ran out is handed out again; failures go back to the queue until final', async () => {
      await drainOutbox();
      const id = uid('claim');
      await applyProjection(db(), projection(id, { notifications: [notification(`${id}:n`)] }));
      const [leased] = await claimDueNotifications(db(), 5, { leaseMs: 0 });
      expect(leased?.idempotencyKey).toBe(`${id}:n`);
      await new Promise((r) => setTimeout(r, 20));
      const [again] = await claimDueNotifications(db(), 5);
      expect(again?.id).toBe(leased?.id);
      expect(await claimDueNotifications(db(), 5)).toEqual([]);

      await markNotificationFailed(db(), again!.id, 'smtp: 451', { final: false });
      const [retry] = await claimDueNotifications(db(), 5);
      expect(retry).toMatchObject({ id: again!.id, attempts: 1 });
      await markNotificationFailed(db(), retry!.id, 'smtp: 451', {
        final: false,
        retryAt: new Date(Date.now() + 60_000),
      });
      expect(await claimDueNotifications(db(), 5)).toEqual([]);
      await markNotificationFailed(db(), retry!.id, 'smtp: 550', { final: true });
      expect(await claimDueNotifications(db(), 5)).toEqual([]);
      expect(await listNotifications(db(), { caseId: id })).toMatchObject([{ status: 'failed', sentAt: null }]);
    });

    it('sent rows record address and time; lists are scoped by team and speak the four public statuses', async () => {
      await drainOutbox();
      const team = uid('team');
      const id = uid('claim');
      await applyProjection(
        db(),
        projection(id, {
          team,
          notifications: [notification(`${id}:a`), notification(`${id}:b`), notification(`${id}:c`)],
        }),
      );
      const rows = await claimDueNotifications(db(), 10);
      const byKey = new Map(rows.map((r) => [r.idempotencyKey, r.id]));
      const sentAt = new Date('2026-11-25T06:00:00.000Z');
      await markNotificationSent(db(), byKey.get(`${id}:a`)!, '13800000000', sentAt);
      await markNotificationSuppressed(db(), byKey.get(`${id}:b`)!, 'do-not-contact');
      const listed = await listNotifications(db(), { caseId: id });
      expect(listed.map((n) => [n.template, n.recipient, n.status, n.sentAt])).toEqual([
        ['claim.documentNotice', '13800000000', 'sent', sentAt],
        ['claim.documentNotice', null, 'suppressed', null],
        ['claim.documentNotice', null, 'queued', null],
      ]);
      expect(listed[0]).toMatchObject({ caseId: id, channel: 'sms' });
      expect(listed[0]?.createdAt).toBeInstanceOf(Date);
      expect((await listNotifications(db(), { team })).map((n) => n.caseId)).toEqual([id, id, id]);
      expect(await listNotifications(db(), { caseId: id, team: uid('other') })).toEqual([]);
      await markNotificationSuppressed(db(), byKey.get(`${id}:c`)!, 'test');
    });
  });

  describe('personal data', () => {
    it('round-trips, is replaced on save and can be erased', async () => {
      const id = uid('claim');
      expect(await getPersonalData(db(), id)).toBeUndefined();
      const data = {
        reporter: { name: '李四', phone: '13912345678' },
        vehicle: { plate: '粤B·12345' },
        notes: ['a', 'b'],
      };
      await savePersonalData(db(), id, data);
      expect(await getPersonalData(db(), id)).toEqual(data);
      await savePersonalData(db(), id, { reporter: { name: '王五' } });
      expect(await getPersonalData(db(), id)).toEqual({ reporter: { name: '王五' } });
      expect(await deletePersonalData(db(), id)).toBe(true);
      expect(await getPersonalData(db(), id)).toBeUndefined();
    });

    it('the sweep removes personal data older than the bound that no case row joined, and nothing else', async () => {
      const [orphan, young, withCase] = [uid('orphan'), uid('young'), uid('cased')];
      for (const id of [orphan, young, withCase]) await savePersonalData(db(), id, { reporter: { name: '周芳' } });
      await db()
        .updateTable('case_personal_data')
        .set({ created_at: new Date(Date.now() - 25 * 3_600_000) })
        .where('case_id', 'in', [orphan, withCase])
        .execute();
      await applyProjection(db(), projection(withCase));
      const bound = new Date(Date.now() - 24 * 3_600_000);
      expect(await deleteOrphanedPersonalData(db(), bound)).toBeGreaterThanOrEqual(1);
      expect(await getPersonalData(db(), orphan)).toBeUndefined();
      expect(await getPersonalData(db(), young)).toBeDefined();
      expect(await getPersonalData(db(), withCase)).toBeDefined();
    });
  });

  describe('administration', () => {
    it('policy overrides and calendar years round-trip; later saves replace earlier ones', async () => {
      const name = uid('policy');
      await saveDeadlinePolicyOverride(db(), name, { duration: 'PT3S', mode: 'elapsed', warnAt: 0.5 }, 'admin-1');
      await saveDeadlinePolicyOverride(db(), name, { duration: 'P2D', mode: 'working_days' }, 'admin-2');
      expect((await listDeadlinePolicyOverrides(db()))[name]).toEqual({ duration: 'P2D', mode: 'working_days' });
      const reminder = uid('policy');
      await saveDeadlinePolicyOverride(
        db(),
        reminder,
        { duration: 'PT10S', mode: 'elapsed', warnAt: 0.25, maxReminders: 2 },
        'admin-1',
      );
      expect((await listDeadlinePolicyOverrides(db()))[reminder]).toEqual({
        duration: 'PT10S',
        mode: 'elapsed',
        warnAt: 0.25,
        maxReminders: 2,
      });

      const days = [
        { date: '2026-02-15', name: '春节', isOffDay: true },
        { date: '2026-02-14', name: '春节', isOffDay: false },
      ];
      const year = 3000 + Math.floor(Math.random() * 5000);
      await saveCalendarYear(db(), year, [], 'admin-1');
      await saveCalendarYear(db(), year, days, 'admin-1');
      expect((await listCalendarYears(db()))[year]).toEqual(days);
      // What a clock's computation reads, in one statement: the same as the two lists read apart.
      const settings = await readClockSettings(db());
      expect(settings.overrides).toEqual(await listDeadlinePolicyOverrides(db()));
      expect(settings.overrides[reminder]).toEqual({
        duration: 'PT10S',
        mode: 'elapsed',
        warnAt: 0.25,
        maxReminders: 2,
      });
      expect(settings.years).toEqual(await listCalendarYears(db()));
      expect(settings.years[year]).toEqual(days);
    });

    it('a holiday upload reaches the open cases with provisional clocks, and with open clocks spanning the December days it fixes', async () => {
      // Clocks in 2098, a year no other test touches: the December days of a 2099 file are 2098-12-30..31.
      const at = (date: string, time = '10:00:00') => new Date(`${date}T${time}+08:00`).toISOString();
      const spanning = uid('claim');
      const paused = uid('claim');
      const before = uid('claim');
      const closed = uid('claim');
      const window = { startedAt: at('2098-12-20'), warnAt: at('2098-12-28') };
      await applyProjection(
        db(),
        projection(spanning, {
          clocks: [clock('claim.payment#1', { ...window, dueAt: at('2098-12-31', '16:00:00') })],
        }),
      );
      await applyProjection(
        db(),
        projection(paused, {
          clocks: [
            clock('claim.firstContact#1', { ...window, kind: 'internal', state: 'paused', dueAt: at('2098-12-21') }),
          ],
        }),
      );
      await applyProjection(
        db(),
        projection(before, { clocks: [clock('claim.payment#1', { ...window, dueAt: at('2098-12-29', '23:00:00') })] }),
      );
      await applyProjection(
        db(),
        projection(closed, {
          clocks: [clock('claim.payment#1', { ...window, dueAt: at('2098-12-31') })],
          closed: true,
        }),
      );
      const found = async (days?: string[]) => new Set((await listCasesToRecompute(db(), days)).map((c) => c.caseId));
      const touched = await found(['2098-12-31', '2098-12-30']);
      expect(touched.has(spanning)).toBe(true);
      expect(touched.has(paused)).toBe(true);
      expect(touched.has(before)).toBe(false);
      expect(touched.has(closed)).toBe(false);
      const provisionalOnly = await found();
      expect(provisionalOnly.has(spanning)).toBe(false);
      const provisional = uid('claim');
      await applyProjection(
        db(),
        projection(provisional, {
          clocks: [clock('claim.payment#1', { ...window, dueAt: at('2098-12-21'), provisional: true })],
        }),
      );
      expect((await found()).has(provisional)).toBe(true);
    });

    it('the audit log takes appends and refuses updates and deletes', async () => {
      const target = uid('deadline-policy');
      await appendAudit(db(), {
        actor: 'admin-1',
        action: 'deadline-policy.update',
        target,
        detail: { duration: 'P2D' },
      });
      const [entry] = await listAudit(db(), { target });
      expect(entry).toMatchObject({
        actor: 'admin-1',
        action: 'deadline-policy.update',
        target,
        detail: { duration: 'P2D' },
      });
      await expect(
        db().updateTable('audit_log').set({ actor: 'someone-else' }).where('target', '=', target).execute(),
      ).rejects.toThrow(/append-only/);
      await expect(db().deleteFrom('audit_log').where('target', '=', target).execute()).rejects.toThrow(/append-only/);
      await expect(sql`truncate audit_log`.execute(db())).rejects.toThrow(/append-only/);
      expect(await listAudit(db(), { target })).toHaveLength(1);
    });
  });
});
