/**
 * The monthly assessment under time skipping, with its real activities over the test database (the
 * figures counted from seeded cases and quality reviews, the scoring tables, assignTraining) and the
 * in-memory projection: the whole month (figures → self → score → publish → appeal → answer → final);
 * a late supervisor warned, then escalated straight to the manager; an appeal after the window
 * refused; consequences applied (不合格 and a KPI below target → a special training; the third 优秀 in
 * a row → the promotion-review flag).
 */
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createAssessmentActivities } from '../../activities/assessment-activities';
import { type OpenedDatabase } from '../../db/connection';
import { applyProjection } from '../../db/repositories/case-projection';
import { saveQualityReview } from '../../db/repositories/quality-reviews';
import { addMonths, assessmentId, periodRange, previousPeriod } from '../../domain/assessment';
import type { Actor } from '../../domain/case';
import type { Clock } from '../../domain/clock';
import * as assessment from '../../workflows/assessment/contract';
import { assessmentWorkflow } from '../../workflows/assessment/workflow';
import { trainingWorkflowId } from '../../workflows/training/contract';
import { clock as clockFixture, projection } from '../db/fixtures';
import { openTestDatabase } from '../support/db';
import { hire } from '../support/staff';
import { createTimeSkippingEnv, fakeActivities, ProjectionLog, sleepUntil, startWorker } from './harness';

const supervisor: Actor = { id: 'sup-wang', role: 'supervisor', team: 'east' };
const otherSupervisor: Actor = { id: 'sup-chen', role: 'supervisor', team: 'east' };
const hr: Actor = { id: 'hr-zhao', role: 'hr' };

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let database: OpenedDatabase;
const log = new ProjectionLog();
const taskQueue = `assessment-${randomUUID()}`;

beforeAll(async () => {
  database = await openTestDatabase();
  env = await createTimeSkippingEnv();
  worker = await startWorker(
    env,
    taskQueue,
    { ...fakeActivities(log), ...createAssessmentActivities({ db: database.db, temporal: env.client, taskQueue }) },
    inject('workflowBundlePath') || undefined,
  );
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  await database?.close();
});

const nowIso = async () => new Date(await env.currentTimeMs()).toISOString();

/** A claim the agent handled in the period, whose one clock was met (or breached) inside it. */
async function seedClaim(staffId: string, period: string, outcome: 'met' | 'breached') {
  const { from } = periodRange(period);
  const at = (h: number) => new Date(from.getTime() + h * 3_600_000).toISOString();
  const id = `CLM${randomUUID().slice(0, 8)}`;
  const clock: Clock = clockFixture('claim.payment#1', {
    kind: 'statutory',
    startedAt: at(30),
    warnAt: at(40),
    dueAt: at(50),
    state: outcome,
    ...(outcome === 'met' ? { endedAt: at(45) } : { escalations: 1 }),
  });
  await applyProjection(
    database.db,
    projection(id, { team: 'east', assignee: staffId, createdAt: at(30), clocks: [clock] }),
  );
}

/** A month of the agent already final with this grade (the read model, as its workflow left it). */
async function seedFinal(staffId: string, period: string, grade: string) {
  const p = projection(assessmentId(staffId, period), {
    team: 'east',
    assignee: staffId,
    status: 'final',
    closed: true,
  });
  await applyProjection(database.db, {
    ...p,
    summary: { ...p.summary, type: 'assessment', status: 'final' },
    data: { status: 'final', grade, total: 95, period },
  });
}

