/**
 * The person's rights (PIPL 第四十四条–第四十七条): everything held about one person, found by a phone
 * number or an ID number, and its erasure. A person's data sits in the case's personal-data row (any
 * depth: reporter, customer, holder, application, submissions), in the free text staff typed onto
 * the timeline and into notices (notes, reasons, answers), in the survey comment, in the addresses
 * notifications were delivered to, and in the policies of the core system (holder, plate).
 *
 * Erasure keeps the case, its clocks, breaches and figures (facts for the regulator and the KPIs,
 * without a person in them) and removes the person: the personal-data row and its search keys go,
 * free text becomes `[已删除]`, delivered addresses are nulled; a policy keeps its number and term
 * with holder and plate replaced. The audit log never holds the phone or ID number itself, only a
 * keyed digest (`subjectDigest`).
 */
import { createHmac } from 'node:crypto';
import { sql } from 'kysely';
import { searchHash } from './search-keys';
import { type Executor, jsonb } from './support';

export type SubjectKind = 'phone' | 'idNumber';

/** A person, by a normalised phone (11 digits) or ID number (18 characters, X upper case). */
export interface Subject {
  kind: SubjectKind;
  value: string;
}

/** What erased free text reads as. */
export const ERASED = '[已删除]';

/** Keys of timeline details and notification parameters that carry text typed by staff or customers. */
export const FREE_TEXT_KEYS = ['text', 'note', 'reason', 'description', 'question', 'answer', 'fact', 'comment'];

export function normaliseIdNumber(value: string): string | undefined {
  const id = value.replace(/\s/g, '').toUpperCase();
  return /^\d{17}[\dX]$/.test(id) ? id : undefined;
}

/** A keyed digest naming the person in the audit log without the number itself (the log outlives the data). */
export function subjectDigest(key: string, subject: Subject): string {
  return `subject:${subject.kind}:${createHmac('sha256', key).update(`subject:${subject.kind}:${subject.value}`).digest('hex').slice(0, 32)}`;
}

export interface SubjectCase {
  id: string;
  type: string;
  status: string;
  team: string;
  policyNo: string | null;
  createdAt: Date;
  closedAt: Date | null;
  personalData: Record<string, unknown> | null;
  /** Timeline events carrying free text. */
  timeline: { at: Date; actor: string; kind: string; detail: Record<string, unknown> }[];
  survey: { score: number | null; comment: string | null; answeredAt: Date | null } | null;
}

export interface SubjectPolicy {
  policyNo: string;
  product: string;
  startsAt: Date;
  expiresAt: Date;
  holder: Record<string, unknown>;
  plate: string;
}

export interface SubjectNotification {
  id: string;
  caseId: string | null;
  channel: string;
  template: string;
  recipient: string | null;
  params: Record<string, unknown>;
  status: string;
  createdAt: Date;
  sentAt: Date | null;
}

export interface SubjectRecords {
  cases: SubjectCase[];
  policies: SubjectPolicy[];
  notifications: SubjectNotification[];
}

const hasFreeText = (detail: Record<string, unknown>) =>
  FREE_TEXT_KEYS.some((k) => typeof detail[k] === 'string' && detail[k] !== '' && detail[k] !== ERASED);

function redact(detail: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(detail).map(([k, v]) => [k, FREE_TEXT_KEYS.includes(k) && typeof v === 'string' && v ? ERASED : v]),
  );
}

/** The digits a stored phone-like text reduces to, without +86 (SQL). */
const digitsOf = (column: ReturnType<typeof sql>) =>
  sql<string>`regexp_replace(regexp_replace(${column}, '\\D', '', 'g'), '^86(?=1\\d{10}$)', '')`;

/** The ids of the cases whose personal data names the person: search keys (phones) and the data itself. */
export async function subjectCaseIds(db: Executor, subject: Subject, searchKey: string): Promise<string[]> {
  const ids = new Set<string>();
  if (subject.kind === 'phone') {
    const keyed = await db
      .selectFrom('case_search_keys')
      .select('case_id')
      .where('hash', '=', searchHash(searchKey, 'phone', subject.value))
      .execute();
    for (const row of keyed) ids.add(row.case_id);
  }
  // The person's number anywhere in the data (a purchase's ID number is not in the search keys).
  const path = subject.kind === 'phone' ? '$.**.phone ? (@ == $v || @ == $w)' : '$.**.idNumber ? (@ == $v || @ == $w)';
  const vars =
    subject.kind === 'phone'
      ? { v: subject.value, w: `+86${subject.value}` }
      : { v: subject.value, w: subject.value.toLowerCase() };
  const found = await db
    .selectFrom('case_personal_data')
    .select('case_id')
    .where(sql<boolean>`jsonb_path_exists(data, ${path}::jsonpath, ${JSON.stringify(vars)}::jsonb)`)
    .execute();
  for (const row of found) ids.add(row.case_id);
  return [...ids].sort();
}

