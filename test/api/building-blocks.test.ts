/** The API's pure parts: masking, time rendering, claim numbers, idempotency bookkeeping, error mapping. */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { describe, expect, it, vi } from 'vitest';
import { caseNumberPattern, newCaseNumber } from '../../api/case-number';
import { classifyError } from '../../api/errors';
import {
  canonicalJson,
  runIdempotently,
  type BeginOutcome,
  type IdempotencyStore,
  type StoredResponse,
} from '../../api/idempotency';
import {
  maskBankAccount,
  maskIdNumber,
  maskName,
  maskPersonalData,
  maskPhone,
  maskPlate,
  maskRecipient,
} from '../../api/masking';
import { createRateLimiter } from '../../api/rate-limit';
import { renderTimes, toShanghaiIso } from '../../api/time';
import { REFUSAL } from '../../workflows/shared/contract';

describe('masking', () => {
  it('masks the way the department writes it', () => {
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskIdNumber('110101199003071234')).toBe('110101********1234');
    expect(maskPlate('粤B12312')).toBe('粤B***12');
    expect(maskPlate('粤BD12345')).toBe('粤B****45');
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskBankAccount('6222021234567890123')).toBe('***************0123');
  });

  it('masks personal fields wherever they sit and leaves the rest alone', () => {
    const masked = maskPersonalData({
      reporter: { name: '李四', phone: '13900001111' },
      vehicle: { plate: '京A12345' },
      holder: { idNumber: '110101199003071234' },
      status: 'paid',
    });
    expect(masked).toEqual({
      reporter: { name: '李*', phone: '139****1111' },
      vehicle: { plate: '京A***45' },
      holder: { idNumber: '110101********1234' },
      status: 'paid',
    });
  });

  it('masks notification recipients of any kind, keeping staff ids', () => {
    expect(maskRecipient('13812341234')).toBe('138****1234');
    expect(maskRecipient('+86 138 1234 1234')).toBe('138****1234');
    expect(maskRecipient('zhang.san@example.com')).toBe('z***@example.com');
    expect(maskRecipient('agent-007')).toBe('agent-007');
    expect(maskRecipient(null)).toBeNull();
  });
});

describe('times', () => {
  it('renders instants with the +08:00 offset, under time-named keys only', () => {
    expect(toShanghaiIso('2026-02-13T16:30:00.000Z')).toBe('2026-02-14T00:30:00.000+08:00');
    expect(
      renderTimes({
        dueAt: '2026-02-13T16:30:00.000Z',
        at: new Date('2026-01-01T00:00:00Z'),
        note: '2026-02-13T16:30:00.000Z',
      }),
    ).toEqual({
      dueAt: '2026-02-14T00:30:00.000+08:00',
      at: '2026-01-01T08:00:00.000+08:00',
      note: '2026-02-13T16:30:00.000Z',
    });
  });
});

describe('claim numbers', () => {
  it('carry the Shanghai calendar day and six unambiguous characters', () => {
    // 2026-11-25 17:00 UTC is already the 26th in Shanghai.
    const claimNo = newCaseNumber('claim', new Date('2026-11-25T17:00:00Z'));
    expect(claimNo).toMatch(caseNumberPattern('claim'));
    expect(claimNo.slice(2, 10)).toBe('20261126');
  });
});

/** The table's behaviour, in memory. */
function memoryStore(): IdempotencyStore & { rows: Map<string, { hash: string; response?: StoredResponse }> } {
  const rows = new Map<string, { hash: string; response?: StoredResponse }>();
  return {
    rows,
    async begin({ actor, key, method, path, requestHash }): Promise<BeginOutcome> {
      const id = `${actor}/${key}`;
      const hash = `${method} ${path} ${requestHash}`;
      const row = rows.get(id);
      if (!row) {
        rows.set(id, { hash });
        return { kind: 'new' };
      }
      if (row.hash !== hash) return { kind: 'mismatch' };
      return row.response ? { kind: 'replay', ...row.response } : { kind: 'in_progress' };
    },
    async complete({ actor, key }, response) {
      rows.get(`${actor}/${key}`)!.response = response;
    },
    async abandon({ actor, key }) {
      rows.delete(`${actor}/${key}`);
    },
  };
}

