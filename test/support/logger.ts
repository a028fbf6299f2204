/** A pino logger with the production redaction, writing into memory so tests can read the lines. */
import pino, { type Logger } from 'pino';
import { REDACTED_PATHS } from '../../infra/logger';

export interface CapturedLogger {
  logger: Logger;
  lines: string[];
}

export function captureLogger(level = 'info'): CapturedLogger {
  const lines: string[] = [];
  const logger = pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, { write: (line: string) => void lines.push(line) });
  return { logger, lines };
}
