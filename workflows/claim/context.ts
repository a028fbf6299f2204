/** What the claim's handlers, reminders and main flow share, and the moves every action makes. */
import type { CaseContext } from '../shared/case-context';
import type { ClaimView } from './contract';
import type { ClaimState } from './state';

export interface ClaimContext extends CaseContext<ClaimView> {
  state: ClaimState;
}

export { moveTo, touched } from '../shared/case-context';
