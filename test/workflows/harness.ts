/**
 * Time-skipping harness for case workflows: the test server from .tools/, our search attributes
 * registered through the operator service (as in a real namespace), and fake activities that use
 * the real deadline engine but keep projections in memory so tests can read them.
 */
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { workflowBundleOptions } from '../../infra/workflow-bundle';
import type { AssessmentActivities } from '../../activities/assessment-activities';
import type { FacilitiesActivities, FacilitiesSweepActivities } from '../../activities/facilities-activities';
import type { PurchaseActivities } from '../../activities/purchase-activities';
import { assessmentConsequences, DEFAULT_ASSESSMENT_WEIGHTS, DEFAULT_GRADE_BANDS } from '../../domain/assessment';
import { KPI_KEYS, type KpiCount, type KpiKey, kpiFigures } from '../../domain/kpis';
import type { SurveyActivities } from '../../activities/survey-activities';
import type { RetentionActivities } from '../../activities/retention-activities';
import type { TrainingActivities } from '../../activities/training-activities';
import type { CaseActivities } from '../../activities/types';
import type { SurveyEvent } from '../../domain/survey';
import { addDays, shanghaiDate, shanghaiInstant, statutoryHolidays, WorkCalendar } from '../../domain/calendar';
import type { CaseProjection, NotificationRequest, TimelineEvent } from '../../domain/case';
import { scheduleClock, shiftForPause } from '../../domain/deadline';
import { DeadlinePolicyTable, type DeadlinePolicyFile } from '../../domain/deadline-policies';
import { checkInterval } from '../../domain/facilities';
import { SEARCH_ATTRIBUTES } from '../../workflows/shared/contract';
import { loadConfig } from '../../config';
import { installTemporalRuntime } from '../../infra/temporal-runtime';
import pino from 'pino';

/** `.tools/temporal-test-server`, or TEMPORAL_TEST_SERVER_PATH, read by the one config loader. */
const TEST_SERVER = loadConfig().temporal.testServerPath;

const INDEXED: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  Keyword: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  Int: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
  Datetime: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  Bool: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
};

export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  // The SDK's worker chatter (state changes, bundling) at warn and above only.
  installTemporalRuntime(pino({ level: 'warn' }));
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: TEST_SERVER } },
  });
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(
      Object.entries(SEARCH_ATTRIBUTES).map(([name, type]) => [name, INDEXED[type]!]),
    ),
  });
  return env;
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ ...workflowBundleOptions(), logger: quietLogger });
  return bundle;
}

const quietLogger = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };

/** Everything the fake projection saw, for assertions on timeline events and the outbox. */
export class ProjectionLog {
  readonly projections: CaseProjection[] = [];
  /** Survey rows the workflows asked to record (sent, answered, unanswered). */
  readonly surveys: SurveyEvent[] = [];
  private failuresLeft = 0;

  events(caseId?: string): TimelineEvent[] {
    const seen = new Map<string, TimelineEvent>();
    for (const p of this.projections)
      if (!caseId || p.summary.id === caseId) for (const e of p.events) seen.set(e.key, e);
    return [...seen.values()];
  }

  eventKinds(caseId?: string): string[] {
    return this.events(caseId).map((e) => e.kind);
  }

  notifications(caseId?: string): NotificationRequest[] {
    const seen = new Map<string, NotificationRequest>();
    for (const p of this.projections)
      if (!caseId || p.summary.id === caseId) for (const n of p.notifications) seen.set(n.key, n);
    return [...seen.values()];
  }

  /** Makes the next `n` projections fail as a database outage would. */
  failNext(n: number): void {
    this.failuresLeft = n;
  }

  record(p: CaseProjection): void {
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw new Error('database unavailable (simulated)');
    }
    this.projections.push(structuredClone(p));
  }
}

