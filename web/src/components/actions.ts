/**
 * The forms of every case action, one per name the API may list in `allowedActions`. Each form is
 * tied to its route in the contract: its field names are checked against the request body's type,
 * so a renamed field or a removed action fails `npm run typecheck`, not a user's submit.
 */
import type { ActionName, CaseType } from '../api/client';
import type { paths } from '../api/schema';
import {
  APPLICATION_FIELD_ZH,
  CHANNEL_ZH,
  COVERAGE_CODE_ZH,
  DELIVERY_ZH,
  DOCUMENT_ZH,
  PAYMENT_METHOD_ZH,
  RESOLUTION_ZH,
} from '../app/glossary';

type PostPath = { [P in keyof paths]: [paths[P]['post']] extends [never] ? never : P }[keyof paths];
type BodyOf<P extends PostPath> = paths[P]['post'] extends {
  requestBody?: { content: { 'application/json': infer B } };
}
  ? NonNullable<B>
  : never;

export type FieldKind =
  'text' | 'textarea' | 'money' | 'select' | 'multiselect' | 'yesno' | 'score' | 'datetime' | 'coverages';

export interface FieldSpec {
  name: string;
  label: string;
  kind: FieldKind;
  required?: boolean;
  options?: { value: string; label: string }[];
}

export interface ActionSpec {
  /** Route in the contract; `{id}` (and `{consultationId}`) are filled in when posting. */
  path: PostPath;
  title: string;
  submit: string;
  fields: FieldSpec[];
  danger?: boolean;
  /** Path parameters besides the case id, chosen in the form (the consultation to reply to). */
  pathFields?: FieldSpec[];
}

function action<P extends PostPath>(
  path: P,
  spec: Omit<ActionSpec, 'path' | 'fields'> & {
    /** A top-level body field, or a dotted path into one of its objects (`holder.idNumber`). */
    fields: (FieldSpec & {
      name: Extract<keyof BodyOf<P>, string> | `${Extract<keyof BodyOf<P>, string>}.${string}`;
    })[];
  },
): ActionSpec {
  return { path, ...spec };
}

const options = (table: Record<string, string>, only?: readonly string[]) =>
  Object.entries(table)
    .filter(([value]) => !only || only.includes(value))
    .map(([value, label]) => ({ value, label }));

const SHARED: Partial<Record<ActionName, ActionSpec>> = {
  assign: action('/api/v1/cases/{id}/assign', {
    title: '分配经办人',
    submit: '分配',
    fields: [{ name: 'assignee', label: '经办人（员工编号）', kind: 'text', required: true }],
  }),
  notes: action('/api/v1/cases/{id}/notes', {
    title: '添加备注',
    submit: '保存备注',
    fields: [{ name: 'text', label: '备注', kind: 'textarea', required: true }],
  }),
};

