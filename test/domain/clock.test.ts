import { describe, expect, it } from 'vitest';
import {
  type Clock,
  ClockRuleError,
  clocksDueBy,
  clockTouchesDays,
  endClock,
  ESCALATION_LADDER,
  escalationLevelAfter,
  extendClock,
  isClockOpen,
  movePausedClock,
  nextClockEventAt,
  nextStepAt,
  pauseClock,
  resumeClock,
  resumeClockByWallTime,
} from '../../domain/clock';

const base: Clock = {
  id: 'inquiry.answer#1',
  policy: 'inquiry.answer',
  kind: 'internal',
  startedAt: '2026-11-25T02:00:00.000Z',
  warnAt: '2026-11-25T10:00:00.000Z',
  dueAt: '2026-11-25T16:00:00.000Z',
  state: 'pending',
  provisional: false,
  escalations: 0,
};

describe('clock rules', () => {
  it('a statutory clock never pauses', () => {
    expect(() => pauseClock({ ...base, kind: 'statutory' }, '2026-11-25T03:00:00.000Z')).toThrow(ClockRuleError);
  });

  it('a resumed clock runs again from the state it paused in, moved by the working time it was paused', () => {
    const paused = pauseClock({ ...base, state: 'warned' }, '2026-11-25T11:00:00.000Z');
    expect(paused.state).toBe('paused');
    const resumed = resumeClock(paused);
    expect(resumed.state).toBe('warned');
    expect(resumed.pausedAt).toBeUndefined();
    const moved = movePausedClock(resumed, {
      dueAt: '2026-11-26T02:30:00.000Z',
      warnAt: '2026-11-25T13:30:00.000Z',
      pausedMs: 1800_000,
      provisional: false,
    });
    expect(moved).toMatchObject({ state: 'warned', pausedMs: 1800_000, dueAt: '2026-11-26T02:30:00.000Z' });
    const again = movePausedClock(resumeClock(pauseClock(moved, '2026-11-26T01:00:00.000Z')), {
      dueAt: moved.dueAt,
      warnAt: moved.warnAt,
      pausedMs: 600_000,
      provisional: true,
    });
    expect(again).toMatchObject({ pausedMs: 2400_000, provisional: true });
  });

  it('cases recorded before the working-time rule resumed by wall-clock time', () => {
    const resumed = resumeClockByWallTime(pauseClock(base, '2026-11-25T11:00:00.000Z'), '2026-11-25T14:30:00.000Z');
    expect(resumed).toMatchObject({ state: 'pending', pausedMs: 3.5 * 3600_000, dueAt: '2026-11-25T19:30:00.000Z' });
  });

  it('an extension whose new instants lie ahead returns a warned clock to pending, keeping its escalations', () => {
    const extended = extendClock(
      { ...base, state: 'breached', escalations: 1 },
      '2026-12-10T16:00:00.000Z',
      '2026-12-07T16:00:00.000Z',
      '2026-11-26T00:00:00.000Z',
    );
    expect(extended).toMatchObject({ state: 'pending', escalations: 1, dueAt: '2026-12-10T16:00:00.000Z' });
  });

  it('an ended clock cannot be extended, and a breached clock met late stays breached', () => {
    const met = endClock(base, '2026-11-25T05:00:00.000Z', 'met');
    expect(met.state).toBe('met');
    expect(() => extendClock(met, base.dueAt, base.warnAt, base.startedAt)).toThrow(ClockRuleError);
    expect(endClock({ ...base, state: 'breached' }, '2026-11-26T00:00:00.000Z', 'met').state).toBe('breached');
  });

  it('a breach is never erased: a breached clock that is cancelled or met late stays breached, its end recorded', () => {
    const breached: Clock = { ...base, state: 'breached', escalations: 1 };
    const cancelled = endClock(breached, '2026-11-26T01:00:00.000Z', 'cancelled');
    expect(cancelled).toMatchObject({ state: 'breached', endedAt: '2026-11-26T01:00:00.000Z', endedAs: 'cancelled' });
    expect(isClockOpen(cancelled)).toBe(false);
    const metLate = endClock(breached, '2026-11-26T02:00:00.000Z', 'met');
    expect(metLate).toMatchObject({ state: 'breached', endedAs: 'met' });
    expect(isClockOpen(metLate)).toBe(false);
    // Ending it again changes nothing: the first end is the fact.
    expect(endClock(cancelled, '2026-11-27T00:00:00.000Z', 'met')).toBe(cancelled);
  });

  it('a clock ended before it breached ends as met or cancelled', () => {
    expect(endClock(base, '2026-11-25T05:00:00.000Z', 'cancelled')).toMatchObject({
      state: 'cancelled',
      endedAs: 'cancelled',
    });
    expect(endClock({ ...base, state: 'warned' }, '2026-11-25T05:00:00.000Z', 'met').state).toBe('met');
  });

  it('a clock touches the civil days from its start day to its due instant (Asia/Shanghai), a paused one every later day', () => {
    // base runs 2026-11-25 10:00 to 2026-11-26 00:00 Shanghai: the 25th only.
    expect(clockTouchesDays(base, ['2026-11-25'])).toBe(true);
    expect(clockTouchesDays(base, ['2026-11-24', '2026-11-26'])).toBe(false);
    const statutory = { ...base, dueAt: '2026-12-31T16:00:00.000Z' };
    expect(clockTouchesDays(statutory, ['2026-12-31'])).toBe(true);
    expect(clockTouchesDays(statutory, ['2027-01-01'])).toBe(false);
    expect(clockTouchesDays(pauseClock(base, '2026-11-25T05:00:00.000Z'), ['2026-12-31'])).toBe(true);
  });
});

