/** The training rules without Temporal: which action each status allows, where an exam leads, plans. */
import { describe, expect, it } from 'vitest';
import {
  completionClockOf,
  dueOnboarding,
  examOutcome,
  isTrainingFinished,
  monthsBetween,
  periodicRoundDue,
  planProblem,
  scoreProblem,
  TRAINING_STATUSES,
  trainingActionAllowed,
  trainingRecordTeam,
} from '../../domain/training';
import { shanghaiMonth } from '../../domain/civil-time';
import { DeadlinePolicyTable } from '../../domain/deadline-policies';

describe('training record statuses', () => {
  it('an exam needs a session attended first; attendance is open until the record ends', () => {
    expect(trainingActionAllowed('assigned', 'exam')).toBe(false);
    expect(trainingActionAllowed('assigned', 'attendance')).toBe(true);
    expect(trainingActionAllowed('attended', 'exam')).toBe(true);
    expect(trainingActionAllowed('retake', 'exam')).toBe(true);
    expect(trainingActionAllowed('retake', 'attendance')).toBe(true);
    for (const ended of ['passed', 'flagged'] as const) {
      expect(trainingActionAllowed(ended, 'exam')).toBe(false);
      expect(trainingActionAllowed(ended, 'attendance')).toBe(false);
    }
    expect(TRAINING_STATUSES.filter(isTrainingFinished)).toEqual(['passed', 'flagged']);
  });

  it('a first fail opens the retake, a second fail flags the record; a pass at the mark ends it', () => {
    expect(examOutcome('attended', 60, 60)).toEqual({ to: 'passed' });
    expect(examOutcome('attended', 59.5, 60)).toEqual({ to: 'retake', failed: true });
    expect(examOutcome('retake', 80, 60)).toEqual({ to: 'passed' });
    expect(examOutcome('retake', 10, 60)).toEqual({ to: 'flagged', failed: true });
    expect(examOutcome('assigned', 90, 60)).toBeNull();
    expect(examOutcome('passed', 90, 60)).toBeNull();
  });

  it('scores are 0..100 with at most one decimal', () => {
    expect(scoreProblem(0)).toBeNull();
    expect(scoreProblem(100)).toBeNull();
    expect(scoreProblem(72.5)).toBeNull();
    expect(scoreProblem(101)).toMatch(/0\.\.100/);
    expect(scoreProblem(-1)).toMatch(/0\.\.100/);
    expect(scoreProblem(72.55)).toMatch(/decimal/);
    expect(scoreProblem(Number.NaN)).not.toBeNull();
  });
});

describe('training plans', () => {
  const base = { passMark: 60, topics: ['服务规范'] };
  it('names people or a team, never both; only a periodic plan repeats, and it is for a team', () => {
    expect(planProblem({ ...base, kind: 'special', staffIds: ['a1'] })).toBeNull();
    expect(planProblem({ ...base, kind: 'periodic', team: 'east', everyMonths: 3 })).toBeNull();
    expect(planProblem({ ...base, kind: 'special', staffIds: ['a1'], team: 'east' })).toMatch(/not both/);
    expect(planProblem({ ...base, kind: 'special' })).toMatch(/staffIds or a team/);
    expect(planProblem({ ...base, kind: 'special', staffIds: ['a1'], everyMonths: 3 })).toMatch(/periodic/);
    expect(planProblem({ ...base, kind: 'periodic', staffIds: ['a1'] })).toMatch(/for a team/);
    expect(planProblem({ ...base, kind: 'special', staffIds: ['a1'], passMark: 120 })).toMatch(/passMark/);
    expect(planProblem({ ...base, kind: 'special', staffIds: ['a1'], topics: [] })).toMatch(/topic/);
  });

  it('onboarding and periodic rounds run their completion clock; a special training none', () => {
    expect(completionClockOf('onboarding')).toBe('training.onboarding');
    expect(completionClockOf('periodic')).toBe('training.periodic');
    expect(completionClockOf('special')).toBeNull();
  });

  it('the training clocks are in the policy table with DOMAIN.md’s defaults', () => {
    const table = new DeadlinePolicyTable();
    expect(table.clock('training.onboarding')).toMatchObject({ kind: 'internal', duration: 'P10D' });
    expect(table.clock('training.retake')).toMatchObject({ kind: 'internal', duration: 'P14D' });
    expect(table.clock('training.periodic')).toMatchObject({ kind: 'internal', duration: 'P90D' });
  });

  it('only a newly hired agent is due an onboarding (not staff already working when entered)', () => {
    expect(dueOnboarding('agent', '2026-12-01', '2026-12-02')).toBe(true);
    expect(dueOnboarding('agent', '2026-12-20', '2026-12-02')).toBe(true);
    expect(dueOnboarding('agent', '2026-11-02', '2026-12-02')).toBe(true);
    expect(dueOnboarding('agent', '2026-11-01', '2026-12-02')).toBe(false);
    expect(dueOnboarding('supervisor', '2026-12-01', '2026-12-02')).toBe(false);
  });

  it('a team’s periodic round is due every N months, counted in Shanghai months', () => {
    expect(shanghaiMonth(new Date('2026-11-30T16:00:00Z'))).toBe('2026-12');
    expect(monthsBetween('2026-11', '2027-02')).toBe(3);
    expect(periodicRoundDue(null, '2026-12', 3)).toBe(true);
    expect(periodicRoundDue('2026-10', '2026-12', 3)).toBe(false);
    expect(periodicRoundDue('2026-09', '2026-12', 3)).toBe(true);
    expect(trainingRecordTeam(null)).toBe('department');
    expect(trainingRecordTeam('east')).toBe('east');
  });
});
