/**
 * Quality reviews (服务质检): a supervisor (or above) scores one case a staff member handled on the
 * rulebook's eight items; the month's reviews feed the agent's assessment. The case must be in the
 * reviewer's scope and be a customer's case, and the staff member must have had it (the assignment
 * history, not only the current assignee).
 */
import { randomBytes } from 'node:crypto';
import { getCaseRow } from '../../db/repositories/case-reads';
import { hasHandledCase, saveQualityReview, type QualityReview } from '../../db/repositories/quality-reviews';
import { getStaffMember } from '../../db/repositories/staff';
import { isCustomerCaseType } from '../../domain/case';
import { shanghaiDate } from '../../domain/civil-time';
import { qualityScore } from '../../domain/quality-review';
import { inScope } from '../auth';
import type { AppContext } from '../context';
import { problems } from '../errors';
import type { ApiRoutes } from '../routing';
import { qualityReviewBody, qualityReviewSchema } from '../schemas/quality-reviews';
import { renderTimes } from '../time';

export function presentQualityReview(review: QualityReview): Record<string, unknown> {
  return renderTimes({ ...review, period: shanghaiDate(review.reviewedAt).slice(0, 7) });
}

export function registerQualityReviewRoutes(routes: ApiRoutes, { db, now }: AppContext): void {
  routes.add(
    {
      method: 'post',
      path: '/quality-reviews',
      tag: 'Assessments',
      summary: 'A quality review (服务质检) of one handled case: eight items 0..5; feeds the month’s assessment',
      description:
        'caseId must name a customer case in the reviewer’s scope and staffId someone in the staff directory who was assigned that case at some time (400 otherwise). Counted in the assessment of the month it was made in (Asia/Shanghai).',
      access: 'supervisor',
      body: qualityReviewBody,
      idempotent: true,
      responses: { 201: { description: 'Recorded', schema: qualityReviewSchema } },
      problems: [403],
    },
    async ({ principal, body }) => {
      const row = await getCaseRow(db, body.caseId);
      // A case outside the reviewer's scope reads as no case: ids cannot be probed across teams.
      if (!row || !isCustomerCaseType(row.type) || !inScope(principal, row.team))
        throw problems.validation([{ path: 'caseId', message: 'Names no case you can review.' }]);
      const member = await getStaffMember(db, body.staffId);
      if (!member) throw problems.validation([{ path: 'staffId', message: 'Names no one in the staff directory.' }]);
      if (!(await hasHandledCase(db, row.id, body.staffId)))
        throw problems.validation([{ path: 'staffId', message: 'Names someone who never handled this case.' }]);
      const review = await saveQualityReview(db, {
        id: `QR${randomBytes(8).toString('hex').toUpperCase()}`,
        caseId: row.id,
        caseType: row.type,
        team: row.team,
        staffId: body.staffId,
        reviewer: principal.sub,
        checklist: body.checklist,
        score: qualityScore(body.checklist),
        comment: body.comment ?? null,
        reviewedAt: now(),
      });
      return { status: 201, body: presentQualityReview(review) };
    },
  );
}
