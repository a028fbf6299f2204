/**
 * The monthly and annual assessment (绩效考核, DOMAIN.md "Monthly assessment"): statuses and what each
 * allows, the periods, the component scores, the weighted total, the grade with its bonus coefficient
 * and the consequences (考核结果应用). Weights and grade bands are configuration (the database keeps
 * them in one table each, seeded with the defaults here); this module only computes. Pure.
 */
import { shanghaiInstant, shanghaiMonth } from './civil-time';
import type { KpiFigure, KpiKey } from './kpis';
import { round2 } from './quality-review';

export const ASSESSMENT_STATUSES = [
  'open',
  'self_assessed',
  'scored',
  'published',
  'appealed',
  'appeal_answered',
  'final',
] as const;
export type AssessmentStatus = (typeof ASSESSMENT_STATUSES)[number];

export const ASSESSMENT_CLOCKS = {
  self: 'assessment.self',
  supervisor: 'assessment.supervisor',
  /** HR's publication of a scored month (a department rule beside DOMAIN.md's four). */
  publication: 'assessment.publication',
  appealWindow: 'assessment.appealWindow',
  appealAnswer: 'assessment.appealAnswer',
} as const;

export type AssessmentAction = 'self' | 'score' | 'publish' | 'appeal' | 'appealDecision' | 'assign' | 'note';

/**
 * What each status allows. The supervisor may score once the month is open even without the
 * self-assessment (a missing self-assessment is the agent's own breach, not a block on the month);
 * after the score the self-assessment is closed.
 */
const ALLOWED: Record<AssessmentStatus, readonly AssessmentAction[]> = {
  open: ['self', 'score', 'assign', 'note'],
  self_assessed: ['score', 'assign', 'note'],
  scored: ['publish', 'assign', 'note'],
  published: ['appeal', 'note'],
  appealed: ['appealDecision', 'note'],
  appeal_answered: ['note'],
  final: [],
};

export function assessmentActionAllowed(status: AssessmentStatus, action: AssessmentAction): boolean {
  return ALLOWED[status].includes(action);
}

export function isAssessmentFinished(status: AssessmentStatus): boolean {
  return status === 'final';
}

// ---- periods (YYYY-MM, Asia/Shanghai) ----

/**
 * `YYYY-MM` in the years a calendar here reckons with (1970–2199: year 0 answered 500); exported so
 * the API's schemas state the same pattern in the OpenAPI document.
 */
export const PERIOD_PATTERN = /^(19[7-9]\d|2[01]\d\d)-(0[1-9]|1[0-2])$/;
const PERIOD = PERIOD_PATTERN;

export function isPeriod(text: string): boolean {
  return PERIOD.test(text);
}

function parsePeriod(period: string): [number, number] {
  const match = PERIOD.exec(period);
  if (!match) throw new RangeError(`not a YYYY-MM period: ${JSON.stringify(period)}`);
  return [Number(match[1]), Number(match[2])];
}

/** `2026-11` → `202611` (the workflow id's form). */
export const compactPeriod = (period: string): string => period.replace('-', '');

