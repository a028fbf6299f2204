/**
 * The one way the console talks to motordesk: the public API at /api/v1, typed from the served
 * OpenAPI document. Every failure becomes an `ApiProblem` (RFC 9457 problem details), so forms can
 * show a field's error beside the field and pages a message instead of crashing.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import { session } from '../app/session';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type Claim = Schemas['Claim'];
export type Complaint = Schemas['Complaint'];
export type Inquiry = Schemas['Inquiry'];
export type Renewal = Schemas['Renewal'];
export type Purchase = Schemas['Purchase'];
export type CaseView = Claim | Complaint | Inquiry | Renewal | Purchase;
export type CaseType = CaseView['type'];
export type CaseListItem = Schemas['CaseListItem'];
export type Clock = Schemas['Clock'];
export type ActionName = Claim['allowedActions'][number];

export interface FieldError {
  path: string;
  message: string;
}

export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly errors: FieldError[] = [],
  ) {
    super(detail ?? title);
    this.name = 'ApiProblem';
  }
}

const auth: Middleware = {
  onRequest({ request }) {
    const token = session.token();
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  },
  onResponse({ response }) {
    // An expired or foreign token: back to the sign-in page rather than a page of errors.
    if (response.status === 401 && session.token()) session.signOut();
    return response;
  },
};

// Paths in the contract carry /api/v1 already.
export const api = createClient<paths>({ baseUrl: window.location.origin });
api.use(auth);

/** The body of an openapi-fetch answer, or the problem it carried, thrown. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: Awaited<typeof call>;
  try {
    result = await call;
  } catch {
    throw new ApiProblem(0, 'Network', '无法连接服务器，请检查网络后重试。');
  }
  const { data, error, response } = result;
  if (response.ok) return data as T;
  throw toProblem(response.status, error);
}

function toProblem(status: number, body: unknown): ApiProblem {
  const p = (body ?? {}) as { title?: string; detail?: string; errors?: FieldError[] };
  return new ApiProblem(status, p.title ?? String(status), p.detail, Array.isArray(p.errors) ? p.errors : []);
}

/** For the few calls outside the typed contract (endpoints of `npm start`, or ones that may not exist yet). */
export async function fetchJson<T>(path: string, init?: RequestInit): Promise<T> {
  const headers = new Headers(init?.headers);
  const token = session.token();
  if (token && !headers.has('Authorization')) headers.set('Authorization', `Bearer ${token}`);
  if (init?.body && !headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers });
  } catch {
    throw new ApiProblem(0, 'Network', '无法连接服务器，请检查网络后重试。');
  }
  const body: unknown = response.headers.get('Content-Type')?.includes('json') ? await response.json() : undefined;
  if (!response.ok) throw toProblem(response.status, body);
  return body as T;
}

/**
 * Downloads a CSV the API answers (GET /cases/export, GET /reports/kpis?format=csv): a plain link
 * cannot carry the bearer token, so the file is fetched with it and handed to the browser as a blob.
 */
export async function downloadCsv(
  path: string,
  query: Record<string, string | undefined>,
  fileName: string,
): Promise<void> {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, v);
  const headers = new Headers({ Accept: 'text/csv' });
  const token = session.token();
  if (token) headers.set('Authorization', `Bearer ${token}`);
  let response: Response;
  try {
    response = await fetch(`${path}${params.size ? `?${params}` : ''}`, { headers });
  } catch {
    throw new ApiProblem(0, 'Network', '无法连接服务器，请检查网络后重试。');
  }
  if (!response.ok) {
    const body: unknown = response.headers.get('Content-Type')?.includes('json') ? await response.json() : undefined;
    if (response.status === 401 && session.token()) session.signOut();
    throw toProblem(response.status, body);
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // The click has handed the blob to the download; the URL is not needed afterwards.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A fresh Idempotency-Key per submitted form: a retried submit of the same form joins the first. */
export function idempotencyKey(): string {
  return crypto.randomUUID();
}