describe('the escalation ladder', () => {
  const at = (iso: string) => Date.parse(iso);

  it('a watcher warns at warnAt, breaches at dueAt, and escalates once more a full span after the breach', () => {
    expect(nextStepAt(base)).toBe(at(base.warnAt));
    expect(nextStepAt({ ...base, state: 'warned' })).toBe(at(base.dueAt));
    // 14 h span (02:00 → 16:00): the manager hears of it 14 h after the breach.
    expect(nextStepAt({ ...base, state: 'breached', escalations: 1 })).toBe(at('2026-11-26T06:00:00.000Z'));
    expect(nextStepAt({ ...base, state: 'breached', escalations: 2 })).toBeNull();
  });

  it('an ended or paused clock has no next step', () => {
    for (const state of ['met', 'cancelled', 'paused'] as const) expect(nextStepAt({ ...base, state })).toBeNull();
  });

  it('the breach goes to the team supervisor, the escalation after it to the manager', () => {
    expect(ESCALATION_LADDER[escalationLevelAfter(1)]).toEqual({ role: 'supervisor', template: 'clock.breached' });
    expect(ESCALATION_LADDER[escalationLevelAfter(2)]).toEqual({ role: 'manager', template: 'clock.escalated' });
  });
});

describe("the case's next clock event (one timer per case)", () => {
  const at = (iso: string) => Date.parse(iso);
  // Warns 10:00, due 16:00 (14 h span from 02:00); the other warns 08:00, due 12:00.
  const soon: Clock = {
    ...base,
    id: 'inquiry.consultation#1',
    policy: 'inquiry.consultation',
    warnAt: '2026-11-25T08:00:00.000Z',
    dueAt: '2026-11-25T12:00:00.000Z',
  };

  it('is the earliest step of any running clock: a warning, a due instant or an escalation', () => {
    expect(nextClockEventAt([base, soon])).toBe(at(soon.warnAt));
    expect(nextClockEventAt([base, { ...soon, state: 'warned' }])).toBe(at(base.warnAt));
    expect(
      nextClockEventAt([
        { ...base, state: 'warned' },
        { ...soon, state: 'warned' },
      ]),
    ).toBe(at(soon.dueAt));
    // soon breached at 12:00 escalates 10 h later (22:00); base is due at 16:00 first.
    const breached = { ...soon, state: 'breached' as const, escalations: 1 };
    expect(nextClockEventAt([{ ...base, state: 'warned' }, breached])).toBe(at(base.dueAt));
    expect(nextClockEventAt([breached])).toBe(at('2026-11-25T22:00:00.000Z'));
  });

  it('counts no ended, paused, fully escalated or skipped clock, and is null when none runs', () => {
    expect(nextClockEventAt([])).toBeNull();
    const ended = endClock({ ...soon, state: 'breached', escalations: 1 }, '2026-11-25T13:00:00.000Z', 'met');
    expect(nextClockEventAt([ended, pauseClock(base, '2026-11-25T03:00:00.000Z')])).toBeNull();
    expect(nextClockEventAt([{ ...soon, state: 'breached', escalations: 2 }])).toBeNull();
    expect(nextClockEventAt([base, soon], (c) => c.id === soon.id)).toBe(at(base.warnAt));
    expect(nextClockEventAt([{ ...soon, state: 'met' }, base])).toBe(at(base.warnAt));
  });

  it("a wake-up acts on every clock whose step has come, in the case's order, and on no other", () => {
    expect(clocksDueBy([base, soon], at(soon.warnAt) - 1)).toEqual([]);
    expect(clocksDueBy([base, soon], at(soon.warnAt)).map((c) => c.id)).toEqual([soon.id]);
    expect(clocksDueBy([base, soon], at(base.warnAt)).map((c) => c.id)).toEqual([base.id, soon.id]);
    expect(clocksDueBy([base, soon], at(base.warnAt), (c) => c.id === base.id).map((c) => c.id)).toEqual([soon.id]);
    expect(clocksDueBy([pauseClock(base, '2026-11-25T03:00:00.000Z')], at(base.dueAt))).toEqual([]);
  });
});
