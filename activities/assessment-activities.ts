/**
 * The assessment's side effects: counting the agent's month (KPIs on the cases they handled, with the
 * targets that apply to them, and the month's quality reviews), reading the scoring tables when a
 * supervisor scores, and applying the consequences at final (a special training through
 * assignTraining, the promotion-review flag from the months before). Built by a factory; the worker
 * wires the database and a Temporal client (assignTraining starts training workflows).
 */
import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { addMonths, assessmentConsequences, assessmentId, type Grade, periodRange } from '../domain/assessment';
import { type KpiFigure, kpiFigures, KPI_KEYS, resolveKpiTargets } from '../domain/kpis';
import { qualityFigure } from '../domain/quality-review';
import {
  finalGrades,
  pendingAssessmentsOfYear,
  type ScoringTables,
  scoringTables,
} from '../db/repositories/assessments';
import { fixAnnualAssessment } from '../services/assessment-annual';
import { type AssessmentRunResult, runAssessments } from '../services/assessment-run';
import { kpiTargetLevels } from '../db/repositories/kpi-targets';
import { kpiCounts } from '../db/repositories/kpis';
import { listQualityReviews } from '../db/repositories/quality-reviews';
import type { Database } from '../db/schema';
import { assignTraining, TrainingAssignmentError } from '../services/training-assignments';
import type { AppliedConsequences, AssessmentFigures } from '../workflows/assessment/contract';

export interface AssessmentRecordActivities {
  /** The agent's month: every KPI with the target in force for them, and the month's quality reviews. */
  assessmentFigures(input: { staffId: string; team: string; period: string }): Promise<AssessmentFigures>;
  /** The weights and grade bands in force now (read on every score: a change applies to the next). */
  assessmentScoring(): Promise<ScoringTables>;
}

export interface ConsequenceRequest {
  staffId: string;
  period: string;
  grade: Grade;
  figures: Pick<KpiFigure, 'key' | 'met'>[];
}

export interface AssessmentConsequenceActivities {
  /**
   * 考核结果应用: 不合格 or a KPI below target assigns a special training (idempotent per assessment);
   * a third 优秀 in a row (by the two months' final grades) flags the agent for promotion review.
   */
  applyAssessmentConsequences(input: ConsequenceRequest): Promise<
    Omit<AppliedConsequences, 'promotionReview'> & {
      promotionReview: { previousPeriods: string[] } | null;
    }
  >;
}

export interface AssessmentRunActivities {
  /** One assessment per active agent for the period, idempotently (services/assessment-run.ts). */
  runMonthlyAssessments(input: { period: string }): Promise<AssessmentRunResult>;
  /** How many of the year's monthly assessments are not final yet. */
  pendingAssessmentsOfYear(input: { year: number }): Promise<number>;
  /** Fixes the year's annual result (年度考核) and names its excellent staff. */
  fixAnnualAssessment(input: { year: number }): Promise<{ year: number; agents: number; excellentStaff: string[] }>;
}

export type AssessmentActivities = AssessmentRecordActivities &
  AssessmentConsequenceActivities &
  AssessmentRunActivities;

export interface AssessmentActivityDeps {
  db: Kysely<Database>;
  temporal: Client;
  /** Where the special training's workflows run (default the case task queue). */
  taskQueue?: string;
}

/** Special trainings from an assessment pass at 60, like the rulebook's exams. */
const SPECIAL_TRAINING_PASS_MARK = 60;

export function createAssessmentActivities({ db, temporal, taskQueue }: AssessmentActivityDeps): AssessmentActivities {
  return {
    async assessmentFigures({ staffId, team, period }) {
      const { from, to } = periodRange(period);
      const [counts, levels, reviews] = await Promise.all([
        kpiCounts(db, { from, to, agent: staffId }),
        kpiTargetLevels(db, period, { team, agent: staffId }),
        listQualityReviews(db, { staffId, from, to }),
      ]);
      return {
        figures: kpiFigures(counts, resolveKpiTargets(levels)),
        qualityReviews: {
          count: reviews.length,
          score: qualityFigure(reviews.map((r) => r.score)),
          reviews: reviews.map((r) => ({
            id: r.id,
            caseId: r.caseId,
            caseType: r.caseType,
            reviewer: r.reviewer,
            score: r.score,
            reviewedAt: r.reviewedAt.toISOString(),
          })),
        },
      };
    },

    assessmentScoring: () => scoringTables(db),

    runMonthlyAssessments: ({ period }) =>
      runAssessments({ db, temporal, ...(taskQueue ? { taskQueue } : {}) }, { period }),

    pendingAssessmentsOfYear: ({ year }) => pendingAssessmentsOfYear(db, year),

    async fixAnnualAssessment({ year }) {
      const fixed = await fixAnnualAssessment(db, year);
      return { year, agents: fixed.items.length, excellentStaff: fixed.excellentStaff };
    },

    async applyAssessmentConsequences({ staffId, period, grade, figures }) {
      const previousPeriods = [addMonths(period, -1), addMonths(period, -2)];
      const grades = await finalGrades(
        db,
        previousPeriods.map((p) => assessmentId(staffId, p)),
      );
      const consequences = assessmentConsequences(
        grade,
        figures,
        previousPeriods.map((p) => grades.get(assessmentId(staffId, p)) ?? null),
      );
      let specialTraining: AppliedConsequences['specialTraining'] = null;
      if (consequences.specialTraining) {
        const { reasons, kpis } = consequences.specialTraining;
        const id = assessmentId(staffId, period);
        try {
          const { planId } = await assignTraining(
            { db, temporal, ...(taskQueue ? { taskQueue } : {}) },
            {
              kind: 'special',
              title: `考核结果专项培训（${period}）`,
              topics: kpis.length > 0 ? kpis.map(kpiTopic) : ['服务规范'],
              passMark: SPECIAL_TRAINING_PASS_MARK,
              staffIds: [staffId],
              reason: `assessment ${id}: ${reasons.join(', ')}${kpis.length ? ` (${kpis.join(', ')})` : ''}`,
              source: { assessmentId: id },
            },
          );
          specialTraining = { reasons, kpis, planId, note: null };
        } catch (err) {
          // Left the department (inactive) since the month: nobody to train; the record says why.
          if (!(err instanceof TrainingAssignmentError)) throw err;
          specialTraining = { reasons, kpis, planId: null, note: err.message };
        }
      }
      return {
        specialTraining,
        promotionReview: consequences.promotionReview ? { previousPeriods } : null,
      };
    },
  };
}

/** A KPI below target as the training topic the rulebook would name. */
function kpiTopic(key: KpiFigure['key']): string {
  const topics: Record<(typeof KPI_KEYS)[number], string> = {
    customer_satisfaction: '客户满意度',
    complaint_rate: '投诉处理',
    response_timeliness: '服务响应及时',
    answer_accuracy: '咨询解答准确',
    purchase_conversion: '投保服务',
    renewal_rate: '续保服务',
    claim_timeliness: '理赔处理及时',
  };
  return topics[key];
}
