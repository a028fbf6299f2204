/**
 * The console's OpenID Connect sign-in: authorization code with PKCE (RFC 7636, S256), run in the
 * browser by this static page as a public client — no client secret, no server-side session, so no
 * `openid-client` (a Node library) and no backend callback are needed. The API names the provider
 * and the client (`GET /api/v1/auth/config`); the provider sends the browser back here with `code`
 * and `state` in the query; the code is exchanged with the verifier kept in sessionStorage; the
 * access token becomes the bearer token and `GET /api/v1/auth/me` says who it names (the provider's
 * claims are the API's to map, never parsed here).
 */
import type { Principal } from './session';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  scopes: string;
}

interface PendingSignIn extends OidcSettings {
  state: string;
  nonce: string;
  verifier: string;
  tokenEndpoint: string;
  redirectUri: string;
}

const PENDING_KEY = 'motordesk.oidc.pending';

function base64url(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomString(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

async function challengeOf(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}

async function discover(issuer: string): Promise<{ authorization_endpoint: string; token_endpoint: string }> {
  const res = await fetch(`${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`);
  if (!res.ok) throw new Error('discovery failed');
  const doc = (await res.json()) as { issuer?: string; authorization_endpoint?: string; token_endpoint?: string };
  if (doc.issuer !== issuer || !doc.authorization_endpoint || !doc.token_endpoint)
    throw new Error('discovery document does not match the issuer');
  return { authorization_endpoint: doc.authorization_endpoint, token_endpoint: doc.token_endpoint };
}

/** The page the provider sends the browser back to: this console's own address, without query or hash. */
function redirectUri(): string {
  return `${window.location.origin}${window.location.pathname}`;
}

/** Sends the browser to the provider's sign-in page. */
export async function startOidcSignIn(settings: OidcSettings): Promise<void> {
  const endpoints = await discover(settings.issuer);
  const pending: PendingSignIn = {
    ...settings,
    state: randomString(),
    nonce: randomString(),
    verifier: randomString(),
    tokenEndpoint: endpoints.token_endpoint,
    redirectUri: redirectUri(),
  };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const url = new URL(endpoints.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: settings.clientId,
    redirect_uri: pending.redirectUri,
    scope: settings.scopes,
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: await challengeOf(pending.verifier),
    code_challenge_method: 'S256',
  }).toString();
  window.location.assign(url.toString());
}

/** True when this page load is the provider's answer (a code or an error, and a state). */
export function isOidcCallback(): boolean {
  const query = new URLSearchParams(window.location.search);
  return query.has('state') && (query.has('code') || query.has('error'));
}

export interface CompletedSignIn {
  token: string;
  principal: Omit<Principal, 'name'>;
  name?: string;
}

/**
 * Exchanges the code for tokens and asks the API who the access token names. The query is removed
 * from the address bar whatever happens (a code is single-use; a reload must not replay it).
 */
export async function completeOidcSignIn(): Promise<CompletedSignIn> {
  const query = new URLSearchParams(window.location.search);
  window.history.replaceState(null, '', `${redirectUri()}${window.location.hash}`);
  const raw = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  const pending = raw ? (JSON.parse(raw) as PendingSignIn) : undefined;
  if (!pending || query.get('state') !== pending.state) throw new Error('state does not match this sign-in');
  const code = query.get('code');
  if (!code) throw new Error(`the provider refused: ${query.get('error') ?? 'no code'}`);
  const res = await fetch(pending.tokenEndpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: pending.redirectUri,
      client_id: pending.clientId,
      code_verifier: pending.verifier,
    }),
  });
  if (!res.ok) throw new Error('the code exchange failed');
  const tokens = (await res.json()) as { access_token?: string; id_token?: string };
  if (!tokens.access_token) throw new Error('no access token');
  const me = await fetch('/api/v1/auth/me', { headers: { Authorization: `Bearer ${tokens.access_token}` } });
  if (!me.ok) throw new Error('the API does not accept this token');
  const who = (await me.json()) as {
    sub: string;
    role: Principal['role'];
    team: string | null;
    expiresAt: string | null;
  };
  const exp = who.expiresAt
    ? Math.floor(new Date(who.expiresAt).getTime() / 1000)
    : Math.floor(Date.now() / 1000) + 3600;
  return {
    token: tokens.access_token,
    principal:
      who.team === null ? { sub: who.sub, role: who.role, exp } : { sub: who.sub, role: who.role, team: who.team, exp },
    name: nameOf(tokens.id_token),
  };
}

/** The display name from the ID token (`name`, else `preferred_username`); shown, never trusted. */
function nameOf(idToken: string | undefined): string | undefined {
  try {
    const part = idToken?.split('.')[1];
    if (!part) return undefined;
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0)))) as {
      name?: unknown;
      preferred_username?: unknown;
    };
    const name = claims.name ?? claims.preferred_username;
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}
