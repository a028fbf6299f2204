/**
 * What the console needs to sign staff in: `GET /auth/config` (public) names the company identity
 * provider and the console's OpenID Connect client when one is configured, so the static console
 * can run the authorization-code flow with PKCE itself; `GET /auth/me` answers who a token names as
 * this API reads it (the provider's claims are mapped here, so the console never parses them).
 */
import { ROLES } from '../../domain/case';
import { z } from 'zod';
import type { AppContext } from '../context';
import type { ApiRoutes } from '../routing';
import { renderTimes } from '../time';

const authConfigResponse = z
  .object({
    embedded: z.boolean().meta({ description: 'HS256 tokens (embedded mode, service tokens) are accepted.' }),
    oidc: z
      .object({
        issuer: z.string(),
        clientId: z.string(),
        scopes: z.string(),
      })
      .nullable()
      .meta({ description: 'The OpenID Connect provider the console signs in with; null: paste a token.' }),
  })
  .meta({ id: 'AuthConfig' });

const meResponse = z
  .object({
    sub: z.string(),
    role: z.enum(ROLES),
    team: z.string().nullable(),
    issuer: z.string().meta({ description: '`embedded` (HS256) or the identity provider.' }),
    expiresAt: z.string().nullable(),
  })
  .meta({ id: 'SignedInPrincipal' });

export function registerSignInRoutes(routes: ApiRoutes, { config }: AppContext): void {
  routes.add(
    {
      method: 'get',
      path: '/auth/config',
      tag: 'Sign-in',
      summary: 'How to sign in: the OpenID Connect provider and client of the console, if any',
      access: 'public',
      responses: { 200: { description: 'The sign-in settings', schema: authConfigResponse } },
    },
    async () => ({
      status: 200,
      body: {
        embedded: config.jwtSecret !== undefined,
        oidc:
          config.oidc?.clientId === undefined
            ? null
            : { issuer: config.oidc.issuer, clientId: config.oidc.clientId, scopes: config.oidc.scopes },
      },
    }),
  );

  routes.add(
    {
      method: 'get',
      path: '/auth/me',
      tag: 'Sign-in',
      summary: 'Who this token names: staff id, role and team as the API reads them',
      access: ROLES,
      responses: { 200: { description: 'The principal', schema: meResponse } },
    },
    async ({ principal }) => ({
      status: 200,
      body: renderTimes({
        sub: principal.sub,
        role: principal.role,
        team: principal.team ?? null,
        issuer: principal.issuer ?? 'embedded',
        expiresAt: principal.expiresAt === undefined ? null : new Date(principal.expiresAt),
      }),
    }),
  );
}