const BY_TYPE: Record<CaseType, Partial<Record<ActionName, ActionSpec>>> = {
  claim: {
    contact: action('/api/v1/claims/{id}/contact', {
      title: '回访报案人',
      submit: '记录联系',
      fields: [
        {
          name: 'outcome',
          label: '结果',
          kind: 'select',
          required: true,
          options: [
            { value: 'reached', label: '已联系上' },
            { value: 'no_answer', label: '未接通' },
          ],
        },
        { name: 'note', label: '说明', kind: 'textarea' },
      ],
    }),
    documents: action('/api/v1/claims/{id}/documents', {
      title: '登记收到的资料',
      submit: '登记资料',
      fields: [
        { name: 'documents', label: '收到的资料', kind: 'multiselect', required: true, options: options(DOCUMENT_ZH) },
      ],
    }),
    assessment: action('/api/v1/claims/{id}/assessment', {
      title: '定损',
      submit: '记录定损',
      fields: [
        { name: 'amount', label: '定损金额（元）', kind: 'money', required: true },
        { name: 'note', label: '说明', kind: 'textarea' },
      ],
    }),
    decision: action('/api/v1/claims/{id}/decision', {
      title: '核定',
      submit: '提交核定',
      fields: [
        {
          name: 'outcome',
          label: '结论',
          kind: 'select',
          required: true,
          options: [
            { value: 'approve', label: '核准赔付' },
            { value: 'deny', label: '拒赔' },
          ],
        },
        { name: 'amount', label: '核准金额（元，默认定损金额）', kind: 'money' },
        { name: 'reason', label: '拒赔理由', kind: 'textarea' },
      ],
    }),
    payment: action('/api/v1/claims/{id}/payment', {
      title: '赔付',
      submit: '记录赔付',
      fields: [
        { name: 'amount', label: '赔付金额（元）', kind: 'money', required: true },
        { name: 'reference', label: '付款流水号', kind: 'text', required: true },
      ],
    }),
    'document-request': action('/api/v1/claims/{id}/document-request', {
      title: '补充资料通知',
      submit: '发出补充通知',
      fields: [
        {
          name: 'documents',
          label: '需补充的资料',
          kind: 'multiselect',
          required: true,
          options: options(DOCUMENT_ZH),
        },
        {
          name: 'cause',
          label: '原因',
          kind: 'select',
          required: true,
          options: [
            { value: 'new_facts', label: '新情况（如报案后发现人伤、资料无法辨认）' },
            { value: 'omitted', label: '首次告知遗漏（记为合规异常）' },
          ],
        },
        { name: 'note', label: '说明（新情况或遗漏的内容）', kind: 'textarea', required: true },
      ],
    }),
    withdraw: action('/api/v1/claims/{id}/withdraw', {
      title: '撤案',
      submit: '撤案',
      danger: true,
      fields: [{ name: 'reason', label: '撤案原因', kind: 'textarea', required: true }],
    }),
  },
  complaint: {
    acknowledge: action('/api/v1/complaints/{id}/acknowledge', {
      title: '受理确认',
      submit: '确认受理',
      fields: [{ name: 'message', label: '告知客户的内容（致歉、承诺处理）', kind: 'textarea' }],
    }),
    investigation: action('/api/v1/complaints/{id}/investigation', {
      title: '调查记录',
      submit: '记录调查',
      fields: [{ name: 'note', label: '调查情况', kind: 'textarea', required: true }],
    }),
    proposal: action('/api/v1/complaints/{id}/proposal', {
      title: '处理方案',
      submit: '提出方案',
      fields: [
        { name: 'resolution', label: '方式', kind: 'select', required: true, options: options(RESOLUTION_ZH) },
        { name: 'detail', label: '方案内容', kind: 'textarea', required: true },
        { name: 'amount', label: '金额（元，补偿或退费时必填）', kind: 'money' },
      ],
    }),
    'customer-response': action('/api/v1/complaints/{id}/customer-response', {
      title: '客户对方案的答复',
      submit: '记录答复',
      fields: [
        { name: 'accepted', label: '客户是否接受', kind: 'yesno', required: true },
        { name: 'comment', label: '客户意见', kind: 'textarea' },
      ],
    }),
    extension: action('/api/v1/complaints/{id}/extension', {
      title: '延期',
      submit: '批准延期',
      fields: [{ name: 'reason', label: '延期理由（将告知客户）', kind: 'textarea', required: true }],
    }),
    'review-request': action('/api/v1/complaints/{id}/review-request', {
      title: '申请复核',
      submit: '登记复核申请',
      fields: [{ name: 'reason', label: '投诉人申请复核的理由', kind: 'textarea', required: true }],
    }),
    'review-decision': action('/api/v1/complaints/{id}/review-decision', {
      title: '复核决定',
      submit: '作出复核决定',
      fields: [
        { name: 'upheld', label: '是否维持原处理决定', kind: 'yesno', required: true },
        { name: 'detail', label: '复核决定内容（将告知投诉人）', kind: 'textarea', required: true },
      ],
    }),
    satisfaction: action('/api/v1/complaints/{id}/satisfaction', {
      title: '满意度回访',
      submit: '记录满意度并结案',
      fields: [
        { name: 'score', label: '满意度（1–5）', kind: 'score', required: true },
        { name: 'comment', label: '客户意见', kind: 'textarea' },
      ],
    }),
  },
  inquiry: {
    consultation: action('/api/v1/inquiries/{id}/consultation', {
      title: '咨询相关部门',
      submit: '发起部门咨询',
      fields: [
        { name: 'department', label: '部门（团队代码）', kind: 'text', required: true },
        { name: 'question', label: '咨询内容', kind: 'textarea', required: true },
      ],
    }),
    'consultations/{consultationId}/reply': action('/api/v1/inquiries/{id}/consultations/{consultationId}/reply', {
      title: '记录部门回复',
      submit: '记录回复',
      pathFields: [{ name: 'consultationId', label: '咨询编号', kind: 'text', required: true }],
      fields: [{ name: 'reply', label: '部门回复', kind: 'textarea', required: true }],
    }),
    'awaiting-customer': action('/api/v1/inquiries/{id}/awaiting-customer', {
      title: '等待客户补充信息',
      submit: '暂停答复时限',
      fields: [{ name: 'reason', label: '需客户补充的信息', kind: 'textarea' }],
    }),
    'customer-reply': action('/api/v1/inquiries/{id}/customer-reply', {
      title: '客户已补充信息',
      submit: '恢复答复时限',
      fields: [{ name: 'note', label: '说明', kind: 'textarea' }],
    }),
    answer: action('/api/v1/inquiries/{id}/answer', {
      title: '答复客户',
      submit: '发送答复',
      fields: [{ name: 'answer', label: '答复内容', kind: 'textarea', required: true }],
    }),
    review: action('/api/v1/inquiries/{id}/review', {
      title: '答复质检',
      submit: '提交质检',
      fields: [
        { name: 'correct', label: '答复是否准确', kind: 'yesno', required: true },
        { name: 'note', label: '说明', kind: 'textarea' },
      ],
    }),
  },
  renewal: {
    contact: action('/api/v1/renewals/{id}/contact', {
      title: '联系客户',
      submit: '记录联系',
      fields: [
        {
          name: 'channel',
          label: '方式',
          kind: 'select',
          required: true,
          options: options(CHANNEL_ZH, ['phone', 'sms', 'email']),
        },
        {
          name: 'outcome',
          label: '结果',
          kind: 'select',
          required: true,
          options: [
            { value: 'reached', label: '已联系上' },
            { value: 'no_answer', label: '未接通' },
            { value: 'interested', label: '有意续保' },
            { value: 'declined', label: '拒绝续保' },
            { value: 'callback', label: '约定回电' },
          ],
        },
        { name: 'note', label: '说明', kind: 'textarea' },
      ],
    }),
    renewed: action('/api/v1/renewals/{id}/renewed', {
      title: '已续保',
      submit: '登记续保',
      fields: [
        { name: 'newPolicyNo', label: '新保单号', kind: 'text', required: true },
        { name: 'premium', label: '保费（元）', kind: 'money', required: true },
      ],
    }),
    'opt-out': action('/api/v1/renewals/{id}/opt-out', {
      title: '客户退订提醒',
      submit: '加入勿扰名单',
      danger: true,
      fields: [{ name: 'reason', label: '原因', kind: 'textarea' }],
    }),
    purchase: action('/api/v1/renewals/{id}/purchase', {
      title: '转投保（续保）',
      submit: '按原保单新建投保',
      fields: [{ name: 'needs', label: '客户需求', kind: 'textarea' }],
    }),
  },
  purchase: {
    quote: action('/api/v1/purchases/{id}/quote', {
      title: '制定投保方案',
      submit: '发送报价',
      fields: [
        { name: 'coverages', label: '险别', kind: 'coverages', required: true, options: options(COVERAGE_CODE_ZH) },
        { name: 'validUntil', label: '报价有效期至（可缩短）', kind: 'datetime' },
      ],
    }),
    application: action('/api/v1/purchases/{id}/application', {
      title: '填写投保单',
      submit: '提交审核',
      fields: [
        { name: 'holder.name', label: APPLICATION_FIELD_ZH['holder.name']!, kind: 'text', required: true },
        { name: 'holder.phone', label: APPLICATION_FIELD_ZH['holder.phone']!, kind: 'text', required: true },
        { name: 'holder.idNumber', label: APPLICATION_FIELD_ZH['holder.idNumber']!, kind: 'text', required: true },
        { name: 'holder.email', label: APPLICATION_FIELD_ZH['holder.email']!, kind: 'text' },
        { name: 'vehicle.plate', label: APPLICATION_FIELD_ZH['vehicle.plate']!, kind: 'text', required: true },
        { name: 'vehicle.vin', label: APPLICATION_FIELD_ZH['vehicle.vin']!, kind: 'text', required: true },
        { name: 'vehicle.engineNo', label: APPLICATION_FIELD_ZH['vehicle.engineNo']!, kind: 'text' },
        { name: 'startsAt', label: APPLICATION_FIELD_ZH.startsAt!, kind: 'datetime', required: true },
      ],
    }),
    review: action('/api/v1/purchases/{id}/review', {
      title: '审核投保单（不得由录入人审核）',
      submit: '提交审核结果',
      fields: [
        { name: 'approved', label: '审核通过', kind: 'yesno', required: true },
        { name: 'problems.0.field', label: '需更正项目', kind: 'select', options: options(APPLICATION_FIELD_ZH) },
        { name: 'problems.0.message', label: '更正说明', kind: 'textarea' },
        { name: 'problems.1.field', label: '需更正项目（二）', kind: 'select', options: options(APPLICATION_FIELD_ZH) },
        { name: 'problems.1.message', label: '更正说明（二）', kind: 'textarea' },
        { name: 'problems.2.field', label: '需更正项目（三）', kind: 'select', options: options(APPLICATION_FIELD_ZH) },
        { name: 'problems.2.message', label: '更正说明（三）', kind: 'textarea' },
      ],
    }),
    correction: action('/api/v1/purchases/{id}/correction', {
      title: '补正投保单（只填需更正的项目）',
      submit: '重新提交审核',
      fields: [
        { name: 'holder.name', label: APPLICATION_FIELD_ZH['holder.name']!, kind: 'text' },
        { name: 'holder.phone', label: APPLICATION_FIELD_ZH['holder.phone']!, kind: 'text' },
        { name: 'holder.idNumber', label: APPLICATION_FIELD_ZH['holder.idNumber']!, kind: 'text' },
        { name: 'vehicle.plate', label: APPLICATION_FIELD_ZH['vehicle.plate']!, kind: 'text' },
        { name: 'vehicle.vin', label: APPLICATION_FIELD_ZH['vehicle.vin']!, kind: 'text' },
        { name: 'vehicle.engineNo', label: APPLICATION_FIELD_ZH['vehicle.engineNo']!, kind: 'text' },
        { name: 'startsAt', label: APPLICATION_FIELD_ZH.startsAt!, kind: 'datetime' },
      ],
    }),
    payment: action('/api/v1/purchases/{id}/payment', {
      title: '收取保费',
      submit: '登记缴费',
      fields: [
        { name: 'amount', label: '金额（元，须等于报价合计）', kind: 'money', required: true },
        { name: 'method', label: '支付方式', kind: 'select', required: true, options: options(PAYMENT_METHOD_ZH) },
        { name: 'reference', label: '交易凭证号', kind: 'text', required: true },
        { name: 'invoiceNo', label: '发票号', kind: 'text' },
      ],
    }),
    issue: action('/api/v1/purchases/{id}/issue', {
      title: '出具保单',
      submit: '出单并发送投保确认',
      fields: [
        { name: 'policyNo', label: '保单号', kind: 'text', required: true },
        { name: 'compulsoryPolicyNo', label: '交强险保单号（同时投保交强险时）', kind: 'text' },
        { name: 'effectiveAt', label: '生效时间', kind: 'datetime', required: true },
        { name: 'delivery', label: '保单交付方式', kind: 'select', required: true, options: options(DELIVERY_ZH) },
      ],
    }),
    abandon: action('/api/v1/purchases/{id}/abandon', {
      title: '客户放弃投保',
      submit: '登记放弃',
      danger: true,
      fields: [{ name: 'reason', label: '原因', kind: 'textarea', required: true }],
    }),
  },
};

/** The form for an allowed action, or undefined for those the case page offers otherwise (reveal). */
export function actionSpec(type: CaseType, name: ActionName): ActionSpec | undefined {
  return BY_TYPE[type][name] ?? SHARED[name];
}
