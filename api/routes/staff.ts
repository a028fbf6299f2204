/**
 * The staff directory (人员): admin and HR keep the records; supervisors (their own team), managers,
 * admins and HR read them. Tokens still say who is asking; the directory says who can be assigned a
 * case and whose figures are counted.
 */
import { appendAudit } from '../../db/repositories/audit';
import { getStaffMember, listStaff, saveStaffMember } from '../../db/repositories/staff';
import type { AppContext } from '../context';
import { problems } from '../errors';
import type { ApiRoutes } from '../routing';
import { staffBody, staffIdParams, staffListResponse, staffMemberSchema, staffQuery } from '../schemas/staff';
import { actorOf, scopeTeam } from '../auth';
import { shanghaiDate } from '../../domain/civil-time';
import { DEFAULT_ONBOARDING_PLAN, dueOnboarding } from '../../domain/training';
import { assignTraining } from '../../services/training-assignments';
import { renderTimes } from '../time';

export function registerStaffRoutes(routes: ApiRoutes, { db, temporal, now }: AppContext): void {
  routes.add(
    {
      method: 'put',
      path: '/staff/{staffId}',
      tag: 'Staff',
      summary: 'Create or replace a staff record',
      description:
        'supervisorId must name someone in the directory. Deactivating a person (active: false) keeps their record and history; they can no longer be assigned cases. Creating an active agent hired within the last 30 days (or later) assigns the onboarding training (入职培训; training.onboarding counts from hiredAt).',
      access: ['admin', 'hr'],
      params: staffIdParams,
      body: staffBody,
      responses: {
        200: { description: 'Updated', schema: staffMemberSchema },
        201: { description: 'Created', schema: staffMemberSchema },
      },
      problems: [403],
    },
    async ({ principal, params: { staffId }, body }) => {
      if (body.supervisorId !== undefined) {
        const supervisor = body.supervisorId === staffId ? undefined : await getStaffMember(db, body.supervisorId);
        if (!supervisor)
          throw problems.validation([{ path: 'supervisorId', message: 'Names no one else in the staff directory.' }]);
      }
      const record = {
        name: body.name,
        role: body.role,
        team: body.team ?? null,
        supervisorId: body.supervisorId ?? null,
        hiredAt: body.hiredAt,
        active: body.active,
      };
      const { member, created } = await db.transaction().execute(async (trx) => {
        const saved = await saveStaffMember(trx, staffId, record, principal.sub);
        // No name in the audit log: it outlives the records and keeps no personal data.
        await appendAudit(trx, {
          actor: principal.sub,
          action: saved.created ? 'staff.create' : 'staff.update',
          target: `staff:${staffId}`,
          detail: { role: record.role, team: record.team, supervisorId: record.supervisorId, active: record.active },
        });
        return saved;
      });
      // A new agent is due the onboarding (入职培训, training.onboarding from the hire date), assigned
      // once the record is in. Asked on every PUT within the hire window, not only the creating one: a
      // PUT whose assignment failed (Temporal down → 503) is retried, finds the agent already there and
      // must still assign it. assignTraining is keyed by the hire, so a second PUT assigns nothing twice.
      const today = shanghaiDate(now());
      if (member.active && dueOnboarding(member.role, member.hiredAt, today)) {
        await assignTraining(
          { db, temporal, now },
          {
            kind: 'onboarding',
            ...DEFAULT_ONBOARDING_PLAN,
            topics: [...DEFAULT_ONBOARDING_PLAN.topics],
            staffIds: [staffId],
            reason: 'hired',
            source: { hiredStaffId: staffId },
            by: actorOf(principal),
          },
        );
      }
      return {
        status: created ? 201 : 200,
        body: renderTimes(member),
        ...(created ? { headers: { Location: `/api/v1/staff/${encodeURIComponent(staffId)}` } } : {}),
      };
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/staff',
      tag: 'Staff',
      summary: 'The staff directory, filtered; supervisors see their own team',
      description: "A supervisor asking for another team's staff is answered 404, as for another team's cases.",
      access: ['supervisor', 'manager', 'admin', 'hr'],
      query: staffQuery,
      responses: { 200: { description: 'By staff id', schema: staffListResponse } },
      problems: [403, 404],
    },
    async ({ principal, query }) => {
      const own = principal.role === 'supervisor' ? scopeTeam(principal) : undefined;
      if (own !== undefined && query.team !== undefined && query.team !== own) throw problems.notFound();
      const items = await listStaff(db, { team: own ?? query.team, role: query.role, active: query.active });
      return { status: 200, body: renderTimes({ items }) };
    },
  );
}
