/**
 * The person's rights and retention, over db/repositories/personal-data-rights.ts:
 * - `accessSubject`: every datum held about a phone number or ID number (PIPL 第四十四条、第四十五条),
 *   each case and policy with its retention verdict;
 * - `eraseSubject`: erases the person (PIPL 第四十七条) where retention allows — all or nothing unless
 *   `partial` (then what is still retained stays, named with its last day);
 * - `anonymiseExpiredCases`: one page of the retention sweep (the `personal-data-retention`
 *   Schedule): closed cases past retention lose their personal data.
 * Every access, erasure and anonymisation writes its audit row in the transaction that reads or
 * changes the data, so none happens without its row.
 */
import type { Kysely } from 'kysely';
import { appendAudit } from '../db/repositories/audit';
import {
  anonymisePolicyHolder,
  eraseCasePersonalData,
  eraseDeliveredAddress,
  gatherSubjectRecords,
  listRetentionCandidates,
  type Subject,
  subjectDigest,
  type SubjectRecords,
} from '../db/repositories/personal-data-rights';
import type { Database } from '../db/schema';
import { closedBeforeBound, retentionOf, type RetentionVerdict } from '../domain/retention';

export type RecordRetention = RetentionVerdict;

export interface SubjectAccess extends SubjectRecords {
  /** Per case id and per `policy:<no>`: may it be erased now, and until when is it kept. */
  retention: Record<string, RetentionVerdict>;
}

function verdicts(records: SubjectRecords, now: Date): Record<string, RetentionVerdict> {
  const out: Record<string, RetentionVerdict> = {};
  for (const c of records.cases) {
    const policy = records.policies.find((p) => p.policyNo === c.policyNo);
    out[c.id] = retentionOf(
      {
        // A personal-data row no case ever joined (a failed opening) holds no business record.
        closedAt: c.status === 'not_opened' ? new Date(0) : c.closedAt,
        policyNo: c.status === 'not_opened' ? null : c.policyNo,
        contract: policy ? { startsAt: policy.startsAt, expiresAt: policy.expiresAt } : null,
      },
      now,
    );
  }
  for (const p of records.policies) {
    // The contract's own records: kept from its end (a policy in force is kept, its period not begun).
    out[`policy:${p.policyNo}`] = retentionOf(
      { closedAt: p.expiresAt, policyNo: p.policyNo, contract: { startsAt: p.startsAt, expiresAt: p.expiresAt } },
      now,
    );
  }
  return out;
}

export interface RightsRequest {
  actor: string;
  role: string;
  reason: string;
  searchKey: string;
  now: Date;
}

/** The copy of everything held about the person; the audit row names a digest of the number, never the number. */
export async function accessSubject(
  db: Kysely<Database>,
  subject: Subject,
  req: RightsRequest,
): Promise<SubjectAccess & { target: string }> {
  const target = subjectDigest(req.searchKey, subject);
  return db.transaction().execute(async (trx) => {
    const records = await gatherSubjectRecords(trx, subject, req.searchKey);
    await appendAudit(trx, {
      actor: req.actor,
      action: 'personal_data.access',
      target,
      detail: {
        role: req.role,
        kind: subject.kind,
        reason: req.reason,
        cases: records.cases.map((c) => c.id),
        policies: records.policies.map((p) => p.policyNo),
        notifications: records.notifications.length,
      },
    });
    return { ...records, retention: verdicts(records, req.now), target };
  });
}

export interface RetainedRecord {
  /** A case id or `policy:<no>`. */
  record: string;
  reason: 'open' | 'retained';
  retainedUntil: string | null;
  ground: string | null;
}

export type ErasureOutcome =
  | { outcome: 'refused'; target: string; retained: RetainedRecord[] }
  | {
      outcome: 'erased';
      target: string;
      erasedCases: string[];
      anonymisedPolicies: string[];
      notifications: number;
      timelineEvents: number;
      retained: RetainedRecord[];
    };

/**
 * Erases the person where retention allows. Without `partial`, one record still retained refuses the
 * whole request (nothing changed; the refusal is audited too). With it, the erasable records go and
 * the retained ones are named. A person of whom nothing is held is `erased` with empty lists.
 */
