/**
 * The counts behind the KPIs (domain/kpis.ts), read from the case read model only — never from
 * Temporal — for a period [from, to) and an optional team and agent. An agent's cases are every case
 * the agent was ever assigned (case_assignments), not only those still assigned to them; an agent's
 * surveys are the ones rating them.
 */
import { type ExpressionBuilder, sql } from 'kysely';
import { FIRST_RESPONSE_CLOCK_POLICIES, type KpiCount, type KpiKey } from '../../domain/kpis';
import { TERMINAL_RENEWAL_STATUSES } from '../../domain/renewal';
import type { Database } from '../schema';
import { satisfactionFigure } from './surveys';
import type { Executor } from './support';

export interface KpiFilter {
  from: Date;
  to: Date;
  team?: string;
  agent?: string;
}

export async function kpiCounts(db: Executor, filter: KpiFilter): Promise<Record<KpiKey, KpiCount>> {
  const [satisfaction, complaints, response, accuracy, renewals, claims] = await Promise.all([
    satisfactionFigure(db, filter),
    complaintRateCount(db, filter),
    clockTimelinessCount(db, filter, { in: FIRST_RESPONSE_CLOCK_POLICIES }),
    answerAccuracyCount(db, filter),
    renewalRateCount(db, filter),
    clockTimelinessCount(db, filter, { like: 'claim.%' }),
  ]);
  return {
    customer_satisfaction: { numerator: satisfaction.numerator, denominator: satisfaction.denominator },
    complaint_rate: complaints,
    response_timeliness: response,
    answer_accuracy: accuracy,
    // 投保成功率 needs purchase applications, and no purchase case type exists yet: no data, no figure.
    purchase_conversion: { numerator: 0, denominator: 0 },
    renewal_rate: renewals,
    claim_timeliness: claims,
  };
}

/** The team and agent filter on `cases`, for every query that reads cases (alone or joined). */
function inScope(eb: ExpressionBuilder<Database, 'cases'>, filter: KpiFilter) {
  const conditions = [];
  if (filter.team !== undefined) conditions.push(eb('cases.team', '=', filter.team));
  if (filter.agent !== undefined) {
    const agent = filter.agent;
    conditions.push(
      eb.exists(
        eb
          .selectFrom('case_assignments')
          .select(sql<number>`1`.as('one'))
          .whereRef('case_assignments.case_id', '=', 'cases.id')
          .where('case_assignments.assignee', '=', agent),
      ),
    );
  }
  return eb.and(conditions);
}

function counted(
  row: { numerator: string | number | bigint; denominator: string | number | bigint } | undefined,
): KpiCount {
  return { numerator: Number(row?.numerator ?? 0), denominator: Number(row?.denominator ?? 0) };
}

/** 投诉率: complaints received ÷ cases opened (every type), both by creation time. */
async function complaintRateCount(db: Executor, filter: KpiFilter): Promise<KpiCount> {
  const query = db
    .selectFrom('cases')
    .select((eb) => [
      sql<string>`count(*) filter (where cases.type = 'complaint')`.as('numerator'),
      eb.fn.countAll<string>().as('denominator'),
    ])
    .where('cases.created_at', '>=', filter.from)
    .where('cases.created_at', '<', filter.to);
  return counted(await query.where((eb) => inScope(eb, filter)).executeTakeFirst());
}

/**
 * Clocks met ÷ clocks ended, each clock counted in the period its outcome became known: a met clock
 * when it ended (`ended_at`); a breached clock when it breached (`due_at`), whether or not its case
 * has since ended it — `endClock` keeps a breached clock `breached` whether it is met late or cancelled
 * with its case (a withdrawal, a denial), and a breach still open is already a promise not kept. Pending, warned, paused and cancelled clocks have no outcome and are left out.
 */
async function clockTimelinessCount(
  db: Executor,
  filter: KpiFilter,
  policies: { in: readonly string[] } | { like: string },
): Promise<KpiCount> {
  const { from, to } = filter;
  const query = db
    .selectFrom('clocks')
    .innerJoin('cases', 'cases.id', 'clocks.case_id')
    .select([
      sql<string>`count(*) filter (where clocks.state = 'met' and clocks.ended_at >= ${from} and clocks.ended_at < ${to})`.as(
        'numerator',
      ),
      sql<string>`count(*) filter (where (clocks.state = 'met' and clocks.ended_at >= ${from} and clocks.ended_at < ${to})
        or (clocks.state = 'breached' and clocks.due_at >= ${from} and clocks.due_at < ${to}))`.as('denominator'),
    ])
    .where((eb) =>
      'in' in policies ? eb('clocks.policy', 'in', policies.in) : eb('clocks.policy', 'like', policies.like),
    )
    .where('clocks.state', 'in', ['met', 'breached']);
  return counted(await query.where((eb) => inScope(eb, filter)).executeTakeFirst());
}

/**
 * 咨询解答准确率: inquiries whose quality review says correct ÷ inquiries reviewed, by the review's
 * own instant (`data.review.at`, written by the review Update) rather than `updated_at`, which later
 * projections (the survey, the review window closing) move on.
 */
async function answerAccuracyCount(db: Executor, filter: KpiFilter): Promise<KpiCount> {
  const reviewedAt = sql<Date>`(cases.data -> 'review' ->> 'at')::timestamptz`;
  const query = db
    .selectFrom('cases')
    .select((eb) => [
      sql<string>`count(*) filter (where cases.data -> 'review' ->> 'correct' = 'true')`.as('numerator'),
      eb.fn.countAll<string>().as('denominator'),
    ])
    .where('cases.type', '=', 'inquiry')
    .where(sql<boolean>`jsonb_typeof(cases.data -> 'review') = 'object'`)
    .where(reviewedAt, '>=', filter.from)
    .where(reviewedAt, '<', filter.to);
  return counted(await query.where((eb) => inScope(eb, filter)).executeTakeFirst());
}

/** 续保率: renewals renewed ÷ renewal cases ended (renewed, declined, lapsed, opted out), by closing time. */
async function renewalRateCount(db: Executor, filter: KpiFilter): Promise<KpiCount> {
  const query = db
    .selectFrom('cases')
    .select((eb) => [
      sql<string>`count(*) filter (where cases.status = 'renewed')`.as('numerator'),
      eb.fn.countAll<string>().as('denominator'),
    ])
    .where('cases.type', '=', 'renewal')
    .where('cases.status', 'in', TERMINAL_RENEWAL_STATUSES)
    .where('cases.closed_at', '>=', filter.from)
    .where('cases.closed_at', '<', filter.to);
  return counted(await query.where((eb) => inScope(eb, filter)).executeTakeFirst());
}
