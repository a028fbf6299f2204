/** A pino logger with the production options (redaction included), writing into memory so tests can read the lines. */
import pino, { type Logger } from 'pino';
import { loggerOptions } from '../../infra/logger';
import { appendRunLog } from './run-log';

export interface CapturedLogger {
  logger: Logger;
  lines: string[];
}

export function captureLogger(level = 'info'): CapturedLogger {
  const lines: string[] = [];
  // Errors also go to stderr: a 500 in a test run should say why without re-running it.
  const write = (line: string) => {
    lines.push(line);
    appendRunLog(`app-${process.pid}.ndjson`, line.endsWith('\n') ? line : `${line}\n`);
    if ((JSON.parse(line) as { level: number }).level >= 50) process.stderr.write(line);
  };
  const logger = pino(loggerOptions(level), { write });
  return { logger, lines };
}
