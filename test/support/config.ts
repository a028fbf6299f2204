/** A configuration for tests, from an explicit environment (never the developer's shell). */
import os from 'node:os';
import { type Config, loadConfig } from '../../config';

export const TEST_JWT_SECRET = 'motordesk-test-secret-0123456789';

/** The tests' payload key ring: the API harness, its workers and the raw-history checks share it. */
export const TEST_PAYLOAD_KEYS = `test-2026b:${Buffer.alloc(32, 7).toString('base64')},test-2026a:${Buffer.alloc(32, 3).toString('base64')}`;

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    JWT_SECRET: TEST_JWT_SECRET,
    PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
    LOG_LEVEL: 'silent',
    MOTORDESK_DATA_DIR: os.tmpdir(),
    NODE_ENV: 'test',
    // Test files share one dev server and its task queue: one file's backlog must not refuse another's
    // openings (test/api/back-pressure.test.ts turns it on against a queue of its own).
    BACKPRESSURE_MAX_BACKLOG_AGE_MS: '0',
    // A loaded CI machine can hold an Update past the 10 s default; test/api/request-deadline.test.ts
    // tests the deadline itself with its own.
    REQUEST_TIMEOUT_MS: '30000',
    ...env,
  });
}
