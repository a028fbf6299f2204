/**
 * Training (培训, rulebook 四): plans and each person's training record. A plan is onboarding (入职培训,
 * assigned when a staff member is created), periodic (定期培训, every N months for a team) or special
 * (专项培训, from an assessment's consequences or by hand). Each person on a plan has one record:
 * assigned → attended → passed / failed → (retake → passed / flagged). A first fail opens a retake
 * (training.retake, 14 days); a second fail is flagged to HR for handling (相应处理).
 * Pure: the workflow's validators, the API's 409s and the tests ask the same table.
 */

export const TRAINING_PLAN_KINDS = ['onboarding', 'periodic', 'special'] as const;
export type TrainingPlanKind = (typeof TRAINING_PLAN_KINDS)[number];

/** Theory (理论), practical (实操) or based on customers' satisfaction (客户满意度). */
export const TRAINING_EXAM_KINDS = ['theory', 'practical', 'satisfaction'] as const;
export type TrainingExamKind = (typeof TRAINING_EXAM_KINDS)[number];

export const TRAINING_STATUSES = ['assigned', 'attended', 'passed', 'failed', 'retake', 'flagged'] as const;
export type TrainingStatus = (typeof TRAINING_STATUSES)[number];

export const TERMINAL_TRAINING_STATUSES: readonly TrainingStatus[] = ['passed', 'flagged'];

export type TrainingAction = 'attendance' | 'exam';

/** Scores are 0..100; a plan's pass mark lies in the same range (default 60). */
export const MAX_SCORE = 100;
export const DEFAULT_PASS_MARK = 60;
/** Periodic training every N months unless the plan says otherwise (DOMAIN.md: default 3). */
export const DEFAULT_PERIODIC_EVERY_MONTHS = 3;

/**
 * Which statuses allow which action; anything else is refused (HTTP 409). An exam needs a session
 * attended first; a retake may be preceded by another session. `failed` is passed through at once
 * (a fail opens the retake), so no action waits on it.
 */
const TRAINING_ACTIONS: Record<TrainingAction, readonly TrainingStatus[]> = {
  attendance: ['assigned', 'attended', 'retake'],
  exam: ['attended', 'retake'],
};

export function trainingActionAllowed(status: TrainingStatus, action: TrainingAction): boolean {
  return TRAINING_ACTIONS[action].includes(status);
}

export function isTrainingFinished(status: TrainingStatus): boolean {
  return TERMINAL_TRAINING_STATUSES.includes(status);
}

export const TRAINING_CLOCKS = {
  onboarding: 'training.onboarding',
  periodic: 'training.periodic',
  retake: 'training.retake',
} as const;

/** The clock a newly assigned record runs until it is passed; a special training has none of its own. */
export function completionClockOf(
  kind: TrainingPlanKind,
): (typeof TRAINING_CLOCKS)[keyof typeof TRAINING_CLOCKS] | null {
  if (kind === 'onboarding') return TRAINING_CLOCKS.onboarding;
  if (kind === 'periodic') return TRAINING_CLOCKS.periodic;
  return null;
}

export function passes(score: number, passMark: number): boolean {
  return score >= passMark;
}

/**
 * Where an exam takes the record: from `attended` a pass ends it, a fail opens the retake; from
 * `retake` a pass ends it, a fail flags it to HR. Null when no exam is allowed in `status`.
 */
export function examOutcome(
  status: TrainingStatus,
  score: number,
  passMark: number,
): { to: 'passed' } | { to: 'retake'; failed: true } | { to: 'flagged'; failed: true } | null {
  if (!trainingActionAllowed(status, 'exam')) return null;
  if (passes(score, passMark)) return { to: 'passed' };
  return status === 'retake' ? { to: 'flagged', failed: true } : { to: 'retake', failed: true };
}

export function scoreProblem(score: number): string | null {
  if (!Number.isFinite(score) || score < 0 || score > MAX_SCORE) return `a score is 0..${MAX_SCORE}`;
  if (Math.round(score * 10) !== score * 10) return 'a score has at most one decimal';
  return null;
}

/** What every plan needs: a pass mark on the score scale and at least one topic. */
export function planFieldsProblem(plan: { passMark: number; topics: readonly string[] }): string | null {
  const score = scoreProblem(plan.passMark);
  if (score) return `passMark: ${score}`;
  if (plan.topics.length === 0) return 'a plan names at least one topic';
  return null;
}

/** A plan as `POST /training/plans` asks for it: the fields its kind requires or forbids; null when they fit. */
export function planProblem(plan: {
  kind: TrainingPlanKind;
  passMark: number;
  topics: readonly string[];
  everyMonths?: number;
  staffIds?: readonly string[];
  team?: string;
}): string | null {
  const fields = planFieldsProblem(plan);
  if (fields) return fields;
  if (plan.staffIds !== undefined && plan.team !== undefined) return 'a plan names staffIds or a team, not both';
  if (plan.staffIds === undefined && plan.team === undefined) return 'a plan names staffIds or a team';
  if (plan.everyMonths !== undefined && plan.kind !== 'periodic') return 'only a periodic plan repeats (everyMonths)';
  if (plan.kind === 'periodic' && plan.team === undefined) return 'a periodic plan is for a team';
  return null;
}

/** Whole months from `from` to `to` (both `YYYY-MM`). */
export function monthsBetween(from: string, to: string): number {
  const [fy, fm] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  return (ty - fy) * 12 + (tm - fm);
}

/** Whether a team's periodic training is due in `month`, its last round having been in `lastRound`. */
export function periodicRoundDue(lastRound: string | null, month: string, everyMonths: number): boolean {
  return lastRound === null || monthsBetween(lastRound, month) >= everyMonths;
}

/**
 * The team a record counts in. Managers, HR and admins belong to no team: their records sit with the
 * department (a case row always names a team).
 */
export const DEPARTMENT_TEAM = 'department';
export const trainingRecordTeam = (team: string | null): string => team ?? DEPARTMENT_TEAM;

/**
 * Onboarding is for new hires: an agent entered in the directory with a hire date older than this is
 * staff already working (the directory being filled in), not a newcomer, and gets no onboarding.
 */
export const ONBOARDING_HIRE_WINDOW_DAYS = 30;

/** Whether an agent created now with this hire date (`YYYY-MM-DD`) is a newcomer due an onboarding. */
export function dueOnboarding(role: string, hiredAt: string, today: string): boolean {
  if (role !== 'agent') return false;
  const days = (Date.parse(`${today}T00:00:00Z`) - Date.parse(`${hiredAt}T00:00:00Z`)) / 86_400_000;
  return days <= ONBOARDING_HIRE_WINDOW_DAYS;
}

/** The onboarding plan every new agent gets (入职培训), unless HR plans another by hand. */
export const DEFAULT_ONBOARDING_PLAN = {
  title: '新员工入职培训',
  topics: ['公司制度与服务规范', '车险产品知识', '理赔、投诉、咨询、投保、续保流程', '文明用语与沟通技巧', '信息安全'],
  passMark: DEFAULT_PASS_MARK,
} as const;

/** The periodic round a team gets when it has no periodic plan of its own yet (定期培训). */
export const DEFAULT_PERIODIC_PLAN = {
  title: '定期业务培训',
  topics: ['新产品与政策更新', '服务规范复训', '典型案例分析'],
  passMark: DEFAULT_PASS_MARK,
} as const;
