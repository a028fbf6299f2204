/**
 * The messages every case answers — assign (supervisor+), note (agent+), new calendar data — written
 * once for every case type.
 */
import { setHandler } from '@temporalio/workflow';
import { addNote, assignCase, calendarChanged, REFUSAL } from './contract';
import type { ClockedCase, ClockKeeper } from './clocks';
import type { Journal } from './journal';
import { refuse, requireRole } from './refuse';

export interface CaseHandlerContext {
  view: ClockedCase;
  journal: Journal;
  clocks: ClockKeeper;
  /** Refuses (synchronously) when the case's status does not allow the action. */
  allow: (action: 'assign' | 'note') => void;
  /** Stamps the change and projects it; resolves to the case view. */
  touched: () => Promise<unknown>;
}

export function registerCaseHandlers({ view, journal, clocks, allow, touched }: CaseHandlerContext): void {
  setHandler(
    assignCase,
    async ({ actor, assignee }) => {
      const from = view.assignee;
      view.assignee = assignee;
      journal.record(actor.id, 'case.assigned', { from, to: assignee });
      journal.notify(`assigned:${journal.seq}`, {
        channel: 'internal',
        template: 'case.assigned',
        recipient: { kind: 'staff', staffId: assignee },
        params: { caseId: view.id },
      });
      return touched();
    },
    {
      validator: ({ actor, assignee }) => {
        allow('assign');
        requireRole(actor, 'supervisor', 'assigning a case');
        if (!assignee.trim()) refuse(REFUSAL.invalidInput, 'an assignee is needed');
      },
    },
  );

  setHandler(
    addNote,
    async ({ actor, text }) => {
      journal.record(actor.id, 'note.added', { text });
      return touched();
    },
    {
      validator: ({ text }) => {
        allow('note');
        if (!text.trim()) refuse(REFUSAL.invalidInput, 'a note needs text');
      },
    },
  );

  setHandler(calendarChanged, ({ days }) => {
    void clocks.recomputeProvisional(days ?? []).then((changed) => (changed ? touched() : undefined));
  });
}
