/**
 * Quality reviews (服务质检): written by POST /quality-reviews, read by the assessment of the month the
 * review was made in. Whether a staff member handled a case is the assignment history's answer
 * (case_assignments): a case reassigned since still counts for everyone who had it.
 */
import { sql } from 'kysely';
import type { QualityChecklist } from '../../domain/quality-review';
import { type Executor, jsonb } from './support';

export interface QualityReview {
  id: string;
  caseId: string;
  caseType: string;
  team: string;
  staffId: string;
  reviewer: string;
  checklist: QualityChecklist;
  /** 0..100 */
  score: number;
  comment: string | null;
  reviewedAt: Date;
}

export async function saveQualityReview(db: Executor, review: QualityReview): Promise<QualityReview> {
  const row = await db
    .insertInto('quality_reviews')
    .values({
      id: review.id,
      case_id: review.caseId,
      case_type: review.caseType,
      team: review.team,
      staff_id: review.staffId,
      reviewer: review.reviewer,
      checklist: jsonb(review.checklist),
      score: review.score,
      comment: review.comment,
      reviewed_at: review.reviewedAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toReview(row);
}

/** One staff member's reviews made in [from, to), oldest first. */
export async function listQualityReviews(
  db: Executor,
  filter: { staffId: string; from: Date; to: Date },
): Promise<QualityReview[]> {
  const rows = await db
    .selectFrom('quality_reviews')
    .selectAll()
    .where('staff_id', '=', filter.staffId)
    .where('reviewed_at', '>=', filter.from)
    .where('reviewed_at', '<', filter.to)
    .orderBy('reviewed_at')
    .orderBy('id')
    .execute();
  return rows.map(toReview);
}

/** Whether `staffId` was ever assigned the case (the assignment history, not just the current assignee). */
export async function hasHandledCase(db: Executor, caseId: string, staffId: string): Promise<boolean> {
  const row = await db
    .selectFrom('case_assignments')
    .select(sql<number>`1`.as('one'))
    .where('case_id', '=', caseId)
    .where('assignee', '=', staffId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

function toReview(row: {
  id: string;
  case_id: string;
  case_type: string;
  team: string;
  staff_id: string;
  reviewer: string;
  checklist: Record<string, number>;
  score: string | number;
  comment: string | null;
  reviewed_at: Date;
}): QualityReview {
  return {
    id: row.id,
    caseId: row.case_id,
    caseType: row.case_type,
    team: row.team,
    staffId: row.staff_id,
    reviewer: row.reviewer,
    checklist: row.checklist as QualityChecklist,
    score: Number(row.score),
    comment: row.comment,
    reviewedAt: row.reviewed_at,
  };
}
