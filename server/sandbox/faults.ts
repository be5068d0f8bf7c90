// Fault injection shared by the emulators: latency, 429 with Retry-After, 500s (the next N, or a seeded share of
// every request: a storm), a failure after N writes,
// and writes whose commit is held past the client's timeout (they land, or not, later). Tests and benchmarks set it directly (faults.set) or over HTTP (POST …/_faults).
import type { Context, MiddlewareHandler } from 'hono';
import { rng } from './demo/ids.ts';

export type FaultSettings = {
  /** Added to every request, in milliseconds. */
  latencyMs: number;
  /** The next N requests get 429 with Retry-After: retryAfterSeconds. */
  rateLimitNext: number;
  retryAfterSeconds: number;
  /** The next N requests get 500. */
  serverErrorNext: number;
  /** After this many more successful writes (POST/PUT/PATCH/DELETE), every write fails; null = off. */
  failAfterWrites: number | null;
  /**
   * How those writes fail: 500 (ConnectWise may or may not have processed it: the product treats the outcome as
   * unknown) or 400 (a refusal: nothing was written).
   */
  failWritesWith: 400 | 500;
  /**
   * The next N writes are held before they are processed: the client times out while ConnectWise still has
   * the request. A held write commits after holdMs, or when releaseHeld() says so (holdMs null).
   */
  holdWritesNext: number;
  holdMs: number | null;
  /** A storm: this share (0–1) of requests gets 429 with Retry-After: retryAfterSeconds, drawn from stormSeed. */
  rateLimitShare: number;
  /** A storm: this share (0–1) of requests gets 500 before it is processed. */
  serverErrorShare: number;
  /** The storm's generator restarts from this seed whenever it is set: a storm is repeatable. */
  stormSeed: number;
  /**
   * ConnectWise's per-tenant limit (issue 11): beyond this many requests in flight for one API member (one
   * Authorization header), a request gets 429 with Retry-After: retryAfterSeconds. null = off.
   */
  maxConcurrent: number | null;
};

export const noFaults: FaultSettings = {
  latencyMs: 0,
  rateLimitNext: 0,
  retryAfterSeconds: 1,
  serverErrorNext: 0,
  failAfterWrites: null,
  failWritesWith: 500,
  holdWritesNext: 0,
  holdMs: null,
  rateLimitShare: 0,
  serverErrorShare: 0,
  stormSeed: 1,
  maxConcurrent: null,
};

export type Faults = {
  readonly settings: FaultSettings;
  set(patch: Partial<FaultSettings>): void;
  reset(): void;
  /** Requests seen since the last reset, for call-count assertions in tests and benchmarks. */
  readonly counts: {
    requests: number;
    writes: number;
    rateLimited: number;
    serverErrors: number;
    concurrencyRefused: number;
  };
  /** Ends every held write: `land` commits them (as a slow ConnectWise would), else they are dropped. */
  releaseHeld(opts?: { land?: boolean }): Promise<void>;
  /** Writes held right now. */
  readonly held: number;
  middleware(render: (c: Context, status: 400 | 429 | 500, message: string) => Response): MiddlewareHandler;
};

const isWrite = (method: string) => method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';

type Held = { release: (land: boolean) => void; done: Promise<unknown> };

