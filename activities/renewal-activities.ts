/**
 * The renewal's side effects: planning a renewal (reminder ladder, call window, offer) with the
 * policies in force, the offer inputs, the do-not-contact list, and the sweep's page of workflow
 * starts. Built by a factory; the worker wires the database, the policy file and a Temporal client.
 */
import { ApplicationFailure, heartbeat } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { inLanes, startOnce } from '../services/workflow-starts';
import type { Kysely } from 'kysely';
import { WorkCalendar } from '../domain/calendar';
import { computeDeadline } from '../domain/deadline';
import type { InsuranceProduct } from '../domain/insurance-policy';
import { DeadlinePolicyTable, type DeadlinePolicyFile } from '../domain/deadline-policies';
import { planCallWindow, planReminders, renewalCaseId } from '../domain/renewal';
import { DEFAULT_OFFER_RULE, type OfferRule, renewalOffer, type RenewalOffer } from '../domain/renewal-offer';
import { listCalendarYears } from '../db/repositories/calendar';
import { addToDoNotContact, isOnDoNotContact } from '../db/repositories/do-not-contact';
import {
  countClaimsInTerm,
  type DueInsurancePolicy,
  existingCases,
  getInsurancePolicy,
  listDueInsurancePolicies,
  saveRenewalPersonalData,
} from '../db/repositories/insurance-policies';
import { listDeadlinePolicyOverrides } from '../db/repositories/deadline-policies';
import type { Database } from '../db/schema';
import type { RenewalInput, RenewalPlan, SweepPageInput, SweepPageResult } from '../workflows/renewal/contract';
import { renewalWorkflowId } from '../workflows/renewal/contract';
import { renewalWorkflow } from '../workflows/renewal/workflow';
import { TASK_QUEUE } from '../workflows/shared/contract';

export interface InsurancePolicyTerm {
  policyNo: string;
  product: InsuranceProduct;
  startsAt: string;
  expiresAt: string;
}

export interface RenewalCaseActivities {
  /** The reminder ladder, call window and offer, with the policies in force now (an activity, so replays never change). */
  planRenewal(input: InsurancePolicyTerm & { openedAt: string }): Promise<RenewalPlan>;
  /** The offer with this term's claims so far. */
  renewalOffer(input: InsurancePolicyTerm): Promise<RenewalOffer>;
  /** Whether the holder's number or address is on the do-not-contact list. */
  isDoNotContact(input: { policyNo: string }): Promise<boolean>;
  /** Puts the holder's number and address on the do-not-contact list (idempotent). */
  addDoNotContact(input: { policyNo: string; caseId: string; reason: string; actor: string }): Promise<void>;
}

export interface RenewalSweepActivities {
  /** One page of the sweep: starts a renewal workflow for each due policy term that has none. */
  startRenewalsPage(input: SweepPageInput): Promise<SweepPageResult>;
}

export type RenewalActivities = RenewalCaseActivities & RenewalSweepActivities;

export interface RenewalActivityDeps {
  db: Kysely<Database>;
  /** The MOTORDESK_POLICIES file, already validated. Admin overrides are read from the db per call. */
  policyFile: DeadlinePolicyFile;
  /** Starts renewal workflows from the sweep. */
  temporal: Client;
  /** Where renewal workflows run (default the case task queue). */
  taskQueue?: string;
  /** The team that owns renewal cases (default `renewals`). */
  team?: string;
  offerRule?: OfferRule;
  /** Workflow starts in flight at once during a sweep page (default 32). */
  startConcurrency?: number;
}

