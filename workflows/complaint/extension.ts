/**
 * 延长处理期限: a complex complaint's decision period may be extended twice — first to 30 days in total
 * (supervisor+, with a reason), then to 60 (manager+) — each time moving the statutory decision clock
 * and telling the customer. The new due instant is the extended period counted from receipt, computed
 * by the deadline engine (an activity), never by adding days in workflow code.
 */
import { setHandler } from '@temporalio/workflow';
import { COMPLAINT_CLOCKS, complaintActionAllowed, nextComplaintExtension } from '../../domain/complaint';
import { caseActivities } from '../shared/activities';
import { REFUSAL } from '../shared/contract';
import { nowIso } from '../shared/journal';
import { refuse, requireRole, requireStatus } from '../shared/refuse';
import { type ComplaintContext, touched } from './context';
import { type ComplaintExtension, extendDecision } from './contract';
import type { ClockPolicyName } from '../../domain/deadline-policies';

export function registerExtensionHandler(ctx: ComplaintContext): void {
  const { state, journal, clocks } = ctx;
  const view = state.view;

  setHandler(
    extendDecision,
    async ({ actor, reason }) => {
      const step = nextComplaintExtension(view.extensions.length);
      if (!step) throw new Error('validated extension has no step');
      // Counted at once, before the await, so a concurrent second request sees this one.
      const extension: ComplaintExtension = {
        n: step.extension,
        reason,
        approvedBy: actor.id,
        approverRole: actor.role,
        at: nowIso(),
        dueAt: view.decisionDueAt ?? '',
      };
      view.extensions.push(extension);
      const [schedule] = await caseActivities.scheduleClocks([
        { policy: step.totalPolicy, startedAt: view.receivedAt },
      ]);
      if (!schedule) throw new Error('scheduleClocks returned no schedule');
      extension.dueAt = schedule.dueAt;
      view.decisionDueAt = schedule.dueAt;
      clocks.extend(
        COMPLAINT_CLOCKS.decision,
        schedule.dueAt,
        schedule.warnAt,
        actor.id,
        { extension: step.extension, reason, policy: step.totalPolicy },
        schedule.provisional,
      );
      journal.notify(`extension:${step.extension}`, {
        channel: 'sms',
        template: 'complaint.extensionNotice',
        recipient: { kind: 'customer' },
        params: { caseId: view.id, extension: step.extension, dueAt: schedule.dueAt, reason },
      });
      return touched(ctx);
    },
    {
      validator: ({ actor, reason }) => {
        // An agent may never extend; which senior role the next step needs is checked below.
        requireRole(actor, 'supervisor', 'extending the decision period');
        requireStatus(complaintActionAllowed(view.status, 'extend'), view.status, 'extend');
        const step = nextComplaintExtension(view.extensions.length);
        if (!step)
          refuse(
            REFUSAL.invalidState,
            'the decision period has been extended twice already; no further extension is allowed',
          );
        requireRole(actor, step.approver, `extension ${step.extension} of the decision period`);
        if (view.decisionCommunicatedAt)
          refuse(REFUSAL.invalidState, 'the decision has been communicated to the complainant already');
        const decision = clocks.openClock(COMPLAINT_CLOCKS.decision);
        if (!decision || decision.state === 'breached')
          refuse(REFUSAL.invalidState, 'the decision period has already run out');
        if (!reason.trim()) refuse(REFUSAL.invalidInput, 'an extension needs a reason');
      },
    },
  );
}

/** After an extension the decision clock is computed (on new calendar data) with the extended policy. */
export function decisionRecomputePolicy(ctx: ComplaintContext, policy: ClockPolicyName): ClockPolicyName {
  if (policy !== COMPLAINT_CLOCKS.decision) return policy;
  const granted = ctx.state.view.extensions.length;
  return granted === 0 ? policy : (nextComplaintExtension(granted - 1)?.totalPolicy ?? policy);
}
