/**
 * `allowedActions` on every case view: computed from the domain's transition tables and the
 * caller's role, so what the console offers is exactly what the API will accept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenFor, uniqueTeam } from '../support/auth';
import { ALL_DOCUMENTS, claimReport } from '../support/fixtures';
import { startApiHarness, type ApiHarness } from '../support/harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(async () => {
  await h?.close();
});

const actions = (res: { body: { allowedActions: string[] } }) => [...res.body.allowedActions].sort();

describe('allowedActions', () => {
  it('follows the claim through its statuses, and the role decides which of the allowed steps a caller sees', async () => {
    const team = uniqueTeam();
    const agent = tokenFor('agent', team);
    const supervisor = tokenFor('supervisor', team);
    const created = await h.api.request('POST', '/api/v1/claims', { token: agent, body: claimReport() });
    expect(created.status, created.text).toBe(201);
    const id: string = created.body.id;
    expect(actions(created)).toEqual([
      'assessment',
      'contact',
      'document-request',
      'documents',
      'notes',
      'reveal',
      'withdraw',
    ]);

    const seenBySupervisor = await h.api.request('GET', `/api/v1/claims/${id}`, { token: supervisor });
    expect(actions(seenBySupervisor)).toEqual([
      'assessment',
      'assign',
      'contact',
      'document-request',
      'documents',
      'notes',
      'reveal',
      'withdraw',
    ]);

    const complete = await h.api.request('POST', `/api/v1/claims/${id}/documents`, {
      token: agent,
      body: { documents: ALL_DOCUMENTS },
    });
    expect(complete.body.status).toBe('under_review');
    // Documents are no longer allowed (a further request is); the decision is, but only from a supervisor up.
    expect(actions(complete)).toEqual(['assessment', 'contact', 'document-request', 'notes', 'reveal', 'withdraw']);
    const review = await h.api.request('GET', `/api/v1/claims/${id}`, { token: supervisor });
    expect(actions(review)).toEqual([
      'assessment',
      'assign',
      'contact',
      'decision',
      'document-request',
      'notes',
      'reveal',
      'withdraw',
    ]);

    // Every action it does not list is refused: documents now answers 409, decision by an agent 403.
    const refused = await h.api.request('POST', `/api/v1/claims/${id}/documents`, {
      token: agent,
      body: { documents: ['id_card'] },
    });
    expect(refused.status).toBe(409);
    const forbidden = await h.api.request('POST', `/api/v1/claims/${id}/decision`, {
      token: agent,
      body: { outcome: 'approve', amount: 100 },
    });
    expect(forbidden.status).toBe(403);

    // Approved: every next step is a supervisor's; the agent may only add notes and reveal.
    const approved = await h.api.request('POST', `/api/v1/claims/${id}/decision`, {
      token: supervisor,
      body: { outcome: 'approve', amount: 1200 },
    });
    expect(approved.status, approved.text).toBe(200);
    expect(actions(approved)).toEqual(['assign', 'notes', 'payment', 'reveal']);
    const seenByAgent = await h.api.request('GET', `/api/v1/claims/${id}`, { token: agent });
    expect(actions(seenByAgent)).toEqual(['notes', 'reveal']);
  });

  it('offers the complaint extension to the role the next step of the ladder needs', async () => {
    const team = uniqueTeam();
    const supervisor = tokenFor('supervisor', team);
    const manager = tokenFor('manager');
    const created = await h.api.request('POST', '/api/v1/complaints', {
      token: tokenFor('agent', team),
      body: {
        customer: { name: '王芳', phone: '13912345678' },
        channel: 'phone',
        category: 'claim_delay',
        description: '理赔进度太慢',
      },
    });
    expect(created.status, created.text).toBe(201);
    const id: string = created.body.id;
    expect(created.body.allowedActions).not.toContain('extension');
    const bySupervisor = await h.api.request('GET', `/api/v1/complaints/${id}`, { token: supervisor });
    expect(bySupervisor.body.allowedActions).toContain('extension');

    const first = await h.api.request('POST', `/api/v1/complaints/${id}/extension`, {
      token: supervisor,
      body: { reason: '案情复杂，需调取理赔记录' },
    });
    expect(first.status, first.text).toBe(200);
    // The second extension needs a manager: the supervisor no longer sees it, the manager does.
    expect(first.body.allowedActions).not.toContain('extension');
    const byManager = await h.api.request('GET', `/api/v1/complaints/${id}`, { token: manager });
    expect(byManager.body.allowedActions).toContain('extension');
  });
});
