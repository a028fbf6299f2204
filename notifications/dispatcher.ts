/**
 * Drains the notifications outbox. Workflows only queue (idempotently); this loop renders, sends and
 * marks each row, and for statutory notices signals the workflow that the notice went out. Rows are
 * leased (SKIP LOCKED) so several workers can drain one outbox without sending anything twice.
 */
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema';
import { isOnDoNotContact } from '../db/repositories/do-not-contact';
import {
  claimDueNotifications,
  confirmReceipt,
  listUnconfirmedReceipts,
  markNotificationFailed,
  markNotificationSent,
  markNotificationSuppressed,
} from '../db/repositories/notifications';
import { getPersonalData } from '../db/repositories/personal-data';
import { appendTimelineEvent } from '../db/repositories/timeline';
import { notificationDelivered, splitNotificationKey } from '../workflows/shared/contract';
import type { DeliveryAdapter } from './adapters';
import { isOutreach, renderNotification } from './templates';

export interface DispatcherDeps {
  db: Kysely<Database>;
  adapter: DeliveryAdapter;
  /** For delivery receipts to workflows; absent in tests that only exercise delivery. */
  temporal?: Client;
  logger: Logger;
  pollMs?: number;
  batchSize?: number;
  maxAttempts?: number;
  now?: () => Date;
}

type Claimed = Awaited<ReturnType<typeof claimDueNotifications>>[number];

export function startNotificationDispatcher(deps: DispatcherDeps): {
  stop(): Promise<void>;
  drainOnce(): Promise<number>;
} {
  const { logger, pollMs = 500 } = deps;
  let running = true;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (running) {
      try {
        const sent = await drainOnce(deps);
        if (sent > 0) continue;
      } catch (err) {
        logger.warn({ err: errorSummary(err) }, 'notification dispatcher: outbox unavailable, retrying');
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, pollMs).unref();
      });
    }
  })();
  return {
    async stop() {
      running = false;
      wake?.();
      await loop;
    },
    drainOnce: () => drainOnce(deps),
  };
}

export async function drainOnce(deps: DispatcherDeps): Promise<number> {
  const rows = await claimDueNotifications(deps.db, deps.batchSize ?? 20);
  for (const row of rows) await deliver(deps, row);
  if (deps.temporal) await confirmPendingReceipts(deps.db, deps.temporal, deps.logger);
  return rows.length;
}

/**
 * A receipt must reach its workflow, or a statutory clock breaches although the notice went out.
 * Sending and signalling cannot be one transaction, so a receipt whose signal failed is kept
 * unconfirmed and signalled again on the next round; the workflow ignores a repeated receipt.
 */
async function confirmPendingReceipts(db: Kysely<Database>, temporal: Client, logger: Logger): Promise<void> {
  for (const receipt of await listUnconfirmedReceipts(db, 50)) {
    try {
      await sendReceipt(temporal, receipt.idempotencyKey, receipt.sentAt);
      await confirmReceipt(db, receipt.id);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) {
        await confirmReceipt(db, receipt.id); // the case has ended; nobody is waiting any more
      } else {
        logger.warn(
          { notificationId: receipt.id, err: errorSummary(err) },
          'delivery receipt not yet signalled; will retry',
        );
        return;
      }
    }
  }
}

async function deliver(deps: DispatcherDeps, row: Claimed): Promise<void> {
  const { db, adapter, logger, maxAttempts = 8 } = deps;
  const now = deps.now ?? (() => new Date());
  try {
    const { to, name } = await resolveRecipient(db, row);
    // Outreach (reminders, surveys) never goes to a number or address on the do-not-contact list;
    // statutory notices (document list, denial, complaint decisions) still must.
    if (
      row.recipientKind === 'customer' &&
      isOutreach(row.template) &&
      (await isOnDoNotContact(db, row.channel === 'email' ? { email: to } : { phone: to }))
    ) {
      const at = now();
      await db.transaction().execute(async (trx) => {
        await markNotificationSuppressed(trx, row.id, 'do-not-contact');
        if (row.caseId) {
          await appendTimelineEvent(trx, row.caseId, {
            key: `notification:${row.id}:suppressed`,
            at: at.toISOString(),
            actor: 'system',
            kind: 'notification.suppressed',
            detail: { template: row.template, channel: row.channel, reason: 'do-not-contact' },
          });
        }
      });
      return;
    }
    const message = renderNotification(row.template, row.params, name);
    await adapter.send({ id: row.id, channel: row.channel, to, ...message });
    const sentAt = now();
    // The status and its timeline event commit together: a crash between two separate writes left
    // a notice `sent` that the case's timeline never showed.
    await db.transaction().execute(async (trx) => {
      await markNotificationSent(trx, row.id, to, sentAt);
      if (row.caseId) {
        await appendTimelineEvent(trx, row.caseId, {
          key: `notification:${row.id}:sent`,
          at: sentAt.toISOString(),
          actor: 'system',
          kind: 'notification.sent',
          detail: { template: row.template, channel: row.channel },
        });
      }
    });
  } catch (err) {
    const attempts = row.attempts + 1;
    const final = attempts >= maxAttempts;
    logger.warn({ notificationId: row.id, attempts, final, err: errorSummary(err) }, 'notification delivery failed');
    // Exponential back-off so a gateway outage is not hammered: 5 s, 10 s, 20 s ... capped at 10 min.
    const retryAt = new Date(now().getTime() + Math.min(5_000 * 2 ** (attempts - 1), 600_000));
    await markNotificationFailed(db, row.id, errorSummary(err), { final, retryAt });
  }
}

async function resolveRecipient(db: Kysely<Database>, row: Claimed): Promise<{ to: string; name?: string }> {
  if (row.recipientKind !== 'customer') return { to: row.recipientRef };
  if (!row.caseId) throw new Error('customer notification without a case');
  const personal = (await getPersonalData(db, row.caseId)) ?? {};
  const person = (personal.reporter ?? personal.customer ?? personal.holder ?? {}) as {
    name?: string;
    phone?: string;
    email?: string;
  };
  const to = row.channel === 'email' ? person.email : person.phone;
  if (!to) throw new Error(`no ${row.channel} address on the case`);
  return { to, name: person.name };
}

async function sendReceipt(temporal: Client, key: string, sentAt: Date): Promise<void> {
  const { workflowId, purpose } = splitNotificationKey(key);
  await temporal.workflow
    .getHandle(workflowId)
    .signal(notificationDelivered, { key, purpose, sentAt: sentAt.toISOString() });
}

function errorSummary(err: unknown): string {
  // Messages only: driver errors can quote parameters, and parameters can be personal data.
  return err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 300) : 'unknown error';
}
