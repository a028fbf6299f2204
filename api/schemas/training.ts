/** Training (培训): plans, each person's records, attendance and exams. */
import { z } from 'zod';
import {
  MAX_SCORE,
  planFieldsProblem,
  TRAINING_EXAM_KINDS,
  TRAINING_PLAN_KINDS,
  TRAINING_STATUSES,
} from '../../domain/training';
import { teamName } from './claims';
import { clockSchema, instant, isoInstant, text } from './common';
import { atLeastOneOf, forbiddenWhen, notBoth, requiredWhen, withRules } from './rules';
import { staffIdSchema } from './staff';

const score = z.number().min(0).max(MAX_SCORE).multipleOf(0.1);

export const trainingPlanBody = withRules(
  z
    .object({
      kind: z.enum(TRAINING_PLAN_KINDS),
      title: text(200),
      topics: z.array(text(200)).min(1).max(50),
      durationDays: z.number().int().min(1).max(365).optional().meta({ description: 'How long the training runs.' }),
      everyMonths: z
        .number()
        .int()
        .min(1)
        .max(24)
        .optional()
        .meta({ description: 'Periodic plans: a new round for the team every N months (default 3).' }),
      passMark: score.meta({ description: 'The exam score (0..100) that passes.', example: 60 }),
      staffIds: z.array(staffIdSchema).min(1).max(500).optional(),
      team: teamName.optional().meta({ description: 'Instead of staffIds: every active member of the team.' }),
      reason: text(500).optional().meta({ description: 'Why the training is assigned (e.g. an assessment).' }),
    })
    .strict(),
  // planProblem's rules (domain/training.ts), stated where the document can carry them.
  [
    atLeastOneOf(['staffIds', 'team'], 'a plan names staffIds or a team'),
    notBoth('staffIds', 'team', 'a plan names staffIds or a team, not both'),
    forbiddenWhen(
      'kind',
      ['onboarding', 'special'],
      ['periodic'],
      'everyMonths',
      'only a periodic plan repeats (everyMonths)',
    ),
    requiredWhen('kind', ['periodic'], ['onboarding', 'special'], 'team', 'a periodic plan is for a team'),
  ],
)
  .superRefine((plan, ctx) => {
    // The rest of the domain's verdict (planProblem: passMark, topics), so the API refuses what the workflow would.
    const problem = planFieldsProblem(plan);
    if (problem) ctx.addIssue({ code: 'custom', path: [], message: problem });
  })
  .meta({ id: 'TrainingPlanRequest' });

export const trainingPlanResponse = z
  .object({
    id: z.string().meta({ example: 'TP20261202K7F3QX' }),
    kind: z.enum(TRAINING_PLAN_KINDS),
    title: z.string(),
    topics: z.array(z.string()),
    passMark: z.number(),
    durationDays: z.number().nullable(),
    everyMonths: z.number().nullable(),
    team: z.string().nullable(),
    reason: z.string(),
    createdBy: z.string(),
    createdAt: instant,
    recordIds: z.array(z.string()).meta({ description: 'One training record per person: `<planId>-<staffId>`.' }),
  })
  .meta({ id: 'TrainingPlan' });

export const trainingPlanParams = z
  .object({ id: z.string().regex(/^TP[0-9A-Z]{6,40}$/, 'A training plan id (TP…).') })
  .strict();

export const attendanceBody = z
  .object({
    staffId: staffIdSchema,
    topic: text(200).optional(),
    attendedAt: isoInstant.optional().meta({ description: 'When the session took place (default now).' }),
    hours: z.number().gt(0).max(24).optional(),
  })
  .strict()
  .meta({ id: 'TrainingAttendance' });

export const examBody = z
  .object({
    staffId: staffIdSchema,
    kind: z.enum(TRAINING_EXAM_KINDS),
    score: score.meta({ example: 78.5 }),
  })
  .strict()
  .meta({ id: 'TrainingExam' });

export const trainingRecordsQuery = z
  .object({
    staffId: staffIdSchema.optional().meta({ description: 'Agents: their own (the default).' }),
    team: teamName.optional().meta({ description: 'Supervisors: their own team (the default).' }),
    planId: z
      .string()
      .regex(/^TP[0-9A-Z]{6,40}$/)
      .optional()
      .meta({ description: 'The records of one plan.' }),
    limit: z.coerce.number().int().min(1).max(500).default(200),
  })
  .strict();

const sessionSchema = z.object({
  n: z.number().int(),
  topic: z.string().nullable(),
  attendedAt: instant,
  hours: z.number().nullable(),
  by: z.string(),
  at: instant,
});

const examSchema = z.object({
  n: z.number().int(),
  kind: z.enum(TRAINING_EXAM_KINDS),
  score: z.number(),
  passed: z.boolean(),
  retake: z.boolean().meta({ description: 'Taken as the retake (补考).' }),
  by: z.string(),
  at: instant,
});

export const trainingRecordSchema = z
  .object({
    id: z.string().meta({ example: 'TP20261202K7F3QX-agent-li' }),
    planId: z.string(),
    staffId: z.string(),
    team: z.string().nullable(),
    kind: z.enum(TRAINING_PLAN_KINDS),
    title: z.string(),
    topics: z.array(z.string()),
    passMark: z.number(),
    assignedAt: instant,
    status: z.enum(TRAINING_STATUSES).nullable().meta({ description: 'null for a moment after assignment.' }),
    sessions: z.array(sessionSchema),
    exams: z.array(examSchema),
    retakes: z.number().int(),
    flagged: z.object({ at: instant, score: z.number() }).nullable(),
    passedAt: instant.nullable(),
    endedAt: instant.nullable(),
    escalationLevel: z.number().int().min(0).max(2),
    clocks: z.array(clockSchema),
    updatedAt: instant.nullable(),
  })
  .meta({ id: 'TrainingRecord' });

export const trainingRecordList = z.object({ items: z.array(trainingRecordSchema) }).meta({ id: 'TrainingRecords' });
