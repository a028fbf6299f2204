/**
 * An insurance policy as the core policy system hands it over (`PUT /policies/{policyNo}`, a row of
 * `POST /policies/import`, a line of the CLI's CSV). Validated strictly: an unknown field is an
 * error, never silently dropped. Error messages name fields, never their values (personal data).
 */
import { z } from 'zod';
import { shanghaiInstant } from './calendar';
import { POLICY_NO_PATTERN } from './renewal';

export const INSURANCE_PRODUCTS = ['compulsory', 'commercial'] as const;
/** 交强险 or 商业险. */
export type InsuranceProduct = (typeof INSURANCE_PRODUCTS)[number];

/** Mainland mobile numbers. */
const PHONE_PATTERN = /^1[3-9]\d{9}$/;
/**
 * 机动车号牌: province, issuing-office letter, then 5 characters (the last may be 挂/学/警/港/澳), or
 * 6 for new-energy plates. I and O are never used.
 */
const PLATE_PATTERN =
  /^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领][A-HJ-NP-Z][A-HJ-NP-Z0-9]{4,5}[A-HJ-NP-Z0-9挂学警港澳]$/;

/**
 * Years a motor policy can have: 1970–2199. Year 20 is a valid ISO date, but no policy of ours and
 * beyond what the database and the calendar reckon with (it answered 500). One pattern per form
 * (a date, an instant with an offset), so the OpenAPI document says exactly what is accepted: two
 * patterns on one string (the ISO shape and the year) were more than a generator could meet at once.
 */
const YEAR = '(?:19[7-9]\\d|2[01]\\d\\d)';
const LEAP_YEAR = '(?:19(?:7[26]|8[048]|9[26])|20(?:[02468][048]|[13579][26])|21(?:0[48]|[2468][048]|[13579][26]))';
const MONTH_DAY =
  '(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|02-(?:0[1-9]|1\\d|2[0-8]))';
const DATE = `(?:${YEAR}-${MONTH_DAY}|${LEAP_YEAR}-02-29)`;
const TIME = '(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(?:\\.\\d+)?(?:Z|[+-](?:[01]\\d|2[0-3]):[0-5]\\d)';
const DATE_MESSAGE = 'a date (YYYY-MM-DD) or an ISO-8601 instant with an offset, in a year from 1970 to 2199';

/** An instant with an offset, or a civil date meaning 00:00 Asia/Shanghai; normalised to UTC ISO. */
const instant = z
  .union([
    z.string().regex(new RegExp(`^${DATE}T${TIME}$`), DATE_MESSAGE),
    z.string().regex(new RegExp(`^${DATE}$`), DATE_MESSAGE),
  ])
  .transform((text) => {
    const at = /^\d{4}-\d{2}-\d{2}$/.test(text) ? shanghaiInstant(text) : new Date(text);
    return at.toISOString();
  });

/**
 * Bounds and cents as JSON Schema states them (minimum, maximum, multipleOf), so the document says
 * what is refused; the first that fails is the one error of the field.
 */
const MONEY_MESSAGE = 'must be zero or more, with at most 2 decimals';
const money = z
  .number()
  .min(0, { message: MONEY_MESSAGE, abort: true })
  .max(10_000_000, { message: 'is implausibly large', abort: true })
  .multipleOf(0.01, { message: MONEY_MESSAGE, abort: true });

export const policyNoSchema = z
  .string()
  .regex(POLICY_NO_PATTERN, 'a policy number: 4–40 upper-case letters, digits or hyphens');

/** The body of `PUT /policies/{policyNo}`. */
export const insurancePolicyBodySchema = z
  .object({
    holder: z
      .object({
        name: z.string().trim().min(1).max(50),
        phone: z.string().regex(PHONE_PATTERN, 'a mainland mobile number (11 digits, 1[3-9]…)'),
        email: z.email().max(254).optional(),
      })
      .strict(),
    vehicle: z.object({ plate: z.string().regex(PLATE_PATTERN, 'a licence plate such as 粤B12345') }).strict(),
    product: z.enum(INSURANCE_PRODUCTS),
    startsAt: instant,
    expiresAt: instant,
    premium: money,
    /** Consecutive claim-free years before this term (no-claim discount); 0 when not given. */
    claimFreeYears: z.number().int().min(0).max(50).optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (Date.parse(body.startsAt) >= Date.parse(body.expiresAt))
      ctx.addIssue({ code: 'custom', path: ['expiresAt'], message: 'must be after startsAt' });
  });
export type InsurancePolicyBody = z.input<typeof insurancePolicyBodySchema>;

