/** What the training record's handlers and main flow share, and the moves every action makes. */
import { isTrainingFinished, type TrainingStatus } from '../../domain/training';
import { type CaseContext, moveTo as moveCase, touched } from '../shared/case-context';
import { nowIso } from '../shared/journal';
import type { TrainingView } from './contract';
import type { TrainingState } from './state';

export interface TrainingContext extends CaseContext<TrainingView> {
  state: TrainingState;
}

export { touched };

/** The shared move, and a finished record is stamped with when it ended. */
export function moveTo(
  ctx: TrainingContext,
  to: TrainingStatus,
  actor: string,
  detail: Record<string, unknown> = {},
): void {
  moveCase(ctx, to, actor, detail);
  if (isTrainingFinished(to)) ctx.state.view.endedAt = nowIso();
}
