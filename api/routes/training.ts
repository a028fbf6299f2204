/**
 * Training (培训). HR and managers plan trainings; supervisors (their team) and HR record each
 * person's sessions and exams; everyone reads their own records, supervisors their team's, HR and
 * managers all. `{id}` in `/training/{id}/attendance` and `/training/{id}/exam` names the **plan**
 * (`TP…`): the body's `staffId` picks the person's record on it (API.md: `{ staffId, ... }`).
 * A record is a department record (case type `training`), never one of the customer's cases.
 */
import type { UpdateDefinition } from '@temporalio/common';
import { getCaseRow } from '../../db/repositories/case-reads';
import { listStaff } from '../../db/repositories/staff';
import { findTrainingRecord, getTrainingPlan, listTrainingRecords } from '../../db/repositories/training';
import type { Actor } from '../../domain/case';
import { DEFAULT_PERIODIC_EVERY_MONTHS } from '../../domain/training';
import { shanghaiMonth } from '../../domain/civil-time';
import { assignTraining, TrainingAssignmentError } from '../../services/training-assignments';
import { recordAttendance, recordExam, trainingWorkflowId, type TrainingView } from '../../workflows/training/contract';
import { actorOf, scopeTeam, type Principal } from '../auth';
import { updateExistingCase } from '../case-access';
import type { AppContext } from '../context';
import { problems } from '../errors';
import type { ApiRoutes } from '../routing';
import {
  attendanceBody,
  examBody,
  trainingPlanBody,
  trainingPlanParams,
  trainingPlanResponse,
  trainingRecordList,
  trainingRecordSchema,
  trainingRecordsQuery,
} from '../schemas/training';
import { renderTimes } from '../time';

/** Who records sessions and exams: supervisors and above, and HR. */
const RECORDERS = ['supervisor', 'manager', 'admin', 'hr'] as const;

