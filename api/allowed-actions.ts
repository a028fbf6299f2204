/**
 * `allowedActions` on every case view: which POSTs under the case's URL the caller may make now, so
 * a client (the console) shows exactly the forms that will not be refused and never re-implements a
 * transition rule. The status rules are the domain's transition tables (the same the workflows'
 * validators ask); the role is the route's own `access`, read from the route declarations, plus the
 * one role rule that depends on the case (the complaint extension ladder).
 *
 * An entry is the path below the case's URL as declared (`decision`, `customer-response`,
 * `consultations/{consultationId}/reply`); the shared case actions are under `/cases/{id}/`.
 */
import { claimActionAllowed, type ClaimAction, type ClaimStatus } from '../domain/claim';
import {
  complaintActionAllowed,
  nextComplaintExtension,
  reviewRequestRefusal,
  type ComplaintAction,
  type ComplaintStatus,
} from '../domain/complaint';
import { isCustomerCaseType, type CaseType, type CustomerCaseType, type Role } from '../domain/case';
import { inquiryActionAllowed, type InquiryAction, type InquiryStatus } from '../domain/inquiry';
import { purchaseActionAllowed, type PurchaseAction, type PurchaseStatus } from '../domain/purchase';
import { renewalActionAllowed, type RenewalAction, type RenewalStatus } from '../domain/renewal';
import { hasRole, type Principal, type RoleRule } from './auth';
import type { RouteSpec } from './routing';
import type { CaseActionName } from './schemas/common';

/** The part of a case view the rules read; every view has a status, some the facts below. */
interface ViewFacts {
  status: string;
  extensions?: readonly unknown[];
  awaitingCustomer?: unknown;
  review?: unknown;
  /** A purchase's application: who keyed it may not review it (four eyes). */
  application?: { keyedBy?: readonly string[] } | null;
  decisionCommunicatedAt?: string | null;
  reviewWindowEndsAt?: string | null;
}

/** A rule: whether the case allows the action now, and optionally a role the case itself demands. */
interface Rule {
  allowed: (view: ViewFacts) => boolean;
  role?: (view: ViewFacts) => Role | undefined;
  /** Whether this caller, by who they are (not their role), may take the action: the four-eyes rule. */
  permits?: (view: ViewFacts, principal: Principal) => boolean;
}

const claim = (action: ClaimAction): Rule => ({
  allowed: (v) => claimActionAllowed(v.status as ClaimStatus, action),
});
const complaint = (action: ComplaintAction): Rule => ({
  allowed: (v) => complaintActionAllowed(v.status as ComplaintStatus, action),
});
const inquiry = (action: InquiryAction): Rule => ({
  allowed: (v) =>
    inquiryActionAllowed(
      {
        status: v.status as InquiryStatus,
        awaitingCustomer: v.awaitingCustomer != null,
        reviewed: v.review != null,
      },
      action,
    ),
});
const renewal = (action: RenewalAction): Rule => ({
  allowed: (v) => renewalActionAllowed(v.status as RenewalStatus, action),
});

const purchase = (action: PurchaseAction): Rule => ({
  allowed: (v) => purchaseActionAllowed(v.status as PurchaseStatus, action),
});
/** 四眼原则: nobody who keyed the application form reviews it. */
const purchaseReview: Rule = {
  ...purchase('review'),
  permits: (v, principal) => !(v.application?.keyedBy ?? []).includes(principal.sub),
};

const extension: Rule = {
  allowed: (v) =>
    complaintActionAllowed(v.status as ComplaintStatus, 'extend') &&
    nextComplaintExtension(v.extensions?.length ?? 0) !== null,
  role: (v) => nextComplaintExtension(v.extensions?.length ?? 0)?.approver,
};

/**
 * 复核: the window is read against this process's clock (the workflow's validator, on its own clock, has
 * the last word: a request in the window's last seconds may still be refused with 409).
 */
const reviewRequest: Rule = {
  allowed: (v) =>
    reviewRequestRefusal(
      {
        status: v.status as ComplaintStatus,
        decisionCommunicatedAt: v.decisionCommunicatedAt ?? null,
        reviewWindowEndsAt: v.reviewWindowEndsAt ?? null,
        review: v.review ?? null,
      },
      Date.now(),
    ) === null,
};

