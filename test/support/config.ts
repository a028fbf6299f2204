/** A configuration for tests, from an explicit environment (never the developer's shell). */
import os from 'node:os';
import { type Config, loadConfig } from '../../config';

export const TEST_JWT_SECRET = 'motordesk-test-secret-0123456789';

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: 'silent',
    MOTORDESK_DATA_DIR: os.tmpdir(),
    NODE_ENV: 'test',
    ...env,
  });
}
