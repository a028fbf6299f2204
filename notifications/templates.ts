/**
 * Notification texts, zh-CN. Rendered at delivery time from the outbox row's params plus the
 * customer's name from the personal-data store, so no personal data sits in the outbox params.
 */
import { toBeijingWallTime } from '../domain/civil-time';
import { isNotificationTemplate, type NotificationTemplate } from '../domain/notification-templates';
import type { DocumentType } from '../domain/claim';
import { DEFAULT_CLOCK_POLICIES, DEFAULT_DOCUMENT_REMINDER } from '../domain/deadline-policies';

const DOCUMENT_NAMES_ZH: Record<DocumentType, string> = {
  accident_certificate: '事故证明',
  repair_invoice: '维修发票',
  loss_assessment: '定损单',
  driving_licence: '驾驶证',
  vehicle_licence: '行驶证',
  id_card: '身份证',
  bank_account: '收款银行账户',
  medical_records: '病历及医疗费用发票',
};

const COVERAGE_NAMES_ZH: Record<string, string> = {
  compulsory: '交强险',
  vehicle_damage: '车损险',
  third_party: '第三者责任险',
  driver: '司机座位险',
  passenger: '乘客座位险',
  glass: '玻璃单独破碎险',
  no_deductible: '不计免赔',
};

const APPLICATION_FIELD_NAMES_ZH: Record<string, string> = {
  'holder.name': '投保人姓名',
  'holder.phone': '投保人手机号',
  'holder.idNumber': '投保人身份证号',
  'holder.email': '投保人邮箱',
  'vehicle.plate': '车牌号',
  'vehicle.vin': '车架号（VIN）',
  'vehicle.engineNo': '发动机号',
  startsAt: '起保日期',
};

const DELIVERY_NAMES_ZH: Record<string, string> = {
  electronic: '电子保单（短信/邮件发送）',
  post: '邮寄纸质保单',
  counter: '柜面领取',
};

const RESOLUTION_NAMES_ZH: Record<string, string> = {
  compensation: '给予补偿',
  refund: '退还费用',
  apology: '正式致歉',
  service_improvement: '改进服务',
  claim_review: '重新审核理赔',
  other: '其他处理方式',
};

export interface RenderedMessage {
  subject: string;
  body: string;
}

type Params = Record<string, unknown>;

const list = (value: unknown): string =>
  Array.isArray(value) ? value.map((d) => DOCUMENT_NAMES_ZH[d as DocumentType] ?? String(d)).join('、') : '';
const POLICY_TITLES = new Map<string, string>(
  [...DEFAULT_CLOCK_POLICIES, DEFAULT_DOCUMENT_REMINDER].map((policy) => [policy.name, policy.title]),
);
const policyName = (value: unknown): string => POLICY_TITLES.get(String(value)) ?? String(value);
const beijingTime = (value: unknown): string => {
  const ms = Date.parse(String(value));
  if (Number.isNaN(ms)) return String(value);
  return toBeijingWallTime(new Date(ms));
};

const yuan = (value: unknown): string => (typeof value === 'number' ? `${value.toFixed(2)} 元` : String(value));
const productName = (value: unknown): string =>
  value === 'compulsory' ? '交强险' : value === 'commercial' ? '商业险' : '车险';
const records = (value: unknown): Record<string, unknown>[] =>
  Array.isArray(value) ? value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null) : [];
const coverageLines = (value: unknown): string =>
  records(value)
    .map((c) => {
      const parts = [COVERAGE_NAMES_ZH[String(c.code)] ?? String(c.code)];
      if (typeof c.sumInsured === 'number') parts.push(`保额 ${yuan(c.sumInsured)}`);
      if (typeof c.deductible === 'number') parts.push(`免赔额 ${yuan(c.deductible)}`);
      parts.push(`保费 ${yuan(c.premium)}`);
      return parts.join('，');
    })
    .join('；');
const problemLines = (value: unknown): string =>
  records(value)
    .map((p) => `${APPLICATION_FIELD_NAMES_ZH[String(p.field)] ?? String(p.field)}：${String(p.message)}`)
    .join('；');
const discountText = (p: Params): string =>
  typeof p.discount === 'number' && p.discount > 0
    ? `（原保费 ${yuan(p.basePremium)}，无赔款优待折扣 ${yuan(p.discount)}）`
    : '';