/** `calendar`: the calendar in force; a function lets a test load official data mid-run. */
export function fakeActivities(
  log: ProjectionLog,
  policyFile: DeadlinePolicyFile = {},
  calendar: WorkCalendar | (() => WorkCalendar) = new WorkCalendar(),
): CaseActivities & SurveyActivities {
  const policies = new DeadlinePolicyTable(policyFile);
  const current = typeof calendar === 'function' ? calendar : () => calendar;
  return {
    async scheduleClocks(requests) {
      return requests.map(({ policy, startedAt, pausedMs, times }) => {
        const base = policies.clock(policy);
        const counted = times === undefined ? base : { ...base, duration: checkInterval(base.duration, times) };
        return scheduleClock(counted, new Date(startedAt), current(), pausedMs);
      });
    },
    async shiftResumedClocks(requests) {
      return requests.map(({ policy, mode, dueAt, warnAt, pausedAt, resumedAt }) =>
        shiftForPause(mode ?? policies.clock(policy).mode, { dueAt, warnAt }, pausedAt, resumedAt, current()),
      );
    },
    async projectCase(projection) {
      log.record(projection);
    },
    async recordSurvey(event) {
      log.surveys.push(structuredClone(event));
    },
  };
}

/** `bundlePath`: the bundle the test run's global set-up built once; without it, bundle here. */
export async function startWorker(
  env: TestWorkflowEnvironment,
  taskQueue: string,
  activities: CaseActivities &
    Partial<SurveyActivities> &
    Partial<PurchaseActivities> &
    Partial<TrainingActivities> &
    Partial<AssessmentActivities> &
    Partial<FacilitiesActivities> &
    Partial<RetentionActivities>,
  bundlePath?: string,
): Promise<Worker> {
  return Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    workflowBundle: bundlePath ? { codePath: bundlePath } : await workflowBundle(),
    activities,
  });
}

/** Advances the test server's clock to just after an instant. */
export async function sleepUntil(
  env: TestWorkflowEnvironment,
  instant: string | number,
  plusMs = 1_000,
): Promise<void> {
  const target = (typeof instant === 'string' ? Date.parse(instant) : instant) + plusMs;
  const now = await env.currentTimeMs();
  if (target > now) await env.sleep(target - now);
}

/**
 * Advances the test server to `hh:mm` Asia/Shanghai of the next working day (today's, if still ahead)
 * that satisfies `pick` (default: any), on the default calendar. Rules about business hours and rest
 * days need a known moment, not whatever hour the test run happens to start at.
 */
export async function sleepUntilWorkingDay(
  env: TestWorkflowEnvironment,
  hhmm: string,
  pick: (date: string, calendar: WorkCalendar) => boolean = () => true,
): Promise<number> {
  const calendar = new WorkCalendar();
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  const now = await env.currentTimeMs();
  for (let date = shanghaiDate(new Date(now)); ; date = addDays(date, 1)) {
    const at = shanghaiInstant(date, h * 60 + m).getTime();
    if (at > now && calendar.isWorkingDay(date) && pick(date, calendar)) {
      await env.sleep(at - now);
      return at;
    }
  }
}

/** A working day followed by a rest day (a Friday, the eve of a holiday). */
export const beforeRest = (date: string, calendar: WorkCalendar): boolean => !calendar.isWorkingDay(addDays(date, 1));

/**
 * "Official" data for a provisional year whose last day of a clock's period (`dueAt`, an instant on
 * the Shanghai midnight ending that day) and the four days after it are rest days: a clock due then
 * moves later when the year is loaded. It keeps the provisional rules' own rest days, or a due date
 * the rules had put after a guessed holiday (the Spring Festival) would move earlier.
 */
