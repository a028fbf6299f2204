/** The monthly and annual assessment (绩效考核): runs, reads, and each person's step. */
import { z } from 'zod';
import { ASSESSMENT_COMPONENTS, ASSESSMENT_STATUSES, GRADES, PERIOD_PATTERN } from '../../domain/assessment';
import { forbiddenWhen, withRules } from './rules';
import { KPI_KEYS } from '../../domain/kpis';
import { teamName } from './claims';
import { clockSchema, instant, text } from './common';
import { staffIdSchema } from './staff';

export const periodSchema = z
  .string()
  .regex(PERIOD_PATTERN, 'A month as YYYY-MM.')
  .meta({ example: '2026-11', description: 'A month, Asia/Shanghai.' });

/** `<staffId>-<YYYYMM>`. */
export const assessmentParams = z
  .object({ id: z.string().regex(/^[A-Za-z0-9._@-]{1,100}-\d{6}$/, 'An assessment id: <staffId>-<YYYYMM>.') })
  .strict();

export const runBody = z
  .object({
    period: periodSchema,
    team: teamName.optional().meta({ description: 'Only this team’s agents (default every active agent).' }),
  })
  .strict()
  .meta({ id: 'AssessmentRunRequest' });

export const runResponse = z
  .object({
    period: z.string(),
    started: z.number().int().meta({ description: 'Assessments started by this run.' }),
    existing: z.number().int().meta({ description: 'Agents whose assessment of the period already existed.' }),
  })
  .meta({ id: 'AssessmentRun' });

export const assessmentsQuery = z
  .object({
    period: periodSchema.optional(),
    team: teamName.optional(),
    staffId: staffIdSchema.optional(),
    status: z.enum(ASSESSMENT_STATUSES).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(200),
  })
  .strict();

const rating = z.number().int().min(1).max(5);
const count = z.number().int().min(0).max(31);

export const selfBody = z
  .object({ summary: text(4000), strengths: text(2000).optional(), improvements: text(2000).optional() })
  .strict()
  .meta({ id: 'AssessmentSelf' });

const attendanceSchema = z.object({ late: count, leftEarly: count, absent: count, leaveDays: count }).strict().meta({
  id: 'AssessmentAttendance',
  description: 'The month’s attendance: times late, left early, days absent, days of leave.',
});

export const supervisorScoreBody = z
  .object({
    attendance: attendanceSchema,
    initiative: rating.meta({ description: '工作积极性, 1..5.' }),
    teamwork: rating.meta({ description: '团队协作, 1..5.' }),
    comment: text(2000),
  })
  .strict()
  .meta({ id: 'AssessmentSupervisorScore' });

export const publishBody = z
  .object({ period: periodSchema, team: teamName.optional() })
  .strict()
  .meta({ id: 'AssessmentPublishRequest' });

export const publishResponse = z
  .object({
    period: z.string(),
    published: z.array(z.string()).meta({ description: 'The assessments published now.' }),
    skipped: z.array(z.object({ id: z.string(), reason: z.string() })),
  })
  .meta({ id: 'AssessmentPublication' });

export const appealBody = z
  .object({ reason: text(4000) })
  .strict()
  .meta({ id: 'AssessmentAppealRequest' });

const componentScore = z.number().min(0).max(100);
export const appealDecisionBody = withRules(
  z
    .object({
      upheld: z.boolean(),
      adjustedScores: z
        .object(Object.fromEntries(ASSESSMENT_COMPONENTS.map((c) => [c, componentScore.optional()])))
        .strict()
        .optional()
        .meta({ description: 'Upheld only: component scores (0..100) that replace the scored ones.' }),
      answer: text(4000),
    })
    .strict(),
  [forbiddenWhen('upheld', [false], [true], 'adjustedScores', 'Only with an upheld appeal.')],
).meta({ id: 'AssessmentAppealDecision' });

const figureSchema = z.object({
  key: z.enum(KPI_KEYS),
  value: z.number().nullable(),
  target: z.number(),
  met: z.boolean().nullable(),
  numerator: z.number(),
  denominator: z.number(),
});

const scores = z.object(Object.fromEntries(ASSESSMENT_COMPONENTS.map((c) => [c, z.number().nullable()])));

export const assessmentSchema = z
  .object({
    id: z.string().meta({ example: 'agent-li-202611' }),
    staffId: z.string(),
    period: z.string(),
    status: z.enum(ASSESSMENT_STATUSES),
    team: z.string(),
    supervisorId: z.string().nullable(),
    escalationLevel: z.number().int().min(0).max(2),
    figures: z.array(figureSchema).meta({ description: 'The agent’s KPIs for the month, with their targets.' }),
    qualityReviews: z.object({
      count: z.number().int(),
      score: z.number().nullable(),
      reviews: z.array(z.looseObject({ id: z.string(), caseId: z.string(), score: z.number(), reviewedAt: instant })),
    }),
    attendance: attendanceSchema.nullable(),
    self: z.looseObject({ summary: z.string(), at: instant }).nullable(),
    supervisorScore: z.looseObject({ initiative: z.number(), teamwork: z.number(), at: instant }).nullable(),
    scores: scores.nullable(),
    weights: z.record(z.string(), z.number()).nullable(),
    total: z.number().nullable(),
    grade: z.enum(GRADES).nullable(),
    bonusCoefficient: z.number().nullable(),
    publishedAt: instant.nullable(),
    appealWindowEndsAt: instant.nullable(),
    appeal: z.looseObject({ reason: z.string(), at: instant, upheld: z.boolean().nullable() }).nullable(),
    consequences: z
      .object({
        specialTraining: z.looseObject({ planId: z.string().nullable(), reasons: z.array(z.string()) }).nullable(),
        promotionReview: z.object({ previousPeriods: z.array(z.string()), at: instant }).nullable(),
      })
      .nullable()
      .meta({
        description: 'Applied at final (考核结果应用): the special training assigned, the promotion-review flag.',
      }),
    finalAt: instant.nullable(),
    clocks: z.array(clockSchema),
    createdAt: instant,
    updatedAt: instant,
  })
  .meta({ id: 'Assessment' });

export const assessmentList = z.object({ items: z.array(assessmentSchema) }).meta({ id: 'Assessments' });

export const annualQuery = z.object({ team: teamName.optional(), staffId: staffIdSchema.optional() }).strict();

const annualItem = z.object({
  staffId: z.string(),
  team: z.string(),
  months: z.number().int(),
  periods: z.array(z.string()),
  total: z.number(),
  grade: z.enum(GRADES),
  bonusCoefficient: z.number(),
  excellentMonths: z.number().int(),
  excellent: z.boolean().meta({ description: '年度优秀客服人员.' }),
});

export const annualResponse = z
  .object({
    year: z.number().int(),
    computedAt: instant.nullable(),
    items: z.array(annualItem),
    excellentStaff: z.array(z.string()).meta({ description: 'The year’s excellent staff (年度优秀客服人员).' }),
  })
  .meta({ id: 'AnnualAssessment' });
