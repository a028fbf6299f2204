/**
 * How a case leaves the API: the workflow's view (no personal data) merged with the personal data
 * kept in PostgreSQL, masked; every instant rendered with +08:00.
 */
import type { InsurancePolicy } from '../domain/insurance-policy';
import { maskPersonalData } from './masking';
import { renderTimes, toShanghaiIso } from './time';

/**
 * The personal parts each case type holds (case_personal_data.data). Claims: the reporter, the
 * vehicle and the accident; complaints: the customer and the complaint's description; inquiries:
 * the customer and the question; renewals: the policy holder and the vehicle. Names and phones are masked; the texts are shown as staff need them.
 */
const PERSONAL_FIELDS: Partial<Record<string, readonly string[]>> = {
  claim: ['reporter', 'vehicle', 'accident'],
  complaint: ['customer', 'description'],
  inquiry: ['customer', 'question'],
  // The holder and plate, copied from insurance_policies when the sweep opens the renewal.
  renewal: ['holder', 'vehicle'],
  // The customer asking for cover; the application form's holder and vehicle are merged into `application`.
  purchase: ['customer', 'vehicle', 'needs'],
};
/** Other case types keep their customer/holder under these names. */
const OTHER_PERSONAL_FIELDS = ['customer', 'holder', 'vehicle'] as const;

/** Instants whose names do not end in `At` (renderTimes goes by name), as dotted paths: rendered here. */
const OTHER_INSTANTS: Partial<Record<string, readonly string[]>> = {
  inquiry: ['promisedBy', 'reviewOpenUntil', 'awaitingCustomer.since'],
  purchase: ['quote.validUntil'],
};

export function presentCase(
  type: string,
  view: object,
  personal: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const fields = PERSONAL_FIELDS[type] ?? OTHER_PERSONAL_FIELDS;
  const merged: Record<string, unknown> = { ...view };
  for (const field of fields) merged[field] = personal?.[field] ?? null;
  for (const path of OTHER_INSTANTS[type] ?? []) renderInstantAt(merged, path.split('.'));
  return renderTimes(maskPersonalData(merged));
}

/** Replaces the instant at `path` (copying the objects on the way, the view itself is not touched). */
function renderInstantAt(target: Record<string, unknown>, [key, ...rest]: string[]): void {
  if (key === undefined) return;
  const value = target[key];
  if (rest.length === 0) {
    if (typeof value === 'string') target[key] = toShanghaiIso(value);
  } else if (value && typeof value === 'object' && !Array.isArray(value)) {
    const copy = { ...(value as Record<string, unknown>) };
    target[key] = copy;
    renderInstantAt(copy, rest);
  }
}

export const presentClaim = (view: object, personal: Record<string, unknown> | undefined) =>
  presentCase('claim', view, personal);
export const presentComplaint = (view: object, personal: Record<string, unknown> | undefined) =>
  presentCase('complaint', view, personal);
export const presentInquiry = (view: object, personal: Record<string, unknown> | undefined) =>
  presentCase('inquiry', view, personal);
export const presentRenewal = (view: object, personal: Record<string, unknown> | undefined) =>
  presentCase('renewal', view, personal);

/** A policy as `PUT /policies/{policyNo}` answers: the holder and plate masked like any case's. */
export function presentInsurancePolicy(policy: InsurancePolicy): Record<string, unknown> {
  const { plate, ...rest } = policy;
  return renderTimes(maskPersonalData({ ...rest, vehicle: { plate } }));
}

/**
 * A purchase: its application as the workflow knows it (who took it, when, corrections) with the
 * form in force from the personal-data store (holder with ID number, VIN, engine number), masked.
 */
export function presentPurchase(view: object, personal: Record<string, unknown> | undefined): Record<string, unknown> {
  const application = (view as { application?: Record<string, unknown> | null }).application;
  const form = (personal?.application ?? {}) as Record<string, unknown>;
  const merged = application ? { ...application, holder: form.holder ?? null, vehicle: form.vehicle ?? null } : null;
  return presentCase('purchase', { ...view, application: merged }, personal);
}
