/** The public API of the stack under test, for what the scenario's other people do meanwhile. */
export interface StackApi {
  token(staffId: string): Promise<string>;
  call<T = any>(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: T }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** A GET answered with something other than JSON (CSV): the bytes as they came. */
  bytes(path: string, token: string): Promise<{ status: number; bytes: Buffer }>;
}

export function stackApi(consoleUrl: string): StackApi {
  const base = consoleUrl.replace(/\/$/, '');
  const tokens = new Map<string, string>();
  return {
    async token(staffId) {
      const known = tokens.get(staffId);
      if (known) return known;
      const res = await fetch(`${base}/dev/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ staffId }),
      });
      if (!res.ok) throw new Error(`dev sign-in of ${staffId} answered ${res.status}`);
      const { token } = (await res.json()) as { token: string };
      tokens.set(staffId, token);
      return token;
    },
    async call(method, path, token, body) {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    async bytes(path, token) {
      const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
      return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
    },
  };
}
