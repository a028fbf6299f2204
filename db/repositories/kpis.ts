/**
 * The counts behind the KPIs (domain/kpis.ts), read from the case read model only — never from
 * Temporal — for a period [from, to) and an optional team and agent. An agent's cases are every case
 * the agent was ever assigned (case_assignments), not only those still assigned to them; an agent's
 * surveys are the ones rating them. The clock timeliness figures read the daily rollup where they can.
 */
import { type ExpressionBuilder, sql } from 'kysely';
import {
  CLAIM_TIMELINESS_CLOCK_POLICIES,
  FIRST_RESPONSE_CLOCK_POLICIES,
  type KpiCount,
  type KpiKey,
} from '../../domain/kpis';
import { CUSTOMER_CASE_TYPES } from '../../domain/case';
import { addDays, type CivilDate, shanghaiDate, shanghaiInstant } from '../../domain/civil-time';
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
  const [satisfaction, complaints, response, accuracy, renewals, claims, purchases] = await Promise.all([
    satisfactionFigure(db, filter),
    complaintRateCount(db, filter),
    clockTimelinessCount(db, filter, FIRST_RESPONSE_CLOCK_POLICIES),
    answerAccuracyCount(db, filter),
    renewalRateCount(db, filter),
    clockTimelinessCount(db, filter, CLAIM_TIMELINESS_CLOCK_POLICIES),
    purchaseConversionCount(db, filter),
  ]);
  return {
    customer_satisfaction: { numerator: satisfaction.numerator, denominator: satisfaction.denominator },
    complaint_rate: complaints,
    response_timeliness: response,
    answer_accuracy: accuracy,
    purchase_conversion: purchases,
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

/**
 * 投诉率: complaints received ÷ cases opened (every customer case type; department records such as
 * assessments are no customer's case), both by creation time. Whole days from `case_opened_days`.
 */
async function complaintRateCount(db: Executor, filter: KpiFilter): Promise<KpiCount> {
  return byWholeDays(db, filter, {
    rolledUp: async (days) => {
      let query = db
        .selectFrom('case_opened_days')
        .select([
          sql<string>`coalesce(sum(cases) filter (where type = 'complaint'), 0)`.as('numerator'),
          sql<string>`coalesce(sum(cases), 0)`.as('denominator'),
        ])
        .where('type', 'in', CUSTOMER_CASE_TYPES)
        .where('day', '>=', sql<string>`${days.from}::date`)
        .where('day', '<', sql<string>`${days.to}::date`);
      if (filter.team !== undefined) query = query.where('team', '=', filter.team);
      return counted(await query.executeTakeFirst());
    },
    scanned: async (part) => {
      const query = db
        .selectFrom('cases')
        .select((eb) => [
          sql<string>`count(*) filter (where cases.type = 'complaint')`.as('numerator'),
          eb.fn.countAll<string>().as('denominator'),
        ])
        .where('cases.type', 'in', CUSTOMER_CASE_TYPES)
        .where('cases.created_at', '>=', part.from)
        .where('cases.created_at', '<', part.to);
      return counted(await query.where((eb) => inScope(eb, part)).executeTakeFirst());
    },
  });
}

/**
 * A count over [from, to) split where a daily rollup can serve it: the whole Shanghai days of the
 * period from `rolledUp`, the hours before its first midnight and after its last (none for a month
 * or a year) from `scanned`. An agent's figures follow the case's assignments, which no rollup
 * keeps: `scanned` counts them whole.
 */
async function byWholeDays(
  db: Executor,
  filter: KpiFilter,
  count: {
    rolledUp: (days: { from: CivilDate; to: CivilDate }) => Promise<KpiCount>;
    scanned: (part: KpiFilter) => Promise<KpiCount>;
  },
): Promise<KpiCount> {
  if (filter.agent !== undefined) return count.scanned(filter);
  const days = { from: addDays(shanghaiDate(new Date(filter.from.getTime() - 1)), 1), to: shanghaiDate(filter.to) };
  const [wholeFrom, wholeTo] = [shanghaiInstant(days.from), shanghaiInstant(days.to)];
  if (wholeFrom >= wholeTo) return count.scanned(filter);
  const parts = await Promise.all([
    count.rolledUp(days),
    wholeFrom > filter.from ? count.scanned({ ...filter, to: wholeFrom }) : NONE,
    filter.to > wholeTo ? count.scanned({ ...filter, from: wholeTo }) : NONE,
  ]);
  return parts.reduce((a, b) => ({ numerator: a.numerator + b.numerator, denominator: a.denominator + b.denominator }));
}

const NONE: KpiCount = { numerator: 0, denominator: 0 };

/**
 * Clocks met ÷ clocks ended, each clock counted in the period its outcome became known: a met clock
 * when it ended (`ended_at`); a breached clock when it breached (`due_at`), whether or not its case
 * has since ended it — `endClock` keeps a breached clock `breached` whether it is met late or cancelled
 * with its case (a withdrawal, a denial), and a breach still open is already a promise not kept.
 * Pending, warned, paused and cancelled clocks have no outcome and are left out.
 * Whole days from `clock_outcome_days`.
 */
async function clockTimelinessCount(db: Executor, filter: KpiFilter, policies: readonly string[]): Promise<KpiCount> {
  return byWholeDays(db, filter, {
    rolledUp: (days) => clockOutcomesRolledUp(db, days, filter.team, policies),
    scanned: (part) => clockOutcomesScanned(db, part, policies),
  });
}

/** Met and breached clocks of the days [from, to) (Shanghai dates), from the rollup. */
async function clockOutcomesRolledUp(
  db: Executor,
  days: { from: CivilDate; to: CivilDate },
  team: string | undefined,
  policies: readonly string[],
): Promise<KpiCount> {
  let query = db
    .selectFrom('clock_outcome_days')
    .select([
      sql<string>`coalesce(sum(clocks) filter (where outcome = 'met'), 0)`.as('numerator'),
      sql<string>`coalesce(sum(clocks), 0)`.as('denominator'),
    ])
    .where('day', '>=', sql<string>`${days.from}::date`)
    .where('day', '<', sql<string>`${days.to}::date`)
    .where('policy', 'in', policies);
  if (team !== undefined) query = query.where('team', '=', team);
  return counted(await query.executeTakeFirst());
}

/** Met and breached clocks of [from, to) counted from the clocks, with the team and agent filter. */
async function clockOutcomesScanned(db: Executor, filter: KpiFilter, policies: readonly string[]): Promise<KpiCount> {
  const { from, to } = filter;
  // Two counts, each a range over its own partial index (clocks_met_policy_ended_idx,
  // clocks_breached_policy_due_idx), and the case joined only when a team or an agent narrows it.
  const outcomes = (state: 'met' | 'breached', at: 'clocks.ended_at' | 'clocks.due_at') => {
    let query = db
      .selectFrom('clocks')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('clocks.state', '=', state)
      .where(at, '>=', from)
      .where(at, '<', to)
      .where('clocks.policy', 'in', policies);
    if (filter.team !== undefined || filter.agent !== undefined)
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('cases')
            .select(sql.lit(1).as('one'))
            .whereRef('cases.id', '=', 'clocks.case_id')
            .where((cases) => inScope(cases, filter)),
        ),
      );
    return query.executeTakeFirst().then((row) => Number(row?.n ?? 0));
  };
  const [met, breached] = await Promise.all([
    outcomes('met', 'clocks.ended_at'),
    outcomes('breached', 'clocks.due_at'),
  ]);
  return { numerator: met, denominator: met + breached };
}

