/**
 * A clock reads the same everywhere: `法定 · 核定时限 · 剩余 2天3小时` (green), `内部 · 首次联系 ·
 * 即将超时 12分` (amber), `已超时 1天` (red), `已完成` (grey), counting down live.
 */
import { Tag, Tooltip } from 'antd';
import type { Clock } from '../api/client';
import { CLOCK_KIND_ZH, CLOCK_POLICY_ZH, CLOCK_STATE_ZH, label } from '../app/glossary';
import { shanghaiTime, span } from '../app/format';
import { useNow } from '../app/now';
import { TONE } from '../app/tones';

const COLOR: Record<string, string> = {
  pending: TONE.green,
  warned: TONE.amber,
  breached: TONE.red,
  met: TONE.grey,
  cancelled: TONE.grey,
  paused: TONE.blue,
};

export function clockText(clock: Pick<Clock, 'state' | 'dueAt'>, now: number): string {
  const left = Date.parse(clock.dueAt) - now;
  switch (clock.state) {
    case 'pending':
      return `剩余 ${span(left)}`;
    case 'warned':
      return `即将超时 ${span(left)}`;
    case 'breached':
      return `已超时 ${span(-left)}`;
    default:
      return label(CLOCK_STATE_ZH, clock.state);
  }
}

export function ClockTag({ clock }: { clock: Clock }) {
  const now = useNow();
  const text = `${label(CLOCK_KIND_ZH, clock.kind)} · ${label(CLOCK_POLICY_ZH, clock.policy)} · ${clockText(clock, now)}`;
  return (
    <Tooltip title={`${clock.policy}，到期 ${shanghaiTime(clock.dueAt)}${clock.provisional ? '（暂定日历）' : ''}`}>
      <Tag color={COLOR[clock.state]} data-clock={clock.policy} data-state={clock.state} style={{ marginBottom: 4 }}>
        {text}
      </Tag>
    </Tooltip>
  );
}

/** The countdown to a list item's next deadline (the list carries only `nextDueAt`). */
export function DueCountdown({ dueAt }: { dueAt: string | null }) {
  const now = useNow();
  if (!dueAt) return <span>—</span>;
  const left = Date.parse(dueAt) - now;
  return (
    <Tooltip title={`到期 ${shanghaiTime(dueAt)}`}>
      <Tag color={left < 0 ? TONE.red : TONE.green}>{left < 0 ? `已超时 ${span(-left)}` : `剩余 ${span(left)}`}</Tag>
    </Tooltip>
  );
}
