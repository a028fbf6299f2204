/**
 * A change the read model can never store (here a NUL, which PostgreSQL refuses in jsonb) does not
 * wedge its case: the projection fails once, for good, visibly (a failed_projections row, an error
 * log line, the metric), the Update answers, and the case's later changes reach the read model. The
 * worker's log of it — the SDK's own lines included — carries no personal data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFailedProjections } from '../../db/repositories/failed-projections';
import { listTimeline } from '../../db/repositories/timeline';
import { installTemporalRuntime } from '../../infra/temporal-runtime';
import { claimWorkflowId } from '../../workflows/claim/contract';
import { addNote } from '../../workflows/shared/contract';
import { tokenFor, uniqueTeam } from '../support/auth';
import { claimReport } from '../support/fixtures';
import { startApiHarness, type ApiHarness } from '../support/harness';
import { eventually } from '../support/http';
import { captureLogger } from '../support/logger';

// Before anything creates the SDK's runtime: every line the worker's SDK writes lands here.
const sdk = captureLogger('warn');
let h: ApiHarness;
beforeAll(async () => {
  installTemporalRuntime(sdk.logger);
  h = await startApiHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('a projection the read model refuses', () => {
  it('is recorded and logged once, the Update answers, and later changes still reach the read model', async () => {
    const token = tokenFor('agent', uniqueTeam());
    const opened = await h.api.request('POST', '/api/v1/claims', { token, body: claimReport() });
    expect(opened.status, opened.text).toBe(201);
    const id = opened.body.id as string;

    // Past the edge (which refuses it): straight to the workflow, as a client of Temporal could.
    const handle = h.env.client.workflow.getHandle(claimWorkflowId(id));
    const started = Date.now();
    await handle.executeUpdate(addNote, {
      args: [{ actor: { id: 'agent-x', role: 'agent', team: 'x' }, text: '张伟 13812345678 a\u0000b' }],
    });
    expect(Date.now() - started).toBeLessThan(20_000);

    const failed = await listFailedProjections(h.database.db, id);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ sqlstate: '22P05', workflowId: claimWorkflowId(id) });
    expect(failed[0]!.eventKeys.length).toBeGreaterThan(0);

    const later = await h.api.request('POST', `/api/v1/cases/${id}/notes`, { token, body: { text: '已回电' } });
    expect(later.status, later.text).toBe(200);
    const timeline = await eventually(async () => {
      const events = await listTimeline(h.database.db, id);
      expect(events.some((e) => e.kind === 'note.added' && e.detail.text === '已回电')).toBe(true);
      return events;
    });
    expect(timeline.filter((e) => e.kind === 'note.added')).toHaveLength(1);

    const metrics = await h.api.request('GET', '/metrics');
    expect(metrics.text).toMatch(/^motordesk_failed_projections \d+/m);

    const logged = sdk.lines.join('\n');
    expect(logged).toContain('projection refused by the read model');
    expect(logged).toContain(id);
    expect(logged).not.toContain('13812345678');
    expect(logged).not.toContain('张伟');
  });
});
