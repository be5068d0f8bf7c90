// Front-door harness for the sync, view and binding routes: the real createApp + createApi over in-memory
// SQLite, both emulators reached through `fetch`, a fixed clock, a seeded tenant and a session token.
import { tmpdir } from 'node:os';
import { createApp } from '../../server/app.ts';
import { type Logger, silentLogger } from '../../server/log.ts';
import { readinessOf } from '../../server/readiness.ts';
import { apiContext, createApi } from '../../server/routes/api.ts';
import type { ApiContext, ApiDeps } from '../../server/routes/deps.ts';
import {
  type CwData,
  createCwEmulator,
  createDemoCwData,
  demoCwCredentials,
} from '../../server/sandbox/cw/index.ts';
import { demoCustomers, demoProductBindings, pax8CompanyIdOf } from '../../server/sandbox/demo/msp.ts';
import {
  createDemoPax8Data,
  createPax8Emulator,
  demoPax8Credentials,
  type Pax8Data,
} from '../../server/sandbox/pax8/index.ts';
import { createSessionSigner } from '../../server/session/jwt.ts';
import { createSecretBox, openStore, type Store } from '../../server/store/index.ts';
import { bulkData } from './bulk-data.ts';

/** Reads of the CW emulator's tables that tests make, shared with the cluster harness. */
export function cwLookups(data: CwData) {
  /** The additions the CW emulator holds for an agreement, in id order. */
  const additionsOf = (agreementId: number) =>
    [...data.tables.additions.rows.values()]
      .filter((r) => r.agreementId === agreementId)
      .sort((a, b) => a.id - b.id);

  const agreementNamed = (name: string) => {
    const row = [...data.tables.agreements.rows.values()].find((r) => r.name === name);
    if (!row) throw new Error(`No agreement ${name}`);
    return row;
  };
  return { additionsOf, agreementNamed };
}

export type HarnessOptions = {
  now: Date;
  cwData?: CwData;
  pax8Data?: Pax8Data;
  seedBindings?: boolean;
  /** Where the built pages are (default: an empty directory, so pages answer 404 'not built'). */
  distDir?: string;
  /** The ConnectWise client's timeout (e.g. 50 ms to let a held write outlive it). */
  cwTimeoutMs?: number;
  /**
   * Waits (Retry-After, backoff, a bulk job's pauses) move the clock instead of sleeping, so a job that waits out
   * an unknown write outcome finishes at once.
   */
  clockSleep?: boolean;
  /** The store (e.g. PostgreSQL on a fresh schema); in-memory SQLite when absent. Closed by close(). */
  store?: Store;
  /** The server's logger (default silent), for tests of what it logs. */
  logger?: Logger;
};

/**
 * What real fetch does with an AbortSignal: the caller stops waiting (AbortError) while the emulator,
 * which holds a copy of the request without the signal, may still go on and commit it.
 */