/**
 * 咨询解答准确率: inquiries whose quality review says correct ÷ inquiries reviewed, by the review's
 * own instant (`data.review.at`, written by the review Update) rather than `updated_at`, which later
 * projections (the survey, the review window closing) move on.
 */
async function answerAccuracyCount(db: Executor, filter: KpiFilter): Promise<KpiCount> {
  // Compared as text (ISO-8601 UTC, written by nowIso()), so cases_inquiry_reviewed_at_idx serves the range.
  const reviewedAt = sql<string>`cases.data -> 'review' ->> 'at'`;
  const query = db
    .selectFrom('cases')
    .select((eb) => [
      sql<string>`count(*) filter (where cases.data -> 'review' ->> 'correct' = 'true')`.as('numerator'),
      eb.fn.countAll<string>().as('denominator'),
    ])
    .where('cases.type', '=', 'inquiry')
    .where(sql<boolean>`jsonb_typeof(cases.data -> 'review') = 'object'`)
    .where(reviewedAt, '>=', filter.from.toISOString())
    .where(reviewedAt, '<', filter.to.toISOString());
  return counted(await query.where((eb) => inScope(eb, filter)).executeTakeFirst());
}

/**
 * 投保成功率: of the purchases opened in the period, those issued (so far): a cohort by opening time,
 * so the figure never exceeds 1 and a purchase opened late in a month still counts once it is issued.
 */
async function purchaseConversionCount(db: Executor, filter: KpiFilter): Promise<KpiCount> {
  const query = db
    .selectFrom('cases')
    .select((eb) => [
      sql<string>`count(*) filter (where jsonb_typeof(cases.data -> 'issuance') = 'object')`.as('numerator'),
      eb.fn.countAll<string>().as('denominator'),
    ])
    .where('cases.type', '=', 'purchase')
    .where('cases.created_at', '>=', filter.from)
    .where('cases.created_at', '<', filter.to);
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
