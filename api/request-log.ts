/**
 * One log line per request: method, route template, status, duration, staff id and request id.
 * Never bodies, query strings or headers: those can carry personal data and tokens.
 */
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

export function requestLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('X-Request-Id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = requestId;
    res.set('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const principal = res.locals.principal as { sub?: string } | undefined;
      const line = {
        requestId,
        method: req.method,
        route: typeof res.locals.route === 'string' ? res.locals.route : undefined,
        path: typeof res.locals.route === 'string' ? undefined : req.path,
        status: res.statusCode,
        ms: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
        actor: principal?.sub,
      };
      if (res.statusCode >= 500) logger.warn(line, 'request failed');
      else logger.info(line, 'request');
    });
    next();
  };
}
