/**
 * The deadline policy table (DOMAIN.md, "Deadline policies"). Every number the department works to
 * lives here once, with the text of its legal or internal basis so an auditor can see where it came
 * from. Overrides (the MOTORDESK_POLICIES file, then the admin API) change values, never the basis.
 */
import { z } from 'zod';
import type { ClockKind } from './clock';
import { policyDurationProblem } from './deadline';
import { offerRuleSchema } from './renewal-offer';

export const CLOCK_MODES = ['calendar_days', 'working_days', 'business_hours', 'elapsed'] as const;
export type ClockMode = (typeof CLOCK_MODES)[number];

/**
 * Every clock policy's name: a typo in a workflow fails at compile time, not as a non-retryable
 * activity failure when the clock starts. Each has its row in DEFAULT_CLOCK_POLICIES (a test checks).
 */
export const CLOCK_POLICY_NAMES = [
  'claim.firstContact',
  'claim.documentNotice.compulsory',
  'claim.documentNotice.commercial',
  'claim.verification.compulsory',
  'claim.verification.commercial',
  'claim.payment',
  'claim.denialNotice',
  'claim.advancePayment',
  'complaint.acknowledge',
  'complaint.decision',
  'complaint.decision.extended30',
  'complaint.decision.extended60',
  'complaint.reviewWindow',
  'complaint.reviewDecision',
  'complaint.followUp',
  'inquiry.answer',
  'inquiry.consultation',
  'purchase.quoteValidity',
  'purchase.review',
  'purchase.payment',
  'purchase.confirmation',
  'renewal.window',
  'claim.documentReminder',
  'facilities.check',
  'facilities.repair',
  'facilities.replacement',
  'training.onboarding',
  'training.periodic',
  'training.retake',
  'assessment.self',
  'assessment.supervisor',
  'assessment.publication',
  'assessment.appealWindow',
  'assessment.appealAnswer',
] as const;
export type ClockPolicyName = (typeof CLOCK_POLICY_NAMES)[number];

export function isClockPolicyName(name: string): name is ClockPolicyName {
  return (CLOCK_POLICY_NAMES as readonly string[]).includes(name);
}

/** A policy that runs as a clock on a case. */
export interface ClockPolicy {
  name: ClockPolicyName;
  /** What the clock is for, in the words notifications use (zh-CN). */
  title: string;
  kind: ClockKind;
  mode: ClockMode;
  /** ISO-8601 duration: `P15D`, `PT4H`, `PT30M`, `PT3S`. Days for calendar/working modes, hours for business hours. */
  duration: string;
  /** Fraction of the clock's span after which the supervisor is warned. */
  warnAt: number;
  basis: string;
  description: string;
}

/** Policies that are not a single clock carry their own settings. */
export interface DocumentReminderPolicy extends ClockPolicy {
  maxReminders: number;
}
export interface RenewalRemindersPolicy {
  name: 'renewal.reminders';
  offsets: string[];
  channels: ('sms' | 'email')[];
  basis: string;
  description: string;
}
export interface OutreachHoursPolicy {
  name: 'renewal.outreachHours';
  start: string;
  end: string;
  basis: string;
  description: string;
}
export interface CallWindowPolicy {
  name: 'renewal.callWindow';
  earliestBeforeExpiry: string;
  maxUnansweredPerDay: number;
  basis: string;
  description: string;
}

const clock = (
  name: ClockPolicyName,
  title: string,
  kind: ClockKind,
  mode: ClockMode,
  duration: string,
  basis: string,
  description: string,
  warnAt = 0.8,
): ClockPolicy => ({ name, title, kind, mode, duration, warnAt, basis, description });