async function open(opts: { seed?: (staffId: string, period: string) => Promise<void> } = {}) {
  const staffId = await hire(database.db, `agent-${randomUUID().slice(0, 8)}`, 'east');
  const period = previousPeriod(new Date(await env.currentTimeMs()));
  await opts.seed?.(staffId, period);
  const input: assessment.AssessmentInput = {
    staffId,
    team: 'east',
    supervisorId: supervisor.id,
    period,
    openedAt: await nowIso(),
    openedBy: { id: 'system', role: 'admin' },
  };
  const handle = await env.client.workflow.start(assessmentWorkflow, {
    taskQueue,
    workflowId: assessment.assessmentWorkflowId(staffId, period),
    args: [input],
  });
  const view = await handle.executeUpdate(assessment.assessmentOpened);
  const agent: Actor = { id: staffId, role: 'agent', team: 'east' };
  return { handle, view, staffId, period, agent, id: assessmentId(staffId, period) };
}
type Opened = Awaited<ReturnType<typeof open>>;

async function refusal(promise: Promise<unknown>): Promise<string | undefined> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  return ((err as WorkflowUpdateFailedError).cause as { type?: string } | undefined)?.type;
}

const clockOf = (view: assessment.AssessmentView, policy: string): Clock => {
  const clock = view.clocks.find((c) => c.policy === policy);
  if (!clock) throw new Error(`no clock ${policy}`);
  return clock;
};

const attendance = { late: 0, leftEarly: 0, absent: 0, leaveDays: 1 };
const score = ({ handle }: Opened, over: Partial<assessment.ScoreInput> = {}) =>
  handle.executeUpdate(assessment.scoreAssessment, {
    args: [{ actor: supervisor, attendance, initiative: 5, teamwork: 4, comment: '积极主动', ...over }],
  });
const publish = ({ handle }: Opened) => handle.executeUpdate(assessment.publishAssessment, { args: [{ actor: hr }] });