const TEMPLATES: Record<NotificationTemplate, (p: Params, greeting: string) => RenderedMessage> = {
  'claim.documentNotice': (p, hi) => ({
    subject: `理赔资料一次性告知（案件 ${String(p.caseId)}）`,
    body: `${hi}您的理赔案件 ${String(p.caseId)} 已受理。请一次性提供以下全部资料：${list(p.missing)}。资料齐全后我们将尽快核定。`,
  }),
  'claim.documentReminder': (p, hi) => ({
    subject: `理赔资料提醒（案件 ${String(p.caseId)}）`,
    body: `${hi}您的理赔案件 ${String(p.caseId)} 仍缺少以下资料：${list(p.missing)}。请尽快提交，以免影响赔付进度。（第${String(p.reminder)}次提醒）`,
  }),
  'claim.documentRequest': (p, hi) => ({
    subject: `理赔资料补充通知（案件 ${String(p.caseId)}）`,
    body: `${hi}您的理赔案件 ${String(p.caseId)} 还需补充以下资料：${list(p.documents)}。${typeof p.fact === 'string' && p.fact ? `原因：${p.fact}。` : ''}资料齐全后我们将尽快核定。`,
  }),
  'claim.denialNotice': (p, hi) => ({
    subject: `拒绝赔付通知书（案件 ${String(p.caseId)}）`,
    body: `${hi}经核定，您的理赔案件 ${String(p.caseId)} 不属于保险责任，本公司依法拒绝赔付。理由：${String(p.reason)}。如有异议，可致电客服或向监管部门反映。`,
  }),
  'survey.request': (p, hi) => ({
    subject: '服务满意度调查',
    body: `${hi}您的案件 ${String(p.caseId)} 已办结。请回复 1-5 分对本次服务进行评价（5分为非常满意），感谢您的支持。`,
  }),
  'claim.callTask': (p) => ({
    subject: `电话催收理赔资料：案件 ${String(p.caseId)}`,
    body: `案件 ${String(p.caseId)} 已提醒客户 ${String(p.reminders)} 次仍缺资料（${list(p.missing)}），请致电客户协助收集。`,
  }),
  'claim.advancePaymentTask': (p) => ({
    subject: `先予支付：案件 ${String(p.caseId)}`,
    body: `案件 ${String(p.caseId)} 资料齐全已近60日，赔付金额仍未确定。请按保险法第二十五条先予支付可以确定的数额。`,
  }),
  'clock.warning': (p) => ({
    subject: `时限预警：案件 ${String(p.caseId)}`,
    body: `案件 ${String(p.caseId)} 的时限“${policyName(p.policy)}”将于 ${beijingTime(p.dueAt)} 到期，请督促处理。`,
  }),
  'clock.breached': (p) => ({
    subject: `时限超期：案件 ${String(p.caseId)}`,
    body: `案件 ${String(p.caseId)} 的${p.kind === 'statutory' ? '法定' : '内部'}时限“${policyName(p.policy)}”已于 ${beijingTime(p.dueAt)} 超期，已升级至主管。`,
  }),
  'clock.escalated': (p) => ({
    subject: `超期升级：案件 ${String(p.caseId)}`,
    body: `案件 ${String(p.caseId)} 的时限“${policyName(p.policy)}”超期仍未处理，已升级至经理。`,
  }),
  'complaint.acknowledgement': (p, hi) => ({
    subject: `投诉受理通知（案件 ${String(p.caseId)}）`,
    body: `${hi}对于给您带来的不便，我们深表歉意。您的投诉（案件 ${String(p.caseId)}）已受理，我们将认真核实处理，并于 ${beijingTime(p.decisionDueAt)} 前将处理结果告知您。`,
  }),
  'complaint.extensionNotice': (p, hi) => ({
    subject: `投诉处理期限延长告知（案件 ${String(p.caseId)}）`,
    body: `${hi}您的投诉（案件 ${String(p.caseId)}）情况较为复杂，经审批处理期限延长至 ${beijingTime(p.dueAt)}。原因：${String(p.reason)}。给您带来不便，敬请谅解。`,
  }),
  'complaint.proposal': (p, hi) => ({
    subject: `投诉处理方案（案件 ${String(p.caseId)}）`,
    body: `${hi}针对您的投诉（案件 ${String(p.caseId)}），我们提出以下处理方案：${RESOLUTION_NAMES_ZH[String(p.resolution)] ?? String(p.resolution)}${typeof p.amount === 'number' ? `，金额 ${p.amount.toFixed(2)} 元` : ''}。${String(p.detail)}。请告知您是否接受。`,
  }),
  'complaint.reviewRequested': (p) => ({
    subject: `投诉复核申请：案件 ${String(p.caseId)}`,
    body: `投诉人对案件 ${String(p.caseId)} 的处理决定申请复核。理由：${String(p.reason)}。请于 ${beijingTime(p.dueAt)} 前作出复核决定并告知投诉人。`,
  }),
  'complaint.reviewDecision': (p, hi) => ({
    subject: `投诉复核决定（案件 ${String(p.caseId)}）`,
    body: `${hi}您对投诉（案件 ${String(p.caseId)}）处理决定提出的复核申请，经复核，${p.upheld === true ? '维持原处理决定' : '变更原处理决定'}：${String(p.detail)}。`,
  }),
  'complaint.regulator': (p) => ({
    subject: `监管转办投诉：案件 ${String(p.caseId)}`,
    body: `监管部门转办投诉（案件 ${String(p.caseId)}，类别 ${String(p.category)}）已登记，已升级至主管，法定处理期限 ${beijingTime(p.decisionDueAt)}，请立即跟进。`,
  }),
  'inquiry.promisedTime': (p, hi) => ({
    subject: `咨询受理通知（案件 ${String(p.caseId)}）`,
    body: `${hi}您的咨询（案件 ${String(p.caseId)}）已登记，我们将于 ${beijingTime(p.dueAt)} 前给您答复。`,
  }),
  'inquiry.answer': (p, hi) => ({
    subject: `咨询答复（案件 ${String(p.caseId)}）`,
    body: `${hi}关于您的咨询（案件 ${String(p.caseId)}），答复如下：${String(p.answer)}。如有疑问，欢迎再次联系我们。`,
  }),
  'inquiry.consultationRequest': (p) => ({
    subject: `客户咨询协查：案件 ${String(p.caseId)}`,
    body: `客服就案件 ${String(p.caseId)} 向${String(p.department)}咨询：${String(p.question)}。请于 ${beijingTime(p.dueAt)} 前回复。`,
  }),
  'inquiry.consultationLate': (p) => ({
    subject: `部门回复超时：案件 ${String(p.caseId)}`,
    body: `案件 ${String(p.caseId)} 向${String(p.department)}的咨询已于 ${beijingTime(p.dueAt)} 超时未回复，请协调处理。`,
  }),
  'renewal.reminder': (p, hi) => ({
    subject: `续保提醒（保单 ${String(p.policyNo)}）`,
    body: `${hi}您的${productName(p.product)}保单 ${String(p.policyNo)} 将于 ${beijingTime(p.expiresAt)} 到期。续保保费 ${yuan(p.premium)}${discountText(p)}。请及时续保，以免脱保影响出行。如不希望再收到续保提醒，请回复 TD。`,
  }),
  'renewal.callTask': (p) => ({
    subject: `续保电话任务：保单 ${String(p.policyNo)}`,
    body: `续保案件 ${String(p.caseId)}：保单 ${String(p.policyNo)} 将于 ${beijingTime(p.expiresAt)} 到期${typeof p.premium === 'number' ? `，续保报价 ${yuan(p.premium)}` : ''}。请在 08:00–20:00 致电客户，每日未接通不超过 3 次；客户拒绝的，请登记并停止联系。`,
  }),
  'renewal.renewed': (p, hi) => ({
    subject: `续保成功（保单 ${String(p.newPolicyNo)}）`,
    body: `${hi}您已成功续保，新保单号 ${String(p.newPolicyNo)}，保费 ${yuan(p.premium)}。感谢您的信任，祝您行车平安。`,
  }),
  'renewal.lapsed': (p, hi) => ({
    subject: `保单已到期（保单 ${String(p.policyNo)}）`,
    body: `${hi}您的${productName(p.product)}保单 ${String(p.policyNo)} 已于 ${beijingTime(p.expiresAt)} 到期，目前车辆处于脱保状态${p.product === 'compulsory' ? '（未投保交强险的机动车不得上道路行驶）' : ''}。如需续保，请联系我们。`,
  }),
  'purchase.quote': (p, hi) => ({
    subject: `投保方案（案件 ${String(p.caseId)}）`,
    body: `${hi}为您拟定的${p.product === 'both' ? '交强险及商业险' : productName(p.product)}投保方案如下：${coverageLines(p.coverages)}。合计保费 ${yuan(p.total)}，方案有效期至 ${beijingTime(p.validUntil)}。如同意，请提供投保所需资料（身份证、行驶证）。`,
  }),
  'purchase.correctionNotice': (p, hi) => ({
    subject: `投保单需补正（案件 ${String(p.caseId)}）`,
    body: `${hi}经审核，您的投保单（案件 ${String(p.caseId)}）以下内容需要更正：${problemLines(p.problems)}。请核对后提供正确信息，我们将尽快重新审核。`,
  }),
  'purchase.approved': (p, hi) => ({
    subject: `投保单审核通过（案件 ${String(p.caseId)}）`,
    body: `${hi}您的投保单（案件 ${String(p.caseId)}）已审核通过。请于 ${beijingTime(p.dueAt)} 前缴纳保费 ${yuan(p.total)}，缴费后我们将为您出具保单。`,
  }),
  'purchase.paymentReceipt': (p, hi) => ({
    subject: `保费到账确认（案件 ${String(p.caseId)}）`,
    body: `${hi}已收到您缴纳的保费 ${yuan(p.amount)}（交易凭证号 ${String(p.reference)}${typeof p.invoiceNo === 'string' ? `，发票号 ${p.invoiceNo}` : ''}），我们将尽快为您出具保单。`,
  }),
  'purchase.confirmation': (p, hi) => ({
    subject: `投保确认（保单 ${Array.isArray(p.policyNos) ? p.policyNos.join('、') : ''}）`,
    body: `${hi}您的保单 ${Array.isArray(p.policyNos) ? p.policyNos.join('、') : ''} 已出具，保险期间自 ${beijingTime(p.effectiveAt)} 起至 ${beijingTime(p.expiresAt)} 止，保费 ${yuan(p.premium)}。保单交付方式：${DELIVERY_NAMES_ZH[String(p.delivery)] ?? String(p.delivery)}。感谢您的信任，祝您行车平安。`,
  }),
  'purchase.expired': (p, hi) => ({
    subject: `投保方案已过期（案件 ${String(p.caseId)}）`,
    body: `${hi}您的投保方案（案件 ${String(p.caseId)}）已于 ${beijingTime(p.validUntil)} 过期，未完成缴费。如仍需投保，请联系我们重新报价。`,
  }),
  'purchase.policyClash': (p) => ({
    subject: `保单号冲突：案件 ${String(p.caseId)}`,
    body: `投保案件 ${String(p.caseId)} 出单使用的保单号 ${String(p.policyNo)} 已属于另一张保单，未写入保单库，请核实。`,
  }),
  'training.assigned': (p) => ({
    subject: `培训安排：${String(p.title)}`,
    body: `您已被安排参加培训“${String(p.title)}”（记录 ${String(p.caseId)}），及格分 ${String(p.passMark)} 分，请按时参加并通过考核。`,
  }),
  'training.retake': (p) => ({
    subject: `补考安排：${String(p.title)}`,
    body: `培训“${String(p.title)}”考核未通过（${String(p.score)} 分，及格分 ${String(p.passMark)} 分），请于 ${beijingTime(p.dueAt)} 前参加补考。`,
  }),
  'training.flagged': (p) => ({
    subject: `培训补考仍未通过：${String(p.staffId)}`,
    body: `员工 ${String(p.staffId)} 的培训“${String(p.title)}”（记录 ${String(p.caseId)}）补考仍未通过（${String(p.score)} 分，及格分 ${String(p.passMark)} 分），请人力资源部门按规定处理。`,
  }),
  'assessment.selfDue': (p) => ({
    subject: `请填写 ${String(p.period)} 个人工作自评表`,
    body: `您 ${String(p.period)} 的月度考核（${String(p.caseId)}）已开始，请于 ${String(p.dueAt)} 前填写个人工作自评表。`,
  }),
  'assessment.scoreDue': (p) => ({
    subject: `月度考核评分：${String(p.staffId)}（${String(p.period)}）`,
    body: `员工 ${String(p.staffId)} ${String(p.period)} 的月度考核（${String(p.caseId)}）待您评分（考勤、工作积极性、团队协作），请于 ${String(p.dueAt)} 前完成。`,
  }),
  'assessment.scored': (p) => ({
    subject: `月度考核已评分，待公示：${String(p.staffId)}（${String(p.period)}）`,
    body: `员工 ${String(p.staffId)} ${String(p.period)} 的月度考核（${String(p.caseId)}）已评分（${String(p.grade)}），请人力资源部门公示。`,
  }),
  'assessment.published': (p) => ({
    subject: `${String(p.period)} 月度考核结果公示`,
    body: `您 ${String(p.period)} 的月度考核（${String(p.caseId)}）结果：${String(p.total)} 分，${String(p.grade)}。如有异议，请于 ${String(p.appealUntil)} 前提出申诉。`,
  }),
  'assessment.appealed': (p) => ({
    subject: `考核申诉：${String(p.staffId)}（${String(p.period)}）`,
    body: `员工 ${String(p.staffId)} 对 ${String(p.period)} 的月度考核（${String(p.caseId)}）提出申诉，请人力资源部门在规定时间内答复。`,
  }),
  'assessment.appealAnswered': (p) => ({
    subject: `${String(p.period)} 考核申诉已答复`,
    body: `您对 ${String(p.period)} 月度考核（${String(p.caseId)}）的申诉已答复：${p.upheld ? '申诉成立' : '维持原结果'}，最终 ${String(p.total)} 分，${String(p.grade)}。`,
  }),
  'assessment.promotionReview': (p) => ({
    subject: `晋升评议：${String(p.staffId)} 连续三个月考核优秀`,
    body: `员工 ${String(p.staffId)} 截至 ${String(p.period)} 连续三个月月度考核为优秀（${String(p.caseId)}），请安排晋升评议。`,
  }),
  'facilities.checkDue': (p) => ({
    subject: `今日点检：设备 ${String(p.assetId)}`,
    body: `设备 ${String(p.assetId)}（${String(p.location)}）应于 ${beijingTime(p.dueAt)} 前完成点检，请检查后登记结果（正常或故障）。`,
  }),
  'facilities.repairOpened': (p) => ({
    subject: `设备故障报修：${String(p.assetId)}`,
    body: `设备 ${String(p.assetId)}（${String(p.location)}）点检发现故障，已建立维修档案 ${String(p.caseId)}，请于 ${beijingTime(p.dueAt)} 前修复，或确认无法修复并报请更换。`,
  }),
  'facilities.replacement': (p) => ({
    subject: `设备更换申请：${String(p.assetId)}`,
    body: `设备 ${String(p.assetId)}（${String(p.location)}）经确认无法修复（维修档案 ${String(p.caseId)}），请于 ${beijingTime(p.dueAt)} 前安排更换。`,
  }),
  'case.assigned': (p) => ({
    subject: `新分配案件 ${String(p.caseId)}`,
    body: `案件 ${String(p.caseId)} 已分配给您，请及时处理。`,
  }),
};

export function renderNotification(template: string, params: Params, customerName?: string): RenderedMessage {
  // The outbox row is text: a row written by an older release may name a template no longer here.
  if (!isNotificationTemplate(template)) throw new Error(`no template named ${template}`);
  const render = TEMPLATES[template];
  const greeting = customerName ? `尊敬的${customerName.slice(0, 1)}先生/女士：` : '尊敬的客户：';
  return render(params, greeting);
}

/**
 * Outreach: messages the customer may refuse (续保 reminders and offers, satisfaction surveys). The
 * do-not-contact list suppresses these on every case and channel; notices the law requires are not
 * outreach and always go.
 */
const OUTREACH = new Set<string>([
  'renewal.reminder',
  'renewal.lapsed',
  'survey.request',
] satisfies NotificationTemplate[]);

export function isOutreach(template: string): boolean {
  return OUTREACH.has(template);
}
