/**
 * A company identity provider of the tests' own, on 127.0.0.1 and a random port: its discovery
 * document, its JWKS (one RS256 and one ES256 key) and tokens signed as the provider would sign them.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

export interface TestIdentityProvider {
  issuer: string;
  jwksUrl: string;
  /** How often the JWKS was fetched. */
  jwksRequests: () => number;
  sign(claims: JWTPayload, opts?: SignOptions): Promise<string>;
  /** The public keys as served (for forging tests). */
  publicJwks: JWK[];
  close(): Promise<void>;
}

export interface SignOptions {
  alg?: 'RS256' | 'ES256';
  audience?: string;
  issuer?: string;
  /** Seconds from now; negative: already expired. */
  expiresIn?: number;
  /** A kid the JWKS does not hold. */
  kid?: string;
  /** Sign with a key the JWKS does not hold (same kid as the real one). */
  foreignKey?: boolean;
}

interface Key {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: CryptoKey;
  jwk: JWK;
}

async function makeKey(alg: 'RS256' | 'ES256'): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = `${alg.toLowerCase()}-${randomUUID().slice(0, 8)}`;
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

export async function startTestIdentityProvider(audience: string): Promise<TestIdentityProvider> {
  const keys = [await makeKey('RS256'), await makeKey('ES256')];
  const foreign = { RS256: await makeKey('RS256'), ES256: await makeKey('ES256') };
  let jwksRequests = 0;
  let issuer = '';
  const server = http.createServer((req, res) => {
    const send = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/.well-known/openid-configuration') {
      send({
        issuer,
        jwks_uri: `${issuer}/jwks`,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
        id_token_signing_alg_values_supported: ['RS256', 'ES256'],
      });
    } else if (req.url === '/jwks') {
      jwksRequests += 1;
      send({ keys: keys.map((k) => k.jwk) });
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    jwksRequests: () => jwksRequests,
    publicJwks: keys.map((k) => k.jwk),
    async sign(claims, opts = {}) {
      const alg = opts.alg ?? 'RS256';
      const key = keys.find((k) => k.alg === alg)!;
      const signing = opts.foreignKey ? foreign[alg].privateKey : key.privateKey;
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT(claims)
        .setProtectedHeader({ alg, kid: opts.kid ?? key.kid, typ: 'JWT' })
        .setIssuer(opts.issuer ?? issuer)
        .setAudience(opts.audience ?? audience)
        .setIssuedAt(now)
        .setExpirationTime(now + (opts.expiresIn ?? 3600))
        .sign(signing);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
