/**
 * Importing policies into the real PostgreSQL: a JSON array and a CSV, with bad rows that are
 * reported by number and never stop or corrupt the others; upserts tell created from updated.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenedDatabase } from '../../db/connection';
import { getInsurancePolicy } from '../../db/repositories/insurance-policies';
import {
  ImportAbortedError,
  importInsurancePolicies,
  InvalidInsurancePolicyError,
  upsertInsurancePolicy,
  type ImportProgress,
} from '../../services/insurance-policy-import';
import { openTestDatabase } from '../support/db';

let database: OpenedDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

// Expiries far beyond renewal.window, so the sweep tests running beside these never pick them up.
const policy = (policyNo: string, overrides: Record<string, unknown> = {}) => ({
  policyNo,
  holder: { name: '李娜', phone: '13912345678', email: 'li.na@example.com' },
  vehicle: { plate: '沪A12345' },
  product: 'commercial',
  startsAt: '2031-03-01T00:00:00+08:00',
  expiresAt: '2032-03-01T00:00:00+08:00',
  premium: 3888.88,
  ...overrides,
});
const prefix = () => `IMP${randomUUID().slice(0, 6).toUpperCase()}`;
/** A source that hands the text over in small pieces, splitting rows, quotes and multi-byte characters. */
const chunked = (text: string, size: number) =>
  Readable.from(
    Array.from({ length: Math.ceil(Buffer.byteLength(text) / size) }, (_, i) =>
      Buffer.from(text).subarray(i * size, (i + 1) * size),
    ),
  );

describe('policy import', () => {
  it('imports a JSON array, rejecting bad rows by number with field errors, and updates on a second run', async () => {
    const p = prefix();
    const rows = [
      policy(`${p}-1`),
      policy(`${p}-2`, { holder: { name: '王', phone: '12345678901' } }),
      policy(`${p}-3`, { premium: -1 }),
      policy(`${p}-4`, { startsAt: '2033-01-01' }),
      policy(`${p}-5`, { product: 'compulsory', premium: 950 }),
    ];
    const text = `[${rows.map((r) => JSON.stringify(r)).join(',\n')}, {"policyNo": }]`;
    const progress: ImportProgress[] = [];
    const result = await importInsurancePolicies(database.db, chunked(text, 7), 'json', {
      batchSize: 2,
      onProgress: (e) => progress.push(e),
    });
    expect(result).toMatchObject({ created: 2, updated: 0, rejectedTotal: 4, rows: 6 });
    expect(result.rejected.map((r) => [r.row, r.errors.map((e) => e.path)])).toEqual([
      [2, ['holder.phone']],
      [3, ['premium']],
      [4, ['expiresAt']],
      [6, ['(row)']],
    ]);
    expect(progress.at(-1)).toMatchObject({ done: true, created: 2, rejected: 4, bytes: Buffer.byteLength(text) });
    expect(await getInsurancePolicy(database.db, `${p}-5`)).toMatchObject({
      product: 'compulsory',
      premium: 950,
      holder: { email: 'li.na@example.com' },
    });

    const again = await importInsurancePolicies(
      database.db,
      Readable.from([JSON.stringify([policy(`${p}-1`, { premium: 100 }), policy(`${p}-6`)])]),
      'json',
    );
    expect(again).toMatchObject({ created: 1, updated: 1, rejectedTotal: 0 });
    expect((await getInsurancePolicy(database.db, `${p}-1`))?.premium).toBe(100);
  });

  it('imports a CSV with a header row, quoted fields, commas, CRLF and a BOM', async () => {
    const p = prefix();
    const csv = [
      '\ufeffpolicyNo,holder.name,holder.phone,holder.email,vehicle.plate,product,startsAt,expiresAt,premium,claimFreeYears',
      `${p}-1,"张, 伟",13812341234,,粤B12345,commercial,2031-03-01,2032-03-01,"4,000.00",3`,
      `${p}-2,"周""小""明",13812341235,zhou@example.com,粤BD12345,compulsory,2031-03-01,2032-03-01,950,`,
      `${p}-3,"多行\r\n备注",13812341236,,粤B1234,commercial,2031-03-01,2032-03-01,1000,`,
      `${p}-4,赵六,13812341237,,京A12345,commercial,2031-03-01,2032-03-01,1200.5,1`,
      '',
    ].join('\r\n');
    const result = await importInsurancePolicies(database.db, chunked(csv, 5), 'csv');
    expect(result.created).toBe(2);
    expect(result.rejected.map((r) => [r.row, r.errors.map((e) => e.path)])).toEqual([
      [1, ['premium']],
      [3, ['vehicle.plate']],
    ]);
    expect(await getInsurancePolicy(database.db, `${p}-2`)).toMatchObject({
      holder: { name: '周"小"明', email: 'zhou@example.com' },
      plate: '粤BD12345',
      claimFreeYears: 0,
    });
    expect(await getInsurancePolicy(database.db, `${p}-4`)).toMatchObject({ premium: 1200.5, claimFreeYears: 1 });
  });

  it('keeps the last of a policy repeated within one batch', async () => {
    const p = prefix();
    const result = await importInsurancePolicies(
      database.db,
      Readable.from([JSON.stringify([policy(`${p}-1`), policy(`${p}-1`, { premium: 1 })])]),
      'json',
    );
    expect(result).toMatchObject({ created: 1, updated: 1 });
    expect((await getInsurancePolicy(database.db, `${p}-1`))?.premium).toBe(1);
  });

  it('stops with a format error on a file that is not a policy file, keeping what was written', async () => {
    await expect(
      importInsurancePolicies(database.db, Readable.from(['{"policyNo": "X"}']), 'json'),
    ).rejects.toBeInstanceOf(ImportAbortedError);
    await expect(
      importInsurancePolicies(database.db, Readable.from(['policyNo,colour\nA,red\n']), 'csv'),
    ).rejects.toThrow(/unknown column "colour"/);
    const p = prefix();
    const err = await importInsurancePolicies(
      database.db,
      Readable.from([`[${JSON.stringify(policy(`${p}-1`))}, {"unclosed": [`]),
      'json',
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportAbortedError);
    expect((err as ImportAbortedError).partial.created).toBe(1);
  });

  it('upserts one policy: created, then updated; an invalid body names its fields', async () => {
    const no = `${prefix()}-1`;
    const { policyNo: _policyNo, ...body } = policy(no);
    expect((await upsertInsurancePolicy(database.db, no, body)).outcome).toBe('created');
    expect((await upsertInsurancePolicy(database.db, no, { ...body, premium: 10 })).outcome).toBe('updated');
    const err = await upsertInsurancePolicy(database.db, 'lower-case', { ...body, extra: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInsurancePolicyError);
    expect((err as InvalidInsurancePolicyError).errors.map((e) => e.path)).toEqual(['policyNo', '(row)']);
  });
});
