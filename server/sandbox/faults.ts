// Fault injection shared by the emulators: latency, 429 with Retry-After, 500s, and a failure after
// N writes. Tests and benchmarks set it directly (faults.set) or over HTTP (POST …/_faults).
import type { Context, MiddlewareHandler } from 'hono';

export type FaultSettings = {
  /** Added to every request, in milliseconds. */
  latencyMs: number;
  /** The next N requests get 429 with Retry-After: retryAfterSeconds. */
  rateLimitNext: number;
  retryAfterSeconds: number;
  /** The next N requests get 500. */
  serverErrorNext: number;
  /** After this many more successful writes (POST/PUT/PATCH/DELETE), every write gets 500; null = off. */
  failAfterWrites: number | null;
};

export const noFaults: FaultSettings = {
  latencyMs: 0,
  rateLimitNext: 0,
  retryAfterSeconds: 1,
  serverErrorNext: 0,
  failAfterWrites: null,
};

export type Faults = {
  readonly settings: FaultSettings;
  set(patch: Partial<FaultSettings>): void;
  reset(): void;
  /** Requests seen since the last reset, for call-count assertions in tests and benchmarks. */
  readonly counts: { requests: number; writes: number };
  middleware(render: (c: Context, status: 429 | 500, message: string) => Response): MiddlewareHandler;
};

const isWrite = (method: string) => method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';

export function createFaults(initial: Partial<FaultSettings> = {}): Faults {
  let settings: FaultSettings = { ...noFaults, ...initial };
  const counts = { requests: 0, writes: 0 };
  return {
    get settings() {
      return settings;
    },
    counts,
    set(patch) {
      settings = { ...settings, ...patch };
    },
    reset() {
      settings = { ...noFaults };
      counts.requests = 0;
      counts.writes = 0;
    },
    middleware(render) {
      return async (c, next) => {
        if (c.req.path.endsWith('/_faults')) return next();
        counts.requests++;
        if (settings.latencyMs > 0) await new Promise((r) => setTimeout(r, settings.latencyMs));
        if (settings.rateLimitNext > 0) {
          settings = { ...settings, rateLimitNext: settings.rateLimitNext - 1 };
          c.header('Retry-After', String(settings.retryAfterSeconds));
          return render(c, 429, 'Too many requests: slow down and retry after the given seconds.');
        }
        if (settings.serverErrorNext > 0) {
          settings = { ...settings, serverErrorNext: settings.serverErrorNext - 1 };
          return render(c, 500, 'Injected server error.');
        }
        if (isWrite(c.req.method) && settings.failAfterWrites !== null) {
          if (settings.failAfterWrites <= 0) return render(c, 500, 'Injected write failure.');
          settings = { ...settings, failAfterWrites: settings.failAfterWrites - 1 };
        }
        if (isWrite(c.req.method)) counts.writes++;
        return next();
      };
    },
  };
}
