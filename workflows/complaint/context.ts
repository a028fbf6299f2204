/** What the complaint's handlers and main flow share, and the two moves every action makes. */
import type { SurveySent } from '../../domain/survey';
import { type CaseContext, moveTo, touched } from '../shared/case-context';
import type { ComplaintView } from './contract';
import type { ComplaintState } from './state';

export interface ComplaintContext extends CaseContext<ComplaintView> {
  state: ComplaintState;
}

export { moveTo, touched };

/** The survey as this complaint sends it: rates the assignee (else whoever resolved it). */
export function complaintSurvey(view: ComplaintView, resolvedBy: string): Omit<SurveySent, 'sentAt' | 'sentVia'> {
  return {
    caseId: view.id,
    caseType: 'complaint',
    team: view.team,
    agent: view.assignee ?? resolvedBy,
    channel: view.channel,
  };
}