describe('monthly assessment', () => {
  it('runs the whole month: figures → self → score → publish → appeal → answer → final', async () => {
    const month = await open({
      seed: async (staffId, period) => {
        await seedClaim(staffId, period, 'met');
        await saveQualityReview(database.db, {
          id: `QR${randomUUID().slice(0, 8)}`,
          caseId: 'CLM-reviewed',
          caseType: 'claim',
          team: 'east',
          staffId,
          reviewer: supervisor.id,
          checklist: {
            courtesy: 4,
            listening: 4,
            timeliness: 4,
            clarity: 4,
            accuracy: 4,
            plainLanguage: 4,
            noFillers: 4,
            patience: 4,
          },
          score: 80,
          comment: null,
          reviewedAt: new Date(periodRange(period).from.getTime() + 86_400_000),
        });
      },
    });
    const { handle, view, agent, id } = month;
    expect(view.status).toBe('open');
    expect(view.figures.find((f) => f.key === 'claim_timeliness')).toMatchObject({ value: 1, target: 0.95, met: true });
    expect(view.qualityReviews).toMatchObject({ count: 1, score: 80 });
    expect(view.clocks.map((c) => c.policy)).toEqual(['assessment.self', 'assessment.supervisor']);

    const self = { actor: agent, summary: '本月处理理赔12件', strengths: '耐心' };
    expect(
      await refusal(handle.executeUpdate(assessment.submitSelfAssessment, { args: [{ ...self, actor: supervisor }] })),
    ).toBe('ActionForbidden');
    const selfAssessed = await handle.executeUpdate(assessment.submitSelfAssessment, { args: [self] });
    expect(selfAssessed.status).toBe('self_assessed');
    expect(clockOf(selfAssessed, 'assessment.self').state).toBe('met');

    expect(await refusal(score(month, { actor: otherSupervisor }))).toBe('ActionForbidden');
    expect(await refusal(score(month, { initiative: 6 }))).toBe('InvalidCaseInput');
    const scored = await score(month);
    // figures 100 ×40, quality 80 ×25, attendance 100 ×15, initiative 100 ×10, teamwork 80 ×10.
    expect(scored).toMatchObject({ status: 'scored', total: 93, grade: '优秀', bonusCoefficient: 1.2 });
    expect(scored.weights).toEqual({ figures: 40, quality: 25, attendance: 15, initiative: 10, teamwork: 10 });
    expect(clockOf(scored, 'assessment.supervisor').state).toBe('met');
    expect(clockOf(scored, 'assessment.publication').state).toBe('pending');

    expect(await refusal(handle.executeUpdate(assessment.publishAssessment, { args: [{ actor: supervisor }] }))).toBe(
      'ActionForbidden',
    );
    const published = await publish(month);
    expect(published.status).toBe('published');
    expect(published.appealWindowEndsAt).toBe(clockOf(published, 'assessment.appealWindow').dueAt);

    const appealed = await handle.executeUpdate(assessment.appealAssessment, {
      args: [{ actor: agent, reason: '质检样本偏少' }],
    });
    expect(appealed.status).toBe('appealed');
    expect(clockOf(appealed, 'assessment.appealWindow').state).toBe('met');
    expect(clockOf(appealed, 'assessment.appealAnswer').state).toBe('pending');

    const answered = await handle.executeUpdate(assessment.decideAppeal, {
      args: [{ actor: hr, upheld: true, adjustedScores: { quality: 90 }, answer: '复核后质检分调整为90' }],
    });
    expect(answered.total).toBe(95.5);
    const final = await handle.result();
    expect(final).toMatchObject({ status: 'final', total: 95.5, grade: '优秀', finalAt: expect.any(String) });
    expect(final.consequences).toEqual({ specialTraining: null, promotionReview: null });
    expect(final.appeal).toMatchObject({ upheld: true, answeredBy: hr.id });
    const statuses = log
      .events(id)
      .filter((e) => e.kind === 'status.changed')
      .map((e) => e.detail.to);
    expect(statuses).toEqual(['self_assessed', 'scored', 'published', 'appealed', 'appeal_answered', 'final']);
    expect(log.notifications(id).map((n) => n.template)).toEqual([
      'assessment.selfDue',
      'assessment.scoreDue',
      'assessment.scored',
      'assessment.published',
      'assessment.appealed',
      'assessment.appealAnswered',
    ]);
  });

  it('a late supervisor is warned, then the breach goes straight to the manager; the manager may score', async () => {
    const month = await open();
    const { handle, id } = month;
    const due = clockOf(month.view, 'assessment.supervisor');
    expect(Date.parse(due.dueAt) - Date.parse(due.startedAt)).toBeGreaterThanOrEqual(9 * 86_400_000 - 86_400_000);
    await sleepUntil(env, due.warnAt);
    expect(log.notifications(id)).toContainEqual(
      expect.objectContaining({ template: 'clock.warning', recipient: { kind: 'staff', staffId: supervisor.id } }),
    );
    await sleepUntil(env, due.dueAt);
    const late = await handle.query(assessment.getAssessment);
    expect(clockOf(late, 'assessment.supervisor').state).toBe('breached');
    expect(late.escalationLevel).toBe(2);
    const escalations = log.notifications(id).filter((n) => n.key.includes('assessment.supervisor#1:escalation'));
    expect(escalations.map((n) => [n.template, n.recipient])).toEqual([
      ['clock.escalated', { kind: 'role', role: 'manager' }],
    ]);
    // The self-assessment was never given: its own clock breached on the agent's side.
    expect(clockOf(late, 'assessment.self').state).toBe('breached');
    const scored = await score(month, { actor: { id: 'mgr-liu', role: 'manager' } });
    expect(scored.status).toBe('scored');
    expect(clockOf(scored, 'assessment.supervisor').state).toBe('breached');
    await handle.terminate('test done');
  });

  it('an appeal before publication is refused (409); after the window the month is final and nothing is appealed', async () => {
    const month = await open();
    const { handle, agent } = month;
    await score(month);
    expect(
      await refusal(handle.executeUpdate(assessment.appealAssessment, { args: [{ actor: agent, reason: '不服' }] })),
    ).toBe('InvalidStateTransition');
    const published = await publish(month);
    await sleepUntil(env, published.appealWindowEndsAt!);
    const final = await handle.result();
    expect(final.status).toBe('final');
    expect(final.appeal).toBeNull();
    expect(clockOf(final, 'assessment.appealWindow').state).toBe('met');
    // The workflow has ended: an appeal now cannot reach it (the API answers 409 from the read model).
    await expect(
      handle.executeUpdate(assessment.appealAssessment, { args: [{ actor: agent, reason: '迟到的申诉' }] }),
    ).rejects.toThrow();
  });

  it('不合格 with a KPI below target assigns a special training (once, idempotently) at final', async () => {
    const month = await open({ seed: (staffId, period) => seedClaim(staffId, period, 'breached') });
    const { handle, view, staffId, id } = month;
    expect(view.figures.find((f) => f.key === 'claim_timeliness')).toMatchObject({ value: 0, met: false });
    const scored = await score(month, {
      attendance: { late: 2, leftEarly: 0, absent: 3, leaveDays: 0 },
      initiative: 1,
      teamwork: 1,
    });
    expect(scored.grade).toBe('不合格');
    expect(scored.bonusCoefficient).toBe(0.6);
    const published = await publish(month);
    await sleepUntil(env, published.appealWindowEndsAt!);
    const final = await handle.result();
    const training = final.consequences?.specialTraining;
    expect(training).toMatchObject({ reasons: ['grade', 'kpi_below_target'], kpis: ['claim_timeliness'] });
    expect(training?.planId).toMatch(/^TP/);
    const plan = await database.db
      .selectFrom('training_plans')
      .selectAll()
      .where('source_key', '=', `special:assessment:${id}`)
      .executeTakeFirstOrThrow();
    expect(plan).toMatchObject({ id: training?.planId, kind: 'special', topics: ['理赔处理及时'] });
    const records = await database.db
      .selectFrom('training_records')
      .selectAll()
      .where('plan_id', '=', plan.id)
      .execute();
    expect(records.map((r) => r.staff_id)).toEqual([staffId]);
    // Applied again (a retried activity): the same plan, no second record.
    const again = await createAssessmentActivities({
      db: database.db,
      temporal: env.client,
      taskQueue,
    }).applyAssessmentConsequences({ staffId, period: month.period, grade: '不合格', figures: final.figures });
    expect(again.specialTraining?.planId).toBe(plan.id);
    expect(
      await database.db.selectFrom('training_records').selectAll().where('plan_id', '=', plan.id).execute(),
    ).toHaveLength(1);
    const started = await env.client.workflow.getHandle(trainingWorkflowId(records[0]!.id)).describe();
    expect(started.type).toBe('trainingWorkflow');
    expect(log.events(id).find((e) => e.kind === 'assessment.specialTraining')?.detail).toMatchObject({
      planId: plan.id,
    });
  });

  it('the third 优秀 in a row flags the agent for promotion review (timeline fact, HR and manager told)', async () => {
    const month = await open({
      seed: async (staffId, period) => {
        await seedFinal(staffId, addMonths(period, -1), '优秀');
        await seedFinal(staffId, addMonths(period, -2), '优秀');
        await seedClaim(staffId, period, 'met');
      },
    });
    const { handle, id, period } = month;
    expect((await score(month, { teamwork: 5 })).grade).toBe('优秀');
    const published = await publish(month);
    await sleepUntil(env, published.appealWindowEndsAt!);
    const final = await handle.result();
    expect(final.consequences?.promotionReview).toEqual({
      previousPeriods: [addMonths(period, -1), addMonths(period, -2)],
      at: expect.any(String),
    });
    expect(final.consequences?.specialTraining).toBeNull();
    expect(log.eventKinds(id)).toContain('assessment.promotionReview');
    expect(
      log
        .notifications(id)
        .filter((n) => n.template === 'assessment.promotionReview')
        .map((n) => n.recipient),
    ).toEqual([
      { kind: 'role', role: 'hr' },
      { kind: 'role', role: 'manager' },
    ]);
  });
});
