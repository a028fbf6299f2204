/**
 * Satisfaction surveys on real PostgreSQL: one row per case, writes idempotent and never backwards
 * (the first answer stands), and the satisfaction KPI counts scores of 4–5 over surveys answered.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createSurveyActivities } from '../../activities/survey-activities';
import { ensureDatabaseExists, openDatabase } from '../../db/connection';
import { migrateToLatest } from '../../db/migrate';
import {
  getSurvey,
  recordSurveyAnswer,
  recordSurveySent,
  recordSurveyUnanswered,
  satisfactionFigure,
} from '../../db/repositories/surveys';
import type { Database } from '../../db/schema';
import type { SurveyEvent, SurveySent } from '../../domain/survey';

const DATABASE_URL = inject('databaseUrl');
let db: Kysely<Database>;
let database: Awaited<ReturnType<typeof openDatabase>> | undefined;

beforeAll(async () => {
  await ensureDatabaseExists(DATABASE_URL);
  database = await openDatabase({ databaseUrl: DATABASE_URL, dataDir: '/tmp' });
  db = database.db;
  await migrateToLatest(db);
});
afterAll(async () => database?.close());

function survey(over: Partial<SurveySent> = {}): SurveySent {
  return {
    caseId: `S${randomUUID().slice(0, 8)}`,
    caseType: 'complaint',
    team: 'east',
    agent: 'agent-zhao',
    channel: 'phone',
    sentVia: 'sms',
    sentAt: '2026-11-25T02:00:00.000Z',
    ...over,
  };
}

describe('satisfaction surveys repository', () => {
  it('records a survey once per case, however often it is sent', async () => {
    const s = survey();
    expect(await recordSurveySent(db, s)).toBe(true);
    expect(await recordSurveySent(db, { ...s, sentAt: '2026-11-26T02:00:00.000Z' })).toBe(false);
    expect(await getSurvey(db, s.caseId)).toMatchObject({ ...s, status: 'sent', score: null, answeredAt: null });
  });

  it('the first answer stands: a retry with the same score is fine, a different one is a conflict', async () => {
    const s = survey();
    await recordSurveySent(db, s);
    const answeredAt = '2026-11-26T03:00:00.000Z';
    expect(await recordSurveyAnswer(db, { caseId: s.caseId, score: 5, comment: '满意', answeredAt })).toBe('recorded');
    expect(await recordSurveyAnswer(db, { caseId: s.caseId, score: 5, comment: '满意', answeredAt })).toBe('recorded');
    expect(await recordSurveyAnswer(db, { caseId: s.caseId, score: 1, comment: null, answeredAt })).toBe('conflict');
    expect(await recordSurveyUnanswered(db, s.caseId, answeredAt)).toBe(false);
    expect(await getSurvey(db, s.caseId)).toMatchObject({
      status: 'answered',
      score: 5,
      comment: '满意',
      answeredAt: new Date(answeredAt),
    });
    expect(await recordSurveyAnswer(db, { caseId: 'no-such-case', score: 5, comment: null, answeredAt })).toBe(
      'unknown',
    );
  });

  it('an unanswered survey takes no late answer', async () => {
    const s = survey();
    await recordSurveySent(db, s);
    expect(await recordSurveyUnanswered(db, s.caseId, '2026-11-30T16:00:00.000Z')).toBe(true);
    expect(
      await recordSurveyAnswer(db, {
        caseId: s.caseId,
        score: 4,
        comment: null,
        answeredAt: '2026-12-01T01:00:00.000Z',
      }),
    ).toBe('conflict');
    expect(await getSurvey(db, s.caseId)).toMatchObject({ status: 'unanswered', score: null });
  });

  it('the database refuses a score out of range or a score without an answer', async () => {
    const s = survey();
    await recordSurveySent(db, s);
    await expect(
      db
        .updateTable('satisfaction_surveys')
        .set({ status: 'answered', score: 6, answered_at: new Date() })
        .where('case_id', '=', s.caseId)
        .execute(),
    ).rejects.toThrow();
    await expect(
      db.updateTable('satisfaction_surveys').set({ score: 3 }).where('case_id', '=', s.caseId).execute(),
    ).rejects.toThrow();
  });

  it('satisfaction for a period and team: surveys scoring 4–5 over surveys answered in it', async () => {
    const team = `team-${randomUUID().slice(0, 6)}`;
    const inPeriod = '2026-11-10T02:00:00.000Z';
    const scores: [number, string][] = [
      [5, inPeriod],
      [4, inPeriod],
      [2, inPeriod],
      [5, '2026-12-02T02:00:00.000Z'],
    ];
    for (const [score, answeredAt] of scores) {
      const s = survey({ team, caseType: 'inquiry' });
      await recordSurveySent(db, s);
      await recordSurveyAnswer(db, { caseId: s.caseId, score, comment: null, answeredAt });
    }
    await recordSurveySent(db, survey({ team }));
    const figure = await satisfactionFigure(db, {
      from: new Date('2026-11-01T00:00:00+08:00'),
      to: new Date('2026-12-01T00:00:00+08:00'),
      team,
    });
    expect(figure).toEqual({ value: 2 / 3, numerator: 2, denominator: 3 });
    expect(
      await satisfactionFigure(db, {
        from: new Date('2026-11-01T00:00:00+08:00'),
        to: new Date('2026-12-01T00:00:00+08:00'),
        team,
        caseType: 'claim',
      }),
    ).toEqual({
      value: null,
      numerator: 0,
      denominator: 0,
    });
  });

  it('the recordSurvey activity writes sent, answered and unanswered idempotently, even if the sent write was lost', async () => {
    const activities = createSurveyActivities({ db });
    const recordSurvey = (event: SurveyEvent) => activities.recordSurvey(event);
    const s = survey({ caseType: 'claim', channel: null });
    await recordSurvey({
      kind: 'answered',
      survey: s,
      score: 3,
      comment: '一般',
      answeredAt: '2026-11-27T01:00:00.000Z',
    });
    await recordSurvey({
      kind: 'answered',
      survey: s,
      score: 3,
      comment: '一般',
      answeredAt: '2026-11-27T01:00:00.000Z',
    });
    await recordSurvey({ kind: 'sent', survey: s });
    expect(await getSurvey(db, s.caseId)).toMatchObject({
      caseType: 'claim',
      channel: null,
      status: 'answered',
      score: 3,
    });
    const u = survey();
    await recordSurvey({ kind: 'sent', survey: u });
    await recordSurvey({ kind: 'unanswered', survey: u, at: '2026-11-30T16:00:00.000Z' });
    await recordSurvey({ kind: 'unanswered', survey: u, at: '2026-11-30T16:00:00.000Z' });
    expect(await getSurvey(db, u.caseId)).toMatchObject({ status: 'unanswered' });
    await expect(
      recordSurvey({
        kind: 'answered',
        survey: survey(),
        score: 9,
        comment: null,
        answeredAt: '2026-11-27T01:00:00.000Z',
      }),
    ).rejects.toMatchObject({ type: 'InvalidSurveyAnswer' });
  });

  it('the migration created the table with its KPI indexes', async () => {
    const { rows } = await sql<{
      indexname: string;
    }>`select indexname from pg_indexes where tablename = 'satisfaction_surveys' order by indexname`.execute(db);
    expect(rows.map((r) => r.indexname)).toEqual(
      expect.arrayContaining([
        'satisfaction_surveys_agent_answered_at_idx',
        'satisfaction_surveys_answered_at_idx',
        'satisfaction_surveys_pkey',
        'satisfaction_surveys_team_answered_at_idx',
      ]),
    );
  });
});
