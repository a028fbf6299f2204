/**
 * The training record's public contract (培训记录: one person on one plan). The API imports these
 * objects, never raw names. No personal data: staff ids, plan titles and topics, scores.
 *
 * Every update refuses with an ApplicationFailure whose `type` is one of REFUSAL (shared contract):
 * `InvalidStateTransition` → 409, `ActionForbidden` → 403, `InvalidCaseInput` → 422. Besides these,
 * the record answers the shared `addNote` update and the `calendarChanged` signal.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor, EscalationLevel } from '../../domain/case';
import type { Clock } from '../../domain/clock';
import type { TrainingExamKind, TrainingPlanKind, TrainingStatus } from '../../domain/training';
import { caseWorkflowId } from '../shared/contract';

export const trainingWorkflowId = (recordId: string): string => caseWorkflowId('training', recordId);

export interface TrainingInput {
  recordId: string;
  planId: string;
  staffId: string;
  /** The trainee's team (the department's own placeholder for staff outside any team). */
  team: string;
  kind: TrainingPlanKind;
  title: string;
  topics: string[];
  passMark: number;
  /** Why the person is on the plan (hired, periodic round, an assessment's consequence, by hand). */
  reason: string;
  /** The source assessment of a special training. */
  assessmentId: string | null;
  /** Where the completion clock starts: the hire for an onboarding, the assignment otherwise. */
  clockStartsAt: string;
  assignedAt: string;
  assignedBy: Actor;
}

export interface TrainingSession {
  n: number;
  topic: string | null;
  attendedAt: string;
  hours: number | null;
  by: string;
  at: string;
}

export interface TrainingExam {
  n: number;
  kind: TrainingExamKind;
  score: number;
  passed: boolean;
  /** Taken as the retake (补考). */
  retake: boolean;
  by: string;
  at: string;
}

/** What `GET /training/records` shows of one person's record. */
export interface TrainingView {
  id: string;
  type: 'training';
  status: TrainingStatus;
  team: string;
  /** The trainee: the person who must act (attend, pass). */
  assignee: string;
  escalationLevel: EscalationLevel;
  planId: string;
  staffId: string;
  kind: TrainingPlanKind;
  title: string;
  topics: string[];
  passMark: number;
  reason: string;
  assessmentId: string | null;
  sessions: TrainingSession[];
  exams: TrainingExam[];
  /** Retakes opened (0 or 1). */
  retakes: number;
  flagged: { at: string; score: number } | null;
  passedAt: string | null;
  endedAt: string | null;
  clocks: Clock[];
  createdAt: string;
  updatedAt: string;
}

/** `POST /training/{planId}/attendance` — supervisor+, hr: a session the trainee attended. */
export interface AttendanceInput {
  actor: Actor;
  topic?: string;
  attendedAt: string;
  hours?: number;
}
/** `POST /training/{planId}/exam` — supervisor+, hr: an exam's score (0..100) against the plan's pass mark. */
export interface ExamInput {
  actor: Actor;
  kind: TrainingExamKind;
  score: number;
}

export const recordAttendance = defineUpdate<TrainingView, [AttendanceInput]>('recordAttendance');
export const recordExam = defineUpdate<TrainingView, [ExamInput]>('recordExam');
export const getTraining = defineQuery<TrainingView>('getTraining');
/** Completes once the record's first projection is in PostgreSQL. */
export const trainingOpened = defineUpdate<TrainingView, []>('trainingOpened');
