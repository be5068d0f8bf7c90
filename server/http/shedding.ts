// Load shedding: at most `maxInFlight` requests run in this process and `maxInFlightPerTenant` per tenant.
// One more is answered 503 with Retry-After at once, before it reaches a store or an upstream, so a burst
// costs the caller a quick retry instead of making every request slow and the process grow without bound.
// The process cap adapts to the CPU the process really gets: while the event loop lags (its own work, or a
// busy host), the cap shrinks, so the requests admitted finish sooner; when the lag is gone and requests were
// shed, it grows back towards maxInFlight (multiplicative decrease, additive increase).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Context, MiddlewareHandler } from 'hono';
import { countShed, setInFlightLimit } from '../metrics.ts';

export type SheddingLimits = {
  /** Requests handled at once by this process; the next one is shed. */
  maxInFlight: number;
  /** Requests of one tenant handled at once; keeps one busy tenant from taking every slot. */
  maxInFlightPerTenant: number;
  /** What Retry-After tells a shed caller, in seconds. Default 1. */
  retryAfterSeconds?: number;
  /** Mean event-loop delay (ms) over a window above which the process cap shrinks; 0 keeps it fixed. */
  maxEventLoopDelayMs?: number;
  /**
   * The process cap never shrinks below this. Default a quarter of maxInFlight (at least 1): a flood of shed
   * requests makes the loop lag too, and a cap near zero would then starve the requests worth serving.
   */
  minInFlight?: number;
};

export type Shedder = {
  /** App-wide: counts every request except those `exempt` names (health, readiness, metrics, emulators). */
  process(exempt: (path: string) => boolean): MiddlewareHandler;
  /**
   * The process cap without a middleware of its own (server/http/operations.ts runs it inline): true takes a
   * slot, which `leave` gives back; false means the caller answers `refuse(c)`.
   */
  enter(): boolean;
  leave(): void;
  /** The 503 `overloaded` answer of a request the process cap refused. */
  refuse(c: Context): Response;
  /**
   * Per tenant. `claimed` is the tenant a request says it is (unverified, free to read): a request naming a
   * tenant at its cap is shed without further work, which only ever refuses the caller. `verified` is the
   * tenant proven by the token (no store); only a verified request takes one of its tenant's slots.
   */
  tenant(tenantOf: {
    claimed: (c: Context) => string | null;
    verified: (c: Context) => Promise<string | null>;
  }): MiddlewareHandler;
  /** In-flight counts, for tests and the bench. */
  inFlight(): { process: number; tenants: number };
  /** The process cap now (maxInFlight unless the event loop lagged). */
  limit(): number;
  /** One window's verdict: the mean event-loop delay seen (ms). Called by watchEventLoop, or by tests. */
  adapt(meanLagMs: number): void;
};

export function createShedder(limits: SheddingLimits): Shedder {
  const retryAfter = String(limits.retryAfterSeconds ?? 1);
  const maxLag = limits.maxEventLoopDelayMs ?? 0;
  const floor = Math.min(
    limits.maxInFlight,
    limits.minInFlight ?? Math.max(1, Math.ceil(limits.maxInFlight / 4)),
  );
  let limit = limits.maxInFlight;
  /** Whether a request was shed by the process cap since the last window: only then is growing useful. */
  let saturated = false;
  setInFlightLimit(limit);
  let running = 0;
  const perTenant = new Map<string, number>();

  const shed = (c: Context, scope: 'process' | 'tenant') => {
    countShed(scope);
    c.header('Retry-After', retryAfter);
    c.header('Cache-Control', 'no-store');
    const message =
      scope === 'process'
        ? 'The server is busy: try again in a moment'
        : 'Too many requests of your company are running: try again in a moment';
    return c.json({ error: { code: 'overloaded', message } }, 503);
  };

  const enter = () => {
    if (running >= limit) {
      saturated = true;
      return false;
    }
    running++;
    return true;
  };
  const leave = () => {
    running--;
  };
  return {
    process: (exempt) => async (c, next) => {
      if (exempt(c.req.path)) return next();
      if (!enter()) return shed(c, 'process');
      try {
        await next();
      } finally {
        leave();
      }
    },
    enter,
    leave,
    refuse: (c) => shed(c, 'process'),
    tenant: (tenantOf) => async (c, next) => {
      const claimed = tenantOf.claimed(c);
      if (claimed !== null && (perTenant.get(claimed) ?? 0) >= limits.maxInFlightPerTenant)
        return shed(c, 'tenant');
      const tenant = await tenantOf.verified(c);
      if (tenant === null) return next();
      const count = perTenant.get(tenant) ?? 0;
      if (count >= limits.maxInFlightPerTenant) return shed(c, 'tenant');
      perTenant.set(tenant, count + 1);
      try {
        await next();
      } finally {
        const left = (perTenant.get(tenant) ?? 1) - 1;
        if (left === 0) perTenant.delete(tenant);
        else perTenant.set(tenant, left);
      }
    },
    inFlight: () => ({ process: running, tenants: perTenant.size }),
    limit: () => limit,
    adapt(meanLagMs) {
      if (maxLag <= 0) return;
      if (meanLagMs > maxLag) limit = Math.max(floor, Math.floor(limit * 0.7));
      else if (saturated) limit = Math.min(limits.maxInFlight, limit + Math.max(1, Math.ceil(limit * 0.1)));
      saturated = false;
      setInFlightLimit(limit);
    },
  };
}

/** Feeds the shedder the mean event-loop delay every `windowMs`; returns a stop function. */
export function watchEventLoop(shedder: Shedder, windowMs = 1000): () => void {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const timer = setInterval(() => {
    shedder.adapt(delay.mean / 1e6);
    delay.reset();
  }, windowMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    delay.disable();
  };
}
