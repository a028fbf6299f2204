/**
 * The purchase (投保) rules, the rulebook's six steps as a case: needs → plan (quote, 投保方案) →
 * application form (投保单) → review (审核) ⇄ correction → premium (收取保费) → confirmation (投保确认).
 * Pure: the workflow's validators, the API's allowedActions and its 409s ask the same table.
 */
import type { InsuranceProduct } from './insurance-policy';
import { isMoney } from './renewal';

export const PURCHASE_STATUSES = [
  'quoting',
  'quoted',
  'under_review',
  'needs_correction',
  'awaiting_payment',
  'paid',
  'issued',
  'confirmed',
  'abandoned',
  'expired',
] as const;
export type PurchaseStatus = (typeof PURCHASE_STATUSES)[number];

export const TERMINAL_PURCHASE_STATUSES: readonly PurchaseStatus[] = ['confirmed', 'abandoned', 'expired'];

/** What the customer asks for: 交强险, 商业险, or both (two policies, one purchase). */
export const PURCHASE_PRODUCTS = ['compulsory', 'commercial', 'both'] as const;
export type PurchaseProduct = (typeof PURCHASE_PRODUCTS)[number];

export const VEHICLE_USAGES = ['private', 'business'] as const;
export const PAYMENT_METHODS = ['card', 'transfer', 'wechat', 'alipay', 'cash'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
export const DELIVERY_METHODS = ['electronic', 'post', 'counter'] as const;
export type DeliveryMethod = (typeof DELIVERY_METHODS)[number];

/** API.md's coverage codes; riders may be added (any other lower-case code is accepted as a rider). */
export const COVERAGE_CODES = [
  'compulsory',
  'vehicle_damage',
  'third_party',
  'driver',
  'passenger',
  'glass',
  'no_deductible',
] as const;
export const COVERAGE_CODE_PATTERN = /^[a-z][a-z0-9_]{1,39}$/;

/** The application fields a review may name for correction (the paths of the application form). */
export const APPLICATION_FIELDS = [
  'holder.name',
  'holder.phone',
  'holder.idNumber',
  'holder.email',
  'vehicle.plate',
  'vehicle.vin',
  'vehicle.engineNo',
  'startsAt',
] as const;
export type ApplicationField = (typeof APPLICATION_FIELDS)[number];

export interface Coverage {
  code: string;
  sumInsured: number | null;
  deductible: number | null;
  premium: number;
}

export type PurchaseAction =
  'quote' | 'application' | 'review' | 'correction' | 'payment' | 'issue' | 'abandon' | 'assign' | 'note';

/** Before the premium is paid the customer may still walk away. */
const UNPAID: readonly PurchaseStatus[] = ['quoting', 'quoted', 'under_review', 'needs_correction', 'awaiting_payment'];

/** Which statuses allow which action. Anything not listed is refused (HTTP 409). */
const PURCHASE_ACTIONS: Record<PurchaseAction, readonly PurchaseStatus[]> = {
  // A new plan replaces the one the customer has not yet applied for.
  quote: ['quoting', 'quoted'],
  application: ['quoted'],
  review: ['under_review'],
  correction: ['needs_correction'],
  payment: ['awaiting_payment'],
  issue: ['paid'],
  abandon: UNPAID,
  assign: ['quoting', 'quoted', 'under_review', 'needs_correction', 'awaiting_payment', 'paid', 'issued'],
  note: PURCHASE_STATUSES,
};

export function purchaseActionAllowed(status: PurchaseStatus, action: PurchaseAction): boolean {
  return PURCHASE_ACTIONS[action].includes(status);
}

export function isPurchaseFinished(status: PurchaseStatus): boolean {
  return TERMINAL_PURCHASE_STATUSES.includes(status);
}

export const PURCHASE_CLOCKS = {
  quoteValidity: 'purchase.quoteValidity',
  review: 'purchase.review',
  payment: 'purchase.payment',
  confirmation: 'purchase.confirmation',
} as const;

/** The quoted total in CNY: the coverages' premiums, summed in cents so 0.1 + 0.2 is 0.30. */
export function quoteTotal(coverages: readonly Pick<Coverage, 'premium'>[]): number {
  return coverages.reduce((cents, c) => cents + Math.round(c.premium * 100), 0) / 100;
}

/** The 交强险 part and the 商业险 part of a plan: issued as separate policies. */
export function premiumByProduct(coverages: readonly Coverage[]): Record<InsuranceProduct, number> {
  return {
    compulsory: quoteTotal(coverages.filter((c) => c.code === 'compulsory')),
    commercial: quoteTotal(coverages.filter((c) => c.code !== 'compulsory')),
  };
}

/** Why a plan does not fit the product asked for, or null. */
export function quoteProblem(product: PurchaseProduct, coverages: readonly Coverage[]): string | null {
  if (coverages.length === 0) return 'a quote needs at least one coverage';
  const codes = coverages.map((c) => c.code);
  if (new Set(codes).size !== codes.length) return 'each coverage code may appear once';
  if (codes.some((code) => !COVERAGE_CODE_PATTERN.test(code)))
    return 'a coverage code is lower-case letters, digits, _';
  for (const c of coverages) {
    if (!isMoney(c.premium)) return `the premium of ${c.code} must be zero or more, with at most 2 decimals`;
    if (c.sumInsured !== null && !isMoney(c.sumInsured)) return `the sum insured of ${c.code} is not an amount`;
    if (c.deductible !== null && !isMoney(c.deductible)) return `the deductible of ${c.code} is not an amount`;
  }
  const compulsory = codes.includes('compulsory');
  const commercial = codes.some((code) => code !== 'compulsory');
  if (product === 'compulsory' && commercial)
    return 'a compulsory (交强险) purchase quotes only the compulsory coverage';
  if (product === 'commercial' && compulsory) return 'a commercial (商业险) purchase quotes no compulsory coverage';
  if (product === 'both' && !(compulsory && commercial))
    return 'a purchase of both quotes the compulsory coverage and at least one commercial coverage';
  if (quoteTotal(coverages) <= 0) return 'the quoted total must be more than zero';
  return null;
}

/** Whether an amount paid equals the quoted total to the cent. */
export function paysQuote(amount: number, total: number): boolean {
  return Math.round(amount * 100) === Math.round(total * 100);
}

/**
 * The policy term: one year from the effective instant (保险期间一年), the same wall-clock time a
 * year later (Asia/Shanghai has no daylight saving, so UTC arithmetic is Shanghai arithmetic).
 */
export function policyExpiry(effectiveAt: string): string {
  const at = new Date(effectiveAt);
  const next = new Date(at);
  next.setUTCFullYear(at.getUTCFullYear() + 1);
  return next.toISOString();
}

/** The policies an issued purchase writes: one per product (both → the compulsory one named apart). */
export function policiesIssued(
  product: PurchaseProduct,
  numbers: { policyNo: string; compulsoryPolicyNo: string | null },
  coverages: readonly Coverage[],
): { policyNo: string; product: InsuranceProduct; premium: number }[] {
  const premiums = premiumByProduct(coverages);
  if (product !== 'both') return [{ policyNo: numbers.policyNo, product, premium: premiums[product] }];
  return [
    { policyNo: numbers.policyNo, product: 'commercial', premium: premiums.commercial },
    { policyNo: numbers.compulsoryPolicyNo ?? '', product: 'compulsory', premium: premiums.compulsory },
  ];
}
