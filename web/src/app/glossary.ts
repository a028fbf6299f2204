/**
 * The console's words, from the design's glossary (CONSOLE.md): one Chinese word per meaning. Codes
 * stay the API's; only their labels live here.
 */
import type { CaseType } from '../api/client';

export const CASE_TYPE_ZH: Record<CaseType, string> = {
  claim: '理赔',
  complaint: '投诉',
  inquiry: '咨询',
  renewal: '续保',
  purchase: '投保',
};

export const ROLE_ZH: Record<string, string> = {
  agent: '坐席',
  supervisor: '主管',
  manager: '经理',
  hr: '人力资源',
  admin: '管理员',
};

export const CLOCK_STATE_ZH: Record<string, string> = {
  pending: '进行中',
  warned: '即将超时',
  breached: '已超时',
  met: '已完成',
  paused: '已暂停',
  cancelled: '已取消',
};

export const CLOCK_KIND_ZH: Record<string, string> = { statutory: '法定', internal: '内部' };

/** Short names of the clock policies, as a clock tag shows them. */
export const CLOCK_POLICY_ZH: Record<string, string> = {
  'claim.firstContact': '首次联系',
  'claim.documentNotice.compulsory': '资料告知',
  'claim.documentNotice.commercial': '资料告知',
  'claim.documentReminder': '资料催告',
  'claim.verification.compulsory': '核定时限',
  'claim.verification.commercial': '核定时限',
  'claim.payment': '赔付时限',
  'claim.denialNotice': '拒赔通知',
  'claim.advancePayment': '先予支付',
  'complaint.acknowledge': '受理确认',
  'complaint.decision': '处理决定',
  'complaint.followUp': '回访',
  'complaint.reviewWindow': '复核申请期',
  'complaint.reviewDecision': '复核决定',
  'inquiry.answer': '答复时限',
  'inquiry.consultation': '部门咨询',
  'renewal.window': '续保窗口',
  'purchase.quoteValidity': '报价有效期',
  'purchase.review': '投保单审核',
  'purchase.payment': '保费收取',
  'purchase.confirmation': '投保确认',
  'facilities.check': '设备点检',
  'facilities.repair': '设备维修',
  'facilities.replacement': '设备更换',
  'training.onboarding': '入职培训',
  'training.periodic': '定期培训',
  'training.retake': '补考',
  'assessment.self': '自评',
  'assessment.supervisor': '主管评分',
  'assessment.publication': '考核公示',
  'assessment.appealWindow': '申诉期',
  'assessment.appealAnswer': '申诉答复',
};

export const STATUS_ZH: Record<string, string> = {
  // claim 理赔
  reported: '已报案',
  awaiting_documents: '待补资料',
  under_review: '审核中',
  approved: '已核准',
  denied: '拒赔',
  paid: '已赔付',
  closed: '已结案',
  withdrawn: '已撤案',
  // complaint 投诉
  received: '待受理',
  acknowledged: '已受理确认',
  investigating: '调查中',
  proposed: '已提处理方案',
  resolved: '已解决',
  // inquiry 咨询
  open: '待答复',
  consulting: '部门咨询中',
  answered: '已答复',
  // renewal 续保
  scheduled: '待提醒',
  contacted: '已联系',
  renewed: '已续保',
  declined: '已拒绝',
  lapsed: '已脱保',
  opted_out: '已退订',
  // purchase 投保 (paid: 已缴费, see statusLabel)
  quoting: '待报价',
  quoted: '已报价',
  needs_correction: '待补正',
  awaiting_payment: '待缴费',
  issued: '已出单',
  confirmed: '已确认',
  abandoned: '已放弃',
  expired: '已过期',
};

/** The few status words whose meaning depends on the case type (a purchase's `paid` is the premium). */
const STATUS_BY_TYPE_ZH: Partial<Record<string, Record<string, string>>> = {
  purchase: { paid: '已缴费', under_review: '投保单审核中' },
};

export function statusLabel(type: string, status: string): string {
  return STATUS_BY_TYPE_ZH[type]?.[status] ?? STATUS_ZH[status] ?? status;
}

export const DOCUMENT_ZH: Record<string, string> = {
  accident_certificate: '事故证明',
  repair_invoice: '维修发票',
  loss_assessment: '定损单',
  driving_licence: '驾驶证',
  vehicle_licence: '行驶证',
  id_card: '身份证',
  bank_account: '收款账户',
  medical_records: '病历及医疗发票',
};

export const COVERAGE_ZH: Record<string, string> = { compulsory: '交强险', commercial: '商业险' };

export const COVERAGE_CODE_ZH: Record<string, string> = {
  compulsory: '交强险',
  vehicle_damage: '车损险',
  third_party: '第三者责任险',
  driver: '司机座位险',
  passenger: '乘客座位险',
  glass: '玻璃单独破碎险',
  no_deductible: '不计免赔',
};

export const PURCHASE_PRODUCT_ZH: Record<string, string> = {
  compulsory: '交强险',
  commercial: '商业险',
  both: '交强险 + 商业险',
};

export const APPLICATION_FIELD_ZH: Record<string, string> = {
  'holder.name': '投保人姓名',
  'holder.phone': '投保人手机号',
  'holder.idNumber': '投保人身份证号',
  'holder.email': '投保人邮箱',
  'vehicle.plate': '车牌号',
  'vehicle.vin': '车架号（VIN）',
  'vehicle.engineNo': '发动机号',
  startsAt: '起保时间',
};