export const DEFAULT_CLOCK_POLICIES: readonly ClockPolicy[] = [
  clock(
    'claim.firstContact',
    '首次联系报案人',
    'internal',
    'elapsed',
    'PT30M',
    'department promise',
    'call back the reporter and give on-scene guidance',
  ),
  clock(
    'claim.documentNotice.compulsory',
    '一次性书面告知所需理赔资料（交强险）',
    'statutory',
    'calendar_days',
    'P1D',
    '交强险理赔规定: written list of required documents within 1 day',
    'one consolidated notice of every missing document',
  ),
  clock(
    'claim.documentNotice.commercial',
    '一次性书面告知所需理赔资料（商业险）',
    'internal',
    'working_days',
    'P1D',
    '保险法 第二十二条 (及时; one consolidated notice of everything missing)',
    'one consolidated notice of every missing document',
  ),
  clock(
    'claim.verification.compulsory',
    '核定是否属于保险责任（交强险，5日）',
    'statutory',
    'calendar_days',
    'P5D',
    '交强险理赔规定: decide coverage within 5 days of complete documents',
    'decide whether the loss is covered',
  ),
  clock(
    'claim.verification.commercial',
    '核定是否属于保险责任（商业险，30日）',
    'statutory',
    'calendar_days',
    'P30D',
    '保险法 第二十三条 (complex cases: 30 days)',
    'decide whether the loss is covered',
  ),
  clock(
    'claim.payment',
    '达成赔付协议后支付赔款（10日）',
    'statutory',
    'calendar_days',
    'P10D',
    '保险法 第二十三条: pay within 10 days of agreement',
    'pay the agreed amount',
  ),
  clock(
    'claim.denialNotice',
    '发出拒赔通知书并说明理由（3日）',
    'statutory',
    'calendar_days',
    'P3D',
    '保险法 第二十四条: denial notice with reasons within 3 days',
    'send the denial notice with reasons',
  ),
  clock(
    'claim.advancePayment',
    '先予支付可确定的最低数额（60日）',
    'statutory',
    'calendar_days',
    'P60D',
    '保险法 第二十五条 (先予支付)',
    'if the amount is still undetermined, pay the determinable part',
  ),
  clock(
    'complaint.acknowledge',
    '受理投诉并致歉安抚（1个工作日）',
    'internal',
    'working_days',
    'P1D',
    'rulebook: apologise, soothe, promise handling',
    'acknowledge the complaint',
  ),
  clock(
    'complaint.decision',
    '作出投诉处理决定（15日，法定）',
    'statutory',
    'calendar_days',
    'P15D',
    '银行业保险业消费投诉处理管理办法 (2020)',
    'decide the complaint',
  ),
  // Not clocks of their own: the total decision period after the first / second extension, counted
  // from receipt. An extension moves the running complaint.decision clock to the instants these give.
  clock(
    'complaint.decision.extended30',
    '作出投诉处理决定（延期至30日）',
    'statutory',
    'calendar_days',
    'P30D',
    "银行业保险业消费投诉处理管理办法 (2020): complex cases, +15 days with a supervisor's approval (total 30)",
    'decide the complaint: first extension',
  ),
  clock(
    'complaint.decision.extended60',
    '作出投诉处理决定（延期至60日）',
    'statutory',
    'calendar_days',
    'P60D',
    "银行业保险业消费投诉处理管理办法 (2020): particularly complex cases, a further +30 days with a manager's approval (total 60)",
    'decide the complaint: second extension',
  ),
  // Not a clock of its own either: the complainant's window to ask for a review (复核), counted from
  // when the decision (a proposed resolution) was communicated; a request after it is refused.
  clock(
    'complaint.reviewWindow',
    '投诉人申请复核期限（30日）',
    'statutory',
    'calendar_days',
    'P30D',
    '银行业保险业消费投诉处理管理办法 (2020): 复核 — the complainant may ask for a review within 30 days of the decision being communicated [M]: keep configurable',
    'the complainant may ask for a review of the decision',
  ),
  clock(
    'complaint.reviewDecision',
    '作出复核决定并告知投诉人（30日，法定）',
    'statutory',
    'calendar_days',
    'P30D',
    '银行业保险业消费投诉处理管理办法 (2020): 复核 — a review is decided, and the result communicated, within 30 days of the request [M]: keep configurable',
    'decide the review (复核)',
  ),
  clock(
    'complaint.followUp',
    '投诉回访及满意度调查（3个工作日）',
    'internal',
    'working_days',
    'P3D',
    'rulebook: 跟踪反馈, confirm satisfaction',
    'satisfaction follow-up',
  ),
  clock(
    'inquiry.answer',
    '答复客户咨询（1个工作日）',
    'internal',
    'working_days',
    'P1D',
    'rulebook: 在规定时间内给予答复',
    'answer the inquiry',
  ),
  clock(
    'inquiry.consultation',
    '相关部门回复咨询（4个工作小时）',
    'internal',
    'business_hours',
    'PT4H',
    'rulebook: 及时向相关部门咨询',
    'a department answers the agent',
  ),
  clock(
    'purchase.quoteValidity',
    '投保方案有效期（15日）',
    'internal',
    'calendar_days',
    'P15D',
    'department rule (投保方案有效期); configurable',
    'the quote (投保方案) stays valid; unpaid at the end the purchase expires',
  ),
  clock(
    'purchase.review',
    '审核投保单（1个工作日）',
    'internal',
    'working_days',
    'P1D',
    'rulebook: 仔细审核投保单',
    'review the application form (审核投保单)',
  ),
  clock(
    'purchase.payment',
    '收取保费（审核通过后3日）',
    'internal',
    'calendar_days',
    'P3D',
    'rulebook: 及时收取保费 (never after the quote expires)',
    'collect the premium after approval',
  ),
  clock(
    'purchase.confirmation',
    '发送投保确认（1个工作日）',
    'internal',
    'working_days',
    'P1D',
    'rulebook: 投保确认',
    'send the confirmation: effective time and how the policy is delivered',
  ),
  // One day of an item's check interval: the check clock counts it `checkEveryDays` times
  // (domain/facilities.ts), so an override to seconds keeps the register's proportions.
  clock(
    'facilities.check',
    '设备点检',
    'internal',
    'calendar_days',
    'P1D',
    'rulebook 六(二)1: 设备定期点检 (each item every checkEveryDays; overdue checks go to the manager)',
    'check (点检) the item again: one day of its checkEveryDays interval',
  ),
  // Not in DOMAIN.md's table: the department's own promise for a reported fault.
  clock(
    'facilities.repair',
    '设备故障维修（3个工作日）',
    'internal',
    'working_days',
    'P3D',
    'department rule (rulebook 六(二): 发现故障及时报修, 建立维修档案); not in DOMAIN.md, keep configurable',
    'repair the faulty item, or declare it beyond repair',
  ),
  clock(
    'facilities.replacement',
    '无法修复设备的更换（10个工作日）',
    'internal',
    'working_days',
    'P10D',
    'department rule (rulebook 六(二): 无法修复的设备报请更换); not in DOMAIN.md, keep configurable',
    'the manager has an item beyond repair replaced',
  ),
  clock(
    'training.onboarding',
    '完成入职培训（入职后10日）',
    'internal',
    'calendar_days',
    'P10D',
    'rulebook 四(一)1: 新员工入职培训, completed within [X] days of hire (default 10)',
    'onboarding training (入职培训) attended and its exam passed, counted from the hire date',
  ),
  clock(
    'training.periodic',
    '完成定期培训（本轮）',
    'internal',
    'calendar_days',
    'P90D',
    'rulebook 四(一)2: 定期培训 every [X] months (default 3): a round is completed before the next is due',
    'periodic training (定期培训) attended and its exam passed within the round',
  ),
  clock(
    'training.retake',
    '补考（不合格后14日）',
    'internal',
    'calendar_days',
    'P14D',
    'rulebook 四(三)3: 考核不合格者补考; a second fail is flagged to HR (相应处理)',
    'the failed exam is retaken (补考)',
  ),
  // The month is assessed once it has ended (the Schedule opens it on the 1st at 09:00): the
  // rulebook's "by the month's last working day" becomes the first working days of the next month.
  clock(
    'assessment.self',
    '填写个人工作自评表（3个工作日）',
    'internal',
    'working_days',
    'P3D',
    'rulebook 五: 每月末填写个人工作自评表 (the month is opened on the 1st, so the first 3 working days after it)',
    "the agent's self-assessment (个人工作自评) of the month",
  ),
  // Nine calendar days from the opening on the 1st: due at the end of the 10th (上旬).
  clock(
    'assessment.supervisor',
    '主管月度考核评分（次月10日前）',
    'internal',
    'calendar_days',
    'P9D',
    'rulebook 五: 月度考核于次月上旬进行 (by the 10th; lateness goes to the manager)',
    "the supervisor's score: attendance, initiative (工作积极性), teamwork (团队协作)",
  ),
  // Not in DOMAIN.md: HR's promise to publish a scored month; its lateness goes to the manager.
  clock(
    'assessment.publication',
    '人力资源部公示考核结果（3个工作日）',
    'internal',
    'working_days',
    'P3D',
    'department rule (rulebook 五: 考核结果公示); not in DOMAIN.md, keep configurable',
    'HR publishes the scored assessment; the appeal window starts',
  ),
  // A window, not a task: it ends met when it closes, and the assessment becomes final.
  clock(
    'assessment.appealWindow',
    '考核结果公示期（5个工作日）',
    'internal',
    'working_days',
    'P5D',
    'rulebook 五: 公示期内提出申诉 (5 working days after publication)',
    'the agent may appeal the published result',
  ),
  clock(
    'assessment.appealAnswer',
    '答复考核申诉（10个工作日）',
    'internal',
    'working_days',
    'P10D',
    'department rule: HR answers an appeal within 10 working days',
    "HR answers the agent's appeal",
  ),
  clock(
    'renewal.window',
    '续保办理期限',
    'internal',
    'elapsed',
    'P45D',
    'department rule',
    'the sweep takes policies expiring within this window',
  ),
];

