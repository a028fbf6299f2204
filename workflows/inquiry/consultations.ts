/**
 * 及时向相关部门咨询: the agent asks one or more departments in parallel; each consultation runs its own
 * inquiry.consultation clock (4 business hours), escalated by the ClockKeeper when breached, and the
 * department's lateness is named to the team's supervisor.
 */
import { setHandler } from '@temporalio/workflow';
import { AFTER_CONSULT, INQUIRY_CLOCKS } from '../../domain/inquiry';
import { INQUIRY_INSTANTS_ON_ONE_TIMER } from '../shared/patches';
import { REFUSAL } from '../shared/contract';
import { nowIso } from '../shared/journal';
import { refuse } from '../shared/refuse';
import { type InquiryContext, moveTo, touched } from './context';
import { type Consultation, recordConsultationReply, requestConsultation } from './contract';

export function registerConsultationHandlers(
  ctx: InquiryContext,
  allow: (action: 'consult' | 'consultationReply') => void,
): void {
  const { state, journal, clocks } = ctx;
  const view = state.view;
  const find = (id: string) => view.consultations.find((c) => c.id === id);

  setHandler(
    requestConsultation,
    async ({ actor, department, question }) => {
      const consultation: Consultation = {
        id: `c${view.consultations.length + 1}`,
        department,
        question,
        requestedBy: actor.id,
        requestedAt: nowIso(),
        clockId: null,
        dueAt: null,
        state: 'pending',
        late: false,
        reply: null,
      };
      view.consultations.push(consultation);
      journal.record(actor.id, 'consultation.requested', { consultation: consultation.id, department });
      if (view.status !== AFTER_CONSULT) moveTo(ctx, AFTER_CONSULT, actor.id);
      const [clock] = await clocks.start([INQUIRY_CLOCKS.consultation], consultation.requestedAt);
      consultation.clockId = clock?.id ?? null;
      consultation.dueAt = clock?.dueAt ?? null;
      journal.notify(`consultation:${consultation.id}`, {
        channel: 'internal',
        template: 'inquiry.consultationRequest',
        // Departments are teams in the staff directory: their supervisor receives the request.
        recipient: { kind: 'role', role: 'supervisor', team: department },
        params: { caseId: view.id, department, question, dueAt: consultation.dueAt },
      });
      void watchConsultation(ctx, consultation.id);
      return touched(ctx);
    },
    {
      validator: ({ department, question }) => {
        allow('consult');
        if (!department.trim() || !question.trim())
          refuse(REFUSAL.invalidInput, 'a consultation needs a department and a question');
        if (view.consultations.some((c) => c.department === department && c.state === 'pending')) {
          refuse(REFUSAL.invalidState, `a consultation with ${department} is already pending`);
        }
      },
    },
  );

  setHandler(
    recordConsultationReply,
    async ({ actor, consultationId, reply }) => {
      const consultation = find(consultationId);
      if (!consultation?.clockId) throw new Error('validated consultation vanished');
      consultation.state = 'replied';
      consultation.reply = { text: reply, recordedBy: actor.id, at: nowIso() };
      clocks.meetClock(consultation.clockId, actor.id);
      journal.record(actor.id, 'consultation.replied', {
        consultation: consultationId,
        department: consultation.department,
        late: consultation.late,
      });
      return touched(ctx);
    },
    {
      validator: ({ consultationId, reply }) => {
        allow('consultationReply');
        const consultation = find(consultationId);
        if (!consultation) refuse(REFUSAL.invalidInput, `no consultation ${consultationId} on this inquiry`);
        if (consultation.state !== 'pending' || !consultation.clockId)
          refuse(REFUSAL.invalidState, `consultation ${consultationId} is ${consultation.state}`);
        if (!reply.trim()) refuse(REFUSAL.invalidInput, 'a reply needs text');
      },
    },
  );
}

/** Names the late department to the supervisor when its clock runs out (the ClockKeeper escalates). */
export async function watchConsultation(ctx: InquiryContext, id: string): Promise<void> {
  const { view } = ctx.state;
  const consultation = view.consultations.find((c) => c.id === id);
  if (!consultation?.dueAt || consultation.state !== 'pending' || consultation.late) return;
  const answered = await ctx.clocks.sleepUntil(
    Date.parse(consultation.dueAt),
    () => consultation.state !== 'pending',
    INQUIRY_INSTANTS_ON_ONE_TIMER,
  );
  if (answered) return;
  consultation.late = true;
  ctx.journal.record('system', 'consultation.late', {
    consultation: id,
    department: consultation.department,
    dueAt: consultation.dueAt,
  });
  ctx.journal.notify(`consultation:${id}:late`, {
    channel: 'internal',
    template: 'inquiry.consultationLate',
    recipient: { kind: 'role', role: 'supervisor', team: view.team },
    params: { caseId: view.id, department: consultation.department, dueAt: consultation.dueAt },
  });
  await touched(ctx);
}

/** The answer went out without some replies: their clocks end as cancelled. */
export function cancelPendingConsultations({ state, clocks }: InquiryContext, actor: string): void {
  for (const consultation of state.view.consultations) {
    if (consultation.state === 'pending') consultation.state = 'cancelled';
  }
  clocks.cancel(INQUIRY_CLOCKS.consultation, actor);
}