export const PAYMENT_METHOD_ZH: Record<string, string> = {
  card: '银行卡',
  transfer: '转账',
  wechat: '微信支付',
  alipay: '支付宝',
  cash: '现金',
};

export const DELIVERY_ZH: Record<string, string> = { electronic: '电子保单', post: '邮寄', counter: '柜面领取' };

export const CHANNEL_ZH: Record<string, string> = {
  phone: '电话',
  email: '邮件',
  letter: '信函',
  online: '在线',
  walk_in: '到店',
  regulator: '监管转办',
  sms: '短信',
  internal: '内部',
};

export const RESOLUTION_ZH: Record<string, string> = {
  compensation: '给予补偿',
  refund: '退还费用',
  apology: '正式致歉',
  service_improvement: '改进服务',
  claim_review: '重新审核理赔',
  other: '其他',
};

export const KPI_ZH: Record<string, string> = {
  customer_satisfaction: '客户满意度',
  complaint_rate: '投诉率',
  response_timeliness: '服务响应及时率',
  answer_accuracy: '咨询解答准确率',
  purchase_conversion: '投保成功率',
  renewal_rate: '续保率',
  claim_timeliness: '理赔处理及时率',
};

export const NOTIFICATION_STATUS_ZH: Record<string, string> = {
  queued: '待发送',
  sent: '已发送',
  suppressed: '已拦截',
  failed: '发送失败',
};

export const ESCALATION_ZH = ['未升级', '已升级至主管', '已升级至经理'] as const;

export const label = (table: Record<string, string>, code: string | null | undefined): string =>
  code == null ? '—' : (table[code] ?? code);

/** Timeline (处理记录) event kinds. */
export const TIMELINE_KIND_ZH: Record<string, string> = {
  'case.opened': '立案',
  'case.assigned': '分配经办人',
  'case.escalated': '案件升级',
  'status.changed': '状态变更',
  'clock.started': '时限开始',
  'clock.warned': '时限预警',
  'clock.warning': '时限预警',
  'clock.breached': '时限超时',
  'clock.escalated': '超时升级',
  'clock.met': '时限完成',
  'clock.cancelled': '时限取消',
  'clock.paused': '时限暂停',
  'clock.resumed': '时限恢复',
  'clock.extended': '时限延期',
  'clock.recomputed': '时限重算',
  'notification.queued': '通知待发',
  'notification.sent': '通知已发送',
  'notification.suppressed': '通知已拦截',
  'documents.received': '资料已收到',
  'documents.reminded': '资料催告',
  'contact.recorded': '联系记录',
  'assessment.recorded': '定损记录',
  'investigation.noted': '调查记录',
  'consultation.requested': '发起部门咨询',
  'consultation.replied': '部门已回复',
  'consultation.late': '部门回复超时',
  'customer.awaited': '等待客户',
  'customer.replied': '客户已补充',
  'inquiry.reviewed': '答复质检',
  'note.added': '备注',
  'task.created': '生成任务',
  'task.skipped': '任务跳过',
  'survey.sent': '满意度调查已发送',
  'survey.answered': '满意度已回复',
  'survey.unanswered': '满意度未回复',
  'reminder.sent': '续保提醒已发送',
  'reminder.suppressed': '续保提醒已拦截',
  'renewal.planned': '续保计划',
  'outreach.stopped': '停止外呼',
  'do_not_contact.added': '加入勿扰名单',
  'quote.replaced': '重新报价',
  'quote.expired': '报价过期',
  'policy.issued': '出具保单',
  'policy.clash': '保单号冲突',
  'renewal.renewed': '续保已登记',
  'renewal.notRenewed': '续保未登记',
};

export const TRAINING_KIND_ZH: Record<string, string> = {
  onboarding: '入职培训',
  periodic: '定期培训',
  special: '专项培训',
};

export const TRAINING_STATUS_ZH: Record<string, string> = {
  assigned: '待参加',
  attended: '已参训',
  passed: '已通过',
  failed: '考试未通过',
  retake: '待补考',
  flagged: '补考未通过',
};

export const EXAM_KIND_ZH: Record<string, string> = {
  theory: '理论考试',
  practical: '实操考核',
  satisfaction: '满意度测评',
};

/** 服务质检 checklist items, in the order the form asks them. */
export const QUALITY_ITEM_ZH = {
  courtesy: '文明用语',
  listening: '耐心倾听、不打断',
  timeliness: '响应及时',
  clarity: '表达清晰',
  accuracy: '解答准确',
  plainLanguage: '通俗易懂、少用术语',
  noFillers: '无口头禅',
  patience: '耐心细致',
} as const;

export const COMPLIANCE_CAUSE_ZH: Record<string, string> = {
  omitted: '首次告知遗漏',
  new_facts: '新情况需补充',
};

export const ASSESSMENT_STATUS_ZH: Record<string, string> = {
  open: '待自评',
  self_assessed: '已自评',
  scored: '已评分',
  published: '已公示',
  appealed: '申诉中',
  appeal_answered: '申诉已答复',
  final: '已定稿',
};

/** An assessment's component scores (0..100), as the total weighs them. */
export const ASSESSMENT_COMPONENT_ZH: Record<string, string> = {
  figures: '考核指标',
  quality: '服务质检',
  attendance: '考勤',
  initiative: '工作积极性',
  teamwork: '团队协作',
};