export const DEFAULT_DOCUMENT_REMINDER: DocumentReminderPolicy = {
  ...clock(
    'claim.documentReminder',
    '督促客户补交理赔资料',
    'internal',
    'elapsed',
    'P5D',
    'department rule (督促客户尽快收集资料)',
    'remind the customer while documents are missing; then an agent calls',
    1,
  ),
  maxReminders: 3,
};

export const DEFAULT_RENEWAL_REMINDERS: RenewalRemindersPolicy = {
  name: 'renewal.reminders',
  offsets: ['P30D', 'P15D', 'P7D', 'P1D'],
  channels: ['sms', 'email'],
  basis: 'rulebook: 提前提醒',
  description: 'SMS and e-mail reminders before expiry',
};

export const DEFAULT_OUTREACH_HOURS: OutreachHoursPolicy = {
  name: 'renewal.outreachHours',
  start: '08:00',
  end: '20:00',
  basis: '2013 regulator notice on telemarketing; local rules',
  description: 'reminders and calls only inside these hours, Asia/Shanghai',
};

export const DEFAULT_CALL_WINDOW: CallWindowPolicy = {
  name: 'renewal.callWindow',
  earliestBeforeExpiry: 'P40D',
  maxUnansweredPerDay: 3,
  basis: '2013 regulator notice on telemarketing; local rules',
  description: 'outbound renewal calls: not before 40 days before expiry, at most 3 unanswered a day',
};

