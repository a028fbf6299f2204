/**
 * Policies through the real API and the real PostgreSQL: one policy upserted by number, and imports
 * of a JSON array and a CSV file streamed into the same upsert, where a bad row is reported by
 * number and never stops the others, and a broken file is a 400.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getInsurancePolicy } from '../../db/repositories/insurance-policies';
import { tokenFor } from '../support/auth';
import { startApiHarness, type ApiHarness } from '../support/harness';

let h: ApiHarness;
beforeAll(async () => {
  // No workflow is involved: policies are rows; renewals start only when the sweep runs.
  h = await startApiHarness({ worker: false });
});
afterAll(async () => {
  await h?.close();
});

const PROBLEM = 'application/problem+json';
const OFFSET_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+08:00$/;
const manager = () => tokenFor('manager');

/** A policy number no other test (or earlier run) uses; far from expiry, so no sweep picks it up. */
const policyNo = (prefix = 'PT') => `${prefix}${randomUUID().slice(0, 8).toUpperCase()}`;
const phone = () => `138${String(randomInt(1e8)).padStart(8, '0')}`;

function insurancePolicyBody(overrides: Record<string, unknown> = {}) {
  return {
    holder: { name: '王小明', phone: phone(), email: 'wang.xiaoming@example.com' },
    vehicle: { plate: `粤B${String(randomInt(1e5)).padStart(5, '0')}` },
    product: 'commercial',
    startsAt: '2031-03-01T00:00:00+08:00',
    expiresAt: '2032-03-01T00:00:00+08:00',
    premium: 3200.5,
    ...overrides,
  };
}

const put = (no: string, body: unknown, token = manager()) =>
  h.api.request('PUT', `/api/v1/policies/${no}`, { token, body });
const importText = (text: string, contentType: string, token = manager()) =>
  h.api.request('POST', '/api/v1/policies/import', { token, rawBody: text, headers: { 'content-type': contentType } });

describe('PUT /policies/{policyNo}', () => {
  it('creates a policy (201), then replaces it (200), answering with the holder and plate masked', async () => {
    const no = policyNo();
    const body = insurancePolicyBody();
    const created = await put(no, body);
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ policyNo: no, product: 'commercial', premium: 3200.5, claimFreeYears: 0 });
    expect(created.body.holder).toEqual({
      name: '王**',
      phone: `${body.holder.phone.slice(0, 3)}****${body.holder.phone.slice(-4)}`,
      email: 'w***@example.com',
    });
    expect(created.body.vehicle.plate).toBe(`粤B***${body.vehicle.plate.slice(-2)}`);
    expect(created.body.expiresAt).toBe('2032-03-01T00:00:00.000+08:00');
    expect(created.body.startsAt).toMatch(OFFSET_TIME);
    expect(created.text).not.toContain(body.holder.phone);

    const updated = await put(no, { ...body, premium: 2980, claimFreeYears: 2, expiresAt: '2032-03-02' });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body).toMatchObject({
      policyNo: no,
      premium: 2980,
      claimFreeYears: 2,
      expiresAt: '2032-03-02T00:00:00.000+08:00',
    });
    const stored = await getInsurancePolicy(h.database.db, no);
    expect(stored).toMatchObject({ premium: 2980, claimFreeYears: 2, holder: { phone: body.holder.phone } });
  });

  it('refuses an invalid body with 400 and one error per field, unknown fields included, and stores nothing', async () => {
    const no = policyNo();
    const res = await put(
      no,
      insurancePolicyBody({
        holder: { name: '王小明', phone: '0755-8888' },
        vehicle: { plate: 'ABC' },
        premium: 10.001,
        colour: 'red',
        expiresAt: '2031-01-01',
      }),
    );
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain(PROBLEM);
    const paths = (res.body.errors as { path: string }[]).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['holder.phone', 'vehicle.plate', 'premium', 'colour']));
    expect(res.text).not.toContain('0755-8888');
    expect(await getInsurancePolicy(h.database.db, no)).toBeUndefined();

    // The dates are checked against each other once each is valid.
    const backwards = await put(no, insurancePolicyBody({ startsAt: '2032-03-01', expiresAt: '2031-03-01' }));
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors).toEqual([{ path: 'expiresAt', message: 'must be after startsAt' }]);

    const badNumber = await put('pd-lower-case', insurancePolicyBody());
    expect(badNumber.status).toBe(400);
    expect(badNumber.body.errors).toEqual([expect.objectContaining({ path: 'policyNo' })]);
  });

  it('refuses a date out of range (year 20) with 400 naming the field, on PUT and in the import', async () => {
    const no = policyNo();
    const res = await put(no, insurancePolicyBody({ startsAt: '0019-03-01', expiresAt: '0020-02-29' }));
    expect(res.status, res.text).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain('expiresAt');
    const imported = await importText(
      JSON.stringify([{ policyNo: no, ...insurancePolicyBody({ expiresAt: '0020-02-29' }) }]),
      'application/json',
    );
    expect(imported.status, imported.text).toBe(200);
    expect(imported.body).toMatchObject({ created: 0, rejectedTotal: 1 });
    expect(await getInsurancePolicy(h.database.db, no)).toBeUndefined();
  });

  it('is for managers and admins: agents and supervisors get 403', async () => {
    for (const token of [tokenFor('agent', 'renewals'), tokenFor('supervisor', 'renewals')]) {
      const res = await put(policyNo(), insurancePolicyBody(), token);
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toContain(PROBLEM);
    }
    expect((await put(policyNo(), insurancePolicyBody(), tokenFor('admin'))).status).toBe(201);
  });
});

