/**
 * What the routes of every case type (claims, complaints, inquiries, …) have in common: who opens a
 * case for which team, opening its workflow, reading it and running agent actions on it. A case
 * type's route module keeps only what is its own: the body → workflow input mapping, the shape of
 * its personal data and checks only it makes.
 */
import {
  type Client,
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
} from '@temporalio/client';
import { isGrpcServiceError } from '@temporalio/client';
import type { QueryDefinition, UpdateDefinition } from '@temporalio/common';
import type { z } from 'zod';
import { deletePersonalData, getPersonalData } from '../db/repositories/personal-data';
import type { Actor, CaseType, Role } from '../domain/case';
import { TASK_QUEUE } from '../workflows/shared/contract';
import { withAllowedActions } from './allowed-actions';
import { actorOf, scopeTeam, type Principal } from './auth';
import { findCase, readCaseView, updateExistingCase } from './case-access';
import type { AppContext } from './context';
import { problems } from './errors';
import type { ApiRoutes } from './routing';
import { caseIdParams } from './schemas/common';

/** Agents and supervisors open cases for their own team; managers and admins name one. */
export function openingTeam(principal: Principal, requested: string | undefined): string {
  const own = scopeTeam(principal);
  if (own !== undefined) {
    if (requested !== undefined && requested !== own)
      throw problems.forbidden('Agents and supervisors open cases for their own team only.');
    return own;
  }
  if (requested === undefined)
    throw problems.validation([{ path: 'team', message: 'Required for managers and admins.' }]);
  return requested;
}

/**
 * Starts a case's workflow together with its opening Update in one round trip (update-with-start),
 * so the caller gets the case as the workflow sees it. The personal data must be saved before: the
 * case never runs without the data its notices need, and Temporal never carries it.
 */
function openCaseWorkflow<V, I>(
  temporal: Client,
  {
    opened,
    workflow,
    workflowId,
    input,
  }: { opened: UpdateDefinition<V, []>; workflow: (input: I) => Promise<unknown>; workflowId: string; input: I },
): Promise<V> {
  return temporal.workflow.executeUpdateWithStart(opened, {
    startWorkflowOperation: new WithStartWorkflowOperation(workflow, {
      workflowId,
      taskQueue: TASK_QUEUE,
      args: [input],
      // A retried start of the same case number joins the case instead of failing, while it runs;
      // once closed, its number is never opened again (a new run would write over its read model).
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    }),
  });
}

/** How long the check after a failed opening may wait on Temporal (the request is failing anyway). */
const STARTED_CHECK_MS = 2_000;

/**
 * A failed opening takes its personal data with it when its workflow surely never started: Temporal
 * says there is no such workflow, or the start never left this process (no connection). When that
 * cannot be known (a timeout: the start may have gone through, and a retry with the same
 * Idempotency-Key joins that case) the row stays, and the sweep (services/personal-data-sweep.ts)
 * removes it later if no case row ever joins it.
 */
async function discardIfNeverStarted(
  { db, temporal, logger }: Pick<AppContext, 'db' | 'temporal' | 'logger'>,
  workflowId: string,
  caseNo: string,
  failure: unknown,
): Promise<void> {
  try {
    await temporal.connection.withDeadline(Date.now() + STARTED_CHECK_MS, () =>
      temporal.workflow.getHandle(workflowId).describe(),
    );
    return; // it started: the case's data stays
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError) && !neverLeftProcess(failure)) return;
  }
  await deletePersonalData(db, caseNo).catch((err: unknown) =>
    logger.warn(
      { caseId: caseNo, err: err instanceof Error ? err.name : 'unknown' },
      'personal data of a failed opening not removed; the sweep will',
    ),
  );
}

/** gRPC's own words for a call that found no connection to go out on. */
function neverLeftProcess(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (isGrpcServiceError(e) && Number(e.code) === 14 /* UNAVAILABLE */ && /No connection established/.test(e.details))
      return true;
  }
  return false;
}

/** One case type as its routes see it; `V` is the view its workflow answers with, `I` its input. */
export interface CaseKind<V extends object, I> {
  type: CaseType;
  /** Route path of the collection relative to the mount point: `/claims`. */
  path: string;
  /** The collection's URL as clients see it (`/api/v1/claims`), for `Location`. */
  url: string;
  tag: string;
  /** The response schema of one case of this type. */
  response: z.ZodType;
  workflowId: (caseId: string) => string;
  workflow: (input: I) => Promise<unknown>;
  /** The Update that opens the case, sent with the workflow's start. */
  opened: UpdateDefinition<V, []>;
  /** The query answering the live view while the case is open. */
  view: QueryDefinition<V>;
  present: (view: V, personal: Record<string, unknown> | undefined) => Record<string, unknown>;
}

/** What a case type's opening handler hands back once it has reserved the case number. */
export interface OpenedCase<I> {
  caseNo: string;
  /** Already saved with the number; returned so the answer shows it without another read. */
  personal: Record<string, unknown>;
  input: I;
}

/**
 * The opening, read and action routes of one case type. Declarations stay data for `ApiRoutes`, so
 * the OpenAPI document is built from them as from any other route.
 */
