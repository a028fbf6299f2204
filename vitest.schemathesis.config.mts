import { defineConfig } from 'vitest/config';
import faults from './vitest.faults.config.mts';

/**
 * `npm run test:schemathesis`: the schemathesis probe (test/faults/schemathesis.probe.ts) in the
 * drills' room (their global set-up, one at a time). Not yet in `npm run test:faults` (so not in CI):
 * it still finds cross-field rules the OpenAPI document does not state (see the issue notes).
 */
export default defineConfig({ ...faults, test: { ...faults.test, include: ['test/faults/schemathesis.probe.ts'] } });
