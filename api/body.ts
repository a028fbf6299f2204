/**
 * What the edge refuses before any schema sees a request: bodies that are not UTF-8 JSON, bodies
 * sent without saying they are JSON, and text with control characters. PostgreSQL cannot store a
 * NUL in text or jsonb, so one that got in would fail every write of its case's projection; refusing
 * it here, with the field's path, is the only place the client can still be told.
 */
import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import express, { type Request, type RequestHandler } from 'express';
import { HttpProblem, joinPath, problems, type FieldError } from './errors';

/** Thrown from the JSON parser's verify hook; body-parser keeps our status and type. */
class InvalidUtf8Error extends Error {
  readonly status = 400;
  readonly type = 'entity.invalid.utf8';
  constructor() {
    super('The body is not valid UTF-8.');
  }
}

/** express.json, but a body whose bytes are not UTF-8 is refused instead of read with U+FFFD in it. */
export function jsonBodyParser(limit: string): RequestHandler {
  return express.json({
    limit,
    verify: (_req, _res, buf) => {
      if (!isUtf8(buf)) throw new InvalidUtf8Error();
    },
  });
}

/** Whether the request carries a body at all (a length above zero, or a chunked one). */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if (req.headers['transfer-encoding'] !== undefined) return true;
  return length !== undefined && length !== '0';
}

/**
 * A route that reads a JSON body: a body of another (or no) media type is 415, not a body read as
 * empty and then refused field by field. No body at all is read as `{}` (e.g. an opt-out).
 */
export function requireJsonBody(req: Request): void {
  if (!hasBody(req)) return;
  if (!req.is(['application/json', '+json'])) {
    throw new HttpProblem(415, 'unsupported-media-type', 'Send the body as application/json (UTF-8).');
  }
}

/** C0 controls but tab, line feed and carriage return (a line break from a Windows desk is CR LF), DEL, C1 controls. */
const CONTROL_CLASS = '\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f';

/** The JSON Schema `pattern` of text without any of them (the OpenAPI document says so on free text). */
export const NO_CONTROL_CHARACTERS_PATTERN = `^[^${CONTROL_CLASS}]*$`;

/**
 * The same, with at least one character that is not whitespace: what `text()` (trimmed, then at
 * least one character) accepts. ECMA-262's `\s` is exactly what String.prototype.trim removes;
 * U+FEFF is named too, for generators whose `\s` leaves it out.
 */
export const NOT_BLANK_TEXT_PATTERN = `^[^${CONTROL_CLASS}]*[^${CONTROL_CLASS}\\s\\ufeff][^${CONTROL_CLASS}]*$`;

/** The controls, and lone surrogates (not characters at all; PostgreSQL refuses them too). */
const FORBIDDEN = new RegExp(
  `[${CONTROL_CLASS}]|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]`,
);

export function hasForbiddenCharacter(text: string): boolean {
  return FORBIDDEN.test(text);
}

/** Every string (and object key) in a parsed body, query or path that holds a forbidden character. */
export function forbiddenCharacterErrors(value: unknown, path: (string | number)[] = []): FieldError[] {
  if (typeof value === 'string') {
    return hasForbiddenCharacter(value) ? [{ path: joinPath(path), message: CONTROL_MESSAGE }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => forbiddenCharacterErrors(item, [...path, i]));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) =>
      hasForbiddenCharacter(key)
        ? [{ path: joinPath(path) || '(key)', message: CONTROL_MESSAGE }]
        : forbiddenCharacterErrors(item, [...path, key]),
    );
  }
  return [];
}

const CONTROL_MESSAGE = 'Control characters (other than tab and line breaks) are not allowed.';

/** Refuses (400) a body, query or path with a control character, naming each field. */
export function refuseControlCharacters(value: unknown, what: 'body' | 'query' | 'path'): void {
  const errors = forbiddenCharacterErrors(value);
  if (errors.length === 0) return;
  throw problems.validation(
    errors.slice(0, 20),
    what === 'body' ? 'The request body is not valid.' : `The ${what} parameters are not valid.`,
  );
}
