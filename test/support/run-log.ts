/**
 * The run's log folder (MOTORDESK_RUN_LOG_DIR, set by scripts/test-run.sh for `npm test`): every log
 * line a test's app, worker or child process wrote is appended there, so that after the run
 * scripts/scan-personal-data.ts can prove none of them holds the personal data the tests used.
 * Unset (a single file run with `npx vitest run …`): nothing is written.
 */
import fs from 'node:fs';
import path from 'node:path';

export function runLogDir(): string | undefined {
  return process.env.MOTORDESK_RUN_LOG_DIR || undefined;
}

/** Appends `text` to `<run log dir>/<name>` (synchronously: a forked test process may exit right after). */
export function appendRunLog(name: string, text: string): void {
  const dir = runLogDir();
  if (!dir || !text) return;
  fs.mkdirSync(dir, { recursive: true });
  fs.appendFileSync(path.join(dir, name), text);
}
