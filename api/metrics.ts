/**
 * Prometheus metrics on a registry of the app's own (several apps can live in one test process):
 * process defaults, a request-duration histogram by route template and status, and cases opened.
 */
import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface ApiMetrics {
  registry: Registry;
  casesOpened: Counter<'type'>;
  openingsRefused: Counter<'type'>;
  requestTimer: RequestHandler;
}

/**
 * `failedProjections`: how many projections the read model refused for good (read from the table at
 * each scrape, so every API process reports the same number; alert when it grows).
 */
export function createMetrics(failedProjections?: () => Promise<number>): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  if (failedProjections) {
    new Gauge({
      name: 'motordesk_failed_projections',
      help: 'Projections the read model refused for good (failed_projections rows); each needs an operator',
      registers: [registry],
      async collect() {
        // A scrape while the database is down leaves the last value rather than failing the scrape.
        const n = await failedProjections().catch(() => undefined);
        if (n !== undefined) this.set(n);
      },
    });
  }
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const casesOpened = new Counter({
    name: 'motordesk_cases_opened_total',
    help: 'Cases opened through the API, by case type',
    labelNames: ['type'] as const,
    registers: [registry],
  });
  const openingsRefused = new Counter({
    name: 'motordesk_openings_refused_overloaded_total',
    help: 'Openings answered 503 because the workers were behind (back-pressure), by case type',
    labelNames: ['type'] as const,
    registers: [registry],
  });
  const requestTimer: RequestHandler = (req, res, next) => {
    const end = duration.startTimer({ method: req.method });
    res.on('finish', () => {
      // The route template, never the raw URL: ids would explode the label set.
      const route = typeof res.locals.route === 'string' ? res.locals.route : 'unmatched';
      end({ route, status: String(res.statusCode) });
    });
    next();
  };
  return { registry, casesOpened, openingsRefused, requestTimer };
}