export function createRenewalActivities(deps: RenewalActivityDeps): RenewalActivities {
  const { db, policyFile, offerRule = policyFile['renewal.offer'] ?? DEFAULT_OFFER_RULE } = deps;
  const policies = async () => new DeadlinePolicyTable(policyFile, await listDeadlinePolicyOverrides(db));
  const holderOf = async (policyNo: string) => {
    const policy = await getInsurancePolicy(db, policyNo);
    if (!policy)
      throw ApplicationFailure.create({
        type: 'PolicyNotFound',
        message: `no insurance policy ${policyNo}`,
        nonRetryable: true,
      });
    return policy;
  };

  const offerFor = async (term: InsurancePolicyTerm): Promise<RenewalOffer> => {
    const policy = await holderOf(term.policyNo);
    const claimsThisTerm = await countClaimsInTerm(
      db,
      term.policyNo,
      new Date(term.startsAt),
      new Date(term.expiresAt),
    );
    return renewalOffer(
      { product: policy.product, premium: policy.premium, claimFreeYearsBefore: policy.claimFreeYears, claimsThisTerm },
      offerRule,
    );
  };

  const isDoNotContact = async ({ policyNo }: { policyNo: string }) => {
    const { holder } = await holderOf(policyNo);
    return isOnDoNotContact(db, holder);
  };

  return {
    async planRenewal(input) {
      const table = await policies();
      const expiresAt = new Date(input.expiresAt);
      const openedAt = new Date(input.openedAt);
      const hours = { start: table.outreachHours.start, end: table.outreachHours.end };
      const [offer, doNotContact] = await Promise.all([offerFor(input), isDoNotContact(input)]);
      return {
        reminders: planReminders(expiresAt, openedAt, table.renewalReminders, hours),
        callWindow: planCallWindow(expiresAt, openedAt, table.callWindow, hours),
        outreachHours: hours,
        offer,
        doNotContact,
      };
    },

    renewalOffer: offerFor,
    isDoNotContact,

    async addDoNotContact({ policyNo, caseId, reason, actor }) {
      const { holder } = await holderOf(policyNo);
      await addToDoNotContact(db, holder, { reason, sourceCaseId: caseId, createdBy: actor });
    },

    async startRenewalsPage(input) {
      const { from, until } =
        input.from && input.until
          ? { from: new Date(input.from), until: new Date(input.until) }
          : await sweepWindow(db, await policies());
      const due = await listDueInsurancePolicies(db, { from, until, after: input.cursor, limit: input.limit });
      const last = due.at(-1);
      const counts = await startRenewals(deps, due);
      return {
        ...counts,
        from: from.toISOString(),
        until: until.toISOString(),
        cursor: last && due.length >= input.limit ? { expiresAt: last.expiresAt, policyNo: last.policyNo } : null,
      };
    },
  };
}

/** renewal.window from now: policies expiring after now and up to the window's end. */
async function sweepWindow(db: Kysely<Database>, table: DeadlinePolicyTable): Promise<{ from: Date; until: Date }> {
  const from = new Date();
  const calendar = new WorkCalendar(await listCalendarYears(db));
  return { from, until: computeDeadline(table.clock('renewal.window'), from, calendar).dueAt };
}

/**
 * Starts a renewal per policy term. A term whose case row exists is left alone without asking
 * Temporal (the daily sweep meets most due policies again and again); the others are started with
 * REJECT_DUPLICATE + FAIL, so a term already being worked, or finished while its history is still
 * retained, counts as existing. The holder's data is copied for the notifier before the starts.
 */
async function startRenewals(
  deps: RenewalActivityDeps,
  due: readonly DueInsurancePolicy[],
): Promise<{ started: number; existing: number }> {
  const { db, temporal, taskQueue = TASK_QUEUE, team = 'renewals', startConcurrency = 32 } = deps;
  const terms = due.map((policy) => ({ policy, caseId: renewalCaseId(policy.policyNo, policy.expiresAt) }));
  const known = await existingCases(
    db,
    terms.map((t) => t.caseId),
  );
  const fresh = terms.filter((t) => !known.has(t.caseId));
  await saveRenewalPersonalData(
    db,
    fresh.map((t) => ({ caseId: t.caseId, policyNo: t.policy.policyNo })),
  );
  let started = 0;
  let existing = terms.length - fresh.length;
  await inLanes(fresh, startConcurrency, async ({ policy, caseId }, i) => {
    const input: RenewalInput = {
      caseId,
      policyNo: policy.policyNo,
      product: policy.product,
      startsAt: policy.startsAt,
      expiresAt: policy.expiresAt,
      team,
      openedAt: new Date().toISOString(),
    };
    const workflowId = renewalWorkflowId(policy.policyNo, policy.expiresAt);
    if (await startOnce(temporal, renewalWorkflow, { taskQueue, workflowId, args: [input] })) started += 1;
    else existing += 1;
    if (i % 50 === 0) heartbeat({ done: i });
  });
  return { started, existing };
}