export function officialYearResting(year: number, dueAt: string): WorkCalendar {
  const lastDay = Date.parse(dueAt.slice(0, 10));
  const days = Array.from({ length: 5 }, (_, i) => new Date(lastDay + i * 86_400_000).toISOString().slice(0, 10)).map(
    (date) => ({ date, name: '测试假期', isOffDay: true }),
  );
  const added = new Set(days.map((d) => d.date));
  const guessed = statutoryHolidays(year).filter((d) => !added.has(d.date));
  return new WorkCalendar({ [year]: [...guessed, ...days] });
}

/** In-memory purchase activities: what was adopted, written and marked, for assertions. */
export class FakePurchaseWorld {
  readonly adopted: { caseId: string; submissionId: string }[] = [];
  readonly written: Parameters<PurchaseActivities['writeIssuedPolicies']>[0][] = [];
  readonly renewalsMarked: Parameters<PurchaseActivities['markRenewalRenewed']>[0][] = [];
}

export function fakePurchaseActivities(world: FakePurchaseWorld): PurchaseActivities {
  return {
    async adoptApplication(input) {
      world.adopted.push(input);
    },
    async writeIssuedPolicies(input) {
      world.written.push(structuredClone(input));
      return Object.fromEntries(input.policies.map((p) => [p.policyNo, 'written' as const]));
    },
    async markRenewalRenewed(input) {
      world.renewalsMarked.push(structuredClone(input));
      return { outcome: 'renewed', reason: null };
    },
  };
}

/**
 * In-memory assessment activities for recordings: a month with one KPI measured (met) and no
 * quality review, the default scoring tables, and no consequence that needs the database.
 */
export function fakeAssessmentActivities(): AssessmentActivities {
  return {
    async assessmentFigures() {
      const counts = Object.fromEntries(KPI_KEYS.map((k) => [k, { numerator: 0, denominator: 0 }])) as Record<
        KpiKey,
        KpiCount
      >;
      counts.claim_timeliness = { numerator: 19, denominator: 20 };
      return { figures: kpiFigures(counts), qualityReviews: { count: 0, score: null, reviews: [] } };
    },
    async assessmentScoring() {
      return { weights: { ...DEFAULT_ASSESSMENT_WEIGHTS }, bands: [...DEFAULT_GRADE_BANDS] };
    },
    async applyAssessmentConsequences({ grade, figures }) {
      const consequences = assessmentConsequences(grade, figures, []);
      return {
        specialTraining: consequences.specialTraining
          ? { ...consequences.specialTraining, planId: 'TPRECORDED', note: null }
          : null,
        promotionReview: null,
      };
    },
    async runMonthlyAssessments({ period }) {
      return { period, started: 2, existing: 0 };
    },
    async pendingAssessmentsOfYear() {
      return 0;
    },
    async fixAnnualAssessment({ year }) {
      return { year, agents: 2, excellentStaff: ['agent-li'] };
    },
  };
}

/** In-memory facilities activities: the register's state, checks and repair rows the workflows wrote. */
export class FakeFacilitiesWorld {
  readonly states: Parameters<FacilitiesActivities['recordEquipmentState']>[0][] = [];
  readonly checks: Parameters<FacilitiesActivities['recordEquipmentCheck']>[0][] = [];
  readonly repairs: Parameters<FacilitiesActivities['recordRepair']>[0][] = [];
  /** The sweep's pages as asked for; each answers one item opened, and a second page after the first. */
  readonly sweepPages: Parameters<FacilitiesSweepActivities['openDueChecks']>[0][] = [];
}

export function fakeFacilitiesActivities(world: FakeFacilitiesWorld): FacilitiesActivities & FacilitiesSweepActivities {
  return {
    async openDueChecks(page) {
      world.sweepPages.push(structuredClone(page));
      return { opened: 1, cursor: page.after === null ? 'PAGE-1' : null };
    },
    async recordEquipmentState(state) {
      world.states.push(structuredClone(state));
    },
    async recordEquipmentCheck(check) {
      world.checks.push(structuredClone(check));
    },
    async recordRepair(repair) {
      world.repairs.push(structuredClone(repair));
    },
  };
}
