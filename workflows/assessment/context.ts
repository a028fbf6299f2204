/** What the assessment's handlers and main flow share, and the moves every action makes. */
import type { AssessmentStatus } from '../../domain/assessment';
import { type CaseContext, moveTo as moveCase, touched } from '../shared/case-context';
import { nowIso } from '../shared/journal';
import type { AssessmentView } from './contract';
import type { AssessmentState } from './state';

export interface AssessmentContext extends CaseContext<AssessmentView> {
  state: AssessmentState;
}

export { touched };

/** The shared move, and a final assessment is stamped with when it became final. */
export function moveTo(
  ctx: AssessmentContext,
  to: AssessmentStatus,
  actor: string,
  detail: Record<string, unknown> = {},
): void {
  moveCase(ctx, to, actor, detail);
  if (to === 'final') ctx.state.view.finalAt = nowIso();
}
