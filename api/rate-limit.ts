/**
 * A per-staff-member request budget (fixed one-minute windows) that protects Temporal and
 * PostgreSQL from a runaway client. Per process on purpose: it guards this process's share of the
 * load, holds nothing another process needs, and is sized so a person at a desk never meets it.
 */
import { problems } from './errors';

export interface RateLimitOptions {
  /** Requests per actor per window. */
  max: number;
  windowMs?: number;
}

export interface RateLimiter {
  /** Throws a 429 problem when the actor's budget for the current window is spent. */
  take(actor: string): void;
}

export function createRateLimiter(
  { max, windowMs = 60_000 }: RateLimitOptions,
  now: () => number = Date.now,
): RateLimiter {
  let windowStart = now();
  let counts = new Map<string, number>();
  return {
    take(actor) {
      const t = now();
      if (t - windowStart >= windowMs) {
        windowStart = t;
        counts = new Map();
      }
      const used = (counts.get(actor) ?? 0) + 1;
      counts.set(actor, used);
      if (used > max) throw problems.tooManyRequests(Math.max(1, Math.ceil((windowStart + windowMs - t) / 1000)));
    },
  };
}