describe('POST /policies/import', () => {
  it('names an unknown key with control characters in it escaped, as the document promises text without them', async () => {
    const no = policyNo();
    const imported = await importText(
      JSON.stringify([{ policyNo: no, ...insurancePolicyBody(), 'a\u0004b\u000b': 1 }]),
      'application/json',
    );
    expect(imported.status, imported.text).toBe(200);
    expect(imported.body.rejectedTotal).toBe(1);
    const [error] = imported.body.rejected[0].errors;
    expect(error.message).toContain('a\\u0004b\\u000b');
    // eslint-disable-next-line no-control-regex -- finding them is the point
    expect(imported.text).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/);
  });

  it('imports a JSON array: two good rows created, the bad one rejected by number with its fields; a second run updates', async () => {
    const [a, b, c] = [policyNo(), policyNo(), policyNo()];
    const rows = [
      { policyNo: a, ...insurancePolicyBody() },
      { policyNo: b, ...insurancePolicyBody({ holder: { name: '李四', phone: 'not-a-phone' }, product: 'lifetime' }) },
      { policyNo: c, ...insurancePolicyBody({ product: 'compulsory', premium: 950 }) },
    ];
    const first = await importText(JSON.stringify(rows), 'application/json');
    expect(first.status, first.text).toBe(200);
    expect(first.body).toMatchObject({ created: 2, updated: 0, rejectedTotal: 1, rows: 3 });
    expect(first.body.rejected).toHaveLength(1);
    expect(first.body.rejected[0].row).toBe(2);
    expect(first.body.rejected[0].errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'holder.phone',
      'product',
    ]);
    expect(first.text).not.toContain('not-a-phone');
    expect(await getInsurancePolicy(h.database.db, b)).toBeUndefined();
    expect(await getInsurancePolicy(h.database.db, c)).toMatchObject({ product: 'compulsory', premium: 950 });

    const again = await importText(JSON.stringify([rows[0], rows[2]]), 'application/json; charset=utf-8');
    expect(again.status, again.text).toBe(200);
    expect(again.body).toMatchObject({ created: 0, updated: 2, rejected: [], rejectedTotal: 0, rows: 2 });
  });

  it('imports a CSV with a header row, reading a quoted field with a comma as one value and rejecting a bad record', async () => {
    const [a, b, c] = [policyNo(), policyNo(), policyNo()];
    const [pa, pc] = [phone(), phone()];
    const csv = [
      'policyNo,holder.name,holder.phone,holder.email,vehicle.plate,product,startsAt,expiresAt,premium,claimFreeYears',
      `${a},"Li, Wei",${pa},li.wei@example.com,粤B12345,commercial,2031-03-01,2032-03-01,3200.00,2`,
      `${b},张三,13812341234,,粤B54321,commercial,2032-03-01,2031-03-01,abc,`,
      `${c},"陈""静""",${pc},,浙A88888,compulsory,2031-06-01T00:00:00+08:00,2032-06-01T00:00:00+08:00,950,`,
    ].join('\r\n');
    const res = await importText(csv, 'text/csv');
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ created: 2, updated: 0, rejectedTotal: 1, rows: 3 });
    expect(res.body.rejected).toEqual([
      { row: 2, errors: expect.arrayContaining([expect.objectContaining({ path: 'premium' })]) },
    ]);
    expect(await getInsurancePolicy(h.database.db, a)).toMatchObject({
      holder: { name: 'Li, Wei', phone: pa, email: 'li.wei@example.com' },
      claimFreeYears: 2,
    });
    expect(await getInsurancePolicy(h.database.db, c)).toMatchObject({
      holder: { name: '陈"静"', phone: pc, email: null },
      claimFreeYears: 0,
    });
    expect(await getInsurancePolicy(h.database.db, b)).toBeUndefined();
  });

  it('answers a file that cannot be read as a whole with 400, without quoting its data', async () => {
    const notArray = await importText(
      JSON.stringify({ policyNo: policyNo(), ...insurancePolicyBody() }),
      'application/json',
    );
    expect(notArray.status).toBe(400);
    expect(notArray.headers.get('content-type')).toContain(PROBLEM);
    expect(notArray.body.errors).toEqual([{ path: 'body', message: expect.stringContaining('JSON array') }]);

    const truncated = await importText(
      `[${JSON.stringify({ policyNo: policyNo(), ...insurancePolicyBody() })}`,
      'application/json',
    );
    expect(truncated.status).toBe(400);

    // A CSV sent without its header row: the first record is read as the header and refused, its cells not echoed.
    const customerPhone = phone();
    const headless = await importText(
      `${policyNo()},张三,${customerPhone},,粤B12345,commercial,2031-03-01,2032-03-01,3200,1\n`,
      'text/csv',
    );
    expect(headless.status).toBe(400);
    expect(headless.body.errors[0].message).toContain('CSV header');
    expect(headless.text).not.toContain(customerPhone);
    expect(headless.text).not.toContain('张三');
  });

  it('takes JSON or CSV only (415 otherwise) and is for managers and admins only', async () => {
    const plain = await importText('policyNo\n', 'text/plain');
    expect(plain.status).toBe(415);
    expect(plain.headers.get('content-type')).toContain(PROBLEM);
    expect((await importText('[]', 'application/json; charset=latin1')).status).toBe(415);
    expect((await importText('[]', 'application/json', tokenFor('supervisor', 'renewals'))).status).toBe(403);
    expect((await importText('[]', 'application/json', tokenFor('admin'))).body).toEqual({
      created: 0,
      updated: 0,
      rejected: [],
      rejectedTotal: 0,
      rows: 0,
    });
  });

  it('streams a body far over the JSON limit in small chunks, reporting progress on the server log', async () => {
    const prefix = `PS${randomUUID().slice(0, 6).toUpperCase()}`;
    const count = 12_000;
    const row = (i: number) =>
      JSON.stringify({
        policyNo: `${prefix}-${i}`,
        ...insurancePolicyBody({ holder: { name: '赵六', phone: phone() } }),
      });
    const encoder = new TextEncoder();
    let i = 0;
    // About 3 MB, sent 64 rows at a time: the JSON parser (256 kB) would refuse it if it saw it.
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (i >= count) {
          controller.enqueue(encoder.encode(']'));
          controller.close();
          return;
        }
        const opening = i === 0 ? '[' : ',';
        const parts: string[] = [];
        for (const end = Math.min(count, i + 64); i < end; i++) parts.push(row(i));
        controller.enqueue(encoder.encode(opening + parts.join(',')));
      },
    });
    try {
      const res = await fetch(`${h.api.url}/api/v1/policies/import`, {
        method: 'POST',
        headers: { authorization: `Bearer ${manager()}`, 'content-type': 'application/json' },
        body,
        duplex: 'half',
      });
      const result = (await res.json()) as Record<string, unknown>;
      expect(res.status, JSON.stringify(result)).toBe(200);
      expect(result).toMatchObject({ created: count, updated: 0, rejectedTotal: 0, rows: count });
      const progress = h.logs.filter((line) => line.includes('"policy import progress"'));
      expect(progress.length).toBeGreaterThanOrEqual(1);
      expect(h.logs.some((line) => line.includes('"policy import finished"') && line.includes(`"rows":${count}`))).toBe(
        true,
      );
    } finally {
      await sql`delete from insurance_policies where policy_no like ${`${prefix}-%`}`.execute(h.database.db);
    }
  });
});
