/**
 * Claims as a drill's clients open them (each with its own Idempotency-Key, retried with that key
 * after a 503, a 409 or a lost connection, as a careful client does), and what the read model must
 * show for every claim that was answered 201.
 */
import { randomInt } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { type Answer, call, until } from './stack';
import { sleep } from './service';

export function claimBody(coverage: 'compulsory' | 'commercial' = 'compulsory') {
  return {
    policyNo: `PDAA2026${String(randomInt(1e8)).padStart(8, '0')}`,
    coverage,
    reporter: { name: '张三', phone: `138${String(randomInt(1e8)).padStart(8, '0')}` },
    vehicle: { plate: `粤B${String(randomInt(1e5)).padStart(5, '0')}` },
    accident: {
      occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
      location: '深圳市南山区科技园',
      description: '追尾，后保险杠受损',
      injuries: false,
      policeReported: true,
    },
  };
}

export interface Opening {
  key: string;
  /** The claim number once answered 201. */
  id?: string;
  attempts: Answer[];
}

/** Statuses a client may retry with the same key; anything else is an answer. */
const RETRYABLE = new Set([0, 409, 429, 503]);

export async function openClaim(
  base: string,
  token: string,
  key: string,
  opts: { giveUpAfterMs?: number; body?: unknown } = {},
): Promise<Opening> {
  const body = opts.body ?? claimBody();
  const deadline = Date.now() + (opts.giveUpAfterMs ?? 180_000);
  const attempts: Answer[] = [];
  for (;;) {
    const answer = await call(base, 'POST', '/api/v1/claims', { token, body, headers: { 'idempotency-key': key } });
    attempts.push(answer);
    if (answer.status === 201) return { key, id: (answer.body as { id: string }).id, attempts };
    if (!RETRYABLE.has(answer.status) || Date.now() > deadline) return { key, attempts };
    const retryAfter = Number(answer.headers.get('retry-after') ?? '1');
    await sleep(Math.min(5, Number.isFinite(retryAfter) ? retryAfter : 1) * 200 + randomInt(200));
  }
}

/** Runs `count` openings with at most `concurrency` at once. */
export async function openClaims(
  count: number,
  concurrency: number,
  open: (i: number) => Promise<Opening>,
): Promise<Opening[]> {
  const results: Opening[] = new Array<Opening>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await open(i);
      }
    }),
  );
  return results;
}

export interface ClaimFigures {
  claims: number;
  caseRows: number;
  personalData: number;
  notices: number;
  noticesSent: number;
  receiptsConfirmed: number;
  noticeClocksMet: number;
  noticeClocksPending: number;
  /** A sent notice without its notification.sent timeline event. */
  sentWithoutTimelineEvent: number;
  /** Two timeline events of one case with the same kind and detail. */
  duplicatedTimelineEvents: number;
  /** More than one document notice for one claim. */
  duplicatedNotifications: number;
  /** The notice went out, yet its clock is not met. */
  receiptsLost: number;
  /** The clock is met, yet no notice went out. */
  metWithoutNotice: number;
}

/** Waits (bounded) for the outbox and the receipts of these claims to settle, then counts. */
export async function settleAndCount(db: Kysely<Database>, ids: string[], settleMs = 90_000): Promise<ClaimFigures> {
  await until(
    async () => {
      const f = await countClaims(db, ids);
      return f.noticesSent === ids.length && f.receiptsConfirmed === ids.length && f.noticeClocksMet === ids.length;
    },
    settleMs,
    1_000,
  );
  return countClaims(db, ids);
}

export async function countClaims(db: Kysely<Database>, ids: string[]): Promise<ClaimFigures> {
  if (ids.length === 0) throw new Error('no claims to count');
  const n = (q: { n: string | number | bigint } | undefined) => Number(q?.n ?? 0);
  const one = async (query: ReturnType<typeof sql<{ n: string }>>) => n((await query.execute(db)).rows[0]);
  const inIds = sql`(${sql.join(ids)})`;
  const notice = sql`n.case_id in ${inIds} and n.idempotency_key like '%:documentNotice'`;
  const clock = sql`k.case_id in ${inIds} and k.policy like 'claim.documentNotice.%'`;
  return {
    claims: ids.length,
    caseRows: await one(sql`select count(*) as n from cases where id in ${inIds}`),
    personalData: await one(sql`select count(*) as n from case_personal_data where case_id in ${inIds}`),
    notices: await one(sql`select count(distinct n.case_id) as n from notifications n where ${notice}`),
    noticesSent: await one(sql`select count(*) as n from notifications n where ${notice} and n.status = 'sent'`),
    receiptsConfirmed: await one(
      sql`select count(*) as n from notifications n where ${notice} and n.receipt_confirmed_at is not null`,
    ),
    noticeClocksMet: await one(sql`select count(*) as n from clocks k where ${clock} and k.state = 'met'`),
    noticeClocksPending: await one(
      sql`select count(*) as n from clocks k where ${clock} and k.state in ('pending', 'warned')`,
    ),
    sentWithoutTimelineEvent: await one(sql`
      select count(*) as n from notifications n
      where n.case_id in ${inIds} and n.status = 'sent'
        and not exists (select 1 from timeline_events e where e.event_key = 'notification:' || n.id || ':sent')`),
    duplicatedTimelineEvents: await one(sql`
      select coalesce(sum(c - 1), 0) as n from (
        select count(*) as c from timeline_events where case_id in ${inIds}
        -- Two notifications alike (a breach told to two recipients) each have their own notification.sent.
        group by case_id, kind, detail::text, case when kind = 'notification.sent' then event_key end
        having count(*) > 1) d`),
    duplicatedNotifications: await one(sql`
      select coalesce(sum(c - 1), 0) as n from (
        select count(*) as c from notifications n where ${notice} group by n.case_id having count(*) > 1) d`),
    receiptsLost: await one(sql`
      select count(*) as n from notifications n
      join clocks k on k.case_id = n.case_id and k.policy like 'claim.documentNotice.%'
      where ${notice} and n.status = 'sent' and k.state <> 'met'`),
    metWithoutNotice: await one(sql`
      select count(*) as n from clocks k
      where ${clock} and k.state = 'met' and not exists (
        select 1 from notifications n where n.case_id = k.case_id and n.idempotency_key like '%:documentNotice'
          and n.status = 'sent')`),
  };
}

/** The figures a drill must see for its claims: everything there once, nothing lost. */
export function lossesOf(f: ClaimFigures): Record<string, number> {
  return {
    missingCaseRows: f.claims - f.caseRows,
    missingPersonalData: f.claims - f.personalData,
    missingNotices: f.claims - f.notices,
    noticesNotSent: f.claims - f.noticesSent,
    sentWithoutTimelineEvent: f.sentWithoutTimelineEvent,
    duplicatedTimelineEvents: f.duplicatedTimelineEvents,
    duplicatedNotifications: f.duplicatedNotifications,
    receiptsLost: f.receiptsLost,
    metWithoutNotice: f.metWithoutNotice,
  };
}

export function statusCounts(answers: Answer[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of answers) counts[String(a.status)] = (counts[String(a.status)] ?? 0) + 1;
  return counts;
}
