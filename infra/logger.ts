/**
 * One pino logger for every process, and every line it writes goes through redaction
 * (infra/redaction.ts): personal fields at any depth, errors reduced to what is safe, personal-looking
 * text masked. Code still logs ids and codes rather than bodies; the redaction is for what it cannot
 * control, such as a driver error quoting its parameters or the Temporal SDK logging a failure.
 */
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { CENSOR, redactFields, redactText, safeError } from './redaction';

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

/** The options every motordesk logger is built with (tests build their in-memory loggers from these too). */
export function loggerOptions(level: string, name?: string): LoggerOptions {
  return {
    ...(name ? { name } : {}),
    level,
    redact: { paths: REDACTED_PATHS, censor: CENSOR },
    // pino's own error serializer would copy every enumerable property (a driver's `detail` too).
    serializers: { err: serializeError, error: serializeError },
    formatters: { log: (fields) => redactFields(fields) as Record<string, unknown> },
    hooks: {
      // The message and any interpolation arguments are text too.
      logMethod(args, method) {
        const cleaned = args.map((arg: unknown) =>
          typeof arg === 'string' ? redactText(arg) : arg instanceof Error ? redactFields({ err: arg }) : arg,
        ) as Parameters<typeof method>;
        method.apply(this, cleaned);
      },
    },
  };
}

function serializeError(value: unknown): unknown {
  return value instanceof Error ? safeError(value) : value;
}

export function createLogger(level: string, name = 'motordesk', destination?: DestinationStream): Logger {
  return destination ? pino(loggerOptions(level, name), destination) : pino(loggerOptions(level, name));
}