/** The actions of each case type, keyed by their path below `/<collection>/{id}/`. */
const CASE_TYPE_RULES: Record<CustomerCaseType, { collection: string; rules: Partial<Record<CaseActionName, Rule>> }> =
  {
    claim: {
      collection: '/claims',
      rules: {
        contact: claim('contact'),
        documents: claim('documents'),
        'document-request': claim('documentRequest'),
        assessment: claim('assessment'),
        decision: claim('decision'),
        payment: claim('payment'),
        withdraw: claim('withdraw'),
      },
    },
    complaint: {
      collection: '/complaints',
      rules: {
        acknowledge: complaint('acknowledge'),
        investigation: complaint('investigate'),
        proposal: complaint('propose'),
        'customer-response': complaint('customerResponse'),
        extension,
        'review-request': reviewRequest,
        'review-decision': complaint('decideReview'),
        satisfaction: complaint('satisfaction'),
      },
    },
    inquiry: {
      collection: '/inquiries',
      rules: {
        consultation: inquiry('consult'),
        'consultations/{consultationId}/reply': inquiry('consultationReply'),
        'awaiting-customer': inquiry('awaitCustomer'),
        'customer-reply': inquiry('customerReplied'),
        answer: inquiry('answer'),
        review: inquiry('review'),
      },
    },
    renewal: {
      collection: '/renewals',
      rules: {
        contact: renewal('contact'),
        renewed: renewal('renewed'),
        'opt-out': renewal('optOut'),
        // Opening a purchase from the renewal (续保: 流程与投保手续相同) while the renewal is open.
        purchase: renewal('renewed'),
      },
    },
    purchase: {
      collection: '/purchases',
      rules: {
        quote: purchase('quote'),
        application: purchase('application'),
        review: purchaseReview,
        correction: purchase('correction'),
        payment: purchase('payment'),
        issue: purchase('issue'),
        abandon: purchase('abandon'),
      },
    },
  };

const ASSIGN: Record<CustomerCaseType, Rule> = {
  claim: claim('assign'),
  complaint: complaint('assign'),
  inquiry: inquiry('assign'),
  renewal: renewal('assign'),
  purchase: purchase('assign'),
};

/** The actions every case type shares, under `/cases/{id}/`. */
const SHARED_RULES: Partial<Record<CaseActionName, (type: CustomerCaseType) => Rule>> = {
  assign: (type) => ASSIGN[type],
  // Notes are allowed in every status (an ended case gets them on its timeline), reveals always.
  notes: () => ({ allowed: () => true }),
  reveal: () => ({ allowed: () => true }),
};

/**
 * Case routes that are deliberately not listed: whether they are allowed depends on a record the
 * view does not carry (the survey's state in PostgreSQL), so the route answers 409 when it is not.
 */
export const UNLISTED_CASE_ACTIONS = ['/cases/{id}/survey-response'] as const;

interface IndexedAction {
  name: CaseActionName;
  access: RoleRule;
  rule: Rule;
}

/** Every action route of one case type with its declared access, in declaration order. */
export type ActionIndex = Record<CustomerCaseType, IndexedAction[]>;

const indexes = new WeakMap<readonly RouteSpec[], ActionIndex>();

/**
 * Pairs the declared POST routes below a case's URL with their rules. A declared action without a
 * rule is a programming error: createApp builds the index at start-up and fails with the route named.
 */
export function actionIndex(specs: readonly RouteSpec[]): ActionIndex {
  const cached = indexes.get(specs);
  if (cached) return cached;
  const index = { claim: [], complaint: [], inquiry: [], renewal: [], purchase: [] } as ActionIndex;
  for (const spec of specs) {
    if (spec.method !== 'post' || spec.access === 'public') continue;
    if ((UNLISTED_CASE_ACTIONS as readonly string[]).includes(spec.path)) continue;
    const access = spec.access;
    const shared = /^\/cases\/\{id\}\/(.+)$/.exec(spec.path)?.[1];
    if (shared !== undefined) {
      const rule = SHARED_RULES[shared as CaseActionName];
      if (!rule) throw new Error(`no allowedActions rule for POST ${spec.path}`);
      for (const type of Object.keys(index) as CustomerCaseType[])
        index[type].push({ name: shared as CaseActionName, access, rule: rule(type) });
      continue;
    }
    for (const [type, { collection, rules }] of Object.entries(CASE_TYPE_RULES) as [
      CustomerCaseType,
      (typeof CASE_TYPE_RULES)[CustomerCaseType],
    ][]) {
      const prefix = `${collection}/{id}/`;
      if (!spec.path.startsWith(prefix)) continue;
      const name = spec.path.slice(prefix.length) as CaseActionName;
      const rule = rules[name];
      if (!rule) throw new Error(`no allowedActions rule for POST ${spec.path}`);
      index[type].push({ name, access, rule });
    }
  }
  indexes.set(specs, index);
  return index;
}

/**
 * The actions `principal` may take on a case of `type` in the state `view` shows. A department
 * record (domain/case.ts) takes none of the case routes: its own routes say what it allows.
 */
export function allowedActions(
  specs: readonly RouteSpec[],
  type: CaseType,
  view: ViewFacts,
  principal: Principal,
): CaseActionName[] {
  if (!isCustomerCaseType(type)) return [];
  return actionIndex(specs)
    [type].filter(({ access, rule }) => {
      if (!hasRole(principal, access) || !rule.allowed(view)) return false;
      if (rule.permits && !rule.permits(view, principal)) return false;
      const needed = rule.role?.(view);
      return needed === undefined || hasRole(principal, needed);
    })
    .map(({ name }) => name);
}

/** The presented case with its `allowedActions`. */
export function withAllowedActions(
  specs: readonly RouteSpec[],
  principal: Principal,
  type: CaseType,
  presented: Record<string, unknown>,
): Record<string, unknown> {
  return { ...presented, allowedActions: allowedActions(specs, type, presented as unknown as ViewFacts, principal) };
}
