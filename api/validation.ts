/** Parsing at the edge: a zod failure becomes a 400 problem with one `{ path, message }` per field. */
import type { z } from 'zod';
import { fieldErrors, problems } from './errors';

export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: 'body' | 'query' | 'path',
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw problems.validation(
      fieldErrors(parsed.error),
      what === 'body' ? 'The request body is not valid.' : `The ${what} parameters are not valid.`,
    );
  }
  return parsed.data;
}
