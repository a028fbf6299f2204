/**
 * The retention sweep and its Schedule against the dev server and PostgreSQL: closed cases past
 * retention (保险法 第八十七条) lose their personal data, each with an audit row; a case a day short
 * of it, an open case and a case of a longer contract keep theirs; a second run anonymises nothing;
 * the `personal-data-retention` Schedule is created once for 03:30 Asia/Shanghai.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertInsurancePolicies } from '../../db/repositories/insurance-policies';
import { shanghaiDate, shanghaiMinuteOfDay } from '../../domain/civil-time';
import { ensureRetentionSchedule } from '../../services/retention-schedule';
import { TASK_QUEUE } from '../../workflows/shared/contract';
import { personalDataRetentionWorkflow } from '../../workflows/retention/sweep';
import { uniqueTeam } from '../support/auth';
import { startApiHarness, type ApiHarness } from '../support/harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(async () => {
  await h?.close();
});

const uid = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
const sh = (wall: string) => new Date(`${wall}+08:00`);

async function seedClosedCase(team: string, closedAt: Date | null, policyNo: string | null): Promise<string> {
  const id = `CL${randomUUID().replaceAll('-', '').slice(0, 14).toUpperCase()}`;
  const db = h.database.db;
  await db
    .insertInto('cases')
    .values({
      id,
      type: 'claim',
      status: closedAt ? 'paid' : 'under_review',
      team,
      assignee: null,
      escalation_level: 0,
      policy_no: policyNo,
      next_due_at: null,
      sla_breached: false,
      data: sql`'{}'::jsonb`,
      version: 3,
      created_at: new Date('2010-01-01T00:00:00Z'),
      updated_at: closedAt ?? new Date('2010-01-01T00:00:00Z'),
      closed_at: closedAt,
    })
    .execute();
  await db
    .insertInto('case_personal_data')
    .values({
      case_id: id,
      data: sql`${JSON.stringify({ reporter: { name: '慕容复', phone: '13700007777' }, vehicle: { plate: '粤B3R771' } })}::jsonb`,
    })
    .execute();
  await db
    .insertInto('timeline_events')
    .values({
      case_id: id,
      event_key: `${id}:1`,
      at: new Date('2010-01-02T00:00:00Z'),
      actor: 'agent-x',
      kind: 'note.added',
      detail: sql`${JSON.stringify({ text: '保留期测试 RETENTION-NOTE-MARK' })}::jsonb`,
    })
    .execute();
  return id;
}

async function hasPersonalData(caseId: string): Promise<boolean> {
  const rows = await h.database.db
    .selectFrom('case_personal_data')
    .select('case_id')
    .where('case_id', '=', caseId)
    .execute();
  return rows.length > 0;
}

function sweep(asOf: Date, teams: string[], pageSize?: number) {
  return h.env.client.workflow.execute(personalDataRetentionWorkflow, {
    taskQueue: TASK_QUEUE,
    workflowId: uid('retention-test'),
    args: [{ asOf: asOf.toISOString(), teams, ...(pageSize ? { pageSize } : {}) }],
  });
}

describe('retention sweep', () => {
  it('anonymises closed cases past retention, keeps those within it, and a second run changes nothing', async () => {
    const team = uniqueTeam();
    const asOf = sh('2026-12-02T03:30:00');
    // A one-year policy that ended 2021-12-01 (Shanghai): kept through 2026-12-01, erasable from 12-02.
    const oneYear = uid('PRET1');
    const threeYears = uid('PRET3');
    await upsertInsurancePolicies(h.database.db, [
      {
        policyNo: oneYear,
        holder: { name: '慕容复', phone: '13700007777', email: null },
        plate: '粤B3R771',
        product: 'compulsory',
        startsAt: sh('2020-12-01T00:00:00').toISOString(),
        expiresAt: sh('2021-12-01T00:00:00').toISOString(),
        premium: 950,
        claimFreeYears: 0,
      },
      {
        policyNo: threeYears,
        holder: { name: '慕容复', phone: '13700007777', email: null },
        plate: '粤B3R771',
        product: 'commercial',
        startsAt: sh('2018-12-01T00:00:00').toISOString(),
        expiresAt: sh('2021-12-01T00:00:00').toISOString(),
        premium: 3000,
        claimFreeYears: 0,
      },
    ]);
    const expired = await seedClosedCase(team, sh('2021-06-01T10:00:00'), oneYear);
    // Closed a day later than the contract's end: its period began a day later, one day still to go.
    const dayShort = await seedClosedCase(team, sh('2021-12-02T10:00:00'), oneYear);
    const longContract = await seedClosedCase(team, sh('2021-06-01T10:00:00'), threeYears);
    const noContract = await seedClosedCase(team, sh('2021-12-01T23:59:00'), null);
    const open = await seedClosedCase(team, null, null);
    const otherTeam = await seedClosedCase(uniqueTeam(), sh('2012-01-01T00:00:00'), null);

    const first = await sweep(asOf, [team], 2);
    expect(first).toEqual({ asOf: asOf.toISOString(), checked: 4, anonymised: 2 });
    expect(await hasPersonalData(expired)).toBe(false);
    expect(await hasPersonalData(noContract)).toBe(false);
    expect(await hasPersonalData(dayShort)).toBe(true);
    expect(await hasPersonalData(longContract)).toBe(true);
    expect(await hasPersonalData(open)).toBe(true);
    expect(await hasPersonalData(otherTeam)).toBe(true);

    const note = await h.database.db
      .selectFrom('timeline_events')
      .select('detail')
      .where('case_id', '=', expired)
      .execute();
    expect(note.map((n) => n.detail)).toEqual([{ text: '[已删除]' }]);
    const audit = await h.database.db
      .selectFrom('audit_log')
      .select(['actor', 'action', 'target', 'detail'])
      .where('target', 'in', [expired, noContract])
      .execute();
    expect(audit).toHaveLength(2);
    expect(audit.find((a) => a.target === expired)).toMatchObject({
      actor: 'system:retention',
      action: 'personal_data.anonymise',
      detail: expect.objectContaining({
        retention: { ground: 'contract_up_to_one_year', retainedUntil: '2026-12-01' },
        basis: '保险法 第八十七条',
      }),
    });

    // The next day the day-short case is due; the longer contract's ten years are not.
    expect(await sweep(sh('2026-12-03T03:30:00'), [team])).toMatchObject({ checked: 2, anonymised: 1 });
    expect(await hasPersonalData(dayShort)).toBe(false);
    expect(await hasPersonalData(longContract)).toBe(true);
    expect(await sweep(sh('2026-12-03T03:30:00'), [team])).toMatchObject({ checked: 1, anonymised: 0 });
  });
});

describe('personal-data-retention schedule', () => {
  it('is created for 03:30 Asia/Shanghai every day, and a second call changes nothing', async () => {
    const scheduleId = uid('personal-data-retention-test');
    const client = h.env.client;
    try {
      expect(await ensureRetentionSchedule(client, { scheduleId })).toBe('created');
      const before = await client.schedule.getHandle(scheduleId).describe();
      expect(await ensureRetentionSchedule(client, { scheduleId })).toBe('unchanged');
      const after = await client.schedule.getHandle(scheduleId).describe();
      expect(after.info.lastUpdatedAt).toEqual(before.info.lastUpdatedAt);
      expect(after.action).toMatchObject({ type: 'startWorkflow', workflowType: 'personalDataRetentionWorkflow' });
      const [next, nextButOne] = after.info.nextActionTimes;
      expect(shanghaiMinuteOfDay(next!)).toBe(3 * 60 + 30);
      expect(shanghaiDate(nextButOne!)).not.toBe(shanghaiDate(next!));
    } finally {
      await client.schedule
        .getHandle(scheduleId)
        .delete()
        .catch(() => undefined);
    }
  });
});
