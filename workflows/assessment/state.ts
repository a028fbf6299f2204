/** The assessment's state inside the workflow: the view, plus what survives continue-as-new. */
import { isAssessmentFinished } from '../../domain/assessment';
import type { ScoringTables } from '../../db/repositories/assessments';
import { caseSnapshot, type CaseSnapshot } from '../shared/journal';
import type { AssessmentInput, AssessmentView } from './contract';

export interface AssessmentState {
  view: AssessmentView;
  seq: number;
  opened: boolean;
  /** The weights and bands the score was computed with: an upheld appeal's new total uses the same. */
  scoring: ScoringTables | null;
}

export interface AssessmentResume {
  state: AssessmentState;
}

export function newAssessmentState(input: AssessmentInput, id: string): AssessmentState {
  return {
    seq: 0,
    opened: false,
    scoring: null,
    view: {
      id,
      type: 'assessment',
      status: 'open',
      team: input.team,
      assignee: input.staffId,
      escalationLevel: 0,
      staffId: input.staffId,
      supervisorId: input.supervisorId,
      period: input.period,
      figures: [],
      qualityReviews: { count: 0, score: null, reviews: [] },
      attendance: null,
      self: null,
      supervisorScore: null,
      scores: null,
      weights: null,
      total: null,
      grade: null,
      bonusCoefficient: null,
      publishedAt: null,
      publishedBy: null,
      appealWindowEndsAt: null,
      appeal: null,
      consequences: null,
      finalAt: null,
      clocks: [],
      createdAt: input.openedAt,
      updatedAt: input.openedAt,
    },
  };
}

export function isFinished(view: AssessmentView): boolean {
  return isAssessmentFinished(view.status);
}

export function assessmentSnapshot(view: AssessmentView): CaseSnapshot {
  return caseSnapshot(view, isFinished(view));
}
