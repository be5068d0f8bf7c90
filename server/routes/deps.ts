// What the /api routers need, built once by main.ts (or a test) and passed in: no router reads env or opens IO.
import type { AttemptLimiter } from '../http/rate-limit.ts';
import type { Shedder } from '../http/shedding.ts';
import type { Logger } from '../log.ts';
import type { SessionSigner } from '../session/jwt.ts';
import type { Repositories, SecretBox, Store } from '../store/index.ts';

export type ApiDeps = {
  store: Store;
  /** Seals tenant secrets at rest (deriveKey(APP_SECRET, 'secrets')). */
  secretBox: SecretBox;
  sessions: SessionSigner;
  now: () => Date;
  /** Every upstream call (ConnectWise, Pax8) goes through this; tests route it to the emulators. */
  fetch: typeof fetch;
  /** ConnectWise's per-request timeout for the sync clients (default 20 s; tests shorten it). */
  cwTimeoutMs?: number;
  logger: Logger;
  /** HOST_ORIGINS: ConnectWise UI origins that may frame every tenant's pod, besides the tenant's own site. */
  hostOrigins: readonly string[];
  /** PUBLIC_URL: what registration writes into ConnectWise. Falls back to the request's origin. */
  publicUrl?: string;
  /** Sandbox mode: the 'sandbox' region (plain http:// site) is accepted by setup. */
  sandbox?: boolean;
  /** Failed sign-ins and setup tests, counted in the store; createApi makes the default one if absent. */
  limiter?: AttemptLimiter;
  /** TRUST_PROXY: how many proxies in front of us append to X-Forwarded-For (0: use the socket's peer). */
  trustProxy?: number;
  /**
   * How waits are slept: the upstream clients' Retry-After and backoff, and the bulk job runner's pauses.
   * Real timers when absent; tests pass one that moves their clock instead.
   */
  sleep?: (ms: number) => Promise<void>;
  /** Load shedding; createApi caps each tenant's in-flight requests with it. Absent: no per-tenant cap. */
  shedder?: Shedder;
};

/** The deps plus the repositories over the store, built once by createApi and handed to every router. */
export type ApiContext = ApiDeps & { repos: Repositories; limiter: AttemptLimiter };
