// Operations edges of the app: Retry-After on every 429/503 we send, and who may read /metrics.
import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { bearerOf } from '../routes/auth.ts';

/** Seconds a caller is told to wait when the answer itself does not say: upstream trouble passes slowly. */
export const DEFAULT_RETRY_AFTER_SECONDS = 30;

/**
 * Every 429 and 503 leaves with Retry-After: the error's own figure (details.retryAfterSeconds, set by the
 * failure limiter), else DEFAULT_RETRY_AFTER_SECONDS. `skip` names paths that are not ours to answer for (the
 * sandbox's emulated upstreams, whose faults must look like the real APIs').
 */
export function ensureRetryAfter(skip: (path: string) => boolean): MiddlewareHandler {
  return async (c, next) => {
    await next();
    addRetryAfter(c, skip);
  };
}

/** ensureRetryAfter's check on an answer already made (server/http/operations.ts runs it inline). */
export function addRetryAfter(c: Context, skip: (path: string) => boolean): void {
  if (c.res.status !== 429 && c.res.status !== 503) return;
  if (c.res.headers.has('Retry-After') || skip(c.req.path)) return;
  c.res.headers.set('Retry-After', String(DEFAULT_RETRY_AFTER_SECONDS));
}

/** The Retry-After an AppError names (details.retryAfterSeconds), if any. */
export function retryAfterOf(details: unknown): number | undefined {
  const value = (details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.ceil(value) : undefined;
}

const loopback = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/** Headers a reverse proxy uses to name the caller it forwards (any one of them may come alone). */
const proxyHeaders = ['x-forwarded-for', 'forwarded', 'x-real-ip'] as const;

/**
 * Who may read /metrics: with METRICS_TOKEN set, only a caller sending it as a Bearer token; without it, only
 * a direct loopback caller (no X-Forwarded-For, Forwarded or X-Real-IP: a reverse proxy on the same host
 * forwards the public).
 */
export function metricsAllowed(c: Context, token: string | undefined): boolean {
  if (token) {
    const given = Buffer.from(bearerOf(c) ?? '');
    const expected = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  const address = env?.incoming?.socket?.remoteAddress ?? '';
  return loopback.test(address) && proxyHeaders.every((name) => c.req.header(name) === undefined);
}