const isoDuration = z
  .string()
  .regex(/^P(?!$)(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/, 'an ISO-8601 duration such as P15D or PT30M');

/** An override of one clock policy, from the MOTORDESK_POLICIES file or `PUT /admin/deadline-policies/{name}`. */
export const clockPolicyOverrideSchema = z
  .object({
    duration: isoDuration,
    mode: z.enum(CLOCK_MODES),
    warnAt: z.number().gt(0).lte(1).optional(),
    maxReminders: z.number().int().min(1).max(20).optional(),
  })
  .strict()
  .superRefine((override, ctx) => {
    // Refuse at the boundary what would otherwise fail only when a clock starts.
    const problem = policyDurationProblem(override.mode, override.duration);
    if (problem) ctx.addIssue({ code: 'custom', path: ['duration'], message: problem });
  });
export type ClockPolicyOverride = z.infer<typeof clockPolicyOverrideSchema>;

const hhmm = z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, 'HH:MM');

export const deadlinePolicyFileSchema = z
  .object({
    'renewal.reminders': z
      .object({ offsets: z.array(isoDuration).min(1), channels: z.array(z.enum(['sms', 'email'])).min(1) })
      .strict()
      .optional(),
    'renewal.outreachHours': z.object({ start: hhmm, end: hhmm }).strict().optional(),
    'renewal.callWindow': z
      .object({ earliestBeforeExpiry: isoDuration, maxUnansweredPerDay: z.number().int().min(1) })
      .strict()
      .optional(),
    /** The no-claim-discount coefficient tables per product (domain/renewal-offer.ts). */
    'renewal.offer': offerRuleSchema.optional(),
  })
  .catchall(clockPolicyOverrideSchema);
