/**
 * A month's periodic training rounds (定期培训): every team whose last round is `everyMonths` or more
 * behind gets the next one, one record per active member. The round's template is the team's latest
 * periodic plan (HR's own, or the previous round), else the department's default. Run by the
 * `periodic-training` Schedule's workflow through an activity, and safe to run again: a round is keyed
 * by team and month, so a second run in the same month assigns nothing (assignTraining is idempotent).
 */
import type { Kysely } from 'kysely';
import { DEFAULT_PERIODIC_EVERY_MONTHS, DEFAULT_PERIODIC_PLAN, periodicRoundDue } from '../domain/training';
import { listStaff } from '../db/repositories/staff';
import { lastPeriodicRound, latestPeriodicPlan } from '../db/repositories/training';
import type { Database } from '../db/schema';
import { assignTraining, type TrainingAssignmentDeps } from './training-assignments';

export interface PeriodicRoundsResult {
  month: string;
  /** Teams given a round this run (plan ids by team). */
  assigned: { team: string; planId: string; people: number }[];
  /** Teams whose round is not due yet (or was already assigned this month). */
  notDue: string[];
}

/** The teams of the directory's active staff, each with its active members. */
async function activeTeams(db: Kysely<Database>): Promise<Map<string, string[]>> {
  const teams = new Map<string, string[]>();
  for (const member of await listStaff(db, { active: true })) {
    if (member.team === null) continue;
    teams.set(member.team, [...(teams.get(member.team) ?? []), member.id]);
  }
  return teams;
}

export async function assignPeriodicRounds(
  deps: TrainingAssignmentDeps,
  month: string,
  only?: readonly string[],
): Promise<PeriodicRoundsResult> {
  const result: PeriodicRoundsResult = { month, assigned: [], notDue: [] };
  const teams = [...(await activeTeams(deps.db))].filter(([team]) => only === undefined || only.includes(team));
  for (const [team, staffIds] of teams.sort(([a], [b]) => a.localeCompare(b))) {
    const template = await latestPeriodicPlan(deps.db, team);
    const everyMonths = template?.everyMonths ?? DEFAULT_PERIODIC_EVERY_MONTHS;
    if (!periodicRoundDue(await lastPeriodicRound(deps.db, team), month, everyMonths)) {
      result.notDue.push(team);
      continue;
    }
    const assignment = await assignTraining(deps, {
      kind: 'periodic',
      title: template?.title ?? DEFAULT_PERIODIC_PLAN.title,
      topics: template?.topics ?? [...DEFAULT_PERIODIC_PLAN.topics],
      passMark: template?.passMark ?? DEFAULT_PERIODIC_PLAN.passMark,
      ...(template?.durationDays ? { durationDays: template.durationDays } : {}),
      everyMonths,
      team,
      staffIds,
      reason: `定期培训 ${month}`,
      source: { periodicRound: { team, month } },
    });
    result.assigned.push({ team, planId: assignment.planId, people: staffIds.length });
  }
  return result;
}
