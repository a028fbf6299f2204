/** What the inquiry's handlers and main flow share: the moves every action makes, and closing. */
import { durationToMillis } from '../../domain/duration';
import { INQUIRY_REVIEW_WINDOW } from '../../domain/inquiry';
import { type CaseContext, moveTo, touched } from '../shared/case-context';
import { nowIso } from '../shared/journal';
import { sendSatisfactionSurvey } from '../shared/surveys';
import type { InquiryView } from './contract';
import type { InquiryState } from './state';

export interface InquiryContext extends CaseContext<InquiryView> {
  state: InquiryState;
}

export { moveTo, touched };

/**
 * Closes an answered inquiry: the review window opens and the satisfaction survey goes out (an
 * answered inquiry rates the agent who owns it, else the one who answered). The caller flushes.
 */
export async function closeInquiry(
  ctx: InquiryContext,
  actor: string,
  detail: Record<string, unknown> = {},
): Promise<void> {
  const { view } = ctx.state;
  const at = nowIso();
  moveTo(ctx, 'closed', actor, detail);
  view.closedAt = at;
  view.reviewOpenUntil = new Date(Date.parse(at) + durationToMillis(INQUIRY_REVIEW_WINDOW)).toISOString();
  const survey = await sendSatisfactionSurvey(ctx.journal, {
    caseId: view.id,
    caseType: 'inquiry',
    team: view.team,
    agent: view.assignee ?? view.answer?.by ?? actor,
    channel: view.channel,
  });
  view.surveySentAt = survey.sentAt;
}