export function createFaults(initial: Partial<FaultSettings> = {}): Faults {
  let settings: FaultSettings = { ...noFaults, ...initial };
  let storm = rng(settings.stormSeed);
  const counts = { requests: 0, writes: 0, rateLimited: 0, serverErrors: 0, concurrencyRefused: 0 };
  const inFlight = new Map<string, number>();
  const held = new Set<Held>();
  /** Waits until released (or holdMs); true when the write should then be processed. */
  function hold(): { land: Promise<boolean>; entry: Held } {
    let release: (land: boolean) => void = () => {};
    const land = new Promise<boolean>((resolve) => {
      release = resolve;
    });
    if (settings.holdMs !== null) setTimeout(() => release(true), settings.holdMs);
    const entry: Held = { release, done: Promise.resolve() };
    return { land, entry };
  }
  return {
    get settings() {
      return settings;
    },
    get held() {
      return held.size;
    },
    async releaseHeld(opts = {}) {
      const all = [...held];
      for (const h of all) h.release(opts.land ?? true);
      await Promise.allSettled(all.map((h) => h.done));
    },
    counts,
    set(patch) {
      settings = { ...settings, ...patch };
      if (patch.stormSeed !== undefined) storm = rng(settings.stormSeed);
    },
    reset() {
      for (const h of held) h.release(false);
      settings = { ...noFaults };
      storm = rng(settings.stormSeed);
      counts.requests = 0;
      counts.writes = 0;
      counts.rateLimited = 0;
      counts.serverErrors = 0;
      counts.concurrencyRefused = 0;
    },
    middleware(render) {
      // Everything but the concurrency cap: latency, then the injected answers, then the request.
      const serve = async (c: Context, next: () => Promise<void>): Promise<Response | undefined> => {
        if (settings.latencyMs > 0) await new Promise((r) => setTimeout(r, settings.latencyMs));
        if (settings.rateLimitNext > 0) {
          settings = { ...settings, rateLimitNext: settings.rateLimitNext - 1 };
          c.header('Retry-After', String(settings.retryAfterSeconds));
          return render(c, 429, 'Too many requests: slow down and retry after the given seconds.');
        }
        if (settings.rateLimitShare > 0 || settings.serverErrorShare > 0) {
          const draw = storm();
          if (draw < settings.rateLimitShare) {
            counts.rateLimited++;
            c.header('Retry-After', String(settings.retryAfterSeconds));
            return render(c, 429, 'Too many requests: slow down and retry after the given seconds.');
          }
          if (draw < settings.rateLimitShare + settings.serverErrorShare) {
            counts.serverErrors++;
            return render(c, 500, 'Injected server error.');
          }
        }
        if (settings.serverErrorNext > 0) {
          settings = { ...settings, serverErrorNext: settings.serverErrorNext - 1 };
          return render(c, 500, 'Injected server error.');
        }
        if (isWrite(c.req.method) && settings.failAfterWrites !== null) {
          if (settings.failAfterWrites <= 0)
            return render(c, settings.failWritesWith, 'Injected write failure.');
          settings = { ...settings, failAfterWrites: settings.failAfterWrites - 1 };
        }
        if (isWrite(c.req.method) && settings.holdWritesNext > 0) {
          settings = { ...settings, holdWritesNext: settings.holdWritesNext - 1 };
          const { land, entry } = hold();
          held.add(entry);
          const finish = (async () => {
            if (!(await land)) return render(c, 500, 'Injected: the held write was dropped.');
            counts.writes++;
            await next();
            return undefined;
          })();
          entry.done = finish.finally(() => held.delete(entry));
          return finish;
        }
        if (isWrite(c.req.method)) counts.writes++;
        await next();
        return undefined;
      };
      return async (c, next) => {
        if (c.req.path.endsWith('/_faults')) return next();
        counts.requests++;
        if (settings.maxConcurrent === null) return serve(c, next);
        // ConnectWise's per-tenant cap: counted per API member (its Authorization header).
        const who = c.req.header('authorization') ?? '';
        const now = inFlight.get(who) ?? 0;
        if (now >= settings.maxConcurrent) {
          counts.concurrencyRefused++;
          c.header('Retry-After', String(settings.retryAfterSeconds));
          return render(c, 429, 'Too many concurrent requests: retry after the given seconds.');
        }
        inFlight.set(who, now + 1);
        try {
          return await serve(c, next);
        } finally {
          const left = (inFlight.get(who) ?? 1) - 1;
          if (left <= 0) inFlight.delete(who);
          else inFlight.set(who, left);
        }
      };
    },
  };
}
