/**
 * The renewal offer each reminder carries: next term's premium after the no-claim discount
 * (无赔款优待, NCD). The rule is data: the coefficient tables per product can be replaced whole
 * (worker wiring), so a tariff change touches no code.
 *
 * Defaults follow the 2015 commercial-insurance reform tables (商业车险费率改革): 1, 2, 3+
 * claim-free years → 0.85, 0.7, 0.6; 1 … 5+ claims in the last term → 1.0, 1.25, 1.5, 1.75, 2.0;
 * and the compulsory insurance (交强险) floating rates: −10 %, −20 %, −30 % after 1, 2, 3+ claim-free
 * years, +0 % / +10 % after one / several claims. The stored premium is taken as the base.
 */
import { z } from 'zod';
import type { InsuranceProduct } from './insurance-policy';

export interface CoefficientTable {
  /** Index 0: one claim-free year, 1: two, … the last entry for that many years and more. */
  claimFree: number[];
  /** Index 0: one claim in the last term, 1: two, … the last entry for that many and more. */
  claims: number[];
}

export type OfferRule = Record<InsuranceProduct, CoefficientTable>;

export const DEFAULT_OFFER_RULE: OfferRule = {
  commercial: { claimFree: [0.85, 0.7, 0.6], claims: [1.0, 1.25, 1.5, 1.75, 2.0] },
  compulsory: { claimFree: [0.9, 0.8, 0.7], claims: [1.0, 1.1] },
};

const table = z
  .object({
    claimFree: z.array(z.number().positive().max(5)).min(1),
    claims: z.array(z.number().positive().max(5)).min(1),
  })
  .strict();
/** For an offer rule read from a file or the admin API. */
export const offerRuleSchema = z.object({ commercial: table, compulsory: table }).strict();

export interface OfferInputs {
  product: InsuranceProduct;
  /** This term's premium, CNY. */
  premium: number;
  /** Consecutive claim-free years before this term (from the core policy system). */
  claimFreeYearsBefore: number;
  /** Claims reported on this policy during this term (withdrawn claims do not count). */
  claimsThisTerm: number;
}

export interface RenewalOffer {
  /** This term's premium. */
  basePremium: number;
  /** Next term's premium. */
  premium: number;
  coefficient: number;
  /** `basePremium - premium` when positive (a discount), else 0. */
  discount: number;
  /** Claim-free years counting this term (0 when this term had a claim). */
  claimFreeYears: number;
  claimsThisTerm: number;
}

const round2 = (value: number): number => Math.round((value + Number.EPSILON) * 100) / 100;
const pick = (values: readonly number[], index: number): number => values[Math.min(index, values.length - 1)] ?? 1;

export function renewalOffer(inputs: OfferInputs, rule: OfferRule = DEFAULT_OFFER_RULE): RenewalOffer {
  const { claimFree, claims } = rule[inputs.product];
  const claimFreeYears = inputs.claimsThisTerm > 0 ? 0 : Math.max(0, Math.trunc(inputs.claimFreeYearsBefore)) + 1;
  const coefficient =
    inputs.claimsThisTerm > 0 ? pick(claims, inputs.claimsThisTerm - 1) : pick(claimFree, claimFreeYears - 1);
  const premium = round2(inputs.premium * coefficient);
  return {
    basePremium: round2(inputs.premium),
    premium,
    coefficient,
    discount: Math.max(0, round2(inputs.premium - premium)),
    claimFreeYears,
    claimsThisTerm: inputs.claimsThisTerm,
  };
}
