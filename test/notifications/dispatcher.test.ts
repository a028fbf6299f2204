/**
 * The notification outbox on real PostgreSQL: a retried projection queues one notification, a
 * failed delivery is retried and sent exactly once, the address is resolved from the personal-data
 * store at delivery and never from workflow data.
 */
import { randomUUID } from 'node:crypto';
import type {
  Kysely,
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { OutgoingMessage } from '../../notifications/adapters';
import { drainOnce } from '../../notifications/dispatcher';
import type { CaseProjection } from '../../domain/case';
import { ensureDatabaseExists, openDatabase } from '../../db/connection';
import { migrateToLatest } from '../../db/migrate';
import { applyProjection } from '../../db/repositories/case-projection';
import { listNotifications } from '../../db/repositories/notifications';
import { savePersonalData } from '../../db/repositories/personal-data';
import { addToDoNotContact } from '../../db/repositories/do-not-contact';
import { listTimeline } from '../../db/repositories/timeline';
import type { Database } from '../../db/schema';

const DATABASE_URL = inject('databaseUrl');
let db: Kysely<Database>;
let database: Awaited<ReturnType<typeof openDatabase>> | undefined;
const logger = pino({ level: 'silent' });
/** An hour behind: retry back-off instants land in the past, so a retry is due at once. */
const anHourAgo = () => new Date(Date.now() - 3_600_000);

beforeAll(async () => {
  await ensureDatabaseExists(DATABASE_URL);
  database = await openDatabase({ databaseUrl: DATABASE_URL, dataDir: '/tmp' });
  db = database.db;
  await migrateToLatest(db);
});
afterAll(async () => database?.close());

function projection(caseId: string, version: number): CaseProjection {
  const now = new Date().toISOString();
  return {
    summary: {
      id: caseId,
      type: 'claim',
      status: 'awaiting_documents',
      team: 'east',
      assignee: 'agent-li',
      escalationLevel: 0,
      policyNo: 'P1',
      clocks: [],
      createdAt: now,
      updatedAt: now,
    },
    data: {},
    version,
    closed: false,
    events: [{ key: `${caseId}:1`, at: now, actor: 'agent-li', kind: 'case.opened', detail: {} }],
    notifications: [
      {
        key: `claim-${caseId}:documentNotice`,
        channel: 'sms',
        template: 'claim.documentNotice',
        recipient: { kind: 'customer' },
        params: { caseId, missing: ['id_card', 'bank_account'] },
      },
    ],
  };
}

/** An SMS gateway stand-in: fails the first `failures` sends, records the rest. */
function flakyGateway(failures: number) {
  const sent: OutgoingMessage[] = [];
  let left = failures;
  return {
    sent,
    adapter: {
      async send(message: OutgoingMessage) {
        if (left > 0) {
          left -= 1;
          throw new Error('gateway timeout');
        }
        sent.push(message);
      },
    },
  };
}

describe('notification dispatcher', () => {
  it('queues one notification for a projection applied twice and delivers it exactly once after a failed attempt', async () => {
    const caseId = `D${randomUUID().slice(0, 8)}`;
    await savePersonalData(db, caseId, { reporter: { name: '张伟', phone: '13812341234' } });
    await applyProjection(db, projection(caseId, 1));
    await applyProjection(db, projection(caseId, 1));
    expect(await listNotifications(db, { caseId })).toHaveLength(1);

    const gateway = flakyGateway(1);
    const deps = { db, adapter: gateway.adapter, logger, batchSize: 100, now: anHourAgo };
    while ((await drainOnce(deps)) > 0) {
      if (gateway.sent.some((m) => m.body.includes(caseId))) break;
    }
    await drainOnce(deps);
    const mine = gateway.sent.filter((m) => m.body.includes(caseId));
    expect(mine).toHaveLength(1);
    expect(mine[0]!.to).toBe('13812341234');
    expect(mine[0]!.body).toContain('身份证');
    expect(mine[0]!.body).toContain('收款银行账户');
    const [row] = await listNotifications(db, { caseId });
    expect(row).toMatchObject({ status: 'sent' });
  });

  it('marks a notification failed after the last attempt', async () => {
    const caseId = `F${randomUUID().slice(0, 8)}`;
    await applyProjection(db, projection(caseId, 1)); // no personal data: no address to send to
    const gateway = flakyGateway(0);
    for (let i = 0; i < 10; i++)
      await drainOnce({ db, adapter: gateway.adapter, logger, batchSize: 100, maxAttempts: 3, now: anHourAgo });
    const [row] = await listNotifications(db, { caseId });
    expect(row).toMatchObject({ status: 'failed' });
    expect(gateway.sent.filter((m) => m.body.includes(caseId))).toHaveLength(0);
  });

  it('suppresses outreach to a number on the do-not-contact list but still sends the statutory notice', async () => {
    const caseId = `N${randomUUID().slice(0, 8)}`;
    const phone = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    await savePersonalData(db, caseId, { reporter: { name: '李娜', phone } });
    await addToDoNotContact(db, { phone }, { reason: 'opt-out', sourceCaseId: null, createdBy: 'agent-li' });
    const p = projection(caseId, 1);
    p.notifications.push({
      key: `claim-${caseId}:satisfactionSurvey`,
      channel: 'sms',
      template: 'survey.request',
      recipient: { kind: 'customer' },
      params: { caseId, caseType: 'claim' },
    });
    await applyProjection(db, p);
    const gateway = flakyGateway(0);
    for (let i = 0; i < 5; i++) await drainOnce({ db, adapter: gateway.adapter, logger, batchSize: 100 });
    const rows = await listNotifications(db, { caseId });
    expect(Object.fromEntries(rows.map((r) => [r.template, r.status]))).toEqual({
      'claim.documentNotice': 'sent',
      'survey.request': 'suppressed',
    });
    expect(gateway.sent.filter((m) => m.to === phone).map((m) => m.subject)).toHaveLength(1);
    const timeline = await listTimeline(db, caseId);
    expect(timeline.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['notification.sent', 'notification.suppressed']),
    );
  });

  it('a crash right after the notice is marked sent leaves no sent notice without its timeline event', async () => {
    const caseId = `C${randomUUID().slice(0, 8)}`;
    await savePersonalData(db, caseId, { reporter: { name: '赵敏', phone: '13900001111' } });
    await applyProjection(db, projection(caseId, 1));
    const gateway = flakyGateway(0);

    // The process dies (every later statement fails) as soon as the `sent` update has been issued.
    const crash = new CrashAfterMarkedSent();
    await expect(
      drainOnce({ db: db.withPlugin(crash), adapter: gateway.adapter, logger, batchSize: 100 }),
    ).rejects.toThrow('process died');
    expect(crash.crashed).toBe(true);
    const afterCrash = await listNotifications(db, { caseId });
    const eventsAfterCrash = (await listTimeline(db, caseId)).filter((e) => e.kind === 'notification.sent');
    expect(afterCrash[0]!.status === 'sent').toBe(eventsAfterCrash.length === 1);

    // A restarted dispatcher takes the row over once the dead one's lease has run out.
    await db
      .updateTable('notifications')
      .set({ lease_until: new Date(0) })
      .where('case_id', '=', caseId)
      .execute();
    await drainOnce({ db, adapter: gateway.adapter, logger, batchSize: 100 });
    expect((await listNotifications(db, { caseId }))[0]).toMatchObject({ status: 'sent' });
    const sentEvents = (await listTimeline(db, caseId)).filter((e) => e.kind === 'notification.sent');
    expect(sentEvents).toHaveLength(1);
  });
});

/** Lets the statement marking a notification sent through, then fails every statement after it. */
class CrashAfterMarkedSent implements KyselyPlugin {
  crashed = false;
  private armed = false;

  transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
    if (this.armed) {
      this.crashed = true;
      throw new Error('process died');
    }
    if (node.kind === 'UpdateQueryNode' && node.updates?.some((u) => columnName(u.column) === 'sent_at')) {
      this.armed = true;
    }
    return node;
  }

  async transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return result;
  }
}

function columnName(node: unknown): string | undefined {
  const column = node as { kind?: string; column?: { name?: string } };
  return column.kind === 'ColumnNode' ? column.column?.name : undefined;
}
