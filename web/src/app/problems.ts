/**
 * problem+json in Chinese: a message for the status, and each field error against its field. The
 * API speaks English (its messages are for developers); staff read these.
 */
import type { FormInstance } from 'antd';
import { ApiProblem } from '../api/client';

const STATUS_ZH: Record<number, string> = {
  0: '无法连接服务器，请检查网络后重试。',
  400: '填写内容有误，请按提示修改。',
  401: '登录已失效，请重新登录。',
  403: '您的角色无权执行此操作。',
  404: '未找到该案件，或不在您的权限范围内。',
  409: '案件当前状态不允许此操作，页面已刷新为最新状态。',
  422: '请求无法处理，请检查内容后重试。',
  429: '操作过于频繁，请稍后再试。',
  503: '系统暂时不可用，请稍后重试。',
};

/** Known English messages of the API's validation, in Chinese; anything else keeps its original beside. */
const FIELD_MESSAGES: [RegExp, string][] = [
  [/required|expected .*, received undefined/i, '此项必填'],
  [/mainland mobile number/i, '请输入11位手机号码'],
  [/licence plate/i, '请输入正确的车牌号，如 粤B12345'],
  [/must not be in the future/i, '不能晚于当前时间'],
  [/letters, digits and - \(4–40\)/i, '请输入4–40位字母、数字或 -'],
  [/too small|at least|>=? ?1 char/i, '内容过短或为空'],
  [/too big|at most/i, '内容过长或数值过大'],
  [/multiple of 0\.01/i, '金额最多两位小数'],
  [/denial needs a reason/i, '拒赔必须填写理由'],
  [/invalid (enum|option)/i, '请选择列表中的选项'],
  [/unrecognized key/i, '包含不支持的字段'],
];

export function fieldMessageZh(message: string): string {
  for (const [pattern, zh] of FIELD_MESSAGES) if (pattern.test(message)) return zh;
  return `填写有误（${message}）`;
}

export function problemMessage(err: unknown): string {
  if (err instanceof ApiProblem) {
    const base = STATUS_ZH[err.status] ?? `操作失败（${err.status}）`;
    return err.status === 409 && err.detail ? `${base}（${err.detail}）` : base;
  }
  return '操作失败，请重试。';
}

/**
 * Puts each field error of a 400 against its form field (paths like `reporter.phone`); returns the
 * errors no field of the form could show, so the caller shows them in the form's alert.
 */
export function showFieldErrors(form: FormInstance, err: unknown): string[] {
  if (!(err instanceof ApiProblem)) return [];
  const rest: string[] = [];
  const known = new Set(form.getFieldsError().map((f) => f.name.join('.')));
  const fields = err.errors.flatMap((e) => {
    const path = e.path.replace(/^body\./, '');
    if (!known.has(path)) {
      rest.push(`${path}: ${fieldMessageZh(e.message)}`);
      return [];
    }
    return [{ name: path.split('.'), errors: [fieldMessageZh(e.message)] }];
  });
  form.setFields(fields);
  return rest;
}
