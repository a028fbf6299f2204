/**
 * Times in Asia/Shanghai (`2026-12-03 17:30`), money as `¥5,200.00`, and the time left on a clock
 * (`剩余 2天3小时`). Shanghai keeps UTC+8 all year, so a fixed offset is exact.
 */
const SHANGHAI_OFFSET_MS = 8 * 3600_000;

export function shanghaiTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** `2026-12-03` in Shanghai, for date inputs and report periods. */
export function shanghaiDate(at: Date = new Date()): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

const yuan = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
export function money(amount: number | null | undefined): string {
  return amount == null ? '—' : `¥${yuan.format(amount)}`;
}

/** `2天3小时`, `12分`, `40秒`: the two largest units of a span. */
export function span(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(total / 86400);
  const h = Math.floor((total % 86400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (d > 0) return h > 0 ? `${d}天${h}小时` : `${d}天`;
  if (h > 0) return m > 0 ? `${h}小时${m}分` : `${h}小时`;
  if (m > 0) return `${m}分`;
  return `${s}秒`;
}

export function percent(value: number | null | undefined): string {
  return value == null ? '—' : `${(value * 100).toFixed(1)}%`;
}
