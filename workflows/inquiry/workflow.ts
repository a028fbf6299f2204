/**
 * The inquiry (咨询), on paper: answered on the spot → recorded and closed at once; otherwise open with
 * the inquiry.answer clock (1 working day, the customer is told the promised time; paused while
 * waiting for the customer's information) → consulting departments in parallel (each its own clock)
 * → answered → closed once the answer is delivered. Every answered inquiry sends a satisfaction
 * survey. The workflow then stays open (asleep) for the quality-review window, so a supervisor's
 * review of a closed inquiry is recorded like any other action; it ends at the review or the window's end.
 */
import { condition, continueAsNew } from '@temporalio/workflow';
import { INQUIRY_CLOCKS } from '../../domain/inquiry';
import { historyTooLong, serveView, settleRun } from '../shared/case-run';
import { caseActivities } from '../shared/activities';
import { ClockKeeper } from '../shared/clocks';
import { INQUIRY_INSTANTS_ON_ONE_TIMER } from '../shared/patches';
import { Journal, nowIso } from '../shared/journal';
import { watchConsultation } from './consultations';
import { closeInquiry, type InquiryContext, touched } from './context';
import { getInquiry, inquiryOpened, type InquiryInput, type InquiryView } from './contract';
import { registerInquiryHandlers } from './handlers';
import { inquirySnapshot, isInquiryFinished, newInquiryState, type InquiryResume } from './state';

export async function inquiryWorkflow(input: InquiryInput, resume?: InquiryResume): Promise<InquiryView> {
  const state = resume?.state ?? newInquiryState(input);
  const journal = new Journal(() => inquirySnapshot(state.view), caseActivities, state.seq);
  const clocks = new ClockKeeper(state.view, journal, caseActivities);
  const ctx: InquiryContext = { state, journal, clocks };

  serveView(state, getInquiry, inquiryOpened);
  registerInquiryHandlers(ctx);

  if (resume) {
    clocks.resume();
    for (const consultation of state.view.consultations) void watchConsultation(ctx, consultation.id);
  } else {
    await open(ctx, input);
  }

  await condition(() => state.view.status === 'closed' || historyTooLong());
  if (state.view.status === 'closed' && !isInquiryFinished(state) && state.view.reviewOpenUntil) {
    const reviewed = await clocks.sleepUntil(
      Date.parse(state.view.reviewOpenUntil),
      () => state.view.review !== null || historyTooLong(),
      INQUIRY_INSTANTS_ON_ONE_TIMER,
    );
    if (!reviewed) state.reviewWindowEnded = true;
  }
  await settleRun(state, journal);
  if (!isInquiryFinished(state)) {
    return continueAsNew<typeof inquiryWorkflow>(input, { state });
  }
  return state.view;
}

async function open(ctx: InquiryContext, input: InquiryInput): Promise<void> {
  const { state, journal, clocks } = ctx;
  const { view } = state;
  journal.record(input.openedBy.id, 'case.opened', {
    type: 'inquiry',
    channel: view.channel,
    topic: view.topic,
    team: view.team,
    onTheSpot: input.answer !== null,
  });
  if (input.answer !== null) {
    // Answered on the spot: recorded and closed at once; it still counts for KPIs and quality review.
    view.answer = { text: input.answer, by: input.openedBy.id, at: view.receivedAt };
    await closeInquiry(ctx, input.openedBy.id, { onTheSpot: true });
  } else {
    const [answer] = await clocks.start([INQUIRY_CLOCKS.answer], view.receivedAt);
    view.promisedBy = answer?.dueAt ?? null;
    journal.notify('promisedTime', {
      channel: 'sms',
      template: 'inquiry.promisedTime',
      recipient: { kind: 'customer' },
      params: { caseId: view.id, dueAt: view.promisedBy },
    });
    if (state.earlyAnswerDeliveredAt) {
      view.answerDeliveredAt = state.earlyAnswerDeliveredAt;
      clocks.meet(INQUIRY_CLOCKS.answer);
      await closeInquiry(ctx, 'system', { answerDeliveredAt: state.earlyAnswerDeliveredAt });
    }
  }
  view.updatedAt = nowIso();
  await touched(ctx);
  state.opened = true;
}
