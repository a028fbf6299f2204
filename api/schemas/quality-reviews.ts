/** Quality reviews (服务质检): the supervisor's checklist on one handled case. */
import { z } from 'zod';
import { QUALITY_CHECKLIST_ITEMS, QUALITY_ITEM_MAX } from '../../domain/quality-review';
import { instant, text } from './common';
import { staffIdSchema } from './staff';

const item = z.number().int().min(0).max(QUALITY_ITEM_MAX);

export const qualityChecklistSchema = z
  .object(
    Object.fromEntries(QUALITY_CHECKLIST_ITEMS.map((key) => [key, item])) as Record<
      (typeof QUALITY_CHECKLIST_ITEMS)[number],
      typeof item
    >,
  )
  .strict()
  .meta({
    id: 'QualityChecklist',
    description:
      'Each 0..5: courtesy 文明用语, listening 不打断, timeliness, clarity, accuracy, plainLanguage, noFillers 口头禅, patience.',
  });

export const qualityReviewBody = z
  .object({
    caseId: z.string().trim().min(1).max(64).meta({ description: 'A case of the reviewer’s scope.' }),
    staffId: staffIdSchema.meta({ description: 'Someone the case was ever assigned to (assignment history).' }),
    checklist: qualityChecklistSchema,
    comment: text(1000).optional(),
  })
  .strict()
  .meta({ id: 'QualityReviewBody' });

export const qualityReviewSchema = z
  .object({
    id: z.string(),
    caseId: z.string(),
    caseType: z.string(),
    team: z.string(),
    staffId: z.string(),
    reviewer: z.string(),
    checklist: qualityChecklistSchema,
    score: z.number().meta({ description: '0..100: the checklist’s points over 8 × 5.' }),
    comment: z.string().nullable(),
    reviewedAt: instant,
    period: z
      .string()
      .meta({ description: 'The assessment month it feeds (YYYY-MM, Asia/Shanghai).', example: '2026-11' }),
  })
  .meta({ id: 'QualityReview' });