/** Everything held about the person (the copy of PIPL 第四十五条), unmasked. */
export async function gatherSubjectRecords(db: Executor, subject: Subject, searchKey: string): Promise<SubjectRecords> {
  const caseIds = await subjectCaseIds(db, subject, searchKey);
  const policies = await subjectPolicies(db, subject);
  if (!caseIds.length) return { cases: [], policies, notifications: await subjectNotifications(db, subject, []) };
  const [rows, personal, timeline, surveys, notifications] = await Promise.all([
    db
      .selectFrom('cases')
      .select(['id', 'type', 'status', 'team', 'policy_no', 'created_at', 'closed_at'])
      .where('id', 'in', caseIds)
      .execute(),
    db.selectFrom('case_personal_data').select(['case_id', 'data']).where('case_id', 'in', caseIds).execute(),
    db
      .selectFrom('timeline_events')
      .select(['case_id', 'at', 'actor', 'kind', 'detail'])
      .where('case_id', 'in', caseIds)
      .orderBy('at')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('satisfaction_surveys')
      .select(['case_id', 'score', 'comment', 'answered_at'])
      .where('case_id', 'in', caseIds)
      .execute(),
    subjectNotifications(db, subject, caseIds),
  ]);
  const byCase = new Map(rows.map((r) => [r.id, r]));
  const dataOf = new Map(personal.map((p) => [p.case_id, p.data]));
  const cases: SubjectCase[] = caseIds.map((id) => {
    const row = byCase.get(id);
    const survey = surveys.find((s) => s.case_id === id);
    return {
      id,
      // A personal-data row without its case (an opening that failed) is held all the same.
      type: row?.type ?? 'unknown',
      status: row?.status ?? 'not_opened',
      team: row?.team ?? '',
      policyNo: row?.policy_no ?? null,
      createdAt: row?.created_at ?? new Date(0),
      closedAt: row?.closed_at ?? null,
      personalData: dataOf.get(id) ?? null,
      timeline: timeline
        .filter((e) => e.case_id === id && hasFreeText(e.detail))
        .map((e) => ({ at: e.at, actor: e.actor, kind: e.kind, detail: e.detail })),
      survey: survey ? { score: survey.score, comment: survey.comment, answeredAt: survey.answered_at } : null,
    };
  });
  return { cases, policies, notifications };
}

async function subjectPolicies(db: Executor, subject: Subject): Promise<SubjectPolicy[]> {
  const match =
    subject.kind === 'phone'
      ? sql<boolean>`${digitsOf(sql`holder ->> 'phone'`)} = ${subject.value}`
      : sql<boolean>`upper(holder ->> 'idNumber') = ${subject.value}`;
  const rows = await db
    .selectFrom('insurance_policies')
    .select(['policy_no', 'product', 'starts_at', 'expires_at', 'holder', 'plate'])
    .where(match)
    .orderBy('policy_no')
    .execute();
  return rows.map((r) => ({
    policyNo: r.policy_no,
    product: r.product,
    startsAt: r.starts_at,
    expiresAt: r.expires_at,
    holder: r.holder,
    plate: r.plate,
  }));
}

async function subjectNotifications(db: Executor, subject: Subject, caseIds: string[]): Promise<SubjectNotification[]> {
  const rows = await db
    .selectFrom('notifications')
    .select(['id', 'case_id', 'channel', 'template', 'recipient', 'params', 'status', 'created_at', 'sent_at'])
    .where((eb) => {
      const byAddress =
        subject.kind === 'phone' ? sql<boolean>`${digitsOf(sql`recipient`)} = ${subject.value}` : sql<boolean>`false`;
      return caseIds.length ? eb.or([eb('case_id', 'in', caseIds), byAddress]) : byAddress;
    })
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    caseId: r.case_id,
    channel: r.channel,
    template: r.template,
    recipient: r.recipient,
    params: r.params,
    status: r.status,
    createdAt: r.created_at,
    sentAt: r.sent_at,
  }));
}

