/**
 * 督促客户尽快收集资料: while documents are missing, remind the customer at the
 * `claim.documentReminder` interval; after the last reminder an agent gets a task to call.
 */
import { caseActivities } from '../shared/activities';
import { nowIso } from '../shared/journal';
import type { ClaimContext } from './context';
import { CLAIM_CLOCKS } from '../../domain/claim';

export async function remindAboutDocuments({ state, journal, clocks }: ClaimContext): Promise<void> {
  const { view } = state;
  while (view.status === 'awaiting_documents' && state.nextReminderAt !== null) {
    const dueAt = Date.parse(state.nextReminderAt);
    // On the case's one timer, beside its clocks (a run recorded before it: on a timer of its own).
    const stopped = await clocks.sleepUntil(dueAt, () => view.status !== 'awaiting_documents');
    if (stopped) return;
    const [next] = await caseActivities.scheduleClocks([
      { policy: CLAIM_CLOCKS.documentReminder, startedAt: nowIso() },
    ]);
    if (view.status !== 'awaiting_documents') return;
    const n = view.documentReminders + 1;
    view.documentReminders = n;
    view.updatedAt = nowIso();
    journal.notify(`documentReminder:${n}`, {
      channel: 'sms',
      template: 'claim.documentReminder',
      recipient: { kind: 'customer' },
      params: { caseId: view.id, missing: view.missingDocuments, reminder: n },
    });
    journal.record('system', 'documents.reminded', { reminder: n, missing: view.missingDocuments });
    const limit = next?.repeats ?? 3;
    if (n >= limit) {
      state.nextReminderAt = null;
      view.tasks.push({ kind: 'call_customer_for_documents', createdAt: nowIso(), done: false });
      journal.record('system', 'task.created', { task: 'call_customer_for_documents', after: n });
      journal.notify('task:call_customer_for_documents', {
        channel: 'internal',
        template: 'claim.callTask',
        recipient: view.assignee
          ? { kind: 'staff', staffId: view.assignee }
          : { kind: 'role', role: 'supervisor', team: view.team },
        params: { caseId: view.id, missing: view.missingDocuments, reminders: n },
      });
    } else {
      state.nextReminderAt = next?.dueAt ?? null;
    }
    await journal.flush();
  }
}
