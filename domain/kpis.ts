/**
 * The rulebook's figures (DOMAIN.md, "Figures"): which KPIs exist, which way is better, the default
 * targets, and the one piece of arithmetic every figure shares. Pure: the counts come from the read model.
 */
import { shanghaiMonth } from './civil-time';
import { DEFAULT_CLOCK_POLICIES } from './deadline-policies';

export const KPI_KEYS = [
  'customer_satisfaction',
  'complaint_rate',
  'response_timeliness',
  'answer_accuracy',
  'purchase_conversion',
  'renewal_rate',
  'claim_timeliness',
] as const;
export type KpiKey = (typeof KPI_KEYS)[number];

/**
 * A target and its direction: most figures must reach their target, the complaint rate must stay at
 * or below it.
 */
export interface KpiTarget {
  value: number;
  direction: 'atLeast' | 'atMost';
}

/**
 * Default targets, used for every team and agent until per-period / per-team / per-agent targets are
 * stored (DOMAIN.md: "targets configurable per period, team and agent"). The rulebook gives no numbers;
 * these are the department's working assumptions and change only here.
 */
export const DEFAULT_KPI_TARGETS: Readonly<Record<KpiKey, KpiTarget>> = {
  customer_satisfaction: { value: 0.9, direction: 'atLeast' }, // 客户满意度
  complaint_rate: { value: 0.05, direction: 'atMost' }, // 投诉率
  response_timeliness: { value: 0.95, direction: 'atLeast' }, // 服务响应及时率
  answer_accuracy: { value: 0.95, direction: 'atLeast' }, // 咨询解答准确率
  purchase_conversion: { value: 0.3, direction: 'atLeast' }, // 投保成功率
  renewal_rate: { value: 0.7, direction: 'atLeast' }, // 续保率
  claim_timeliness: { value: 0.95, direction: 'atLeast' }, // 理赔处理及时率
};

/** The clocks whose outcome is the customer's first response: one per case type that promises one. */
export const FIRST_RESPONSE_CLOCK_POLICIES = ['claim.firstContact', 'complaint.acknowledge', 'inquiry.answer'] as const;

/** 理赔处理及时率 counts every claim clock: named, not matched by prefix, so an index range serves it. */
export const CLAIM_TIMELINESS_CLOCK_POLICIES: readonly string[] = DEFAULT_CLOCK_POLICIES.map((p) => p.name).filter(
  (name) => name.startsWith('claim.'),
);

export interface KpiValue {
  /** numerator ÷ denominator rounded to 4 decimals; null when there is nothing to measure (denominator 0). */
  value: number | null;
  /** Whether the target is reached; null when there is no value (no data is neither a pass nor a fail). */
  met: boolean | null;
}

export function kpi(numerator: number, denominator: number, target: KpiTarget): KpiValue {
  if (denominator === 0) return { value: null, met: null };
  const value = Math.round((numerator / denominator) * 10_000) / 10_000;
  return { value, met: target.direction === 'atLeast' ? value >= target.value : value <= target.value };
}

/** The counts behind one figure, as the read model gives them. */
export interface KpiCount {
  numerator: number;
  denominator: number;
}

export interface KpiFigure extends KpiCount, KpiValue {
  key: KpiKey;
  target: number;
}

export function kpiFigures(
  counts: Readonly<Record<KpiKey, KpiCount>>,
  targets: Readonly<Record<KpiKey, KpiTarget>> = DEFAULT_KPI_TARGETS,
): KpiFigure[] {
  return KPI_KEYS.map((key) => {
    const { numerator, denominator } = counts[key];
    return { key, ...kpi(numerator, denominator, targets[key]), numerator, denominator, target: targets[key].value };
  });
}

/** Target values set for one level (a period, a team in it, an agent in it); keys left out inherit. */
export type KpiTargetValues = Partial<Record<KpiKey, number>>;

/**
 * The targets in force: each KPI takes the most specific value set for it — the agent's, else the
 * team's, else the period's — and the default otherwise. `levels` runs from least to most specific.
 * The direction (at least / at most) is the KPI's own and never changes.
 */
export function resolveKpiTargets(levels: readonly KpiTargetValues[]): Record<KpiKey, KpiTarget> {
  const resolved = { ...DEFAULT_KPI_TARGETS };
  for (const level of levels)
    for (const key of KPI_KEYS) {
      const value = level[key];
      if (value !== undefined) resolved[key] = { ...resolved[key], value };
    }
  return resolved;
}

/** The period (YYYY-MM, Asia/Shanghai) whose targets a report starting at `from` is measured against. */
export function targetPeriodOf(from: Date): string {
  return shanghaiMonth(from);
}
