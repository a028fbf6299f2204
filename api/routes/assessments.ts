/**
 * The monthly assessment (绩效考核). HR (or an admin) runs a month; each step is its own person's:
 * the agent's self-assessment and appeal (their own only), the supervisor's score (their own agents,
 * by the staff directory; a manager may take a late one over), HR's publication and answer. Agents
 * read their own, supervisors their team's, HR and managers everyone's; an assessment out of reach
 * is 404, as another team's case is. An assessment is a department record, never a customer's case.
 */
import type { UpdateDefinition } from '@temporalio/common';
import { type AssessmentRow, getAssessmentRow, listAssessments } from '../../db/repositories/assessments';
import { getCaseRow } from '../../db/repositories/case-reads';
import { getStaffMember } from '../../db/repositories/staff';
import { periodRange } from '../../domain/assessment';
import type { Actor } from '../../domain/case';
import { runAssessments } from '../../services/assessment-run';
import { inLanes } from '../../services/workflow-starts';
import {
  appealAssessment,
  type AssessmentView,
  decideAppeal,
  publishAssessment,
  scoreAssessment,
  submitSelfAssessment,
} from '../../workflows/assessment/contract';
import { caseWorkflowId } from '../../workflows/shared/contract';
import { actorOf, type Principal } from '../auth';
import { updateExistingCase } from '../case-access';
import type { AppContext } from '../context';
import { problems } from '../errors';
import type { ApiRoutes } from '../routing';
import {
  appealBody,
  appealDecisionBody,
  assessmentList,
  assessmentParams,
  assessmentSchema,
  assessmentsQuery,
  publishBody,
  publishResponse,
  runBody,
  runResponse,
  selfBody,
  supervisorScoreBody,
} from '../schemas/assessments';
import { renderTimes } from '../time';
import { registerAnnualAssessmentRoute } from './assessments-annual';

const READERS = ['agent', 'supervisor', 'manager', 'admin', 'hr'] as const;
/** Publications walk a period's scored assessments a few at a time. */
const PUBLISH_LANES = 8;
const PUBLISH_MAX = 5_000;