export function registerTrainingRoutes(routes: ApiRoutes, ctx: AppContext): void {
  const { db, temporal, now } = ctx;

  routes.add(
    {
      method: 'post',
      path: '/training/plans',
      tag: 'Training',
      summary: 'Plan a training (培训计划): onboarding, periodic or special, for people or a team',
      description:
        'One training record per person, each run by its own workflow: attendance, an exam against `passMark`, a retake (training.retake, 14 days) after a first fail, HR told after a second. A periodic plan is for a team and repeats every `everyMonths` (default 3): the periodic Schedule assigns the next round. Naming staff who are not active in the directory is 400.',
      access: ['hr', 'manager', 'admin'],
      body: trainingPlanBody,
      idempotent: true,
      responses: {
        201: {
          description: 'The plan and its records',
          schema: trainingPlanResponse,
          headers: { Location: 'The records of the plan' },
        },
      },
      problems: [403],
    },
    async ({ principal, body }) => {
      const staffIds =
        body.staffIds ?? (await listStaff(db, { team: body.team, active: true })).map((member) => member.id);
      const at = now();
      try {
        const { planId, recordIds } = await assignTraining(
          { db, temporal, now: () => at },
          {
            kind: body.kind,
            title: body.title,
            topics: body.topics,
            passMark: body.passMark,
            staffIds,
            reason: body.reason ?? 'planned by hand',
            by: actorOf(principal),
            ...(body.team === undefined ? {} : { team: body.team }),
            ...(body.kind === 'periodic' ? { everyMonths: body.everyMonths ?? DEFAULT_PERIODIC_EVERY_MONTHS } : {}),
            ...(body.durationDays === undefined ? {} : { durationDays: body.durationDays }),
            // A team's periodic plan by hand is this month's round: the Schedule does not assign another.
            ...(body.kind === 'periodic' && body.team !== undefined
              ? { source: { periodicRound: { team: body.team, month: shanghaiMonth(at) } } }
              : {}),
          },
        );
        const plan = await getTrainingPlan(db, planId);
        if (!plan) throw new Error(`training plan ${planId} vanished`);
        const { sourceKey: _source, ...shown } = plan;
        return {
          status: 201,
          body: renderTimes({ ...shown, recordIds }),
          headers: { Location: `/api/v1/training/records?planId=${planId}` },
        };
      } catch (err) {
        if (err instanceof TrainingAssignmentError)
          throw problems.validation([{ path: err.path, message: err.message }]);
        throw err;
      }
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/training/records',
      tag: 'Training',
      summary: "Each person's training: sessions, exams, scores, retakes, status (one query)",
      description:
        "Agents read their own records, supervisors their team's, HR and managers anyone's. Asking for someone out of reach is 404, as for another team's cases. Newest first.",
      access: ['agent', 'supervisor', 'manager', 'admin', 'hr'],
      query: trainingRecordsQuery,
      responses: { 200: { description: 'Training records', schema: trainingRecordList } },
      problems: [403, 404],
    },
    async ({ principal, query }) => {
      const filter = recordsFilter(principal, query);
      const rows = await listTrainingRecords(db, {
        ...filter,
        ...(query.planId === undefined ? {} : { planId: query.planId }),
        limit: query.limit,
      });
      const items = rows.map((row) => {
        const view = (row.data ?? {}) as Partial<TrainingView>;
        return {
          id: row.id,
          planId: row.planId,
          staffId: row.staffId,
          team: row.team,
          kind: row.kind,
          title: row.title,
          topics: row.topics,
          passMark: row.passMark,
          assignedAt: row.assignedAt,
          status: row.status,
          sessions: view.sessions ?? [],
          exams: view.exams ?? [],
          retakes: view.retakes ?? 0,
          flagged: view.flagged ?? null,
          passedAt: view.passedAt ?? null,
          endedAt: view.endedAt ?? null,
          escalationLevel: row.escalationLevel ?? 0,
          clocks: view.clocks ?? [],
          updatedAt: row.updatedAt,
        };
      });
      return { status: 200, body: renderTimes({ items }) };
    },
  );

  /** The record of `staffId` on plan `planId`, if the caller may act on it. */
  async function recordOf(principal: Principal, planId: string, staffId: string) {
    const record = await findTrainingRecord(db, planId, staffId);
    const own = scopeTeam(principal);
    if (!record || (own !== undefined && record.team !== own))
      throw problems.notFound('No training record of this person on this plan.');
    return record;
  }

  async function act<U extends { actor: Actor }>(
    principal: Principal,
    planId: string,
    staffId: string,
    update: UpdateDefinition<TrainingView, [U]>,
    input: Omit<U, 'actor'>,
    updateId: string | undefined,
  ) {
    const record = await recordOf(principal, planId, staffId);
    const row = await getCaseRow(db, record.id);
    // Assigned a moment ago: the record's first projection is still on its way.
    if (!row) throw problems.conflict('The training record is still being assigned; retry shortly.', 1);
    const handle = temporal.workflow.getHandle(trainingWorkflowId(record.id));
    const view = await updateExistingCase(row, () =>
      handle.executeUpdate(update, { args: [{ ...input, actor: actorOf(principal) } as U], updateId }),
    );
    return { status: 200, body: renderTimes(present(view, record.team, record.assignedAt)) };
  }

  routes.add(
    {
      method: 'post',
      path: '/training/{id}/attendance',
      tag: 'Training',
      summary: 'A session the person attended (→ attended); `{id}` is the plan, `staffId` the person',
      description:
        'Supervisor (own team), manager+, HR. A session may also precede the retake. A record that has ended (passed or flagged) is 409; a session in the future is 422.',
      access: RECORDERS,
      params: trainingPlanParams,
      body: attendanceBody,
      idempotent: true,
      responses: { 200: { description: 'The training record', schema: trainingRecordSchema } },
      problems: [403, 404, 409, 422],
    },
    async ({ principal, params, body, updateId }) =>
      act(
        principal,
        params.id,
        body.staffId,
        recordAttendance,
        {
          attendedAt: body.attendedAt ?? now().toISOString(),
          ...(body.topic === undefined ? {} : { topic: body.topic }),
          ...(body.hours === undefined ? {} : { hours: body.hours }),
        },
        updateId,
      ),
  );

  routes.add(
    {
      method: 'post',
      path: '/training/{id}/exam',
      tag: 'Training',
      summary: "An exam's score against the plan's pass mark (→ passed, or retake, or flagged to HR)",
      description:
        'Supervisor (own team), manager+, HR. `kind`: theory (理论), practical (实操) or satisfaction (客户满意度). A first fail opens the retake (training.retake, 14 days); a fail of the retake flags the record to HR (相应处理). Before any session attended, or once the record has ended, 409.',
      access: RECORDERS,
      params: trainingPlanParams,
      body: examBody,
      idempotent: true,
      responses: { 200: { description: 'The training record', schema: trainingRecordSchema } },
      problems: [403, 404, 409, 422],
    },
    async ({ principal, params, body, updateId }) =>
      act(principal, params.id, body.staffId, recordExam, { kind: body.kind, score: body.score }, updateId),
  );
}

/** Agents: their own records; supervisors: their team's; HR, managers, admins: anyone's. */
function recordsFilter(
  principal: Principal,
  query: { staffId?: string; team?: string },
): { staffId?: string; team?: string } {
  if (principal.role === 'agent') {
    if (query.staffId !== undefined && query.staffId !== principal.sub) throw problems.notFound();
    if (query.team !== undefined && query.team !== principal.team) throw problems.notFound();
    return { staffId: principal.sub };
  }
  const own = scopeTeam(principal);
  if (own !== undefined) {
    if (query.team !== undefined && query.team !== own) throw problems.notFound();
    return { team: own, ...(query.staffId === undefined ? {} : { staffId: query.staffId }) };
  }
  return {
    ...(query.team === undefined ? {} : { team: query.team }),
    ...(query.staffId === undefined ? {} : { staffId: query.staffId }),
  };
}

function present(view: TrainingView, team: string | null, assignedAt: Date) {
  return {
    id: view.id,
    planId: view.planId,
    staffId: view.staffId,
    team,
    kind: view.kind,
    title: view.title,
    topics: view.topics,
    passMark: view.passMark,
    assignedAt,
    status: view.status,
    sessions: view.sessions,
    exams: view.exams,
    retakes: view.retakes,
    flagged: view.flagged,
    passedAt: view.passedAt,
    endedAt: view.endedAt,
    escalationLevel: view.escalationLevel,
    clocks: view.clocks,
    updatedAt: view.updatedAt,
  };
}
