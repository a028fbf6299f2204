/**
 * Connection options for a self-hosted Temporal cluster or Temporal Cloud (TLS, mTLS or API key),
 * shared by the API's client connection and the worker's native connection.
 */
import fs from 'node:fs';
import { defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import type { TemporalConfig } from '../config';

export interface TemporalConnectionOptions {
  address: string;
  tls?:
    | { serverNameOverride?: string; serverRootCACertificate?: Buffer; clientCertPair?: { crt: Buffer; key: Buffer } }
    | false;
  apiKey?: string;
}

export function temporalConnectionOptions(
  temporal: TemporalConfig,
  address = temporal.address,
): TemporalConnectionOptions {
  if (!address) throw new Error('TEMPORAL_ADDRESS is not set and no embedded server address was given');
  const { tls } = temporal;
  if (!tls.enabled) return { address, apiKey: temporal.apiKey };
  return {
    address,
    apiKey: temporal.apiKey,
    tls: {
      serverNameOverride: tls.serverName,
      serverRootCACertificate: tls.caPath ? fs.readFileSync(tls.caPath) : undefined,
      clientCertPair:
        tls.certPath && tls.keyPath
          ? { crt: fs.readFileSync(tls.certPath), key: fs.readFileSync(tls.keyPath) }
          : undefined,
    },
  };
}

/**
 * For the API's client: a request should learn within a second or two that Temporal is down and
 * answer 503 + Retry-After, instead of riding out ~20 s of the SDK's default retries.
 */
export function apiClientInterceptors() {
  return [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 3 }))];
}
