/** What a case is, per type: the fields staff read, personal data as the API masked it. */
import { Descriptions, Tag } from 'antd';
import type { DescriptionsProps } from 'antd';
import type { CaseView } from '../api/client';
import {
  APPLICATION_FIELD_ZH,
  CHANNEL_ZH,
  COVERAGE_CODE_ZH,
  COVERAGE_ZH,
  DELIVERY_ZH,
  DOCUMENT_ZH,
  PURCHASE_PRODUCT_ZH,
  RESOLUTION_ZH,
  label,
} from '../app/glossary';
import { money, shanghaiTime } from '../app/format';
import { TONE, type Tone } from '../app/tones';

type Items = NonNullable<DescriptionsProps['items']>;

const docs = (list: readonly string[], color?: Tone) =>
  list.length === 0
    ? '—'
    : list.map((d) => (
        <Tag key={d} color={color ? TONE[color] : undefined}>
          {label(DOCUMENT_ZH, d)}
        </Tag>
      ));

function itemsOf(view: CaseView): Items {
  switch (view.type) {
    case 'claim':
      return [
        { key: 'policyNo', label: '保单号', children: view.policyNo },
        { key: 'coverage', label: '险种', children: label(COVERAGE_ZH, view.coverage) },
        {
          key: 'reporter',
          label: '报案人',
          children: view.reporter ? `${view.reporter.name} ${view.reporter.phone}` : '—',
        },
        { key: 'plate', label: '车牌', children: view.vehicle?.plate ?? '—' },
        { key: 'occurredAt', label: '出险时间', children: shanghaiTime(view.accident?.occurredAt) },
        { key: 'location', label: '出险地点', children: view.accident?.location ?? '—' },
        { key: 'description', label: '事故经过', span: 2, children: view.accident?.description ?? '—' },
        { key: 'missing', label: '待补资料', span: 2, children: docs(view.missingDocuments, 'orange') },
        { key: 'received', label: '已收资料', span: 2, children: docs(view.receivedDocuments, 'green') },
        { key: 'assessed', label: '定损金额', children: money(view.assessedAmount) },
        {
          key: 'decision',
          label: '核定',
          children: view.decision
            ? view.decision.outcome === 'approve'
              ? `已核准 ${money(view.decision.amount)}`
              : `拒赔：${view.decision.reason ?? ''}`
            : '—',
        },
        {
          key: 'payment',
          label: '赔付',
          children: view.payment ? `${money(view.payment.amount)}（${view.payment.reference}）` : '—',
        },
      ];
    case 'complaint': {
      const last = view.proposals.at(-1);
      return [
        {
          key: 'customer',
          label: '投诉人',
          children: view.customer ? `${view.customer.name} ${view.customer.phone}` : '—',
        },
        { key: 'channel', label: '渠道', children: label(CHANNEL_ZH, view.channel) },
        { key: 'category', label: '类别', children: view.category },
        { key: 'policyNo', label: '保单号', children: view.policyNo ?? '—' },
        { key: 'description', label: '投诉内容', span: 2, children: view.description ?? '—' },
        { key: 'decisionDueAt', label: '处理决定期限', children: shanghaiTime(view.decisionDueAt) },
        { key: 'extensions', label: '延期', children: view.extensions.length ? `${view.extensions.length} 次` : '—' },
        {
          key: 'proposal',
          label: '处理方案',
          span: 2,
          children: last ? `${label(RESOLUTION_ZH, last.resolution)}：${last.detail}` : '—',
        },
      ];
    }
    case 'inquiry':
      return [
        {
          key: 'customer',
          label: '咨询人',
          children: view.customer ? `${view.customer.name} ${view.customer.phone}` : '—',
        },
        { key: 'channel', label: '渠道', children: label(CHANNEL_ZH, view.channel) },
        { key: 'topic', label: '主题', children: view.topic },
        { key: 'promisedBy', label: '承诺答复时间', children: shanghaiTime(view.promisedBy) },
        { key: 'question', label: '问题', span: 2, children: view.question ?? '—' },
        { key: 'answer', label: '答复', span: 2, children: view.answer?.text ?? '—' },
        {
          key: 'consultations',
          label: '部门咨询',
          span: 2,
          children: view.consultations.length
            ? view.consultations.map((c) => (
                <div key={c.id}>
                  {c.id} · {c.department} · {c.state}
                  {c.reply ? `：${c.reply}` : ''}
                </div>
              ))
            : '—',
        },
      ];
    case 'renewal':
      return [
        { key: 'policyNo', label: '保单号', children: view.policyNo },
        { key: 'product', label: '险种', children: label(COVERAGE_ZH, view.product) },
        { key: 'holder', label: '投保人', children: view.holder ? `${view.holder.name} ${view.holder.phone}` : '—' },
        { key: 'plate', label: '车牌', children: view.vehicle?.plate ?? '—' },
        { key: 'expiresAt', label: '到期时间', children: shanghaiTime(view.expiresAt) },
        { key: 'offer', label: '续保报价', children: view.offer ? money(view.offer.premium) : '—' },
        { key: 'dnc', label: '勿扰名单', children: view.doNotContact ? '是' : '否' },
      ];
    case 'purchase':
      return [
        {
          key: 'customer',
          label: '客户',
          children: view.customer ? `${view.customer.name} ${view.customer.phone}` : '—',
        },
        { key: 'product', label: '险种', children: label(PURCHASE_PRODUCT_ZH, view.product) },
        { key: 'plate', label: '车牌', children: view.vehicle?.plate ?? '—' },
        { key: 'renewalOf', label: '续保自', children: view.renewalOf ? view.renewalOf.policyNo : '—' },
        { key: 'needs', label: '客户需求', span: 2, children: view.needs ?? '—' },
        {
          key: 'quote',
          label: '投保方案',
          span: 2,
          children: view.quote
            ? `${view.quote.coverages.map((c) => `${label(COVERAGE_CODE_ZH, c.code)} ${money(c.premium)}`).join('，')}；合计 ${money(view.quote.total)}，有效期至 ${shanghaiTime(view.quote.validUntil)}`
            : '—',
        },
        {
          key: 'holder',
          label: '投保人',
          children: view.application?.holder ? `${view.application.holder.name} ${view.application.holder.phone}` : '—',
        },
        { key: 'vin', label: '车架号', children: view.application?.vehicle?.vin ?? '—' },
        {
          key: 'problems',
          label: '待更正',
          span: 2,
          children: view.reviewProblems.length
            ? view.reviewProblems.map((p) => `${label(APPLICATION_FIELD_ZH, p.field)}：${p.message}`).join('；')
            : '—',
        },
        {
          key: 'payment',
          label: '保费',
          children: view.payment ? `${money(view.payment.amount)}（${view.payment.reference}）` : '—',
        },
        {
          key: 'issuance',
          label: '保单',
          children: view.issuance
            ? `${view.issuance.policies.map((p) => p.policyNo).join('、')} · ${shanghaiTime(view.issuance.effectiveAt)} 生效 · ${label(DELIVERY_ZH, view.issuance.delivery)}`
            : '—',
        },
      ];
  }
}

export function CaseFacts({ view }: { view: CaseView }) {
  return <Descriptions bordered size="small" column={2} items={itemsOf(view)} />;
}
