/**
 * The staff directory and the assignment history. The directory decides who can be assigned and
 * counted; the history keeps every assignment, so an agent's figures count the cases they handled.
 */
import { sql } from 'kysely';
import type { Role } from '../../domain/case';
import type { Executor } from './support';

export interface StaffMember {
  id: string;
  name: string;
  role: Role;
  team: string | null;
  supervisorId: string | null;
  /** yyyy-mm-dd */
  hiredAt: string;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export type StaffRecord = Pick<StaffMember, 'name' | 'role' | 'team' | 'supervisorId' | 'hiredAt' | 'active'>;

export interface StaffFilter {
  team?: string;
  role?: Role;
  active?: boolean;
  /** Staff ids, when only these are wanted. */
  ids?: readonly string[];
}

function staffColumns() {
  return [
    'id',
    'name',
    'role',
    'team',
    'supervisor_id',
    sql<string>`to_char(hired_at, 'YYYY-MM-DD')`.as('hired_at'),
    'active',
    'created_at',
    'updated_at',
  ] as const;
}

function toStaffMember(row: {
  id: string;
  name: string;
  role: string;
  team: string | null;
  supervisor_id: string | null;
  hired_at: string;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}): StaffMember {
  return {
    id: row.id,
    name: row.name,
    role: row.role as Role,
    team: row.team,
    supervisorId: row.supervisor_id,
    hiredAt: row.hired_at,
    active: row.active,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function getStaffMember(db: Executor, id: string): Promise<StaffMember | undefined> {
  const row = await db.selectFrom('staff').select(staffColumns()).where('id', '=', id).executeTakeFirst();
  return row && toStaffMember(row);
}

/** By id. */
export async function listStaff(db: Executor, filter: StaffFilter = {}): Promise<StaffMember[]> {
  let query = db.selectFrom('staff').select(staffColumns());
  if (filter.team !== undefined) query = query.where('team', '=', filter.team);
  if (filter.role !== undefined) query = query.where('role', '=', filter.role);
  if (filter.active !== undefined) query = query.where('active', '=', filter.active);
  if (filter.ids !== undefined) {
    if (filter.ids.length === 0) return [];
    query = query.where('id', 'in', filter.ids);
  }
  const rows = await query.orderBy('id').execute();
  return rows.map(toStaffMember);
}

/** Creates or replaces a staff record; `created` tells which. */
export async function saveStaffMember(
  db: Executor,
  id: string,
  record: StaffRecord,
  by: string,
): Promise<{ member: StaffMember; created: boolean }> {
  const values = {
    id,
    name: record.name,
    role: record.role,
    team: record.team,
    supervisor_id: record.supervisorId,
    hired_at: record.hiredAt,
    active: record.active,
    updated_by: by,
  };
  const row = await db
    .insertInto('staff')
    .values(values)
    .onConflict((oc) =>
      oc.column('id').doUpdateSet({
        name: values.name,
        role: values.role,
        team: values.team,
        supervisor_id: values.supervisor_id,
        hired_at: values.hired_at,
        active: values.active,
        updated_by: by,
        updated_at: sql`now()`,
      }),
    )
    // xmax = 0 only on a row this statement inserted (PostgreSQL's way to tell insert from update).
    .returning([...staffColumns(), sql<boolean>`(xmax = 0)`.as('inserted')])
    .executeTakeFirstOrThrow();
  return { member: toStaffMember(row), created: row.inserted };
}

export interface Assignment {
  caseId: string;
  assignee: string;
  assignedAt: Date;
}

/** A case's assignments, oldest first. */
export async function listAssignments(db: Executor, caseId: string): Promise<Assignment[]> {
  const rows = await db
    .selectFrom('case_assignments')
    .select(['case_id', 'assignee', 'assigned_at'])
    .where('case_id', '=', caseId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ caseId: r.case_id, assignee: r.assignee, assignedAt: r.assigned_at }));
}
