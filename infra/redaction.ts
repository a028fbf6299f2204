/**
 * What every log line passes through before it is written, whoever wrote it (our code, the Temporal
 * SDK, its native core): personal data must never reach a log. Three nets, from the surest to the
 * last resort:
 * - fields named for personal data (`phone`, `reporter`, a note's `text` ...) are replaced at any depth;
 * - an error is reduced to its class, codes, message and stack frames: drivers attach the data they
 *   choked on (PostgreSQL's `detail` and `where` quote the bound parameters and the JSON text), and a
 *   database error's message may quote a value, so its quoted parts are dropped too;
 * - in any text left, what looks like a mobile number, an ID number, a plate or an e-mail is masked.
 */

export const CENSOR = '[redacted]';

/** Keys whose values are personal data (or free text that may hold it), wherever they appear. */
const PERSONAL_KEYS = new Set([
  'phone',
  'email',
  'plate',
  'idNumber',
  'bankAccount',
  'reporter',
  'customer',
  'holder',
  'vehicle',
  'recipient',
  'text',
  'note',
  'comment',
  'question',
  'answer',
  'description',
  'location',
  'authorization',
  'cookie',
]);

/** Keys drivers put on errors that carry the data they were handed. */
const ERROR_DATA_KEYS = new Set(['detail', 'where', 'hint', 'parameters', 'query', 'body', 'internalQuery']);

const MAX_DEPTH = 6;
const MAX_TEXT = 2_000;

const PATTERNS: [RegExp, string][] = [
  [/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, '[email]'],
  [/(?<![0-9])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9])/g, '[id-number]'],
  [/(?<![0-9])(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?![0-9])/g, '[phone]'],
  [
    /[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领][A-HJ-NP-Z][A-HJ-NP-Z0-9]{4,6}[挂学警港澳]?/g,
    '[plate]',
  ],
  [/(?<![0-9])\d{16,19}(?![0-9])/g, '[account]'],
];

/** Masks what looks like personal data in free text. */
export function redactText(text: string): string {
  let out = text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
  for (const [pattern, mask] of PATTERNS) out = out.replace(pattern, mask);
  return out;
}

/** A PostgreSQL error (pg's DatabaseError, PGlite's): a SQLSTATE and a severity. */
function isDatabaseError(err: object): boolean {
  const { code, severity } = err as { code?: unknown; severity?: unknown };
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && typeof severity === 'string';
}

function withoutQuotedValues(text: string): string {
  return text.replace(/"(?:[^"\\]|\\.)*"/g, '"…"');
}

/** An error as a log line may show it: class, codes, message, frames, and its cause the same way. */
export function safeError(err: Error, depth = 0): Record<string, unknown> {
  const { code, type, nonRetryable } = err as { code?: unknown; type?: unknown; nonRetryable?: unknown };
  let message = err.message;
  // "invalid input syntax for type integer: "张三"": the value is in the quotes.
  if (isDatabaseError(err)) message = withoutQuotedValues(message);
  const frames = err.stack
    ?.split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, 8)
    .join('\n');
  const cause = (err as { cause?: unknown }).cause;
  return {
    name: err.name,
    ...(code !== undefined ? { code } : {}),
    ...(typeof type === 'string' ? { type } : {}),
    ...(typeof nonRetryable === 'boolean' ? { nonRetryable } : {}),
    message: redactText(message),
    ...(frames ? { stack: frames } : {}),
    ...(cause instanceof Error && depth < 3 ? { cause: safeError(cause, depth + 1) } : {}),
  };
}

/** A log line's fields with the three nets applied (a new object; the input is not changed). */
export function redactFields(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return safeError(value);
  if (value instanceof Date) return value;
  if (depth >= MAX_DEPTH) return '[…]';
  if (Array.isArray(value)) return value.slice(0, 50).map((item) => redactFields(item, depth + 1));
  const errorLike = isDatabaseError(value);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (PERSONAL_KEYS.has(key)) out[key] = CENSOR;
    else if (errorLike && ERROR_DATA_KEYS.has(key)) continue;
    else if (errorLike && typeof item === 'string' && (key === 'message' || key === 'stack'))
      out[key] = redactText(withoutQuotedValues(item));
    else out[key] = redactFields(item, depth + 1);
  }
  return out;
}
