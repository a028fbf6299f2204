/**
 * An Update Temporal refuses with "workflow not ready" (its last workflow task failed or timed out:
 * a killed or overloaded worker) was never accepted: the API asks again, briefly, instead of
 * answering 500; past its few attempts the answer is 503 with Retry-After.
 */
import { ServiceError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { updateExistingCase } from '../../api/case-access';
import { HttpProblem } from '../../api/errors';

const row = { id: 'CL20261202AAAAAA', status: 'awaiting_documents' } as Parameters<typeof updateExistingCase>[0];

function notReady(): ServiceError {
  const grpc = Object.assign(new Error('9 FAILED_PRECONDITION: workflow not ready'), {
    code: 9,
    details: 'Unable to perform workflow execution update due to unexpected workflow task failure.',
    metadata: {},
  });
  return new ServiceError('Workflow Update failed', { cause: grpc });
}

describe('an Update refused while the workflow is not ready', () => {
  it('is asked again until it is accepted', async () => {
    let calls = 0;
    const result = await updateExistingCase(row, async () => {
      calls += 1;
      if (calls < 3) throw notReady();
      return 'done';
    });
    expect(result).toBe('done');
    expect(calls).toBe(3);
  });

  it('answers 503 with Retry-After when it stays not ready', async () => {
    const refused = await updateExistingCase(row, async () => {
      throw notReady();
    }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(HttpProblem);
    expect((refused as HttpProblem).status).toBe(503);
    expect((refused as HttpProblem).headers['Retry-After']).toMatch(/^\d+$/);
  });
});
