/**
 * Quality reviews (服务质检, DOMAIN.md "Monthly assessment"): the supervisor's checklist on one handled
 * case. Eight items, each 0..5; a review's score is its points over the maximum, 0..100, and an
 * agent's quality figure for a month is the mean of the month's review scores. Pure.
 */

/** The checklist, in the rulebook's order. */
export const QUALITY_CHECKLIST_ITEMS = [
  'courtesy', // 文明用语
  'listening', // 认真倾听, 不打断
  'timeliness', // 及时
  'clarity', // 表达清楚
  'accuracy', // 准确
  'plainLanguage', // 通俗易懂
  'noFillers', // 无口头禅
  'patience', // 耐心
] as const;
export type QualityChecklistItem = (typeof QUALITY_CHECKLIST_ITEMS)[number];
export type QualityChecklist = Record<QualityChecklistItem, number>;

export const QUALITY_ITEM_MAX = 5;

/** 0..100, two decimals: the checklist's points over 8 × 5. */
export function qualityScore(checklist: QualityChecklist): number {
  const points = QUALITY_CHECKLIST_ITEMS.reduce((sum, item) => sum + checklist[item], 0);
  return round2((points / (QUALITY_CHECKLIST_ITEMS.length * QUALITY_ITEM_MAX)) * 100);
}

/** The month's quality figure: the mean of its reviews' scores; null when nobody was reviewed. */
export function qualityFigure(scores: readonly number[]): number | null {
  if (scores.length === 0) return null;
  return round2(scores.reduce((a, b) => a + b, 0) / scores.length);
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
