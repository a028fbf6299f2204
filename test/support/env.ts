/** What the global set-up shared with this test file; fails loudly with the set-up's own error. */
import { inject } from 'vitest';

export function testDatabaseUrl(): string {
  const error = inject('databaseError');
  if (error) throw new Error(`the test database is not available: ${error}`);
  return inject('databaseUrl');
}

export function testTemporalAddress(): string {
  const error = inject('temporalError');
  if (error) throw new Error(`the Temporal dev server did not start: ${error}`);
  return inject('temporalAddress');
}

export function testWorkflowBundlePath(): string {
  const error = inject('workflowBundleError');
  if (error) throw new Error(`the workflow bundle did not build: ${error}`);
  return inject('workflowBundlePath');
}
