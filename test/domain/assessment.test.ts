import { describe, expect, it } from 'vitest';
import {
  addMonths,
  annualResult,
  assessmentActionAllowed,
  assessmentConsequences,
  assessmentId,
  assessmentTotal,
  attendanceScore,
  DEFAULT_ASSESSMENT_WEIGHTS,
  figuresScore,
  gradeBandProblems,
  gradeOf,
  DEFAULT_GRADE_BANDS,
  periodRange,
  previousPeriod,
  ratingScore,
  weightProblems,
} from '../../domain/assessment';
import { qualityFigure, qualityScore } from '../../domain/quality-review';

describe('assessment periods', () => {
  it('names the month just ended in Shanghai time and its [from, to)', () => {
    expect(previousPeriod(new Date('2026-12-01T01:00:00Z'))).toBe('2026-11');
    expect(previousPeriod(new Date('2026-01-01T01:00:00Z'))).toBe('2025-12');
    expect(addMonths('2026-01', -2)).toBe('2025-11');
    expect(periodRange('2026-11')).toEqual({
      from: new Date('2026-10-31T16:00:00Z'),
      to: new Date('2026-11-30T16:00:00Z'),
    });
    expect(assessmentId('agent-7', '2026-11')).toBe('agent-7-202611');
  });
});

describe('scoring', () => {
  it('scores a checklist and a month of reviews 0..100', () => {
    const full = {
      courtesy: 5,
      listening: 5,
      timeliness: 5,
      clarity: 5,
      accuracy: 5,
      plainLanguage: 5,
      noFillers: 5,
      patience: 5,
    };
    expect(qualityScore(full)).toBe(100);
    expect(qualityScore({ ...full, patience: 1 })).toBe(90);
    expect(qualityFigure([])).toBeNull();
    expect(qualityFigure([80, 90])).toBe(85);
  });

  it('weights the components, leaving out those without a score', () => {
    expect(attendanceScore({ late: 1, leftEarly: 1, absent: 1, leaveDays: 3 })).toBe(70);
    expect(ratingScore(4)).toBe(80);
    const figures = figuresScore([
      { key: 'customer_satisfaction', value: 0.9, target: 0.9 },
      { key: 'complaint_rate', value: 0.1, target: 0.05 },
      { key: 'renewal_rate', value: null, target: 0.7 },
    ]);
    expect(figures).toBe(75);
    const scores = { figures: 100, quality: 80, attendance: 100, initiative: 80, teamwork: 80 };
    expect(assessmentTotal(scores, DEFAULT_ASSESSMENT_WEIGHTS)).toBe(91);
    expect(assessmentTotal({ ...scores, quality: null }, DEFAULT_ASSESSMENT_WEIGHTS)).toBe(94.67);
  });

  it('grades by the bands with their bonus coefficients', () => {
    expect(gradeOf(90)).toMatchObject({ grade: '优秀', bonusCoefficient: 1.2 });
    expect(gradeOf(89.99)).toMatchObject({ grade: '良好', bonusCoefficient: 1.0 });
    expect(gradeOf(60)).toMatchObject({ grade: '合格', bonusCoefficient: 0.9 });
    expect(gradeOf(10)).toMatchObject({ grade: '不合格', bonusCoefficient: 0.6 });
    expect(gradeBandProblems(DEFAULT_GRADE_BANDS)).toEqual([]);
    expect(gradeBandProblems(DEFAULT_GRADE_BANDS.slice(0, 3)).length).toBeGreaterThan(0);
    expect(weightProblems(DEFAULT_ASSESSMENT_WEIGHTS)).toEqual([]);
    expect(weightProblems({ ...DEFAULT_ASSESSMENT_WEIGHTS, quality: -1 })).toEqual([
      { path: 'quality', message: 'A weight ≥ 0.' },
    ]);
  });
});

describe('consequences and the year', () => {
  it('assigns a special training for 不合格 or a KPI below target, and flags three 优秀 in a row', () => {
    const met = [{ key: 'complaint_rate' as const, met: true }];
    expect(assessmentConsequences('不合格', met, [])).toEqual({
      specialTraining: { reasons: ['grade'], kpis: [] },
      promotionReview: false,
    });
    expect(assessmentConsequences('良好', [{ key: 'renewal_rate', met: false }], []).specialTraining).toEqual({
      reasons: ['kpi_below_target'],
      kpis: ['renewal_rate'],
    });
    expect(assessmentConsequences('优秀', met, ['优秀', '优秀']).promotionReview).toBe(true);
    expect(assessmentConsequences('优秀', met, ['优秀', '良好']).promotionReview).toBe(false);
    expect(assessmentConsequences('优秀', met, ['优秀']).promotionReview).toBe(false);
  });

  it('combines the twelve months and names the excellent staff', () => {
    const months = Array.from({ length: 12 }, (_, i) => ({
      period: `2026-${String(i + 1).padStart(2, '0')}`,
      total: 92,
      grade: '优秀' as const,
    }));
    expect(annualResult(2026, months)).toMatchObject({ months: 12, total: 92, grade: '优秀', excellent: true });
    const withFail = [...months.slice(1), { period: '2026-01', total: 50, grade: '不合格' as const }];
    expect(annualResult(2026, withFail)).toMatchObject({ excellent: false });
    expect(annualResult(2025, months)).toBeNull();
  });

  it('allows each action only in its statuses', () => {
    expect(assessmentActionAllowed('open', 'self')).toBe(true);
    expect(assessmentActionAllowed('scored', 'self')).toBe(false);
    expect(assessmentActionAllowed('published', 'appeal')).toBe(true);
    expect(assessmentActionAllowed('final', 'appeal')).toBe(false);
  });
});
