/** The training record's state inside the workflow: the view, plus what survives continue-as-new. */
import { isTrainingFinished } from '../../domain/training';
import { caseSnapshot, type CaseSnapshot } from '../shared/journal';
import type { TrainingInput, TrainingView } from './contract';

export interface TrainingState {
  view: TrainingView;
  seq: number;
  opened: boolean;
}

export interface TrainingResume {
  state: TrainingState;
}

export function newTrainingState(input: TrainingInput): TrainingState {
  return {
    seq: 0,
    opened: false,
    view: {
      id: input.recordId,
      type: 'training',
      status: 'assigned',
      team: input.team,
      assignee: input.staffId,
      escalationLevel: 0,
      planId: input.planId,
      staffId: input.staffId,
      kind: input.kind,
      title: input.title,
      topics: input.topics,
      passMark: input.passMark,
      reason: input.reason,
      assessmentId: input.assessmentId,
      sessions: [],
      exams: [],
      retakes: 0,
      flagged: null,
      passedAt: null,
      endedAt: null,
      clocks: [],
      createdAt: input.assignedAt,
      updatedAt: input.assignedAt,
    },
  };
}

export function isFinished(view: TrainingView): boolean {
  return isTrainingFinished(view.status);
}

export function trainingSnapshot(view: TrainingView): CaseSnapshot {
  return caseSnapshot(view, isFinished(view));
}