export function registerAssessmentRoutes(routes: ApiRoutes, ctx: AppContext): void {
  const { db, temporal, now } = ctx;

  routes.add(
    {
      method: 'post',
      path: '/assessments/run',
      tag: 'Assessments',
      summary: "Run a month's assessment now: one per active agent, idempotently (what the monthly Schedule runs)",
      description:
        'Starts `assessment-<staffId>-<YYYYMM>` for every active agent of the directory (of `team`, if given) whose assessment of the period does not exist yet. A period that has not ended yet is 400. Running it again starts nothing twice: `existing` counts the rest.',
      access: ['hr', 'admin'],
      body: runBody,
      idempotent: true,
      responses: { 200: { description: 'Started and already existing', schema: runResponse } },
      problems: [403],
    },
    async ({ principal, body }) => {
      if (periodRange(body.period).to.getTime() > now().getTime())
        throw problems.validation([{ path: 'period', message: 'The month has not ended yet.' }]);
      const result = await runAssessments(
        { db, temporal, now },
        { period: body.period, ...(body.team ? { team: body.team } : {}), by: actorOf(principal) },
      );
      return { status: 200, body: result };
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/assessments',
      tag: 'Assessments',
      summary: 'Assessments: agents their own, supervisors their team’s, HR and managers all',
      description: 'Asking for someone out of reach is 404. Newest period first.',
      access: READERS,
      query: assessmentsQuery,
      responses: { 200: { description: 'Assessments', schema: assessmentList } },
      problems: [403, 404],
    },
    async ({ principal, query }) => {
      const rows = await listAssessments(db, {
        ...listScope(principal, query),
        ...(query.period === undefined ? {} : { period: query.period }),
        ...(query.status === undefined ? {} : { status: query.status }),
        limit: query.limit,
      });
      return { status: 200, body: renderTimes({ items: rows.map(present) }) };
    },
  );

  /** The assessment, if the caller may read it; 404 otherwise (ids cannot be probed). */
  async function readable(principal: Principal, id: string): Promise<AssessmentRow> {
    const row = await getAssessmentRow(db, id);
    if (!row || !mayRead(principal, row)) throw problems.notFound('No assessment with this id.');
    return row;
  }

  routes.add(
    {
      method: 'get',
      path: '/assessments/{id}',
      tag: 'Assessments',
      summary:
        'One assessment: figures with targets, self, supervisor score, quality reviews, total, grade, appeal, clocks',
      access: READERS,
      params: assessmentParams,
      responses: { 200: { description: 'The assessment', schema: assessmentSchema } },
      problems: [403, 404],
    },
    async ({ principal, params }) => ({
      status: 200,
      body: renderTimes(present(await readable(principal, params.id))),
    }),
  );

  async function act<U extends { actor: Actor }>(
    row: AssessmentRow,
    principal: Principal,
    update: UpdateDefinition<AssessmentView, [U]>,
    input: Omit<U, 'actor'>,
    updateId: string | undefined,
  ) {
    const caseRow = await getCaseRow(db, row.id);
    if (!caseRow) throw problems.notFound('No assessment with this id.');
    const handle = temporal.workflow.getHandle(caseWorkflowId('assessment', row.id));
    const view = await updateExistingCase(caseRow, () =>
      handle.executeUpdate(update, { args: [{ ...input, actor: actorOf(principal) } as U], updateId }),
    );
    return { status: 200, body: renderTimes(presentView(view)) };
  }

  routes.add(
    {
      method: 'post',
      path: '/assessments/{id}/self',
      tag: 'Assessments',
      summary: 'The agent’s self-assessment (个人工作自评) of the month (→ self_assessed)',
      description: 'The assessed agent only. Once scored (or later), 409.',
      access: ['agent'],
      params: assessmentParams,
      body: selfBody,
      idempotent: true,
      responses: { 200: { description: 'The assessment', schema: assessmentSchema } },
      problems: [403, 404, 409, 422],
    },
    async ({ principal, params, body, updateId }) =>
      act(
        await readable(principal, params.id),
        principal,
        submitSelfAssessment,
        {
          summary: body.summary,
          ...(body.strengths === undefined ? {} : { strengths: body.strengths }),
          ...(body.improvements === undefined ? {} : { improvements: body.improvements }),
        },
        updateId,
      ),
  );

  routes.add(
    {
      method: 'post',
      path: '/assessments/{id}/supervisor-score',
      tag: 'Assessments',
      summary: 'The supervisor’s score: attendance, initiative, teamwork (→ scored, with total and grade)',
      description:
        'The agent’s supervisor in the staff directory (any supervisor of the team when the agent has none named); another supervisor of the team is 403. A manager or admin may score a late one (the lateness is escalated to them). Scored on the weights and grade bands in force. After scoring, 409.',
      access: ['supervisor', 'manager', 'admin'],
      params: assessmentParams,
      body: supervisorScoreBody,
      idempotent: true,
      responses: { 200: { description: 'The assessment', schema: assessmentSchema } },
      problems: [403, 404, 409, 422],
    },
    async ({ principal, params, body, updateId }) => {
      const row = await readable(principal, params.id);
      if (principal.role === 'supervisor') {
        const agent = await getStaffMember(db, row.staffId);
        if (agent?.supervisorId && agent.supervisorId !== principal.sub)
          throw problems.forbidden('Only the agent’s own supervisor scores the month.');
      }
      return act(row, principal, scoreAssessment, body, updateId);
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/assessments/publish',
      tag: 'Assessments',
      summary: 'HR publishes every scored assessment of the period (→ published; the appeal window starts)',
      description:
        'Every assessment of the period (of `team`, if given) that is `scored` is published; the others are left as they are. One that refuses (it changed meanwhile) is listed in `skipped`.',
      access: ['hr'],
      body: publishBody,
      idempotent: true,
      responses: { 200: { description: 'Published', schema: publishResponse } },
      problems: [403],
    },
    async ({ principal, body }) => {
      const rows = await listAssessments(db, {
        period: body.period,
        status: 'scored',
        ...(body.team === undefined ? {} : { team: body.team }),
        limit: PUBLISH_MAX,
      });
      const published: string[] = [];
      const skipped: { id: string; reason: string }[] = [];
      await inLanes(rows, PUBLISH_LANES, async (row) => {
        try {
          const handle = temporal.workflow.getHandle(caseWorkflowId('assessment', row.id));
          await handle.executeUpdate(publishAssessment, { args: [{ actor: actorOf(principal) }] });
          published.push(row.id);
        } catch (err) {
          skipped.push({
            id: row.id,
            reason: err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : 'refused',
          });
        }
      });
      return { status: 200, body: { period: body.period, published: published.sort(), skipped } };
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/assessments/{id}/appeal',
      tag: 'Assessments',
      summary: 'The agent appeals the published result (→ appealed), only inside the appeal window (公示期)',
      description:
        'The assessed agent only. Before publication, after the window (assessment.appealWindow, 5 working days) or a second time: 409.',
      access: ['agent'],
      params: assessmentParams,
      body: appealBody,
      idempotent: true,
      responses: { 200: { description: 'The assessment', schema: assessmentSchema } },
      problems: [403, 404, 409, 422],
    },
    async ({ principal, params, body, updateId }) =>
      act(await readable(principal, params.id), principal, appealAssessment, { reason: body.reason }, updateId),
  );

  routes.add(
    {
      method: 'post',
      path: '/assessments/{id}/appeal-decision',
      tag: 'Assessments',
      summary: 'HR answers an appeal (→ appeal_answered → final); upheld may adjust component scores',
      description: 'HR only. Without an appeal pending, 409.',
      access: ['hr'],
      params: assessmentParams,
      body: appealDecisionBody,
      idempotent: true,
      responses: { 200: { description: 'The assessment', schema: assessmentSchema } },
      problems: [403, 404, 409, 422],
    },
    async ({ principal, params, body, updateId }) =>
      act(
        await readable(principal, params.id),
        principal,
        decideAppeal,
        {
          upheld: body.upheld,
          answer: body.answer,
          ...(body.adjustedScores === undefined ? {} : { adjustedScores: body.adjustedScores }),
        },
        updateId,
      ),
  );

  registerAnnualAssessmentRoute(routes, ctx);
}

