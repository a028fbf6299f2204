/**
 * Administration: deadline policy overrides and the official holiday calendar. Each change is saved
 * with its audit_log row in one transaction. Clocks read both from the database when they start
 * (activities), so a change applies to clocks started afterwards and running clocks keep their
 * due instants.
 */
import type { Kysely } from 'kysely';
import { appendAudit } from '../../db/repositories/audit';
import { saveCalendarYear } from '../../db/repositories/calendar';
import { listCasesToRecompute } from '../../db/repositories/clocks';
import { type CalendarChange, calendarChanged, caseWorkflowId } from '../../workflows/shared/contract';
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import type { Logger } from 'pino';
import { listDeadlinePolicyOverrides, saveDeadlinePolicyOverride } from '../../db/repositories/deadline-policies';
import type { Database } from '../../db/schema';
import { precedingDecemberDays, validateHolidayYear } from '../../domain/calendar';
import {
  DEFAULT_DOCUMENT_REMINDER,
  DeadlinePolicyTable,
  type ClockPolicy,
  type ClockPolicyOverride,
  type DeadlinePolicyFile,
} from '../../domain/deadline-policies';
import type { AppContext } from '../context';
import { joinPath, problems } from '../errors';
import type { ApiRoutes } from '../routing';
import {
  calendarYearBody,
  calendarYearParams,
  calendarYearResponse,
  deadlinePoliciesResponse,
  deadlinePolicy,
  deadlinePolicyNameParams,
  deadlinePolicyOverrideBody,
} from '../schemas/admin';
import { renderTimes } from '../time';

export function registerAdminRoutes(routes: ApiRoutes, { db, config, now, temporal, logger }: AppContext): void {
  routes.add(
    {
      method: 'get',
      path: '/admin/deadline-policies',
      tag: 'Administration',
      summary: 'The deadline policies in force: defaults, then the MOTORDESK_POLICIES file, then admin overrides',
      access: 'admin',
      responses: {
        200: { description: 'Every clock policy with its legal or internal basis', schema: deadlinePoliciesResponse },
      },
      problems: [403],
    },
    async () => {
      const overrides = await listDeadlinePolicyOverrides(db);
      const table = new DeadlinePolicyTable(config.deadlinePolicies, overrides);
      const items = table
        .allClocks()
        .map((policy) => describeDeadlinePolicy(policy, config.deadlinePolicies, overrides));
      return { status: 200, body: { items } };
    },
  );

  routes.add(
    {
      method: 'put',
      path: '/admin/deadline-policies/{name}',
      tag: 'Administration',
      summary: 'Override one clock policy; applies to clocks started afterwards',
      description:
        'Refused with 400 (rules between the path and the body, or between two values, which JSON Schema cannot state): `maxReminders` for any policy but claim.documentReminder (the only one that repeats), and a `duration` the `mode` cannot count.',
      access: 'admin',
      params: deadlinePolicyNameParams,
      body: deadlinePolicyOverrideBody,
      responses: { 200: { description: 'The policy now in force', schema: deadlinePolicy } },
      problems: [403, 404],
    },
    async ({ principal, params: { name }, body }) => {
      if (!new DeadlinePolicyTable().has(name)) throw problems.notFound('No deadline policy with this name.');
      if (body.maxReminders !== undefined && name !== DEFAULT_DOCUMENT_REMINDER.name) {
        throw problems.validation([
          { path: 'maxReminders', message: `Only ${DEFAULT_DOCUMENT_REMINDER.name} repeats.` },
        ]);
      }
      const override = withoutUndefined(body);
      const policy = await db.transaction().execute(async (trx) => {
        const before = await listDeadlinePolicyOverrides(trx);
        await saveDeadlinePolicyOverride(trx, name, override, principal.sub);
        await appendAudit(trx, {
          actor: principal.sub,
          action: 'deadline_policy.override',
          target: name,
          detail: { before: before[name] ?? null, after: override },
        });
        const overrides = { ...before, [name]: override };
        return describeDeadlinePolicy(
          new DeadlinePolicyTable(config.deadlinePolicies, overrides).clock(name),
          config.deadlinePolicies,
          overrides,
        );
      });
      return { status: 200, body: policy };
    },
  );

  routes.add(
    {
      method: 'put',
      path: '/admin/calendar/{year}',
      tag: 'Administration',
      summary: 'Load the official holiday list of a year (holiday-cn style: date, name, isOffDay)',
      description:
        "Replaces the list of the year. Clocks computed afterwards use it; every open case with a clock computed on provisional data is told to compute it again (answer field `recomputing`: how many cases). The list may include days of December of the year before (an official notice fixes a 元旦 block that begins then, as holiday-cn files list it): those days belong to that year's calendar, and open clocks whose span reaches them are computed again too. A date in neither the path's year nor its December before is 400 (the body compared with the path, which JSON Schema cannot state).",
      access: 'admin',
      params: calendarYearParams,
      body: calendarYearBody,
      responses: { 200: { description: 'The year as saved', schema: calendarYearResponse } },
      problems: [403],
    },
    async ({ principal, params: { year }, body: days }) => {
      const issues = validateHolidayYear(year, days);
      if (issues.length) {
        throw problems.validation(
          issues.map((i) => ({ path: joinPath(i.path), message: i.message })),
          'The holiday list is not valid.',
        );
      }
      await saveYear(db, year, days, principal.sub);
      const december = precedingDecemberDays(year, days).map((d) => d.date);
      const change: CalendarChange = december.length ? { year, days: december } : { year };
      const recomputing = await recomputeClocks(db, temporal, change, logger);
      const offDays = days.filter((d) => d.isOffDay).length;
      return {
        status: 200,
        body: renderTimes({
          year,
          days: days.length,
          offDays,
          workdays: days.length - offDays,
          updatedAt: now(),
          recomputing,
        }),
      };
    },
  );
}

/**
 * Tells every open case with provisional clocks, or with open clocks that reach the days the file
 * fixed in the year before, to compute them again. A case whose workflow has already ended is
 * skipped; a signal that fails is logged and left for the next calendar load, since the saved year
 * itself is what matters for every clock started from now on.
 */
async function recomputeClocks(
  db: Kysely<Database>,
  temporal: Client,
  change: CalendarChange,
  logger: Logger,
): Promise<number> {
  const cases = await listCasesToRecompute(db, change.days);
  let signalled = 0;
  for (const { caseId, type } of cases) {
    try {
      await temporal.workflow.getHandle(caseWorkflowId(type, caseId)).signal(calendarChanged, change);
      signalled += 1;
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError))
        logger.warn(
          { caseId, err: err instanceof Error ? err.message : 'unknown' },
          'could not signal calendar change',
        );
    }
  }
  return signalled;
}

async function saveYear(
  db: Kysely<Database>,
  year: number,
  days: Parameters<typeof saveCalendarYear>[2],
  actor: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await saveCalendarYear(trx, year, days, actor);
    await appendAudit(trx, { actor, action: 'calendar.load', target: String(year), detail: { days: days.length } });
  });
}

function describeDeadlinePolicy(
  policy: ClockPolicy,
  file: DeadlinePolicyFile,
  overrides: Record<string, ClockPolicyOverride>,
) {
  const source = policy.name in overrides ? 'admin' : policy.name in file ? 'file' : 'default';
  // The title is the notifications' wording; the admin view shows the policy as the contract has it.
  const { title: _title, ...shown } = policy;
  return { ...shown, source };
}

function withoutUndefined(override: ClockPolicyOverride): ClockPolicyOverride {
  return Object.fromEntries(Object.entries(override).filter(([, v]) => v !== undefined)) as ClockPolicyOverride;
}
