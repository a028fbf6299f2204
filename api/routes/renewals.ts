/**
 * Renewals (续保). A renewal is opened by the sweep (the daily `renewal-sweep` Schedule, or
 * `POST /renewals/sweep` now), one per policy term, never by a client; its team is `renewals`.
 * Reading and the agents' actions go through the same helpers as every case type: Updates whose
 * validators refuse illegal transitions and calls outside the call window (409) and bad input (422).
 */
import { runRenewalSweep } from '../../services/renewal-sweep';
import {
  getRenewal,
  optOut,
  recordContact,
  recordRenewal,
  renewalOpened,
  type RenewalView,
} from '../../workflows/renewal/contract';
import { renewalWorkflow } from '../../workflows/renewal/workflow';
import { caseWorkflowId } from '../../workflows/shared/contract';
import { caseKindRoutes } from '../case-kind';
import type { AppContext } from '../context';
import { presentRenewal } from '../presenters';
import type { ApiRoutes } from '../routing';
import { contactBody, optOutBody, renewalResponse, renewedBody, sweepBody, sweepResult } from '../schemas/renewals';

const RENEWALS_BASE = '/api/v1/renewals';

export function registerRenewalRoutes(routes: ApiRoutes, ctx: AppContext): void {
  const { temporal, logger } = ctx;

  routes.add(
    {
      method: 'post',
      path: '/renewals/sweep',
      tag: 'Renewals',
      summary: 'Run the renewal sweep now (the same workflow the daily 08:00 schedule runs)',
      description:
        'Starts one renewal per policy term expiring within `renewal.window` that has none yet, and answers when the sweep has finished. A second sweep starts nothing again: terms already being worked count as `existing`. Two calls at once join one run.',
      access: 'manager',
      body: sweepBody,
      responses: { 200: { description: 'What the sweep did', schema: sweepResult } },
      problems: [403],
    },
    async ({ res, principal }) => {
      const started = Date.now();
      const counts = await runRenewalSweep(temporal);
      logger.info(
        {
          requestId: res.locals.requestId as unknown,
          actor: principal.sub,
          ...counts,
          seconds: (Date.now() - started) / 1000,
        },
        'renewal sweep run',
      );
      return { status: 200, body: counts };
    },
  );

  const renewals = caseKindRoutes<RenewalView, Parameters<typeof renewalWorkflow>[0]>(routes, ctx, {
    type: 'renewal',
    path: '/renewals',
    url: RENEWALS_BASE,
    tag: 'Renewals',
    response: renewalResponse,
    workflowId: (caseId) => caseWorkflowId('renewal', caseId),
    workflow: renewalWorkflow,
    opened: renewalOpened,
    view: getRenewal,
    present: presentRenewal,
  });

  renewals.read('A renewal, live from its workflow: the reminder ladder, the offer, calls and outcome');
  renewals.action(
    'contact',
    'Record a contact attempt and its outcome',
    'agent',
    contactBody,
    recordContact,
    'A phone attempt is refused (409) before the call window opens (40 days before expiry), outside outreach hours (08:00–20:00 Asia/Shanghai), to a do-not-contact number, or as the 4th unanswered call of a day. `declined` ends the renewal and puts the holder on the do-not-contact list.',
  );
  renewals.action(
    'renewed',
    'The customer renewed: record the new policy; reminders stop',
    'agent',
    renewedBody,
    recordRenewal,
  );
  renewals.action(
    'opt-out',
    'The customer wants no more contact: outreach stops, the number goes on the do-not-contact list',
    'agent',
    optOutBody,
    optOut,
    'Every outreach of any case on any channel checks the do-not-contact list first; suppressed notifications are recorded as `suppressed`.',
  );
}