export function caseKindRoutes<V extends object, I>(
  routes: ApiRoutes,
  { db, temporal, metrics, logger, backPressure }: AppContext,
  kind: CaseKind<V, I>,
) {
  const { type, path, tag, response, workflowId } = kind;
  /** The case as it leaves the API: presented, with the actions this caller may take on it now. */
  const present = (principal: Principal, view: V, personal: Record<string, unknown> | undefined) =>
    withAllowedActions(routes.specs, principal, type, kind.present(view, personal));

  /**
   * `POST <path>`: `prepare` checks the body, reserves the case number with the personal data (see
   * `reserveCaseNumber`) and maps the body to the workflow input; the workflow starts only then.
   */
  function open<B extends z.ZodType>(
    texts: { summary: string; description?: string; problems?: number[] },
    body: B,
    prepare: (request: {
      principal: Principal;
      body: z.output<B>;
      idempotency: { actor: string; key: string } | undefined;
      params: Record<string, string>;
    }) => Promise<OpenedCase<I>>,
    /** Opened elsewhere than `POST <path>` (a purchase from its renewal: `/renewals/{id}/purchase`). */
    at?: { path: string; tag: string; params: z.ZodObject },
  ): void {
    routes.add(
      {
        method: 'post',
        path: at?.path ?? path,
        tag: at?.tag ?? tag,
        ...(at ? { params: at.params } : {}),
        summary: texts.summary,
        description: texts.description,
        access: 'agent',
        body,
        idempotent: true,
        responses: {
          201: {
            description: `The ${type} as the workflow sees it`,
            schema: response,
            headers: { Location: `The ${type} URL` },
          },
        },
        problems: [403, 409, 422, ...(texts.problems ?? [])],
      },
      async ({ principal, body: parsed, req, params }) => {
        // Before anything is reserved: a refused opening leaves nothing behind and may simply be retried.
        const retryAfter = backPressure.retryAfterSeconds();
        if (retryAfter !== undefined) {
          metrics.openingsRefused.inc({ type });
          logger.warn(
            { type, backlogAgeMs: backPressure.lastBacklogAgeMs() },
            'opening refused: the workers are behind',
          );
          throw problems.overloaded(retryAfter);
        }
        const key = req.get('Idempotency-Key');
        const { caseNo, personal, input } = await prepare({
          principal,
          body: parsed as z.output<B>,
          idempotency: key === undefined ? undefined : { actor: principal.sub, key },
          params: (params ?? {}) as Record<string, string>,
        });
        let view: V;
        try {
          view = await openCaseWorkflow(temporal, {
            opened: kind.opened,
            workflow: kind.workflow,
            workflowId: workflowId(caseNo),
            input,
          });
        } catch (err) {
          await discardIfNeverStarted({ db, temporal, logger }, workflowId(caseNo), caseNo, err);
          // Only a retry whose first answer was lost reaches a closed case's number (an Idempotency-Key
          // is answered from its stored response otherwise): that case is over, this request too.
          if (err instanceof WorkflowExecutionAlreadyStartedError)
            throw problems.conflict(`${type} ${caseNo} was opened and has since closed; open a new ${type}.`);
          throw err;
        }
        metrics.casesOpened.inc({ type });
        return {
          status: 201,
          body: present(principal, view, personal),
          headers: { Location: `${kind.url}/${caseNo}` },
        };
      },
    );
  }

  /** Runs an Update on a case the caller may see and presents the result with its personal data. */
  async function act<U extends { actor: Actor }>(
    principal: Principal,
    id: string,
    update: UpdateDefinition<V, [U]>,
    input: Omit<U, 'actor'>,
    updateId?: string,
  ) {
    const row = await findCase(db, principal, id, type);
    const handle = temporal.workflow.getHandle(workflowId(row.id));
    const view = await updateExistingCase(row, () =>
      handle.executeUpdate(update, { args: [{ ...input, actor: actorOf(principal) } as U], updateId }),
    );
    // Read after the Update: an action may change the personal data (a purchase adopts its application form).
    const personal = await getPersonalData(db, row.id);
    return { status: 200, body: present(principal, view, personal) };
  }

  /** `GET <path>/{id}`: live from the workflow while open, from the projection once closed. */
  function read(summary: string): void {
    routes.add(
      {
        method: 'get',
        path: `${path}/{id}`,
        tag,
        summary,
        access: 'agent',
        params: caseIdParams,
        responses: { 200: { description: `The ${type}`, schema: response } },
        problems: [404],
      },
      async ({ principal, params }) => {
        const row = await findCase(db, principal, params.id, type);
        const [view, personal] = await Promise.all([
          readCaseView(temporal, row, workflowId(row.id), kind.view),
          getPersonalData(db, row.id),
        ]);
        return { status: 200, body: present(principal, view, personal) };
      },
    );
  }

  /**
   * `POST <path>/{id}/<segment>` running `update`. The body schema must produce exactly the Update's
   * input without the actor (checked at each call); the actor always comes from the token.
   */
  function action<U extends { actor: Actor }>(
    segment: string,
    summary: string,
    access: Role,
    body: z.ZodType<Omit<U, 'actor'>>,
    update: UpdateDefinition<V, [U]>,
    description?: string,
  ): void {
    routes.add(
      {
        method: 'post',
        path: `${path}/{id}/${segment}`,
        tag,
        summary,
        description,
        access,
        params: caseIdParams,
        body,
        idempotent: true,
        responses: { 200: { description: `The ${type} after the action`, schema: response } },
        problems: [403, 404, 409, 422],
      },
      ({ principal, params, body: parsed, updateId }) => act(principal, params.id, update, parsed, updateId),
    );
  }

  return { open, read, action, act };
}
