/**
 * The purchase's side effects: adopting a stored application form, writing the issued policy into
 * insurance_policies (so next year's renewal sweep finds it), and marking the renewal a purchase came
 * from as renewed. Built by a factory; the worker wires the database and a Temporal client.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { type Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Actor } from '../domain/case';
import { adoptApplicationSubmission, type IssuedPolicyRow, writeIssuedPolicies } from '../db/repositories/purchases';
import type { Database } from '../db/schema';
import { getRenewal, recordRenewal } from '../workflows/renewal/contract';
import { caseWorkflowId } from '../workflows/shared/contract';

export interface PurchaseCaseActivities {
  /** The stored submission becomes the case's current application (retried until it is there). */
  adoptApplication(input: { caseId: string; submissionId: string }): Promise<void>;
  /** Writes the issued policies; per policy number `written`, or `clash` when it names another policy. */
  writeIssuedPolicies(input: {
    caseId: string;
    policies: IssuedPolicyRow[];
    startsAt: string;
    expiresAt: string;
  }): Promise<Record<string, 'written' | 'clash'>>;
}

export interface RenewalMarking {
  outcome: 'renewed' | 'refused';
  reason: string | null;
}

export interface PurchaseRenewalActivities {
  /** Runs the renewal's `recordRenewal` Update as the issuer; a renewal that ended meanwhile is refused. */
  markRenewalRenewed(input: {
    renewalCaseId: string;
    newPolicyNo: string;
    premium: number;
    actor: Actor;
  }): Promise<RenewalMarking>;
}

export type PurchaseActivities = PurchaseCaseActivities & PurchaseRenewalActivities;

export interface PurchaseActivityDeps {
  db: Kysely<Database>;
  temporal: Client;
}

export function createPurchaseActivities({ db, temporal }: PurchaseActivityDeps): PurchaseActivities {
  return {
    async adoptApplication({ caseId, submissionId }) {
      // The API stores the form before it asks for the Update: a missing one is a write still in
      // flight or lost; retrying (and logging) is all there is to do, failing would undo nothing.
      if (!(await adoptApplicationSubmission(db, caseId, submissionId)))
        throw ApplicationFailure.retryable(`submission ${submissionId} of ${caseId} not stored`, 'SubmissionMissing');
    },

    async writeIssuedPolicies({ caseId, policies, startsAt, expiresAt }) {
      return writeIssuedPolicies(db, caseId, policies, { startsAt, expiresAt });
    },

    async markRenewalRenewed({ renewalCaseId, newPolicyNo, premium, actor }) {
      const handle = temporal.workflow.getHandle(caseWorkflowId('renewal', renewalCaseId));
      try {
        // A retry after the Update went through finds the renewal renewed with this very policy.
        const current = await handle.query(getRenewal);
        if (current.status === 'renewed' && current.renewal?.newPolicyNo === newPolicyNo)
          return { outcome: 'renewed', reason: null };
        await handle.executeUpdate(recordRenewal, { args: [{ actor, newPolicyNo, premium }] });
        return { outcome: 'renewed', reason: null };
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return { outcome: 'refused', reason: 'the renewal has ended' };
        if (err instanceof WorkflowUpdateFailedError)
          return { outcome: 'refused', reason: err.cause?.message ?? 'refused' };
        throw err;
      }
    },
  };
}