export async function eraseSubject(
  db: Kysely<Database>,
  subject: Subject,
  req: RightsRequest & { partial: boolean },
): Promise<ErasureOutcome> {
  const target = subjectDigest(req.searchKey, subject);
  return db.transaction().execute(async (trx) => {
    const records = await gatherSubjectRecords(trx, subject, req.searchKey);
    const retention = verdicts(records, req.now);
    const retained: RetainedRecord[] = Object.entries(retention)
      .filter(([, v]) => !v.erasable)
      .map(([record, v]) => ({
        record,
        reason: v.reason === 'open' ? 'open' : 'retained',
        retainedUntil: v.reason === 'open' ? null : v.retainedUntil,
        ground: v.reason === 'open' ? null : v.ground,
      }));
    if (retained.length && !req.partial) {
      await appendAudit(trx, {
        actor: req.actor,
        action: 'personal_data.erase_refused',
        target,
        detail: { role: req.role, kind: subject.kind, reason: req.reason, retained },
      });
      return { outcome: 'refused', target, retained };
    }
    const erasedCases: string[] = [];
    let timelineEvents = 0;
    let notifications = 0;
    for (const c of records.cases) {
      if (!retention[c.id]!.erasable) continue;
      const erased = await eraseCasePersonalData(trx, c.id);
      timelineEvents += erased.timelineEvents;
      notifications += erased.notifications;
      erasedCases.push(c.id);
      await appendAudit(trx, {
        actor: req.actor,
        action: 'personal_data.erase',
        target: c.id,
        detail: { subject: target, ...erased, retention: summary(retention[c.id]!) },
      });
    }
    const anonymisedPolicies: string[] = [];
    for (const p of records.policies) {
      const verdict = retention[`policy:${p.policyNo}`]!;
      if (!verdict.erasable) continue;
      if (await anonymisePolicyHolder(trx, p.policyNo)) anonymisedPolicies.push(p.policyNo);
      await appendAudit(trx, {
        actor: req.actor,
        action: 'personal_data.erase',
        target: `policy:${p.policyNo}`,
        detail: { subject: target, retention: summary(verdict) },
      });
    }
    // Addresses of notices outside the person's cases (none retained then: nothing ties them to a record kept).
    if (!retained.length) {
      const outside = records.notifications.filter((n) => n.caseId === null || !erasedCases.includes(n.caseId));
      notifications += await eraseDeliveredAddress(
        trx,
        subject,
        outside.map((n) => n.id),
      );
    }
    await appendAudit(trx, {
      actor: req.actor,
      action: 'personal_data.erasure',
      target,
      detail: {
        role: req.role,
        kind: subject.kind,
        reason: req.reason,
        partial: req.partial,
        erasedCases,
        anonymisedPolicies,
        notifications,
        timelineEvents,
        retained,
      },
    });
    return { outcome: 'erased', target, erasedCases, anonymisedPolicies, notifications, timelineEvents, retained };
  });
}

function summary(v: RetentionVerdict) {
  return v.reason === 'open' ? { reason: 'open' } : { ground: v.ground, retainedUntil: v.retainedUntil };
}

export interface RetentionPage {
  checked: number;
  anonymised: number;
  /** The last case id read; null when the sweep is through. */
  cursor: string | null;
}

export const RETENTION_ACTOR = 'system:retention';

/**
 * One page of the retention sweep: closed cases still holding personal data, closed before the
 * shortest period could have passed, each decided by `retentionOf` and — when erasable — erased in
 * its own transaction with its audit row (`personal_data.anonymise`). Idempotent: an erased case
 * holds no personal-data row and is not read again.
 */
export async function anonymiseExpiredCases(
  db: Kysely<Database>,
  now: Date,
  cursor: string | null,
  limit = 200,
  teams?: readonly string[],
): Promise<RetentionPage> {
  const candidates = await listRetentionCandidates(db, closedBeforeBound(now), cursor, limit, teams);
  let anonymised = 0;
  for (const c of candidates) {
    const verdict = retentionOf({ closedAt: c.closedAt, policyNo: c.policyNo, contract: c.contract }, now);
    if (!verdict.erasable) continue;
    await db.transaction().execute(async (trx) => {
      const erased = await eraseCasePersonalData(trx, c.caseId);
      if (!erased.personalData) return; // another sweep got there first
      await appendAudit(trx, {
        actor: RETENTION_ACTOR,
        action: 'personal_data.anonymise',
        target: c.caseId,
        detail: { ...erased, retention: summary(verdict), basis: '保险法 第八十七条' },
      });
      anonymised++;
    });
  }
  return {
    checked: candidates.length,
    anonymised,
    cursor: candidates.length < limit ? null : candidates[candidates.length - 1]!.caseId,
  };
}