export function addMonths(period: string, months: number): string {
  const [y, m] = parsePeriod(period);
  const index = y * 12 + (m - 1) + months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The month an instant falls in, in Asia/Shanghai. */
export function periodOf(instant: Date | string): string {
  return shanghaiMonth(typeof instant === 'string' ? new Date(instant) : instant);
}

/** The month just ended at `instant` (what the Schedule on the 1st assesses). */
export const previousPeriod = (instant: Date | string): string => addMonths(periodOf(instant), -1);

/** [from, to) of a month, Shanghai midnights as instants. */
export function periodRange(period: string): { from: Date; to: Date } {
  parsePeriod(period);
  return { from: shanghaiInstant(`${period}-01`), to: shanghaiInstant(`${addMonths(period, 1)}-01`) };
}

/** The assessment's id (case id): the workflow id is `assessment-<id>` = `assessment-<staffId>-<YYYYMM>`. */
export const assessmentId = (staffId: string, period: string): string => `${staffId}-${compactPeriod(period)}`;

// ---- scoring ----

export const ASSESSMENT_COMPONENTS = ['figures', 'quality', 'attendance', 'initiative', 'teamwork'] as const;
export type AssessmentComponent = (typeof ASSESSMENT_COMPONENTS)[number];
export type AssessmentWeights = Record<AssessmentComponent, number>;

/** Default weights (percent), seeded into assessment_weights; the department changes them there. */
export const DEFAULT_ASSESSMENT_WEIGHTS: Readonly<AssessmentWeights> = {
  figures: 40, // 业务指标
  quality: 25, // 服务质检
  attendance: 15, // 考勤
  initiative: 10, // 工作积极性
  teamwork: 10, // 团队协作
};

export const GRADES = ['优秀', '良好', '合格', '不合格'] as const;
export type Grade = (typeof GRADES)[number];

export interface GradeBand {
  grade: Grade;
  /** The least total (0..100) that earns the grade. */
  minTotal: number;
  bonusCoefficient: number;
}

/** Default bands, seeded into assessment_grade_bands (e.g. 1.2 / 1.0 / 0.9 / 0.6). */
export const DEFAULT_GRADE_BANDS: readonly GradeBand[] = [
  { grade: '优秀', minTotal: 90, bonusCoefficient: 1.2 },
  { grade: '良好', minTotal: 80, bonusCoefficient: 1.0 },
  { grade: '合格', minTotal: 60, bonusCoefficient: 0.9 },
  { grade: '不合格', minTotal: 0, bonusCoefficient: 0.6 },
];

export interface Attendance {
  late: number;
  leftEarly: number;
  absent: number;
  leaveDays: number;
}

/** Points off the attendance score (100): approved leave costs nothing. */
export const ATTENDANCE_DEDUCTIONS = { late: 5, leftEarly: 5, absent: 20 } as const;

export function attendanceScore(a: Attendance): number {
  const off =
    a.late * ATTENDANCE_DEDUCTIONS.late +
    a.leftEarly * ATTENDANCE_DEDUCTIONS.leftEarly +
    a.absent * ATTENDANCE_DEDUCTIONS.absent;
  return Math.max(0, 100 - off);
}

/** A 1..5 rating as 0..100. */
export const ratingScore = (rating: number): number => round2((rating / 5) * 100);

/**
 * How far one KPI reached its target, 0..1: an at-least figure as value ÷ target (capped at 1), the
 * complaint rate (at most) as 1 while at or under the target, target ÷ value above it.
 */
export function kpiAttainment(figure: Pick<KpiFigure, 'key' | 'value' | 'target'>): number | null {
  if (figure.value === null) return null;
  if (figure.key === 'complaint_rate') return figure.value <= figure.target ? 1 : figure.target / figure.value;
  if (figure.target <= 0) return 1;
  return Math.min(1, figure.value / figure.target);
}

/** The figures component: mean attainment of the KPIs that had anything to measure, 0..100; null if none. */
export function figuresScore(figures: readonly Pick<KpiFigure, 'key' | 'value' | 'target'>[]): number | null {
  const attained = figures.map(kpiAttainment).filter((a): a is number => a !== null);
  if (attained.length === 0) return null;
  return round2((attained.reduce((s, a) => s + a, 0) / attained.length) * 100);
}

export type ComponentScores = Record<AssessmentComponent, number | null>;

/**
 * The weighted total, 0..100: components without a score (no KPI measured, nobody reviewed) are left
 * out and the others' weights carry the total; null only when nothing at all was scored.
 */
export function assessmentTotal(scores: ComponentScores, weights: AssessmentWeights): number | null {
  let sum = 0;
  let weight = 0;
  for (const c of ASSESSMENT_COMPONENTS) {
    const s = scores[c];
    if (s === null || !(weights[c] > 0)) continue;
    sum += s * weights[c];
    weight += weights[c];
  }
  return weight === 0 ? null : round2(sum / weight);
}

/** The band a total falls in: the highest band whose minimum it reaches. */
export function gradeOf(total: number, bands: readonly GradeBand[] = DEFAULT_GRADE_BANDS): GradeBand {
  const sorted = [...bands].sort((a, b) => b.minTotal - a.minTotal);
  return sorted.find((b) => total >= b.minTotal) ?? sorted[sorted.length - 1] ?? DEFAULT_GRADE_BANDS[3]!;
}

export interface WeightProblem {
  path: string;
  message: string;
}

/** Weights are non-negative and not all zero. */
export function weightProblems(weights: Partial<AssessmentWeights>): WeightProblem[] {
  const problems: WeightProblem[] = [];
  for (const c of ASSESSMENT_COMPONENTS) {
    const w = weights[c];
    if (w === undefined || !Number.isFinite(w) || w < 0) problems.push({ path: c, message: 'A weight ≥ 0.' });
  }
  if (problems.length === 0 && ASSESSMENT_COMPONENTS.every((c) => weights[c] === 0))
    problems.push({ path: 'weights', message: 'At least one weight above 0.' });
  return problems;
}

/** Bands: each grade once, one band starting at 0, coefficients ≥ 0, higher grades need higher totals. */
export function gradeBandProblems(bands: readonly GradeBand[]): WeightProblem[] {
  const problems: WeightProblem[] = [];
  for (const grade of GRADES)
    if (bands.filter((b) => b.grade === grade).length !== 1)
      problems.push({ path: grade, message: 'Each grade has exactly one band.' });
  if (!bands.some((b) => b.minTotal === 0)) problems.push({ path: 'minTotal', message: 'One band starts at 0.' });
  for (const b of bands) {
    if (!(b.minTotal >= 0 && b.minTotal <= 100)) problems.push({ path: b.grade, message: 'minTotal is 0..100.' });
    if (!(b.bonusCoefficient >= 0)) problems.push({ path: b.grade, message: 'bonusCoefficient ≥ 0.' });
  }
  const order = GRADES.map((g) => bands.find((b) => b.grade === g)?.minTotal ?? 0);
  for (let i = 1; i < order.length; i++)
    if (order[i]! >= order[i - 1]!)
      problems.push({ path: GRADES[i]!, message: `Needs a lower minTotal than ${GRADES[i - 1]!}.` });
  return problems;
}

// ---- consequences (考核结果应用) ----

export interface Consequences {
  /** 不合格, or a KPI below its target: a special training is assigned. */
  specialTraining: { reasons: ('grade' | 'kpi_below_target')[]; kpis: KpiKey[] } | null;
  /** The third 优秀 in a row (this month and the two before): flagged for promotion review. */
  promotionReview: boolean;
}

export function assessmentConsequences(
  grade: Grade,
  figures: readonly Pick<KpiFigure, 'key' | 'met'>[],
  /** The final grades of the two months before, most recent first (null: no final assessment). */
  previousGrades: readonly (Grade | null)[],
): Consequences {
  const below = figures.filter((f) => f.met === false).map((f) => f.key);
  const reasons: ('grade' | 'kpi_below_target')[] = [];
  if (grade === '不合格') reasons.push('grade');
  if (below.length > 0) reasons.push('kpi_below_target');
  return {
    specialTraining: reasons.length > 0 ? { reasons, kpis: below } : null,
    promotionReview:
      grade === '优秀' && previousGrades.length >= 2 && previousGrades.slice(0, 2).every((g) => g === '优秀'),
  };
}

// ---- the annual result ----

export interface MonthResult {
  period: string;
  total: number;
  grade: Grade;
}

export interface AnnualResult {
  year: number;
  months: number;
  /** The mean of the months' totals. */
  total: number;
  grade: Grade;
  bonusCoefficient: number;
  excellentMonths: number;
  /** 年度优秀客服人员: the year's grade is 优秀, no month was 不合格, and at least ten months were assessed. */
  excellent: boolean;
}

export const ANNUAL_EXCELLENT_MIN_MONTHS = 10;

export function annualResult(
  year: number,
  months: readonly MonthResult[],
  bands: readonly GradeBand[] = DEFAULT_GRADE_BANDS,
): AnnualResult | null {
  const ofYear = months.filter((m) => m.period.startsWith(`${year}-`));
  if (ofYear.length === 0) return null;
  const total = round2(ofYear.reduce((s, m) => s + m.total, 0) / ofYear.length);
  const band = gradeOf(total, bands);
  return {
    year,
    months: ofYear.length,
    total,
    grade: band.grade,
    bonusCoefficient: band.bonusCoefficient,
    excellentMonths: ofYear.filter((m) => m.grade === '优秀').length,
    excellent:
      band.grade === '优秀' &&
      ofYear.length >= ANNUAL_EXCELLENT_MIN_MONTHS &&
      !ofYear.some((m) => m.grade === '不合格'),
  };
}
