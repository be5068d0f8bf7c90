// Limits repeated failed attempts per key (what is attempted: a member of a site, a company's keys), so a
// caller cannot use this server to guess credentials against ConnectWise or Pax8, or to hammer their APIs.
// Keys are not client IPs: behind a TLS proxy every user shares one. Counts live in this process only: in
// cluster mode each process counts on its own, which bounds the abuse by the process count, and that is fine.
import type { Context } from 'hono';
import { AppError, isAppError } from '../errors.ts';

export type FailureLimiterOptions = {
  /** Failures allowed in the window; the next attempt is refused. Default 10. */
  max?: number;
  /** The sliding window, in milliseconds. Default 15 minutes. */
  windowMs?: number;
  now: () => Date;
  /** Keys remembered at most; past it the least recently tried are forgotten. Default 10,000. */
  maxKeys?: number;
};

export type FailureLimiter = {
  /**
   * Throws AppError('rate_limited') (details.retryAfterSeconds) when the key has `max` failures, attempts
   * still running included, in the window; otherwise counts this attempt as running until fail, succeed or
   * release. Counting it at once is what stops many parallel attempts from all passing before one fails.
   */
  check(key: string): void;
  /** The attempt failed by the caller's fault (a wrong hash or key). */
  fail(key: string): void;
  /** The attempt proved the credentials: the key starts afresh. */
  succeed(key: string): void;
  /** The attempt ended without a verdict on the credentials (upstream unreachable, a bug): not counted. */
  release(key: string): void;
};

type Entry = { failures: number[]; running: number[] };

export const defaultFailureLimits = { max: 10, windowMs: 15 * 60_000, maxKeys: 10_000 } as const;

export function createFailureLimiter(options: FailureLimiterOptions): FailureLimiter {
  const max = options.max ?? defaultFailureLimits.max;
  const windowMs = options.windowMs ?? defaultFailureLimits.windowMs;
  const maxKeys = options.maxKeys ?? defaultFailureLimits.maxKeys;
  // Insertion order is recency: a key is re-inserted at each change, so the first key is the one to evict.
  const entries = new Map<string, Entry>();
  const now = () => options.now().getTime();

  /** The key's entry with timestamps outside the window dropped (an attempt left running expires too). */
  function live(key: string, at: number): Entry | undefined {
    const entry = entries.get(key);
    if (!entry) return undefined;
    const since = at - windowMs;
    entry.failures = entry.failures.filter((t) => t > since);
    entry.running = entry.running.filter((t) => t > since);
    if (entry.failures.length === 0 && entry.running.length === 0) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  }

  function touch(key: string, entry: Entry): void {
    entries.delete(key);
    entries.set(key, entry);
    while (entries.size > maxKeys) {
      const oldest = entries.keys().next();
      if (oldest.done) break;
      entries.delete(oldest.value);
    }
  }

  return {
    check(key) {
      const at = now();
      const entry = live(key, at) ?? { failures: [], running: [] };
      const counted = [...entry.failures, ...entry.running].sort((a, b) => a - b);
      if (counted.length >= max) {
        // The attempt that frees a slot is the oldest of the last `max` leaving the window.
        const freedAt = (counted[counted.length - max] ?? at) + windowMs;
        const retryAfterSeconds = Math.max(1, Math.ceil((freedAt - at) / 1000));
        const minutes = Math.ceil(retryAfterSeconds / 60);
        throw new AppError(
          'rate_limited',
          `Too many failed attempts: try again in ${minutes} minute${minutes === 1 ? '' : 's'}`,
          { details: { retryAfterSeconds } },
        );
      }
      entry.running.push(at);
      touch(key, entry);
    },
    fail(key) {
      const at = now();
      const entry = live(key, at) ?? { failures: [], running: [] };
      entry.running.shift();
      entry.failures.push(at);
      touch(key, entry);
    },
    succeed(key) {
      entries.delete(key);
    },
    release(key) {
      const entry = live(key, now());
      if (!entry) return;
      entry.running.shift();
      if (entry.failures.length === 0 && entry.running.length === 0) entries.delete(key);
    },
  };
}

/**
 * `limiter.check(key)` for a route, for each key an attempt tries: on refusal releases the keys already
 * reserved and sets `Retry-After` (seconds) before the 429 goes to the app's error handler (which keeps
 * headers set on the context).
 */
export function checkAttempt(c: Context, limiter: FailureLimiter, ...keys: string[]): void {
  const reserved: string[] = [];
  try {
    for (const key of keys) {
      limiter.check(key);
      reserved.push(key);
    }
  } catch (error) {
    for (const key of reserved) limiter.release(key);
    if (isAppError(error) && error.code === 'rate_limited') {
      const details = error.details as { retryAfterSeconds?: number } | undefined;
      if (details?.retryAfterSeconds !== undefined)
        c.header('Retry-After', String(details.retryAfterSeconds));
    }
    throw error;
  }
}

/**
 * One attempt under the limiter: refused (429) when the key is spent; success clears the key; an error for
 * which `isFault` says the caller was wrong counts as a failure; any other error (upstream down) does not.
 */
export async function limitedAttempt<T>(
  c: Context,
  limiter: FailureLimiter,
  key: string,
  isFault: (error: unknown) => boolean,
  attempt: () => Promise<T>,
): Promise<T> {
  checkAttempt(c, limiter, key);
  let value: T;
  try {
    value = await attempt();
  } catch (error) {
    if (isFault(error)) limiter.fail(key);
    else limiter.release(key);
    throw error;
  }
  limiter.succeed(key);
  return value;
}

/** How an attempt ended, for the limiter: proved the credentials, had them refused, or neither. */
export type AttemptVerdict = 'ok' | 'refused' | 'none';

export function settle(limiter: FailureLimiter, key: string, verdict: AttemptVerdict): void {
  if (verdict === 'ok') limiter.succeed(key);
  else if (verdict === 'refused') limiter.fail(key);
  else limiter.release(key);
}

/**
 * Wraps an upstream `fetch` to note whether the upstream was down (no answer, a 5xx, a 429) during an
 * attempt: a refusal seen then is not proof that the caller's credentials are wrong.
 */
export function watchOutages(upstream: typeof fetch): { fetch: typeof fetch; down(): boolean } {
  let down = false;
  const watched = (async (input: RequestInfo | URL, init?: RequestInit) => {
    try {
      const res = await upstream(input, init);
      if (res.status >= 500 || res.status === 429) down = true;
      return res;
    } catch (error) {
      down = true;
      throw error;
    }
  }) as typeof fetch;
  return { fetch: watched, down: () => down };
}