export type DeadlinePolicyFile = z.infer<typeof deadlinePolicyFileSchema>;

/** The effective policy table: defaults, then the file, then admin overrides (later wins). */
export class DeadlinePolicyTable {
  private readonly clocks = new Map<string, ClockPolicy>();
  readonly documentReminder: DocumentReminderPolicy;
  readonly renewalReminders: RenewalRemindersPolicy;
  readonly outreachHours: OutreachHoursPolicy;
  readonly callWindow: CallWindowPolicy;

  constructor(file: DeadlinePolicyFile = {}, adminOverrides: Record<string, ClockPolicyOverride> = {}) {
    for (const policy of DEFAULT_CLOCK_POLICIES) this.clocks.set(policy.name, policy);
    this.clocks.set(DEFAULT_DOCUMENT_REMINDER.name, DEFAULT_DOCUMENT_REMINDER);
    const {
      'renewal.reminders': reminders,
      'renewal.outreachHours': hours,
      'renewal.callWindow': calls,
      'renewal.offer': _offer,
      ...clockOverrides
    } = file;
    // Per policy, the admin override lies on top of the file's (a field the admin leaves out keeps the file's value).
    for (const name of new Set([...Object.keys(clockOverrides), ...Object.keys(adminOverrides)])) {
      const base = this.clocks.get(name);
      if (!base) throw new UnknownDeadlinePolicyError(name);
      this.clocks.set(name, {
        ...base,
        ...stripUndefined(clockOverrides[name] ?? {}),
        ...stripUndefined(adminOverrides[name] ?? {}),
      });
    }
    this.documentReminder = this.clocks.get(DEFAULT_DOCUMENT_REMINDER.name) as DocumentReminderPolicy;
    this.renewalReminders = { ...DEFAULT_RENEWAL_REMINDERS, ...reminders };
    this.outreachHours = { ...DEFAULT_OUTREACH_HOURS, ...hours };
    this.callWindow = { ...DEFAULT_CALL_WINDOW, ...calls };
  }

  clock(name: string): ClockPolicy {
    const policy = this.clocks.get(name);
    if (!policy) throw new UnknownDeadlinePolicyError(name);
    return policy;
  }

  has(name: string): boolean {
    return this.clocks.has(name);
  }

  allClocks(): ClockPolicy[] {
    return [...this.clocks.values()];
  }
}

export class UnknownDeadlinePolicyError extends Error {
  constructor(readonly policy: string) {
    super(`unknown deadline policy: ${policy}`);
    this.name = 'UnknownDeadlinePolicyError';
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
