/**
 * The small staff directory of the embedded mode (`npm start`): two teams with their agents and
 * supervisors, a manager, HR and an admin. Seeded idempotently: a person already in the directory is
 * left as they are (an admin's edits survive a restart), a missing one is added. The ids are the
 * ones the browser tests and the README use.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { signToken } from '../api/auth';
import type { StaffRecord } from '../db/repositories/staff';
import type { Database } from '../db/schema';

export interface SeededStaff extends StaffRecord {
  id: string;
  /** The environment variable `npm start` prints this person's token under, if it prints one. */
  tokenName?: string;
}

const hired = '2025-03-01';

export const SEEDED_DIRECTORY: readonly SeededStaff[] = [
  {
    id: 'sup-wang',
    name: '王磊',
    role: 'supervisor',
    team: 'east',
    supervisorId: 'mgr-zhao',
    hiredAt: hired,
    active: true,
    tokenName: 'SUPERVISOR',
  },
  {
    id: 'agent-li',
    name: '李娜',
    role: 'agent',
    team: 'east',
    supervisorId: 'sup-wang',
    hiredAt: hired,
    active: true,
    tokenName: 'AGENT',
  },
  {
    id: 'agent-sun',
    name: '孙浩',
    role: 'agent',
    team: 'east',
    supervisorId: 'sup-wang',
    hiredAt: hired,
    active: true,
  },
  {
    id: 'sup-qian',
    name: '钱芳',
    role: 'supervisor',
    team: 'renewals',
    supervisorId: 'mgr-zhao',
    hiredAt: hired,
    active: true,
    tokenName: 'RENEWALS_SUPERVISOR',
  },
  {
    id: 'agent-zhou',
    name: '周婷',
    role: 'agent',
    team: 'renewals',
    supervisorId: 'sup-qian',
    hiredAt: hired,
    active: true,
    tokenName: 'RENEWALS_AGENT',
  },
  {
    id: 'agent-wu',
    name: '吴强',
    role: 'agent',
    team: 'renewals',
    supervisorId: 'sup-qian',
    hiredAt: hired,
    active: true,
  },
  {
    id: 'mgr-zhao',
    name: '赵敏',
    role: 'manager',
    team: null,
    supervisorId: null,
    hiredAt: hired,
    active: true,
    tokenName: 'MANAGER',
  },
  {
    id: 'hr-liu',
    name: '刘洋',
    role: 'hr',
    team: null,
    supervisorId: null,
    hiredAt: hired,
    active: true,
    tokenName: 'HR',
  },
  {
    id: 'admin-chen',
    name: '陈刚',
    role: 'admin',
    team: null,
    supervisorId: null,
    hiredAt: hired,
    active: true,
    tokenName: 'ADMIN',
  },
];

/** Adds whoever of the seeded directory is missing; returns how many were added. */
export async function seedDirectory(db: Kysely<Database>): Promise<number> {
  const added = await db
    .insertInto('staff')
    .values(
      SEEDED_DIRECTORY.map((s) => ({
        id: s.id,
        name: s.name,
        role: s.role,
        team: s.team,
        supervisor_id: s.supervisorId,
        hired_at: s.hiredAt,
        active: s.active,
        updated_by: 'seed',
      })),
    )
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .execute();
  return added.length;
}

/** A directory member as a token carries them: team only for the roles scoped to one. */
export function principalOf(member: Pick<SeededStaff, 'id' | 'role' | 'team'>) {
  return member.team === null
    ? { sub: member.id, role: member.role }
    : { sub: member.id, role: member.role, team: member.team };
}

/** `NAME=<token>` lines, one per role (two for the teams' agents and supervisors), valid 12 h. */
export function directoryTokenLines(secret: string): string[] {
  return SEEDED_DIRECTORY.filter((s) => s.tokenName).map(
    (s) =>
      `  ${s.tokenName}=${signToken(principalOf(s), secret, '12h')}   # ${s.id} (${s.role}${s.team ? `, ${s.team}` : ''})`,
  );
}

/** The dev secret `npm start` generated under the data directory, if it did. */
export function readDevSecret(dataDir: string): string | undefined {
  const file = path.join(dataDir, 'dev-jwt-secret');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : undefined;
}
