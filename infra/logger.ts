/**
 * One pino logger for every process. Personal data never reaches a log line: the paths below are
 * redacted wherever they appear, and code logs ids and codes rather than bodies.
 */
import pino, { type Logger } from 'pino';

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.phone',
  '*.email',
  '*.plate',
  '*.idNumber',
  '*.bankAccount',
  '*.reporter',
  '*.customer',
  '*.holder',
  '*.vehicle',
  'reporter',
  'customer',
  'holder',
  'vehicle',
];

export function createLogger(level: string, name = 'motordesk'): Logger {
  return pino({ name, level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } });
}
