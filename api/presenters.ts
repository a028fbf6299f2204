/**
 * How a case leaves the API: the workflow's view (no personal data) merged with the personal data
 * kept in PostgreSQL, masked; every instant rendered with +08:00.
 */
import { maskPersonalData } from './masking';
import { renderTimes } from './time';

/** The personal parts a claim holds (case_personal_data.data). */
const CLAIM_PERSONAL_FIELDS = ['reporter', 'vehicle', 'accident'] as const;
/** Other case types keep their customer/holder under these names. */
const OTHER_PERSONAL_FIELDS = ['customer', 'holder', 'vehicle'] as const;

export function presentCase(type: string, view: object, personal: Record<string, unknown> | undefined): Record<string, unknown> {
  const fields = type === 'claim' ? CLAIM_PERSONAL_FIELDS : OTHER_PERSONAL_FIELDS;
  const merged: Record<string, unknown> = { ...view };
  for (const field of fields) merged[field] = personal?.[field] ?? null;
  return renderTimes(maskPersonalData(merged));
}

export const presentClaim = (view: object, personal: Record<string, unknown> | undefined) => presentCase('claim', view, personal);