describe('idempotency', () => {
  const request = {
    actor: 'a1',
    key: 'k1',
    method: 'POST',
    path: '/api/v1/claims',
    body: { b: 1, a: [1, { d: 2, c: 3 }] },
  };

  it('replays the first response, refuses a different body, and says 409 while the first runs', async () => {
    const store = memoryStore();
    let runs = 0;
    const run = async () => ({ status: 201, body: { id: `C${++runs}` }, headers: { Location: '/x', 'X-Other': 'y' } });
    const first = await runIdempotently(store, request, run);
    const again = await runIdempotently(store, { ...request, body: { a: [1, { c: 3, d: 2 }], b: 1 } }, run);
    expect(again).toEqual({
      status: 201,
      body: { id: 'C1' },
      headers: { Location: '/x', 'Idempotent-Replayed': 'true' },
    });
    expect(first.body).toEqual({ id: 'C1' });
    expect(runs).toBe(1);
    await expect(runIdempotently(store, { ...request, body: { b: 2 } }, run)).rejects.toMatchObject({ status: 422 });

    let release!: () => void;
    const slow = runIdempotently(
      store,
      { ...request, key: 'k2' },
      () => new Promise((resolve) => (release = () => resolve({ status: 201, body: {} }))),
    );
    await new Promise((resolve) => setImmediate(resolve));
    await expect(runIdempotently(store, { ...request, key: 'k2' }, run)).rejects.toMatchObject({ status: 409 });
    release();
    await slow;
  });

  it('releases the key when the request fails, so a retry runs anew', async () => {
    const store = memoryStore();
    await expect(runIdempotently(store, request, () => Promise.reject(new Error('temporal down')))).rejects.toThrow(
      'temporal down',
    );
    expect(store.rows.size).toBe(0);
    const retried = await runIdempotently(store, request, async () => ({ status: 201, body: { id: 'C9' } }));
    expect(retried.body).toEqual({ id: 'C9' });
  });

  it('keeps trying to release the key when the database cannot release it at once', async () => {
    // The database went down while the request ran: the first releases fail as the driver does.
    const store = memoryStore();
    let refusals = 2;
    const abandon = store.abandon.bind(store);
    store.abandon = async (ref) => {
      if (refusals-- > 0)
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      return abandon(ref);
    };
    const retry = { everyMs: 10, forMs: 60_000 };
    const failed = runIdempotently(store, request, () => Promise.reject(new Error('database down')), undefined, retry);
    await expect(failed).rejects.toThrow('database down');
    await expect(
      runIdempotently(store, request, async () => ({ status: 201 }), undefined, retry),
    ).rejects.toMatchObject({ status: 409 });
    await vi.waitFor(() => expect(store.rows.size).toBe(0), { timeout: 10_000 });
    const retried = await runIdempotently(store, request, async () => ({ status: 201, body: { id: 'C9' } }));
    expect(retried.body).toEqual({ id: 'C9' });
  });

  it('refuses a malformed key', async () => {
    await expect(
      runIdempotently(memoryStore(), { ...request, key: 'has spaces' }, async () => ({ status: 201 })),
    ).rejects.toMatchObject({ status: 400 });
  });

  it('hashes bodies canonically', () => {
    expect(canonicalJson({ b: 1, a: { y: null, x: [2, 1] } })).toBe('{"a":{"x":[2,1],"y":null},"b":1}');
  });
});

describe('rate limit', () => {
  it('allows the budget per actor and window, then answers 429 with Retry-After', () => {
    let t = 0;
    const limiter = createRateLimiter({ max: 2, windowMs: 10_000 }, () => t);
    limiter.take('a');
    limiter.take('a');
    limiter.take('b');
    expect(() => limiter.take('a')).toThrow(expect.objectContaining({ status: 429, headers: { 'Retry-After': '10' } }));
    t = 10_000;
    expect(() => limiter.take('a')).not.toThrow();
  });
});

describe('error mapping', () => {
  const refused = (type: string) =>
    new WorkflowUpdateFailedError(
      'update failed',
      ApplicationFailure.create({ type, message: 'payment is not allowed while the case is under_review' }),
    );

  it('maps refusals of update validators by their type code', () => {
    expect(classifyError(refused(REFUSAL.invalidState))?.status).toBe(409);
    expect(classifyError(refused(REFUSAL.invalidInput))?.status).toBe(422);
    expect(classifyError(refused(REFUSAL.forbidden))?.status).toBe(403);
    expect(classifyError(refused('SomethingElse'))).toBeUndefined();
    expect(classifyError(new WorkflowNotFoundError('gone', 'claim-x', undefined))?.status).toBe(404);
    expect(classifyError(new Error('boom'))).toBeUndefined();
  });
});
