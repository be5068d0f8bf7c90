// The only reader of process.env: every setting the server takes, validated once at start-up.
import * as v from 'valibot';
import { isCalendarDay, SANDBOX_LAST_DAY } from './sandbox/clock.ts';

const flag = (fallback: boolean) =>
  v.pipe(
    v.optional(v.picklist(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off']), fallback ? '1' : '0'),
    v.transform((s) => ['1', 'true', 'yes', 'on'].includes(s)),
  );

const EnvSchema = v.object({
  PORT: v.pipe(
    v.optional(v.string(), '8787'),
    v.transform(Number),
    v.integer('PORT must be a whole number'),
    v.minValue(0),
    v.maxValue(65535),
  ),
  HOST: v.optional(v.pipe(v.string(), v.minLength(1)), '127.0.0.1'),
  /** The public origin the pod is reached at, e.g. https://pod.example.com (registration and CSP use it). */
  PUBLIC_URL: v.optional(v.pipe(v.string(), v.url('PUBLIC_URL must be an absolute URL'))),
  /** Sandbox mode (default on): emulated ConnectWise and Pax8 and the host page, mounted in-process. */
  SANDBOX: flag(true),
  /** Sandbox mode: the sandbox clock's date at start (default: the real date); the time of day keeps ticking. */
  SANDBOX_TODAY: v.optional(
    v.pipe(
      v.string(),
      v.check(isCalendarDay, 'SANDBOX_TODAY must be a real date written YYYY-MM-DD'),
      v.check((day) => day <= SANDBOX_LAST_DAY, `SANDBOX_TODAY must be ${SANDBOX_LAST_DAY} or earlier`),
    ),
  ),
  DATA_DIR: v.optional(v.pipe(v.string(), v.minLength(1)), './data'),
  /** PostgreSQL for cluster mode; when unset the store is a SQLite file under DATA_DIR. */
  DATABASE_URL: v.optional(
    v.pipe(v.string(), v.regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres://')),
  ),
  /** Key material for encrypting secrets at rest and signing sessions (at least 32 characters). */
  APP_SECRET: v.optional(v.pipe(v.string(), v.minLength(32, 'APP_SECRET must be at least 32 characters'))),
  /**
   * During a key rotation: the APP_SECRET the stored secrets were sealed with before. They still open with it;
   * new ones are sealed with APP_SECRET. `npm run rotate-secrets` re-seals them all, after which it can go.
   */
  APP_SECRET_PREVIOUS: v.optional(
    v.pipe(v.string(), v.minLength(32, 'APP_SECRET_PREVIOUS must be at least 32 characters')),
  ),
  /** Extra ConnectWise UI origins allowed to frame the pod, comma-separated. */
  HOST_ORIGINS: v.pipe(
    v.optional(v.string(), ''),
    v.transform((s) =>
      s
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    ),
    v.array(v.pipe(v.string(), v.url('HOST_ORIGINS entries must be origins like https://cw.example.com'))),
  ),
  SESSION_TTL_SECONDS: v.pipe(
    v.optional(v.string(), '900'),
    v.transform(Number),
    v.integer(),
    v.minValue(60),
    v.maxValue(86400),
  ),
  /**
   * How many proxies in front of the server append to X-Forwarded-For (0: none, use the socket's peer). Only
   * then is that header read for the client IP the sign-in and setup limits count by.
   */
  TRUST_PROXY: v.pipe(
    v.optional(v.string(), '0'),
    v.transform(Number),
    v.integer('TRUST_PROXY must be the number of proxies in front of the server (0, 1, 2, …)'),
    v.minValue(0),
    v.maxValue(10),
  ),
  /** Load shedding: requests handled at once per process, and per tenant; beyond them a fast 503. */
  MAX_IN_FLIGHT: v.pipe(v.optional(v.string(), '64'), v.transform(Number), v.integer(), v.minValue(1)),
  MAX_IN_FLIGHT_PER_TENANT: v.pipe(
    v.optional(v.string(), '32'),
    v.transform(Number),
    v.integer(),
    v.minValue(1),
  ),
  /** Mean event-loop delay (ms, per second) above which MAX_IN_FLIGHT shrinks until the lag is gone; 0: off. */
  MAX_EVENT_LOOP_DELAY_MS: v.pipe(
    v.optional(v.string(), '100'),
    v.transform(Number),
    v.integer(),
    v.minValue(0),
  ),
  /** When set, /metrics needs it as a Bearer token; when unset, /metrics answers loopback callers only. */
  /**
   * V8's old-space growth after each full GC, in percent over what is live (`--heap-growing-percent`); V8's own
   * choice (up to 4× the live heap) when 0. The default 50 keeps a burst's garbage (the board's full computation
   * reads thousands of pages) from growing the heap, and the process's RSS, to three times what it keeps.
   */
  HEAP_GROWING_PERCENT: v.pipe(
    v.optional(v.string(), '50'),
    v.transform(Number),
    v.integer('HEAP_GROWING_PERCENT must be a whole number'),
    v.minValue(0),
    v.maxValue(300),
  ),
  METRICS_TOKEN: v.optional(
    v.pipe(v.string(), v.minLength(16, 'METRICS_TOKEN must be at least 16 characters')),
  ),
  LOG_LEVEL: v.optional(v.picklist(['info', 'warn', 'error', 'silent']), 'info'),
});

export type Env = v.InferOutput<typeof EnvSchema>;

export function readEnv(source: Record<string, string | undefined> = process.env): Env {
  const picked: Record<string, string> = {};
  for (const key of Object.keys(EnvSchema.entries)) {
    const value = source[key];
    if (value !== undefined && value !== '') picked[key] = value;
  }
  const result = v.safeParse(EnvSchema, picked);
  if (!result.success) {
    const lines = result.issues.map((i) => `  ${v.getDotPath(i) ?? '?'}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  return result.output;
}
