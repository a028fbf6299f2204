/**
 * Rules between fields of one body, declared once: each is the check the validator runs and the
 * JSON Schema (OpenAPI 3.1) that states it in the document, so a client, a generated form or a
 * fuzzer learns what the validator will refuse. zod emits a schema's metadata into its JSON Schema,
 * which is how the statement reaches /openapi.json; the check keeps the message and path a client
 * reads in the 400.
 */
import { z } from 'zod';

type Body = Record<string, unknown>;

export interface FieldRule {
  /** What the rule says, as JSON Schema (combined with the body's own through `allOf`). */
  jsonSchema: Record<string, unknown>;
  holds: (body: Body) => boolean;
  path: string[];
  message: string;
}

const given = (body: Body, key: string) => body[key] !== undefined;

/** Exactly one of `keys` (OpenAPI: `oneOf` of each required alone). */
export function exactlyOneOf(keys: readonly string[], message: string): FieldRule {
  return {
    jsonSchema: { oneOf: keys.map((k) => ({ required: [k] })) },
    holds: (b) => keys.filter((k) => given(b, k)).length === 1,
    path: [keys[0]!],
    message,
  };
}

/** At least one of `keys` (OpenAPI: `anyOf` of each required). */
export function atLeastOneOf(keys: readonly string[], message: string): FieldRule {
  return {
    jsonSchema: { anyOf: keys.map((k) => ({ required: [k] })) },
    holds: (b) => keys.some((k) => given(b, k)),
    path: [],
    message,
  };
}

/** Not `a` and `b` together (OpenAPI: `not` both required). */
export function notBoth(a: string, b: string, message: string): FieldRule {
  return { jsonSchema: { not: { required: [a, b] } }, holds: (v) => !(given(v, a) && given(v, b)), path: [b], message };
}

/**
 * `field` (a required enum) taking one of `values` requires `required`; `others` are the enum's
 * other values (OpenAPI: `anyOf` the other values, or the field present).
 */
export function requiredWhen(
  field: string,
  values: readonly unknown[],
  others: readonly unknown[],
  required: string,
  message: string,
): FieldRule {
  return {
    jsonSchema: { anyOf: [{ properties: { [field]: { enum: [...others] } } }, { required: [required] }] },
    holds: (b) => !values.includes(b[field]) || given(b, required),
    path: [required],
    message,
  };
}

/** `field` taking one of `values` forbids `forbidden` (OpenAPI: `anyOf` the other values, or `not` present). */
export function forbiddenWhen(
  field: string,
  values: readonly unknown[],
  others: readonly unknown[],
  forbidden: string,
  message: string,
): FieldRule {
  return {
    jsonSchema: {
      anyOf: [{ properties: { [field]: { enum: [...others] } } }, { not: { required: [forbidden] } }],
    },
    holds: (b) => !values.includes(b[field]) || !given(b, forbidden),
    path: [forbidden],
    message,
  };
}

/** At least one property (OpenAPI: `minProperties: 1`); for an object whose every property is optional. */
export function notEmpty(message: string): FieldRule {
  return {
    jsonSchema: { minProperties: 1 },
    holds: (b) => Object.values(b).some((v) => v !== undefined),
    path: [],
    message,
  };
}

/** `schema` with `rules`: checked after its own validation, and stated in its JSON Schema. */
export function withRules<S extends z.ZodType>(schema: S, rules: readonly FieldRule[]): S {
  return schema
    .superRefine((value, ctx) => {
      for (const rule of rules)
        if (!rule.holds(value as Body)) ctx.addIssue({ code: 'custom', path: rule.path, message: rule.message });
    })
    .meta({ allOf: rules.map((r) => r.jsonSchema) });
}