function mayRead(principal: Principal, row: AssessmentRow): boolean {
  if (principal.role === 'agent') return row.staffId === principal.sub;
  if (principal.role === 'supervisor') return row.team === principal.team;
  return true;
}

/** Agents: their own; supervisors: their team's; HR, managers, admins: anyone's. */
function listScope(
  principal: Principal,
  query: { staffId?: string; team?: string },
): { staffId?: string; team?: string } {
  const asked = {
    ...(query.team === undefined ? {} : { team: query.team }),
    ...(query.staffId === undefined ? {} : { staffId: query.staffId }),
  };
  if (principal.role === 'agent') {
    if ((query.staffId ?? principal.sub) !== principal.sub || (query.team ?? principal.team) !== principal.team)
      throw problems.notFound();
    return { staffId: principal.sub };
  }
  if (principal.role === 'supervisor') {
    if ((query.team ?? principal.team) !== principal.team) throw problems.notFound();
    return { ...asked, team: principal.team };
  }
  return asked;
}

function present(row: AssessmentRow) {
  return presentView({ ...(row.data as unknown as AssessmentView), status: row.status as AssessmentView['status'] });
}

function presentView(view: AssessmentView) {
  return {
    id: view.id,
    staffId: view.staffId,
    period: view.period,
    status: view.status,
    team: view.team,
    supervisorId: view.supervisorId,
    escalationLevel: view.escalationLevel,
    figures: view.figures,
    qualityReviews: view.qualityReviews,
    attendance: view.attendance,
    self: view.self,
    supervisorScore: view.supervisorScore,
    scores: view.scores,
    weights: view.weights,
    total: view.total,
    grade: view.grade,
    bonusCoefficient: view.bonusCoefficient,
    publishedAt: view.publishedAt,
    appealWindowEndsAt: view.appealWindowEndsAt,
    appeal: view.appeal,
    consequences: view.consequences,
    finalAt: view.finalAt,
    clocks: view.clocks,
    createdAt: view.createdAt,
    updatedAt: view.updatedAt,
  };
}