export interface InsurancePolicy {
  policyNo: string;
  holder: { name: string; phone: string; email: string | null };
  plate: string;
  product: InsuranceProduct;
  /** UTC ISO instants. */
  startsAt: string;
  expiresAt: string;
  premium: number;
  claimFreeYears: number;
}

function toRecord(policyNo: string, body: z.output<typeof insurancePolicyBodySchema>): InsurancePolicy {
  return {
    policyNo,
    holder: { name: body.holder.name, phone: body.holder.phone, email: body.holder.email ?? null },
    plate: body.vehicle.plate,
    product: body.product,
    startsAt: body.startsAt,
    expiresAt: body.expiresAt,
    premium: body.premium,
    claimFreeYears: body.claimFreeYears ?? 0,
  };
}

export interface FieldIssue {
  path: string;
  message: string;
}

export type Validated = { ok: true; record: InsurancePolicy } | { ok: false; errors: FieldIssue[] };

/**
 * Control characters an unknown key carried into a message ("Unrecognized key: …"), written as
 * `\uXXXX`: the answer is text a person reads and the document promises no control characters in it
 * (an import row, streamed, never passes the edge's control-character check).
 */
// eslint-disable-next-line no-control-regex -- finding them is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
const visible = (text: string) => text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

const issuesOf = (error: z.ZodError): FieldIssue[] =>
  error.issues.map((i) => ({ path: visible(i.path.map(String).join('.')) || '(row)', message: visible(i.message) }));

/** A row of an import (JSON object, or a CSV record already shaped by `csvRecordToRow`). */
export function validateInsurancePolicyRow(raw: unknown): Validated {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { ok: false, errors: [{ path: '(row)', message: 'must be an object' }] };
  const { policyNo, ...body } = raw as Record<string, unknown>;
  return validateInsurancePolicyBody(policyNo, body);
}

/** `PUT /policies/{policyNo}`: the number from the path, the body as sent. */
export function validateInsurancePolicyBody(policyNo: unknown, body: unknown): Validated {
  const no = policyNoSchema.safeParse(policyNo);
  const parsed = insurancePolicyBodySchema.safeParse(body);
  if (no.success && parsed.success) return { ok: true, record: toRecord(no.data, parsed.data) };
  const errors = [
    ...(no.success ? [] : issuesOf(no.error).map((e) => ({ ...e, path: 'policyNo' }))),
    ...(parsed.success ? [] : issuesOf(parsed.error)),
  ];
  return { ok: false, errors };
}

/** CSV header names: the JSON field paths, dotted. */
export const CSV_COLUMNS = [
  'policyNo',
  'holder.name',
  'holder.phone',
  'holder.email',
  'vehicle.plate',
  'product',
  'startsAt',
  'expiresAt',
  'premium',
  'claimFreeYears',
] as const;
const REQUIRED_CSV_COLUMNS = CSV_COLUMNS.filter((c) => c !== 'holder.email' && c !== 'claimFreeYears');
const NUMERIC_COLUMNS: ReadonlySet<string> = new Set(['premium', 'claimFreeYears']);

/** Problems with a CSV header row (unknown, missing or repeated columns), or an empty list. */
export function csvHeaderProblems(header: readonly string[]): string[] {
  const known = new Set<string>(CSV_COLUMNS);
  const problems = header.filter((h) => !known.has(h)).map((h) => `unknown column ${JSON.stringify(h.slice(0, 40))}`);
  for (const required of REQUIRED_CSV_COLUMNS)
    if (!header.includes(required)) problems.push(`missing column ${required}`);
  const seen = new Set<string>();
  for (const h of header) {
    if (seen.has(h)) problems.push(`column ${h} appears twice`);
    seen.add(h);
  }
  return problems;
}

/**
 * A CSV record as the nested row the JSON import takes. Empty optional cells are absent; numeric
 * cells become numbers when they look like one (otherwise the text stays, for the validator to name).
 */
export function csvRecordToRow(header: readonly string[], fields: readonly string[]): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  header.forEach((column, i) => {
    const text = (fields[i] ?? '').trim();
    if (text === '' && (column === 'holder.email' || column === 'claimFreeYears')) return;
    const value = NUMERIC_COLUMNS.has(column) && /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
    const [head, tail] = column.split('.') as [string, string | undefined];
    if (tail === undefined) row[head] = value;
    else row[head] = { ...(row[head] as Record<string, unknown> | undefined), [tail]: value };
  });
  if (fields.length > header.length) row['(extra)'] = `${fields.length - header.length} more cells than columns`;
  return row;
}
