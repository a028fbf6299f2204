/**
 * Security headers on every response (helmet) and CORS for the console's origin alone. The console
 * is served by this API at `/` (same origin, no CORS needed); CONSOLE_ORIGIN names another origin
 * when it is hosted apart. Any other origin gets no CORS headers, so browsers keep its pages out.
 * The codec endpoint answers the Temporal UI's origin on its own (api/codec.ts).
 */
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/** `connectOrigins`: origins the console may call besides its own (the OpenID Connect provider's discovery and token endpoints). */
export function securityHeaders(connectOrigins: readonly string[] = []): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        // The embedded mode and tests serve plain http on 127.0.0.1: upgrading would break the console there.
        'upgrade-insecure-requests': null,
        // ECharts and Ant Design draw with inline styles and data: images.
        'img-src': ["'self'", 'data:'],
        'connect-src': ["'self'", ...connectOrigins],
      },
    },
  });
}

export function consoleCors(origin: string | undefined): RequestHandler {
  return (req, res, next) => {
    if (origin === undefined) {
      next();
      return;
    }
    res.vary('Origin');
    if (req.headers.origin !== origin) {
      next();
      return;
    }
    res.set({
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Allow-Headers': 'authorization, content-type, idempotency-key',
      'Access-Control-Allow-Methods': 'GET, POST, PUT, OPTIONS',
      'Access-Control-Expose-Headers': 'location, retry-after',
      'Access-Control-Max-Age': '600',
    });
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next();
  };
}
