/**
 * Temporal payloads sealed with AES-256-GCM before they leave the process, so free text staff type
 * (a note, a question, a customer's comment) is never stored readable in Temporal's histories.
 *
 * A sealed payload: metadata `encoding: binary/encrypted`, `encryption-key-id: <id>`,
 * `encryption-cipher: AES/GCM/NoPadding`; data = 12-byte IV ‖ ciphertext ‖ 16-byte tag of the whole
 * original payload (protobuf, its metadata included), the layout of Temporal's encryption samples.
 * The key ring encrypts with its first (newest) key and decrypts with any key it holds, so a rotation
 * is: put the new key first, keep the old ones until no open history needs them. A payload without
 * our encoding (histories written before encryption, the committed replay histories) passes through.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec, ValueError } from '@temporalio/common';
import type { DataConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const CIPHER_METADATA = 'encryption-cipher';
const CIPHER = 'AES/GCM/NoPadding';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface PayloadKey {
  id: string;
  key: Buffer;
}

/** The newest key first: it encrypts; every key decrypts. */
export type PayloadKeyRing = readonly PayloadKey[];

const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | null | undefined) => (b ? Buffer.from(b).toString('utf8') : undefined);

export class PayloadEncryptionCodec implements PayloadCodec {
  private readonly keys: Map<string, Buffer>;
  private readonly current: PayloadKey;

  constructor(ring: PayloadKeyRing) {
    const [current] = ring;
    if (!current) throw new Error('the payload key ring is empty');
    for (const { id, key } of ring) if (key.length !== 32) throw new Error(`payload key ${id} is not 32 bytes`);
    this.current = current;
    this.keys = new Map(ring.map(({ id, key }) => [id, key]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const iv = crypto.randomBytes(IV_BYTES);
      const cipher = crypto.createCipheriv('aes-256-gcm', this.current.key, iv);
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: {
          [METADATA_ENCODING_KEY]: utf8(ENCRYPTED_ENCODING),
          [KEY_ID_METADATA]: utf8(this.current.id),
          [CIPHER_METADATA]: utf8(CIPHER),
        },
        data: sealed,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (text(payload.metadata?.[METADATA_ENCODING_KEY]) !== ENCRYPTED_ENCODING) return payload;
      const keyId = text(payload.metadata?.[KEY_ID_METADATA]);
      const key = keyId === undefined ? undefined : this.keys.get(keyId);
      if (!key) throw new ValueError(`no payload key ${keyId ?? '(none named)'} in the key ring`);
      const data = Buffer.from(payload.data ?? new Uint8Array());
      if (data.length < IV_BYTES + TAG_BYTES) throw new ValueError('sealed payload too short');
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      let plain: Buffer;
      try {
        plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      } catch {
        // GCM's tag did not match: another key under the same id, or altered bytes.
        throw new ValueError(`sealed payload does not open with key ${keyId}`);
      }
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }
}

/** The module the workflow bundle and workers load for failures: messages and stack traces as payloads. */
export const FAILURE_CONVERTER_PATH = path.join(__dirname, 'failure-converter.js');

/** Every client and worker of ours: the sealing codec and failure messages moved into (sealed) payloads. */
export function sealedDataConverter(ring: PayloadKeyRing): DataConverter {
  return {
    payloadCodecs: [new PayloadEncryptionCodec(ring)],
    failureConverterPath: FAILURE_CONVERTER_PATH,
  };
}

/**
 * `id:base64key` entries separated by commas or new lines, newest first (PAYLOAD_KEYS or the file
 * PAYLOAD_KEYS_FILE names). Each key is 32 random bytes, base64: `openssl rand -base64 32`.
 */
export function parsePayloadKeyRing(spec: string): PayloadKey[] {
  const entries = spec
    .split(/[,\n]/)
    .map((e) => e.trim())
    .filter((e) => e && !e.startsWith('#'));
  const ring = entries.map((entry) => {
    const at = entry.indexOf(':');
    const id = entry.slice(0, at).trim();
    const key = Buffer.from(entry.slice(at + 1).trim(), 'base64');
    if (at < 1 || !/^[\w.-]{1,64}$/.test(id)) throw new Error('a payload key entry is id:base64key');
    if (key.length !== 32) throw new Error(`payload key ${id} must be 32 bytes (base64 of 32 random bytes)`);
    return { id, key };
  });
  if (new Set(ring.map((k) => k.id)).size !== ring.length) throw new Error('payload key ids must be unique');
  return ring;
}

/**
 * The ring in force: PAYLOAD_KEYS / PAYLOAD_KEYS_FILE, or outside production the embedded mode's
 * generated one (config refuses production without keys).
 */
export function payloadKeyRingOf(config: { payloadKeys: PayloadKeyRing | undefined; dataDir: string }): PayloadKeyRing {
  return config.payloadKeys ?? devPayloadKeyRing(config.dataDir);
}

/** The embedded mode's ring: one key generated under the data directory once, kept across restarts. */
export function devPayloadKeyRing(dataDir: string): PayloadKey[] {
  const file = path.join(dataDir, 'dev-payload-keys');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    const id = `dev-${new Date().toISOString().slice(0, 10)}`;
    fs.writeFileSync(file, `${id}:${crypto.randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  }
  return parsePayloadKeyRing(fs.readFileSync(file, 'utf8'));
}
