/**
 * The personal-data scan that follows `npm test` (scripts/scan-personal-data.ts) finds what it is
 * meant to: a marker in a log line, a name inside a base64 payload of a raw history; and passes a
 * folder without either. It never prints the value it found.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../support/env';

const ROOT = path.resolve(__dirname, '..', '..');
const run = promisify(execFile);

async function scan(dir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(
      path.join(ROOT, 'node_modules', '.bin', 'tsx'),
      [path.join(ROOT, 'scripts', 'scan-personal-data.ts'), dir],
      { cwd: ROOT, env: { ...process.env, DATABASE_URL: testDatabaseUrl() } },
    );
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function history(payloadJson: unknown): string {
  const data = Buffer.from(JSON.stringify(payloadJson)).toString('base64');
  const metadata = { encoding: Buffer.from('json/plain').toString('base64') };
  const event = {
    eventId: '1',
    workflowExecutionStartedEventAttributes: { input: { payloads: [{ metadata, data }] } },
  };
  return `${JSON.stringify({ workflowId: 'w', runId: 'r', type: 'claimWorkflow', history: { events: [event] } })}\n`;
}

describe('personal-data scan', () => {
  it('fails on a marker in a log line and a name inside a raw history payload, masked', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motordesk-scan-'));
    fs.writeFileSync(path.join(dir, 'app-1.ndjson'), '{"msg":"ok"}\n{"msg":"note OLD-NOTE-MARK"}\n');
    fs.writeFileSync(path.join(dir, 'temporal-histories.ndjson'), history({ reporter: { name: '慕容复' } }));
    const result = await scan(dir);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout.replace(/^scan-personal-data: /, '')).hits).toBe(2);
    expect(result.stderr).toContain('app-1.ndjson:2 marker');
    // A marker, or personal data when another test of the run stored the same name: found either way.
    expect(result.stderr).toMatch(/temporal-histories\.ndjson:1 (marker|personal)/);
    expect(result.stderr).not.toContain('OLD-NOTE-MARK');
    expect(result.stderr).not.toContain('慕容复');
  });

  it('passes a folder whose logs and histories hold none', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motordesk-scan-'));
    fs.writeFileSync(path.join(dir, 'app-1.ndjson'), '{"msg":"case opened","caseId":"CL20261202ABCDEF"}\n');
    fs.writeFileSync(path.join(dir, 'temporal-histories.ndjson'), history({ caseId: 'CL20261202ABCDEF' }));
    const result = await scan(dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});
