/** The month's component scores, total, grade and bonus coefficient, from the tables in force when scored. */
import {
  assessmentTotal,
  attendanceScore,
  type ComponentScores,
  figuresScore,
  gradeOf,
  ratingScore,
} from '../../domain/assessment';
import type { ScoringTables } from '../../db/repositories/assessments';
import type { AssessmentView } from './contract';

/**
 * Scores the view in place. `scores` (an upheld appeal's adjusted components over the scored ones)
 * replaces what the month's figures and the supervisor's score give.
 */
export function scoreMonth(view: AssessmentView, tables: ScoringTables, scores?: ComponentScores): void {
  const score = view.supervisorScore;
  const components: ComponentScores = scores ?? {
    figures: figuresScore(view.figures),
    quality: view.qualityReviews.score,
    attendance: view.attendance ? attendanceScore(view.attendance) : null,
    initiative: score ? ratingScore(score.initiative) : null,
    teamwork: score ? ratingScore(score.teamwork) : null,
  };
  // Never null once scored: attendance, initiative and teamwork always are.
  const total = assessmentTotal(components, tables.weights) ?? 0;
  const band = gradeOf(total, tables.bands);
  view.scores = components;
  view.weights = tables.weights;
  view.total = total;
  view.grade = band.grade;
  view.bonusCoefficient = band.bonusCoefficient;
}
