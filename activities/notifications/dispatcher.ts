/**
 * Drains the notifications outbox. Workflows only queue (idempotently); this loop renders, sends and
 * marks each row, and for statutory notices signals the workflow that the notice went out. Rows are
 * leased (SKIP LOCKED) so several workers can drain one outbox without sending anything twice.
 */
import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../../db/schema';
import { claimDueNotifications, markNotificationFailed, markNotificationSent } from '../../db/repositories/notifications';
import { getPersonalData } from '../../db/repositories/personal-data';
import { notificationDelivered } from '../../workflows/shared/contract';
import type { DeliveryAdapter } from './adapters';
import { renderNotification } from './templates';

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

export function startNotificationDispatcher(deps: DispatcherDeps): { stop(): Promise<void>; drainOnce(): Promise<number> } {
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
  return rows.length;
}

async function deliver(deps: DispatcherDeps, row: Claimed): Promise<void> {
  const { db, adapter, logger, maxAttempts = 8 } = deps;
  const now = deps.now ?? (() => new Date());
  try {
    const { to, name } = await resolveRecipient(db, row);
    const message = renderNotification(row.template, row.params, name);
    await adapter.send({ id: row.id, channel: row.channel as 'sms' | 'email' | 'internal', to, ...message });
    const sentAt = now();
    await markNotificationSent(db, row.id, to, sentAt);
    if (row.receipt && deps.temporal) await sendReceipt(deps.temporal, row.idempotencyKey, sentAt);
  } catch (err) {
    const final = row.attempts + 1 >= maxAttempts;
    logger.warn({ notificationId: row.id, attempts: row.attempts + 1, final, err: errorSummary(err) }, 'notification delivery failed');
    await markNotificationFailed(db, row.id, errorSummary(err), { final });
  }
}

async function resolveRecipient(db: Kysely<Database>, row: Claimed): Promise<{ to: string; name?: string }> {
  if (row.recipientKind !== 'customer') return { to: row.recipientRef };
  if (!row.caseId) throw new Error('customer notification without a case');
  const personal = (await getPersonalData(db, row.caseId)) ?? {};
  const person = (personal.reporter ?? personal.customer ?? personal.holder ?? {}) as { name?: string; phone?: string; email?: string };
  const to = row.channel === 'email' ? person.email : person.phone;
  if (!to) throw new Error(`no ${row.channel} address on the case`);
  return { to, name: person.name };
}

/** Notification keys are `<workflowId>:<purpose>`; workflow ids never contain ':'. */
async function sendReceipt(temporal: Client, key: string, sentAt: Date): Promise<void> {
  const workflowId = key.slice(0, key.indexOf(':'));
  await temporal.workflow.getHandle(workflowId).signal(notificationDelivered, { key, sentAt: sentAt.toISOString() });
}

function errorSummary(err: unknown): string {
  // Messages only: driver errors can quote parameters, and parameters can be personal data.
  return err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 300) : 'unknown error';
}
