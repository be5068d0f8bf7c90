// Limits failed sign-ins and setup tests, so nobody can use this server to guess credentials against
// ConnectWise or Pax8, probe hosts through setup, or hammer the upstream APIs, and so nobody can lock a
// real member out. Two limits per attempt, both keyed by the caller's IP:
// - per client IP (hard): every failure from that IP counts, an unknown site and an unreachable upstream
//   too, so probing is bounded;
// - per subject AND IP (the member of a site, a company's keys): 10 refusals, then that subject is refused
//   from that IP only. Wrong hashes from IP A never stop the real member signing in from IP B.
// Counts live in the store (attempts table), so N processes on one database share them.
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import ipaddr from 'ipaddr.js';
import { AppError } from '../errors.ts';
import type { AttemptOutcome, Attempts } from '../store/attempts.ts';

export type { AttemptOutcome } from '../store/attempts.ts';

export type LimitKind = 'ip' | 'subject';
export type Limit = { key: string; kind: LimitKind };

export type AttemptLimits = { ip: number; subject: number; windowMs: number };
/** 30 failures per client IP and 10 per subject at one IP, each in a sliding 15 minutes. */
export const defaultAttemptLimits: AttemptLimits = { ip: 30, subject: 10, windowMs: 15 * 60_000 };

/** An attempt under way: end it once, saying per key how it went. */
export type Attempt = { end(outcome: (limit: Limit) => AttemptOutcome): Promise<void> };

export type AttemptLimiter = {
  /**
   * Counts the attempt under each limit from its start (so parallel attempts cannot all pass before one
   * fails). Throws AppError('rate_limited', details.retryAfterSeconds) when a limit is spent; nothing is
   * counted then.
   */
  begin(limits: readonly Limit[]): Promise<Attempt>;
};

export function createAttemptLimiter(o: {
  attempts: Attempts;
  now: () => Date;
  limits?: Partial<AttemptLimits>;
}): AttemptLimiter {
  const limits = { ...defaultAttemptLimits, ...o.limits };
  return {
    async begin(wanted) {
      const at = o.now();
      const since = new Date(at.getTime() - limits.windowMs);
      await o.attempts.prune(since);
      const started: { limit: Limit; seq: number }[] = [];
      for (const limit of wanted) {
        const { seq, before } = await o.attempts.start(limit.key, at, since);
        started.push({ limit, seq });
        const max = limits[limit.kind];
        if (before.length < max) continue;
        for (const s of started) await o.attempts.end(s.limit.key, s.seq, 'release', at);
        // The attempt that frees a slot is the oldest of the last `max` leaving the window.
        const oldest = before[before.length - max] ?? at;
        const freedAt = oldest.getTime() + limits.windowMs;
        const retryAfterSeconds = Math.max(1, Math.ceil((freedAt - at.getTime()) / 1000));
        const minutes = Math.ceil(retryAfterSeconds / 60);
        throw new AppError(
          'rate_limited',
          `Too many failed attempts: try again in ${minutes} minute${minutes === 1 ? '' : 's'}`,
          { details: { retryAfterSeconds } },
        );
      }
      let ended = false;
      return {
        async end(outcome) {
          if (ended) return;
          ended = true;
          const now = o.now();
          for (const s of started) await o.attempts.end(s.limit.key, s.seq, outcome(s.limit), now);
        },
      };
    },
  };
}

/** limiter.begin for a route: on refusal sets `Retry-After` (seconds) before the 429 reaches onError. */
export async function beginAttempt(
  c: Context,
  limiter: AttemptLimiter,
  limits: readonly Limit[],
): Promise<Attempt> {
  try {
    return await limiter.begin(limits);
  } catch (error) {
    const details = (error as AppError).details as { retryAfterSeconds?: number } | undefined;
    if (details?.retryAfterSeconds !== undefined) c.header('Retry-After', String(details.retryAfterSeconds));
    throw error;
  }
}

/**
 * The caller's address: the socket's peer, or with `trustProxyHops` > 0 the X-Forwarded-For entry that
 * many hops from the right (what the outermost of our proxies saw; entries further left are the caller's
 * to write). IPv4-mapped IPv6 is read as IPv4, and IPv6 is cut to its /64 (one host's usual allocation).
 */
export function clientIp(c: Context, trustProxyHops = 0): string {
  let address: string | undefined;
  try {
    address = getConnInfo(c).remote.address;
  } catch {
    address = undefined; // no socket: app.request() in tests
  }
  if (trustProxyHops > 0) {
    const hops = (c.req.header('x-forwarded-for') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const forwarded = hops[Math.max(0, hops.length - trustProxyHops)];
    if (forwarded && ipaddr.isValid(forwarded)) address = forwarded;
  }
  if (!address || !ipaddr.isValid(address)) return 'unknown';
  const ip = ipaddr.process(address);
  if (ip.kind() === 'ipv4') return ip.toString();
  const parts = (ip as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16));
  return `${parts.join(':')}::/64`;
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
