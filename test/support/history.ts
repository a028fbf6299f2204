import type { Payload } from '@temporalio/common';
import { PayloadEncryptionCodec, payloadKeyRingOf } from '../../infra/payload-codec';
import { testConfig } from './config';

/** Every payload of a workflow history as text (payloads are JSON bytes), so a personal value in any input would show. */
export function payloadText(history: unknown): string {
  const parts: string[] = [];
  const walk = (value: unknown): void => {
    if (value instanceof Uint8Array) parts.push(Buffer.from(value).toString('utf8'));
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(history);
  return parts.join('\n');
}

/**
 * The same, after the payload codec opened every sealed payload: what an operator with the codec
 * endpoint would read. `payloadText` of the raw history shows what Temporal stores.
 */
export async function decodedPayloadText(history: unknown): Promise<string> {
  const codec = new PayloadEncryptionCodec(payloadKeyRingOf(testConfig()));
  const payloads: Payload[] = [];
  const walk = (value: unknown): void => {
    if (!value || typeof value !== 'object' || value instanceof Uint8Array) return;
    if (Array.isArray(value)) return value.forEach(walk);
    const record = value as Record<string, unknown>;
    if (record.data instanceof Uint8Array && record.metadata && typeof record.metadata === 'object')
      payloads.push(record);
    else Object.values(record).forEach(walk);
  };
  walk(history);
  return payloadText(await codec.decode(payloads));
}
