/**
 * In-memory renewal activities for time-skipping tests and history recording: the real domain
 * planning (ladder, quiet hours, call window, offer) over a policy table kept in a Map, and a
 * do-not-contact set, so tests can read what the workflow asked for.
 */
import type { RenewalActivities } from '../../activities/renewal-activities';
import type { InsuranceProduct } from '../../domain/insurance-policy';
import { DeadlinePolicyTable, type DeadlinePolicyFile } from '../../domain/deadline-policies';
import { planCallWindow, planReminders } from '../../domain/renewal';
import { renewalOffer } from '../../domain/renewal-offer';

export interface FakePolicy {
  product: InsuranceProduct;
  premium: number;
  claimFreeYears: number;
  claimsThisTerm: number;
}

export class FakeRenewalWorld {
  readonly policies = new Map<string, FakePolicy>();
  /** Policy numbers whose holder is on the do-not-contact list, with the reason. */
  readonly doNotContact = new Map<string, string>();
  readonly sweepPages: { started: number; existing: number }[] = [];

  policy(policyNo: string): FakePolicy {
    return (
      this.policies.get(policyNo) ?? { product: 'commercial', premium: 4000, claimFreeYears: 0, claimsThisTerm: 0 }
    );
  }
}

export function fakeRenewalActivities(world: FakeRenewalWorld, policyFile: DeadlinePolicyFile = {}): RenewalActivities {
  const table = new DeadlinePolicyTable(policyFile);
  const hours = { start: table.outreachHours.start, end: table.outreachHours.end };
  const offer = (policyNo: string) => {
    const p = world.policy(policyNo);
    return renewalOffer({
      product: p.product,
      premium: p.premium,
      claimFreeYearsBefore: p.claimFreeYears,
      claimsThisTerm: p.claimsThisTerm,
    });
  };
  return {
    async planRenewal(input) {
      const expiresAt = new Date(input.expiresAt);
      const openedAt = new Date(input.openedAt);
      return {
        reminders: planReminders(expiresAt, openedAt, table.renewalReminders, hours),
        callWindow: planCallWindow(expiresAt, openedAt, table.callWindow, hours),
        outreachHours: hours,
        offer: offer(input.policyNo),
        doNotContact: world.doNotContact.has(input.policyNo),
      };
    },
    async renewalOffer(input) {
      return offer(input.policyNo);
    },
    async isDoNotContact({ policyNo }) {
      return world.doNotContact.has(policyNo);
    },
    async addDoNotContact({ policyNo, reason }) {
      if (!world.doNotContact.has(policyNo)) world.doNotContact.set(policyNo, reason);
    },
    async startRenewalsPage(input) {
      // Three pages of 2 policies, then done: enough to exercise paging and continue-as-new.
      const index = input.cursor ? Number(input.cursor.policyNo.slice(1)) : 0;
      const page = { started: 2, existing: index === 0 ? 0 : 1 };
      world.sweepPages.push(page);
      const next = index + 1 < 3 ? { expiresAt: '2027-01-01T00:00:00.000Z', policyNo: `P${index + 1}` } : null;
      return {
        ...page,
        from: input.from ?? '2026-11-20T00:00:00.000Z',
        until: input.until ?? '2027-01-04T00:00:00.000Z',
        cursor: next,
      };
    },
  };
}
