// Builds the running product from the env: store → secrets and sessions → sandbox (if on) → createApp,
// and seeds the sandbox tenant once the listening origin is known. main.ts and the e2e tests use it.
import { join, resolve } from 'node:path';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { type ServerType, serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { manifestFor } from '../manifest/hosted-setups.ts';
import { createApp } from './app.ts';
import { assertSecretsOpen, secretBoxOf } from './app-secret.ts';
import type { Env } from './env.ts';
import { createGuardedFetch } from './http/guarded-fetch.ts';
import { createShedder, watchEventLoop } from './http/shedding.ts';
import { jobQueueOf } from './jobs/queue.ts';
import type { Logger } from './log.ts';
import { readinessOf } from './readiness.ts';
import { registrationClient } from './registration/cw-adapter.ts';
import { publicUrlFor } from './registration/public-url.ts';
import { register } from './registration/register.ts';
import { projectRoot } from './root.ts';
import { apiContext, createApi } from './routes/api.ts';
import type { ApiContext } from './routes/deps.ts';
import { frameAncestorsFor, podConfigFor } from './routes/pod-config.ts';
import { demoCustomers, demoMsp, demoProductBindings, pax8CompanyIdOf } from './sandbox/demo/msp.ts';
import { createSandbox, createSandboxClock, sandboxCredentials } from './sandbox/index.ts';
import { claimSandboxInstance, sandboxTenantsToReset } from './sandbox-instance.ts';
import { createScheduler, type Scheduler } from './schedule/scheduler.ts';
import { createSessionSigner } from './session/jwt.ts';
import { deriveKey, loadOrCreateDevKey, normaliseSite, openStore, type Store } from './store/index.ts';
import { clientsFor } from './tenant-clients.ts';

export const distDir = resolve(projectRoot, 'dist/client');

export type Runtime = {
  app: Hono;
  store: Store;
  ctx: ApiContext;
  sandbox: ReturnType<typeof createSandbox> | undefined;
  /** The scheduled sync's ticker (issue 11 item 3); in sandbox mode moving the clock ticks it at once. */
  scheduler: Scheduler;
  /** Sandbox only: create or update the sandbox tenant for the origin the server listens on. */
  seedSandboxTenant(origin: string): Promise<void>;
  close(): Promise<void>;
};

/** The heap in use above which HEAP_GROWING_PERCENT applies; below it V8 keeps its own growth. */
export const HEAP_CAP_ABOVE_BYTES = 48 * 1024 * 1024;

/**
 * V8's heap growing percent for a heap with `usedBytes` in use: 0 (V8's own choice, up to 4× what is live) for
 * a small heap, where more frequent full GCs would only cost CPU per request; the setting for a large one (a burst
 * such as the board's full computation), where the garbage between GCs is what sets the process's RSS.
 */
export function heapGrowingPercentFor(usedBytes: number, setting: number): number {
  return setting > 0 && usedBytes > HEAP_CAP_ABOVE_BYTES ? setting : 0;
}

/**
 * A process entry's heap setting (HEAP_GROWING_PERCENT): checked every second against the heap in use and
 * handed to V8 (`--heap-growing-percent`, which V8 reads at every GC) when it changes. Tests and embedders that
 * do not call it keep V8's own growth. Answers a stop for the check.
 */
export function tuneHeap(env: Pick<Env, 'HEAP_GROWING_PERCENT'>): () => void {
  if (env.HEAP_GROWING_PERCENT <= 0) return () => {};
  let applied = 0;
  const check = () => {
    const wanted = heapGrowingPercentFor(getHeapStatistics().used_heap_size, env.HEAP_GROWING_PERCENT);
    if (wanted === applied) return;
    setFlagsFromString(`--heap-growing-percent=${wanted}`);
    applied = wanted;
  };
  const timer = setInterval(check, 1000);
  timer.unref();
  return () => clearInterval(timer);
}

export async function createRuntime(
  env: Env,
  opts: { logger: Logger; now?: () => Date; fetch?: typeof fetch; today?: string },
): Promise<Runtime> {
  // In sandbox mode the product runs on the sandbox clock (SANDBOX_TODAY or opts.today, then ticking with
  // opts.now or the real time), so plans, sessions and both emulators agree on today.
  const realNow = opts.now ?? (() => new Date());
  const clock = env.SANDBOX
    ? createSandboxClock({ today: opts.today ?? env.SANDBOX_TODAY, realNow })
    : undefined;
  const now = clock ? clock.now : realNow;
  const store = await openStore(
    env.DATABASE_URL ? { postgresUrl: env.DATABASE_URL } : { sqlitePath: join(env.DATA_DIR, 'pod.sqlite') },
  );
  let appSecret = env.APP_SECRET;
  if (!appSecret) {
    if (!env.SANDBOX) {
      await store.close();
      throw new Error('APP_SECRET is required in live mode (SANDBOX=0): at least 32 random characters.');
    }
    const dev = await loadOrCreateDevKey(env.DATA_DIR);
    appSecret = dev.key;
    opts.logger.warn(
      dev.created
        ? 'Sandbox: created a development key in DATA_DIR (set APP_SECRET for real use)'
        : 'Sandbox: using the development key in DATA_DIR (set APP_SECRET for real use)',
    );
  }
  const secretBox = secretBoxOf(appSecret, env.APP_SECRET_PREVIOUS);
  try {
    await assertSecretsOpen(store.db, secretBox, env);
  } catch (error) {
    await store.close();
    throw error;
  }
  // The host page frames our pod with the sandbox tenant's key even before anything is registered.
  const tenantKeyOf = async (origin: string) =>
    (
      await ctx.repos.tenants.findBySite(
        normaliseSite(origin),
        sandboxCredentials(origin).connectwise.companyId,
      )
    )?.tenantKey;
  const sandbox = clock ? createSandbox({ clock, distDir, tenantKeyOf }) : undefined;
  const instance = env.SANDBOX ? await claimSandboxInstance(env.DATA_DIR) : undefined;
  // Every upstream call goes through the SSRF guard; only the sandbox's own origin (learnt once listening,
  // under both loopback names) may be on a loopback address. Live mode allows no exception.
  const sandboxOrigins = new Set<string>();
  const shedder = createShedder({
    maxInFlight: env.MAX_IN_FLIGHT,
    maxInFlightPerTenant: env.MAX_IN_FLIGHT_PER_TENANT,
    maxEventLoopDelayMs: env.MAX_EVENT_LOOP_DELAY_MS,
  });
  const stopWatching = env.MAX_EVENT_LOOP_DELAY_MS > 0 ? watchEventLoop(shedder) : () => {};
  const ctx = apiContext({
    store,
    secretBox,
    sessions: createSessionSigner({
      key: deriveKey(appSecret, 'sessions'),
      issuer: 'pax8-cw-pod',
      audience: 'pax8-cw-pod/api',
      ttlSeconds: env.SESSION_TTL_SECONDS,
      now,
    }),
    now,
    fetch: opts.fetch ?? createGuardedFetch({ allowedOrigins: () => sandboxOrigins }),
    logger: opts.logger,
    hostOrigins: env.HOST_ORIGINS,
    ...(env.PUBLIC_URL ? { publicUrl: env.PUBLIC_URL } : {}),
    sandbox: env.SANDBOX,
    trustProxy: env.TRUST_PROXY,
    shedder,
  });
  // Unfinished bulk jobs resume (in process), or this process joins the PostgreSQL job queue.
  const jobs = jobQueueOf(ctx);
  await jobs.start();
  const api = createApi(ctx);
  const scheduler = createScheduler(ctx);
  scheduler.start();
  const unwatchClock = clock?.onChange(() => void scheduler.tick()) ?? (() => {});
  const app = createApp({
    env,
    logger: opts.logger,
    now,
    distDir,
    api,
    ...(sandbox ? { sandbox: sandbox.app } : {}),
    frameAncestors: frameAncestorsFor(ctx),
    podConfig: podConfigFor(ctx),
    ready: readinessOf(store.db, secretBox),
    shedder,
  });

  async function seedSandboxTenant(origin: string): Promise<void> {
    if (env.SANDBOX) for (const o of loopbackNames(origin)) sandboxOrigins.add(o);
    const creds = sandboxCredentials(origin);
    const { tenants, companyBindings, productBindings } = ctx.repos;
    // The emulated ConnectWise and Pax8 start fresh at every start, so the sandbox tenant does too: its
    // bindings, journal and plans would otherwise point at additions and catalog items that no longer exist.
    // Only this instance's own rows: another sandbox process may share the database (sandbox-instance.ts).
    const site = normaliseSite(origin);
    if (!instance) throw new Error('The sandbox tenant is seeded in sandbox mode only');
    const owner = instance.id;
    const own = sandboxTenantsToReset(await tenants.list(), owner, site, creds.connectwise.companyId);
    for (const stale of own) await tenants.remove(stale.id);
    const tenant = await tenants.upsert({
      sandboxOwner: owner,
      name: demoMsp.name,
      cwSite: site,
      cwCompanyId: creds.connectwise.companyId,
      cwRegion: 'sandbox',
      cwApiBaseUrl: creds.connectwise.apiBaseUrl,
      cwClientId: creds.connectwise.clientId,
      cwPublicKey: creds.connectwise.publicKey,
      cwPrivateKey: creds.connectwise.privateKey,
      pax8ClientId: creds.pax8.clientId,
      pax8ClientSecret: creds.pax8.clientSecret,
      pax8ApiBaseUrl: creds.pax8.apiBaseUrl,
    });
    // Like an admin pressing "Create Tab in ConnectWise": the emulated CW gets our pods, tabs and menu entry
    // (idempotent), at the same public URL as the setup button and the CLI use.
    const secrets = await tenants.secrets(tenant.id);
    if (secrets) {
      const { cw } = clientsFor(tenant, secrets, ctx.fetch);
      await register({
        cw: registrationClient(cw),
        manifest: manifestFor(tenant.tenantKey),
        publicUrl: publicUrlFor(tenant, undefined) ?? origin,
      });
    }
    for (const customer of demoCustomers) {
      const pax8CompanyId = pax8CompanyIdOf(customer);
      if (customer.pax8 !== 'bound' || !pax8CompanyId) continue;
      await companyBindings.bind(tenant.id, {
        cwCompanyId: customer.cwId,
        pax8CompanyId,
        createdBy: 'sandbox',
      });
    }
    for (const binding of demoProductBindings()) await productBindings.upsert(tenant.id, binding);
  }

  const close = async () => {
    stopWatching();
    unwatchClock();
    await scheduler.stop();
    await jobs.stop();
    await instance?.release();
    await store.close();
  };
  return { app, store, ctx, sandbox, scheduler, seedSandboxTenant, close };
}

/** The origin under both loopback names (the host page and the pod use one each). */
export function loopbackNames(origin: string): string[] {
  const url = new URL(origin);
  const other = new URL(origin);
  if (url.hostname === '127.0.0.1') other.hostname = 'localhost';
  else if (url.hostname === 'localhost') other.hostname = '127.0.0.1';
  return [...new Set([url.origin, other.origin])];
}

/** Serves the runtime; resolves once listening, with the URL (http://HOST:PORT) and a close(). */
export async function listen(
  runtime: Runtime,
  host: string,
  port: number,
): Promise<{ url: string; server: ServerType; close(): Promise<void> }> {
  const { server, actualPort } = await new Promise<{ server: ServerType; actualPort: number }>((done) => {
    const s = serve({ fetch: runtime.app.fetch, port, hostname: host }, (info) =>
      done({ server: s, actualPort: info.port }),
    );
  });
  const url = `http://${host}:${actualPort}`;
  if (runtime.sandbox) await runtime.seedSandboxTenant(url);
  return {
    url,
    server,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }).then(() => runtime.close()),
  };
}

/** For end-to-end tests: a sandbox server on 127.0.0.1 with its own data directory. */
export async function startSandboxServer(opts: {
  port?: number;
  dataDir: string;
  logger: Logger;
  /** The sandbox clock's date at start (YYYY-MM-DD); default: the real date. */
  today?: string;
}) {
  const { readEnv } = await import('./env.ts');
  const env = readEnv({ SANDBOX: '1', DATA_DIR: opts.dataDir, LOG_LEVEL: 'silent' });
  const runtime = await createRuntime(env, {
    logger: opts.logger,
    ...(opts.today === undefined ? {} : { today: opts.today }),
  });
  return listen(runtime, '127.0.0.1', opts.port ?? 0);
}
