/**
 * Every log line goes through redaction, whoever writes it: personal fields at any depth, driver
 * errors without the data they quote, personal-looking text masked — through our loggers and
 * through the Temporal SDK's runtime logger alike.
 */
import { Writable } from 'node:stream';
import { Runtime } from '@temporalio/worker';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../infra/logger';
import { redactFields, redactText } from '../../infra/redaction';
import { installTemporalRuntime } from '../../infra/temporal-runtime';
import { testDatabaseUrl } from '../support/env';

function memoryLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger('info', 'test', stream), lines };
}

/** A real PostgreSQL error whose detail and context quote what it was given. */
async function databaseErrorQuoting(text: string): Promise<Error> {
  const client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    await client.query('select $1::jsonb', [JSON.stringify({ text })]);
    throw new Error('expected PostgreSQL to refuse the NUL');
  } catch (err) {
    return err as Error;
  } finally {
    await client.end();
  }
}

const PERSONAL = ['张伟', '13812345678', '110101199003071234', '粤B12345', 'zhang.wei@example.com'];
const SENTENCE = '张伟 13812345678 110101199003071234 粤B12345 zhang.wei@example.com';

describe('log redaction', () => {
  it('masks phones, ID numbers, plates and e-mail addresses in free text', () => {
    const masked = redactText(`客户 ${SENTENCE.slice(3)}`);
    for (const value of PERSONAL.slice(1)) expect(masked).not.toContain(value);
    expect(masked).toContain('[phone]');
  });

  it('replaces personal fields at any depth', () => {
    const out = JSON.stringify(redactFields({ a: { b: { c: { reporter: { name: '张伟' }, text: '张伟说' } } } }));
    expect(out).not.toContain('张伟');
  });

  it('keeps a PostgreSQL error to its class, code and message, without the data it quotes', async () => {
    const err = await databaseErrorQuoting(`${SENTENCE}\u0000`);
    expect(JSON.stringify(err)).toContain('zhang.wei@example.com'); // the driver does quote it
    const { logger, lines } = memoryLogger();
    logger.warn({ error: err }, 'Activity failed');
    logger.error({ err }, 'unhandled');
    logger.warn(err, 'first-argument error');
    const out = lines.join('\n');
    for (const value of PERSONAL) expect(out).not.toContain(value);
    expect(out).toContain('22P05');
  });

  it('routes the Temporal SDK runtime logger, with the errors it logs, through the same redaction', async () => {
    const { logger, lines } = memoryLogger();
    installTemporalRuntime(logger, 'INFO');
    const err = await databaseErrorQuoting(`${SENTENCE}\u0000`);
    Runtime.instance().logger.warn('Activity failed', { error: err, sdkComponent: 'activity' });
    // A name in free text cannot be told from other words; everything shaped like personal data can.
    Runtime.instance().logger.warn(`reporter reached on ${SENTENCE.slice(3)}`);
    // With native logs forwarded, the runtime buffers lines for 100 ms to sort them by time.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const out = lines.join('\n');
    expect(out).toContain('Activity failed');
    expect(out).toContain('temporal-sdk');
    for (const value of PERSONAL) expect(out).not.toContain(value);
  });
});
