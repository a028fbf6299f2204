/**
 * Drill (npm run test:faults, so CI): schemathesis (pinned in scripts/setup.sh, from the Python
 * package index into .tools/venv) runs every check against the served /openapi.json of a
 * production-mode API and worker, a bounded number of examples per operation, as an admin (the role
 * that may call the most; the openings as a supervisor, see the toml): no server error, no response
 * that is not what the document says, nothing the document allows refused and nothing it forbids
 * accepted. What it tolerates beyond its defaults is in schemathesis.toml, per operation, each with
 * its reason. Its output and JUnit report stay in the drill's log directory.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, inject, it } from 'vitest';
import { loadConfig } from '../../config';
import { printFigures, seconds } from './support/figures';
import { ROOT, drillLogDir, freshDrillDatabase, startStack } from './support/stack';
import { devServer } from './support/temporal';

const SCHEMATHESIS = path.join(ROOT, '.tools', 'venv', 'bin', 'schemathesis');
/** Examples per operation and phase: enough to meet every constraint once, bounded in time. */
const MAX_EXAMPLES = 10;
const SEED = 8;

it('finds no server error and no response or refusal the OpenAPI document does not describe', async () => {
  expect(fs.existsSync(SCHEMATHESIS), `${SCHEMATHESIS} is missing: run npm run setup`).toBe(true);
  const logDir = drillLogDir('schemathesis');
  const temporal = await devServer({ cliPath: loadConfig().temporal.cliPath, logDir });
  await temporal.start();
  const databaseUrl = await freshDrillDatabase('schemathesis');
  const stack = await startStack({
    logDir,
    temporalAddress: temporal.address,
    databaseUrl,
    workflowBundlePath: inject('drillBundlePath'),
  });
  try {
    const started = Date.now();
    const { code, output } = await run(
      SCHEMATHESIS,
      { MOTORDESK_DRILL_SUPERVISOR_TOKEN: stack.token('supervisor', 'drill') },
      [
        '--config-file',
        path.join(__dirname, 'schemathesis.toml'),
        'run',
        `${stack.url}/api/v1/openapi.json`,
        '--checks',
        'all',
        '--max-examples',
        String(MAX_EXAMPLES),
        '--seed',
        String(SEED),
        '--workers',
        '1',
        '--phases',
        'examples,coverage,fuzzing',
        '--request-timeout',
        '30',
        '--header',
        `Authorization: Bearer ${stack.token('admin', 'drill')}`,
        '--generation-database',
        'none',
        '--no-color',
        '--report',
        'junit',
        '--report-dir',
        logDir,
      ],
    );
    fs.writeFileSync(path.join(logDir, 'schemathesis.txt'), output);
    const figures = summaryFigures(output);
    printFigures('schemathesis', {
      'examples per operation and phase': MAX_EXAMPLES,
      seed: SEED,
      operations: figures.operations,
      'test cases': figures.testCases,
      failures: figures.failures,
      errors: figures.errors,
      'exit code': code,
      'run time': seconds(Date.now() - started),
      ...(code === 0
        ? {}
        : { summary: `\n${output.slice(output.lastIndexOf('SUMMARY')).split('\n').slice(0, 40).join('\n')}` }),
      logs: logDir,
    });
    expect(code, `schemathesis found failures; see ${path.join(logDir, 'schemathesis.txt')}`).toBe(0);
  } finally {
    await stack.close();
    await temporal.stop();
  }
});

/** The figures of schemathesis's summary: operations tested, test cases generated, failures and errors. */
function summaryFigures(output: string): { operations: string; testCases: string; failures: number; errors: number } {
  const summary = output.slice(output.lastIndexOf('SUMMARY'));
  const last = summary.trimEnd().split('\n').at(-1) ?? '';
  const count = (word: string) => Number(new RegExp(`(\\d+) ${word}`).exec(last)?.[1] ?? 0);
  return {
    operations: /Tested: (\d+)/.exec(summary)?.[1] ?? '?',
    testCases: /(\d+) generated/.exec(summary)?.[1] ?? '?',
    failures: count('failures?'),
    errors: count('errors?'),
  };
}

function run(command: string, env: Record<string, string>, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024, timeout: 900_000 },
      (err, stdout, stderr) => {
        const code = err
          ? typeof (err as { code?: unknown }).code === 'number'
            ? (err as { code: number }).code
            : -1
          : 0;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}
