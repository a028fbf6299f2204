/**
 * Payloads sealed end to end: what staff type (a note, a consultation question) is stored in
 * Temporal's histories only as AES-256-GCM ciphertext; the key ring rotates (newest key seals, older
 * keys still open); payloads written before encryption still decode; the codec endpoint opens
 * histories for admins only, audited, with CORS for the Temporal UI's origin alone.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import {
  ENCRYPTED_ENCODING,
  KEY_ID_METADATA,
  PayloadEncryptionCodec,
  payloadKeyRingOf,
} from '../../infra/payload-codec';
import { claimWorkflowId } from '../../workflows/claim/contract';
import { tokenFor, uniqueTeam } from '../support/auth';
import { claimReport } from '../support/fixtures';
import { startApiHarness, type ApiHarness } from '../support/harness';
import { decodedPayloadText } from '../support/history';

const key = (byte: number) => Buffer.alloc(32, byte);
const text = (b: Uint8Array | null | undefined) => Buffer.from(b ?? []).toString('utf8');

describe('the payload codec', () => {
  it('seals with the newest key, opens with any key of the ring, and passes unsealed payloads through', async () => {
    const before = new PayloadEncryptionCodec([{ id: 'k1', key: key(1) }]);
    const rotated = new PayloadEncryptionCodec([
      { id: 'k2', key: key(2) },
      { id: 'k1', key: key(1) },
    ]);
    const plain = defaultPayloadConverter.toPayload({ note: '客户说明情况' });
    const [old] = await before.encode([plain]);
    expect(text(old!.metadata![KEY_ID_METADATA])).toBe('k1');
    expect(text(old!.metadata!.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(old!.data)).not.toContain('客户');

    const [opened] = await rotated.decode([old!]);
    expect(defaultPayloadConverter.fromPayload(opened!)).toEqual({ note: '客户说明情况' });
    const [sealedAgain] = await rotated.encode([plain]);
    expect(text(sealedAgain!.metadata![KEY_ID_METADATA])).toBe('k2');
    await expect(before.decode([sealedAgain!])).rejects.toThrow(/no payload key k2/);

    // Written before encryption (the committed replay histories): unchanged.
    expect(await rotated.decode([plain])).toEqual([plain]);
    // A tampered ciphertext does not open.
    const tampered = { ...sealedAgain!, data: Buffer.from(sealedAgain!.data!).fill(0, 20, 21) };
    await expect(rotated.decode([tampered])).rejects.toThrow();
  });
});

describe('histories on the dev server', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it("hold no readable text of ours; the codec endpoint opens them for admins only, audited, CORS for the UI's origin", async () => {
    const team = uniqueTeam();
    const agent = tokenFor('agent', team);
    const created = await h.api.request('POST', '/api/v1/claims', { token: agent, body: claimReport() });
    expect(created.status, created.text).toBe(201);
    const marker = `备注${randomUUID().slice(0, 8)} 客户王五 13900001111`;
    const note = await h.api.request('POST', `/api/v1/cases/${created.body.id}/notes`, {
      token: agent,
      body: { text: marker },
    });
    expect(note.status, note.text).toBe(200);

    // The raw history, as Temporal stores it and serves it without the codec.
    const raw = await h.env.client.workflowService.getWorkflowExecutionHistory({
      namespace: 'default',
      execution: { workflowId: claimWorkflowId(created.body.id) },
    });
    const bytes = Buffer.from(temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse.encode(raw).finish());
    for (const secret of [marker, '王五', '13900001111', '深圳市南山区科技园', 'policyNo', 'commercial'])
      expect(bytes.includes(Buffer.from(secret, 'utf8')), secret).toBe(false);
    const decoded = await decodedPayloadText(raw.history);
    expect(decoded).toContain(marker);

    // The codec endpoint, as the Temporal UI calls it.
    const sealed = raw.history!.events!.flatMap(
      (e) => e.workflowExecutionStartedEventAttributes?.input?.payloads ?? [],
    );
    expect(sealed.length).toBeGreaterThan(0);
    const body = {
      payloads: sealed.map((p) => ({
        metadata: Object.fromEntries(
          Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
        ),
        data: Buffer.from(p.data ?? []).toString('base64'),
      })),
    };
    const adminId = `admin-${team}`;
    const headers = { origin: h.config.temporal.uiOrigin, 'x-namespace': 'default' };
    const opened = await h.api.request('POST', '/codec/decode', {
      token: tokenFor('admin', undefined, adminId),
      body,
      headers,
    });
    expect(opened.status, opened.text).toBe(200);
    expect(opened.headers.get('access-control-allow-origin')).toBe(h.config.temporal.uiOrigin);
    const first = opened.body.payloads[0];
    expect(Buffer.from(first.metadata.encoding, 'base64').toString()).toBe('json/plain');
    expect(Buffer.from(first.data, 'base64').toString()).toContain(created.body.id);

    const encoded = await h.api.request('POST', '/codec/encode', { token: tokenFor('admin'), body: opened.body });
    expect(Buffer.from(encoded.body.payloads[0].metadata.encoding, 'base64').toString()).toBe(ENCRYPTED_ENCODING);

    for (const role of ['agent', 'supervisor', 'manager'] as const) {
      const refused = await h.api.request('POST', '/codec/decode', { token: tokenFor(role, team), body, headers });
      expect(refused.status).toBe(403);
    }
    expect((await h.api.request('POST', '/codec/decode', { body, headers })).status).toBe(401);

    const preflight = await fetch(`${h.api.url}/codec/decode`, {
      method: 'OPTIONS',
      headers: { origin: h.config.temporal.uiOrigin, 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    const elsewhere = await h.api.request('POST', '/codec/decode', {
      token: tokenFor('admin'),
      body,
      headers: { origin: 'https://evil.example' },
    });
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();

    const audit = await h.database.db.selectFrom('audit_log').selectAll().where('actor', '=', adminId).execute();
    expect(audit.map((a) => a.action)).toContain('payload.decode');
  });

  it('answers a payload sealed with a key the ring does not hold, or altered, with 400 problem+json', async () => {
    const foreign = new PayloadEncryptionCodec([{ id: 'retired-2019', key: key(9) }]);
    const [sealed] = await foreign.encode([defaultPayloadConverter.toPayload({ note: 'x' })]);
    const asJson = (p: typeof sealed) => ({
      metadata: Object.fromEntries(
        Object.entries(p!.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
      ),
      data: Buffer.from(p!.data ?? []).toString('base64'),
    });
    const unknownKey = await h.api.request('POST', '/codec/decode', {
      token: tokenFor('admin'),
      body: { payloads: [asJson(sealed)] },
    });
    expect(unknownKey.status, unknownKey.text).toBe(400);
    expect(unknownKey.headers.get('content-type')).toContain('application/problem+json');
    expect(unknownKey.body).toMatchObject({ status: 400, errors: [{ path: 'payloads' }] });
    expect(unknownKey.body.errors[0].message).toContain('retired-2019');

    const [ours] = await new PayloadEncryptionCodec(payloadKeyRingOf(h.config)).encode([
      defaultPayloadConverter.toPayload({ note: 'y' }),
    ]);
    const altered = asJson(ours);
    const bytes = Buffer.from(altered.data, 'base64');
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 1, bytes.length - 1);
    altered.data = bytes.toString('base64');
    const tampered = await h.api.request('POST', '/codec/decode', {
      token: tokenFor('admin'),
      body: { payloads: [altered] },
    });
    expect(tampered.status, tampered.text).toBe(400);
    expect(tampered.headers.get('content-type')).toContain('application/problem+json');
  });
});