export interface CaseErasure {
  personalData: boolean;
  timelineEvents: number;
  notifications: number;
  surveyComment: boolean;
}

/**
 * Erases the person from one case (call inside a transaction with its audit row): the personal-data
 * row and its search keys, free text on the timeline and in notices, delivered addresses, the survey
 * comment. Idempotent: a second call finds nothing and changes nothing.
 */
export async function eraseCasePersonalData(db: Executor, caseId: string): Promise<CaseErasure> {
  const removed = await db.deleteFrom('case_personal_data').where('case_id', '=', caseId).executeTakeFirst();
  await db.deleteFrom('case_search_keys').where('case_id', '=', caseId).execute();
  let timelineEvents = 0;
  const events = await db
    .selectFrom('timeline_events')
    .select(['id', 'detail'])
    .where('case_id', '=', caseId)
    .execute();
  for (const event of events) {
    if (!hasFreeText(event.detail)) continue;
    await db
      .updateTable('timeline_events')
      .set({ detail: jsonb(redact(event.detail)) })
      .where('id', '=', event.id)
      .execute();
    timelineEvents++;
  }
  let notifications = 0;
  const notices = await db
    .selectFrom('notifications')
    .select(['id', 'params', 'recipient'])
    .where('case_id', '=', caseId)
    .execute();
  for (const notice of notices) {
    if (notice.recipient === null && !hasFreeText(notice.params)) continue;
    await db
      .updateTable('notifications')
      .set({ params: jsonb(redact(notice.params)), recipient: null })
      .where('id', '=', notice.id)
      .execute();
    notifications++;
  }
  const survey = await db
    .updateTable('satisfaction_surveys')
    .set({ comment: null, updated_at: sql`now()` })
    .where('case_id', '=', caseId)
    .where('comment', 'is not', null)
    .executeTakeFirst();
  return {
    personalData: removed.numDeletedRows > 0n,
    timelineEvents,
    notifications,
    surveyComment: (survey.numUpdatedRows ?? 0n) > 0n,
  };
}

/** Anonymises a policy's holder and plate (its number, product and term stay: the contract's facts). */
export async function anonymisePolicyHolder(db: Executor, policyNo: string): Promise<boolean> {
  const result = await db
    .updateTable('insurance_policies')
    .set({ holder: jsonb({ name: ERASED, phone: '', email: null }), plate: ERASED, updated_at: sql`now()` })
    .where('policy_no', '=', policyNo)
    .executeTakeFirst();
  return (result.numUpdatedRows ?? 0n) > 0n;
}

/** Notifications delivered to the person's phone outside any of their cases: the address goes. */
export async function eraseDeliveredAddress(db: Executor, subject: Subject, ids: readonly string[]): Promise<number> {
  if (!ids.length || subject.kind !== 'phone') return 0;
  const result = await db
    .updateTable('notifications')
    .set({ recipient: null })
    .where('id', 'in', [...ids])
    .where(sql<boolean>`${digitsOf(sql`recipient`)} = ${subject.value}`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows ?? 0n);
}

/** Closed cases that still hold personal data and were closed before `closedBefore`, oldest first. */
export async function listRetentionCandidates(
  db: Executor,
  closedBefore: Date,
  afterCaseId: string | null,
  limit: number,
  teams?: readonly string[],
): Promise<
  {
    caseId: string;
    closedAt: Date;
    policyNo: string | null;
    contract: { startsAt: Date; expiresAt: Date } | null;
  }[]
> {
  let query = db
    .selectFrom('cases as c')
    .innerJoin('case_personal_data as p', 'p.case_id', 'c.id')
    .leftJoin('insurance_policies as ip', 'ip.policy_no', 'c.policy_no')
    .select(['c.id', 'c.closed_at', 'c.policy_no', 'ip.starts_at', 'ip.expires_at'])
    .where('c.closed_at', 'is not', null)
    .where('c.closed_at', '<', closedBefore);
  if (afterCaseId !== null) query = query.where('c.id', '>', afterCaseId);
  if (teams) query = query.where('c.team', 'in', teams.length ? [...teams] : ['']);
  const rows = await query.orderBy('c.id').limit(limit).execute();
  return rows.map((r) => ({
    caseId: r.id,
    closedAt: r.closed_at!,
    policyNo: r.policy_no,
    contract: r.starts_at && r.expires_at ? { startsAt: r.starts_at, expiresAt: r.expires_at } : null,
  }));
}
