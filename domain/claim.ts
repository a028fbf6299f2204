/**
 * The claim (理赔) rules: statuses, which action each status allows, and the document checklist.
 * The workflow's update validators and the API both ask `claimActionAllowed`, so a 409 from the API
 * and a refusal inside the workflow can never disagree.
 */
import type { ClockPolicyName } from './deadline-policies';
export const CLAIM_STATUSES = [
  'reported',
  'awaiting_documents',
  'under_review',
  'approved',
  'denied',
  'paid',
  'closed',
  'withdrawn',
] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

export const COVERAGES = ['compulsory', 'commercial'] as const;
/** 交强险 (compulsory third-party liability) or 商业险 (commercial: 车损, 三者, 车上人员). */
export type Coverage = (typeof COVERAGES)[number];

export const DOCUMENT_TYPES = [
  'accident_certificate', // 事故证明
  'repair_invoice', // 维修发票
  'loss_assessment', // 定损单
  'driving_licence', // 驾驶证
  'vehicle_licence', // 行驶证
  'id_card', // 身份证
  'bank_account', // 收款账户
  'medical_records', // 病历及医疗发票 (injury claims)
] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export type ClaimAction =
  'contact' | 'documents' | 'documentRequest' | 'assessment' | 'decision' | 'payment' | 'withdraw' | 'assign' | 'note';

const OPEN_BEFORE_DECISION: readonly ClaimStatus[] = ['reported', 'awaiting_documents', 'under_review'];

/** Which statuses allow which action. Anything not listed is refused (HTTP 409). */
const CLAIM_ACTIONS: Record<ClaimAction, readonly ClaimStatus[]> = {
  contact: OPEN_BEFORE_DECISION,
  documents: ['reported', 'awaiting_documents'],
  // A further notice once the first has gone out: still collecting, or under review (an illegible
  // document, injuries learned after the report). Under review the claim goes back to collecting.
  documentRequest: ['awaiting_documents', 'under_review'],
  assessment: OPEN_BEFORE_DECISION,
  decision: ['under_review'],
  payment: ['approved'],
  withdraw: OPEN_BEFORE_DECISION,
  assign: ['reported', 'awaiting_documents', 'under_review', 'approved', 'denied', 'paid'],
  note: CLAIM_STATUSES,
};

export function claimActionAllowed(status: ClaimStatus, action: ClaimAction): boolean {
  return CLAIM_ACTIONS[action].includes(status);
}

export const TERMINAL_CLAIM_STATUSES: readonly ClaimStatus[] = ['closed', 'withdrawn'];

const BASE_DOCUMENTS: readonly DocumentType[] = [
  'accident_certificate',
  'driving_licence',
  'vehicle_licence',
  'id_card',
  'loss_assessment',
  'repair_invoice',
  'bank_account',
];

/** Documents each coverage needs; both coverages share the list today, kept apart so they can differ. */
const REQUIRED_BY_COVERAGE: Record<Coverage, readonly DocumentType[]> = {
  compulsory: BASE_DOCUMENTS,
  commercial: BASE_DOCUMENTS,
};

export function requiredDocuments(coverage: Coverage, injuries: boolean): DocumentType[] {
  const base = [...REQUIRED_BY_COVERAGE[coverage]];
  return injuries ? [...base, 'medical_records'] : base;
}

export function missingDocuments(required: readonly DocumentType[], received: readonly DocumentType[]): DocumentType[] {
  return required.filter((doc) => !received.includes(doc));
}

/** The clock policies a claim runs; the coverage picks the statutory variant of two of them. */
export const CLAIM_CLOCKS = {
  firstContact: 'claim.firstContact',
  documentReminder: 'claim.documentReminder',
  advancePayment: 'claim.advancePayment',
  payment: 'claim.payment',
  denialNotice: 'claim.denialNotice',
} as const satisfies Record<string, ClockPolicyName>;

export function documentNoticePolicy(coverage: Coverage): ClockPolicyName {
  return `claim.documentNotice.${coverage}`;
}

export function verificationPolicy(coverage: Coverage): ClockPolicyName {
  return `claim.verification.${coverage}`;
}

/**
 * Why a further document request is made (保险法 第二十二条 wants one consolidated notice):
 * `new_facts` — something learned after the first notice (its note names the fact); `omitted` — the
 * first notice should have listed the document and did not.
 */
export const DOCUMENT_REQUEST_CAUSES = ['new_facts', 'omitted'] as const;
export type DocumentRequestCause = (typeof DOCUMENT_REQUEST_CAUSES)[number];

/**
 * The documents of a further request that make it a compliance exception (合规异常): all of them when
 * the cause is `omitted`; otherwise those the first notice should have listed — required by the facts
 * known at the report — and did not. Asking again for a document the first notice listed (rejected as
 * illegible), or for one only new facts require, is no exception. Empty: no exception.
 */
export function complianceExceptionDocuments(request: {
  documents: readonly DocumentType[];
  cause: DocumentRequestCause;
  /** What the facts at the report required (requiredDocuments of the reported coverage and injuries). */
  requiredAtReport: readonly DocumentType[];
  /** What the first, consolidated notice listed. */
  firstNotice: readonly DocumentType[];
}): DocumentType[] {
  const { documents, cause, requiredAtReport, firstNotice } = request;
  if (cause === 'omitted') return [...documents];
  return documents.filter((d) => requiredAtReport.includes(d) && !firstNotice.includes(d));
}
