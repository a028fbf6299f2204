/**
 * Who is signed in: the bearer token (kept for this browser tab only, in sessionStorage) and the
 * principal its claims name. The token is read, never trusted: the API checks it on every call.
 */
import { useSyncExternalStore } from 'react';

export type Role = 'agent' | 'supervisor' | 'manager' | 'hr' | 'admin';

export interface Principal {
  sub: string;
  role: Role;
  team?: string;
  name?: string;
  exp: number;
}

const KEY = 'motordesk.token';
const NAME_KEY = 'motordesk.name';
/** The principal as the API read it (company sign-in: the provider's claims are the API's to map). */
const PRINCIPAL_KEY = 'motordesk.principal';
const listeners = new Set<() => void>();
let cached: { token: string | null; principal: Principal | null } = { token: null, principal: null };

function decode(token: string): Principal | null {
  try {
    const part = token.split('.')[1];
    if (!part) return null;
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(json, (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes)) as Partial<Principal>;
    if (typeof claims.sub !== 'string' || typeof claims.role !== 'string' || typeof claims.exp !== 'number')
      return null;
    return { sub: claims.sub, role: claims.role, team: claims.team, exp: claims.exp };
  } catch {
    return null;
  }
}

function load(): void {
  const token = sessionStorage.getItem(KEY);
  const stored = sessionStorage.getItem(PRINCIPAL_KEY);
  const principal = token ? (stored ? (JSON.parse(stored) as Principal) : decode(token)) : null;
  const name = sessionStorage.getItem(NAME_KEY) ?? undefined;
  cached =
    principal && principal.exp * 1000 > Date.now()
      ? { token, principal: { ...principal, name } }
      : { token: null, principal: null };
}
load();

function emit(): void {
  load();
  for (const listener of listeners) listener();
}

export const session = {
  token: () => cached.token,
  principal: () => cached.principal,
  /**
   * Returns false for a token that is not a motordesk token (or already expired). `known`: the
   * principal GET /auth/me answered for a company token, whose claims may be named otherwise.
   */
  signIn(token: string, name?: string, known?: Omit<Principal, 'name'>): boolean {
    const principal = known ?? decode(token.trim());
    if (!principal || principal.exp * 1000 <= Date.now()) return false;
    sessionStorage.setItem(KEY, token.trim());
    if (known) sessionStorage.setItem(PRINCIPAL_KEY, JSON.stringify(known));
    else sessionStorage.removeItem(PRINCIPAL_KEY);
    if (name) sessionStorage.setItem(NAME_KEY, name);
    else sessionStorage.removeItem(NAME_KEY);
    emit();
    return true;
  },
  signOut(): void {
    sessionStorage.removeItem(KEY);
    sessionStorage.removeItem(PRINCIPAL_KEY);
    sessionStorage.removeItem(NAME_KEY);
    emit();
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

export function usePrincipal(): Principal | null {
  return useSyncExternalStore(session.subscribe, session.principal);
}

const RANK: Record<Role, number> = { agent: 0, supervisor: 1, manager: 2, admin: 3, hr: -1 };

/** The API's role ladder (agent < supervisor < manager < admin); hr stands beside it. */
export function atLeast(principal: Principal | null, least: Role): boolean {
  if (!principal) return false;
  if (least === 'hr') return principal.role === 'hr';
  return RANK[principal.role] >= RANK[least];
}
