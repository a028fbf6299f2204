/** Request bodies with sensible defaults; each call is a fresh, valid claim report. */
import { randomInt } from 'node:crypto';

export interface ClaimReport {
  policyNo: string;
  coverage: 'compulsory' | 'commercial';
  reporter: { name: string; phone: string };
  vehicle: { plate: string };
  accident: { occurredAt: string; location: string; description: string; injuries?: boolean; policeReported?: boolean };
  team?: string;
}

export function claimReport(overrides: Partial<ClaimReport> = {}): ClaimReport {
  return {
    policyNo: `PDAA2026${String(randomInt(1e8)).padStart(8, '0')}`,
    coverage: 'commercial',
    reporter: { name: '张三', phone: `138${String(randomInt(1e8)).padStart(8, '0')}` },
    vehicle: { plate: `粤B${String(randomInt(1e5)).padStart(5, '0')}` },
    accident: {
      occurredAt: new Date(Date.now() - 60 * 60 * 1000).toISOString(),
      location: '深圳市南山区科技园',
      description: '追尾，后保险杠受损',
      injuries: false,
      policeReported: true,
    },
    ...overrides,
  };
}

/** Every document a non-injury claim needs. */
export const ALL_DOCUMENTS = [
  'accident_certificate',
  'driving_licence',
  'vehicle_licence',
  'id_card',
  'loss_assessment',
  'repair_invoice',
  'bank_account',
] as const;