export async function abortableFetch(
  req: Request,
  send: (req: Request) => Promise<Response>,
): Promise<Response> {
  const body = req.method === 'GET' || req.method === 'HEAD' ? null : await req.arrayBuffer();
  const detached = new Request(req.url, { method: req.method, headers: req.headers, body });
  const answer = send(detached);
  const signal = req.signal;
  return new Promise<Response>((resolve, reject) => {
    const onAbort = () =>
      reject(signal.reason ?? new DOMException('The operation was aborted', 'AbortError'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    answer.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export async function createHarness(opts: HarnessOptions) {
  const clock = { now: opts.now };
  const now = () => clock.now;
  const cw = createCwEmulator({ now, data: opts.cwData ?? createDemoCwData({ now: opts.now }) });
  const pax8 = createPax8Emulator({ now, data: opts.pax8Data ?? createDemoPax8Data(opts.now) });
  /** Every upstream call as 'METHOD host/path', in order, for call-count assertions. */
  const upstreamCalls: string[] = [];
  const route = async (req: Request): Promise<Response> => {
    const host = new URL(req.url).host;
    if (host === 'cw.test') return cw.app.request(req);
    if (host === 'pax8.test') return pax8.app.request(req);
    throw new Error(`No network in tests: ${req.url}`);
  };
  /** Set by a test to stand between the server and the emulators (e.g. lose an answer after the write). */
  let intercept: ((req: Request, send: (req: Request) => Promise<Response>) => Promise<Response>) | null =
    null;
  const upstream: typeof fetch = async (input, init) => {
    const req = new Request(input, init);
    const url = new URL(req.url);
    upstreamCalls.push(`${req.method} ${url.host}${url.pathname}`);
    return abortableFetch(req, (r) => (intercept ? intercept(r, route) : route(r)));
  };
  const store = opts.store ?? (await openStore({ sqlitePath: ':memory:' }));
  const secretBox = createSecretBox(new Uint8Array(32).fill(7));
  const sessions = createSessionSigner({
    key: new Uint8Array(32).fill(9),
    issuer: 'test',
    audience: 'test',
    ttlSeconds: 900,
    now,
  });
  const deps: ApiDeps = {
    store,
    secretBox,
    sessions,
    now,
    fetch: upstream,
    ...(opts.cwTimeoutMs === undefined ? {} : { cwTimeoutMs: opts.cwTimeoutMs }),
    ...(opts.clockSleep
      ? {
          sleep: async (ms: number) => {
            clock.now = new Date(clock.now.getTime() + ms);
            await new Promise((r) => setImmediate(r));
          },
        }
      : {}),
    logger: opts.logger ?? silentLogger,
    hostOrigins: [],
    sandbox: true,
  };
  /**
   * An app instance over the store: a second one is another server process sharing the database (its own
   * repositories, so its own tenant cache). The first one shares its repositories with the harness, so a change
   * the harness makes is seen at once, as a change made through the app is.
   */
  const appInstance = (ctx: ApiDeps | ApiContext = deps) =>
    createApp({
      env: { HOST_ORIGINS: [], SANDBOX: true },
      logger: silentLogger,
      now,
      distDir: opts.distDir ?? tmpdir(),
      api: createApi(ctx),
      ready: readinessOf(store.db, secretBox),
    });
  const ctx = apiContext(deps);
  const app = appInstance(ctx);
  const { repos } = ctx;

  const addTenant = async (name: string, site: string) =>
    repos.tenants.upsert({
      name,
      cwSite: site,
      cwCompanyId: demoCwCredentials.companyId,
      cwRegion: 'sandbox',
      cwApiBaseUrl: 'http://cw.test/v4_6_release/apis/3.0',
      cwClientId: demoCwCredentials.clientId,
      cwPublicKey: demoCwCredentials.publicKey,
      cwPrivateKey: demoCwCredentials.privateKey,
      pax8ClientId: demoPax8Credentials.clientId,
      pax8ClientSecret: demoPax8Credentials.clientSecret,
      pax8ApiBaseUrl: 'http://pax8.test/v1',
    });
  const tenant = await addTenant('Northwind', 'cw.test');
  if (opts.seedBindings !== false) {
    for (const cust of demoCustomers) {
      const pax8CompanyId = pax8CompanyIdOf(cust);
      if (cust.pax8 !== 'bound' || !pax8CompanyId) continue;
      await repos.companyBindings.bind(tenant.id, {
        cwCompanyId: cust.cwId,
        pax8CompanyId,
        createdBy: 'seed',
      });
    }
    for (const binding of demoProductBindings()) {
      const item = cw.data.tables.catalog.rows.get(binding.cwCatalogId);
      await repos.productBindings.upsert(tenant.id, {
        ...binding,
        cwIdentifier: String(item?.identifier ?? binding.cwIdentifier),
      });
    }
  }
  const tokenFor = async (tenantId: string, memberId = 'jsmith') =>
    (await sessions.sign({ tenantId, memberId, memberName: 'John Smith' })).token;
  const token = await tokenFor(tenant.id);

  /** A JSON call through the front door; `raw` sends the body text as is. */
  async function call(
    method: string,
    path: string,
    body?: unknown,
    o: { token?: string; raw?: string; app?: typeof app } = {},
    // biome-ignore lint/suspicious/noExplicitAny: tests read responses by shape in their assertions
  ): Promise<{ status: number; json: any }> {
    const headers: Record<string, string> = { authorization: `Bearer ${o.token ?? token}` };
    const init: RequestInit = { method, headers };
    if (o.raw !== undefined || body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = o.raw ?? JSON.stringify(body);
    }
    const res = await (o.app ?? app).request(`http://pod.test${path}`, init);
    const text = await res.text();
    return { status: res.status, json: text === '' ? null : JSON.parse(text) };
  }

  const { additionsOf, agreementNamed } = cwLookups(cw.data);

  return {
    app,
    appInstance: () => appInstance(),
    /** The clock of the server and both emulators. */
    now,
    /** Moves the clock of the server and both emulators. */
    setNow: (d: Date) => {
      clock.now = d;
    },
    cw,
    pax8,
    upstreamCalls,
    interceptUpstream: (fn: typeof intercept) => {
      intercept = fn;
    },
    store,
    /** The API context (the scheduler and the bulk runner work from it, as in a server process). */
    ctx,
    repos,
    tenant,
    token,
    tokenFor,
    addTenant,
    call,
    additionsOf,
    agreementNamed,
    close: () => store.close(),
  };
}

export type Harness = Awaited<ReturnType<typeof createHarness>>;

/** A harness over bulkData's set (its companies and products bound, no additions), with the clock's sleeps. */
export async function bulkHarness(opts: { companies: number; now: Date }) {
  const data = bulkData(opts);
  const h = await createHarness({
    now: opts.now,
    cwData: data.cw,
    pax8Data: data.pax8,
    seedBindings: false,
    clockSleep: true,
  });
  await data.bind(h.repos, h.tenant.id);
  return { h, data };
}
