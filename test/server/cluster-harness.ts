// Cluster mode in one test process: two "server processes" (each its own PostgreSQL pool, repositories and
// createApi app, keys derived from one APP_SECRET as runtime.ts does) on one fresh schema, sharing one pair
// of emulators and a fixed clock. Nothing but the database and the secret is shared between the two.
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import type { Hono } from 'hono';
import { sql } from 'kysely';
import { createApp } from '../../server/app.ts';
import { bossSchemaOf } from '../../server/jobs/pg-boss-queue.ts';
import { stopJobQueue } from '../../server/jobs/queue.ts';
import { silentLogger } from '../../server/log.ts';
import { apiContext, createApi } from '../../server/routes/api.ts';
import type { ApiContext } from '../../server/routes/deps.ts';
import { createCwEmulator, createDemoCwData, demoCwCredentials } from '../../server/sandbox/cw/index.ts';
import {
  demoCustomers,
  demoProducts,
  pax8CompanyIdOf,
  pax8ProductIdOf,
} from '../../server/sandbox/demo/msp.ts';
import {
  createDemoPax8Data,
  createPax8Emulator,
  demoPax8Credentials,
} from '../../server/sandbox/pax8/index.ts';
import { createSessionSigner } from '../../server/session/jwt.ts';
import { createSecretBox, deriveKey, openStore, type Store } from '../../server/store/index.ts';
import { cwLookups } from './sync-harness.ts';

export const clusterSecret = 'cluster-app-secret-0123456789abcdefghijklmnop';

/** A fresh schema name per cluster, so runs (and parallel test files) never see each other's rows. */
export const freshSchema = () => `cluster_test_${process.pid}_${randomUUID().slice(0, 8)}`;

/** pg-boss timings short enough for a test: a dead process's job is retried elsewhere within seconds. */
export const testQueueTimings = {
  expireInSeconds: 2,
  maintenanceIntervalSeconds: 1,
  pollingIntervalSeconds: 0.5,
  retryDelaySeconds: 1,
};

/** One server process: its own store (pool), context and app; `fetch` reaches the shared emulators. */
export type ServerProcess = { name: string; store: Store; ctx: ApiContext; app: Hono };

export type Intercept = (req: Request, send: (req: Request) => Promise<Response>) => Promise<Response>;

export function serverProcess(
  name: string,
  store: Store,
  opts: { now: () => Date; fetch: typeof fetch; appSecret?: string },
): ServerProcess {
  const secret = opts.appSecret ?? clusterSecret;
  const ctx = apiContext({
    store,
    secretBox: createSecretBox(deriveKey(secret, 'secrets')),
    sessions: createSessionSigner({
      key: deriveKey(secret, 'sessions'),
      issuer: 'pax8-cw-pod',
      audience: 'pax8-cw-pod/api',
      ttlSeconds: 900,
      now: opts.now,
    }),
    now: opts.now,
    fetch: opts.fetch,
    logger: silentLogger,
    hostOrigins: [],
    sandbox: true,
  });
  const app = createApp({
    env: { HOST_ORIGINS: [], SANDBOX: true },
    logger: silentLogger,
    now: opts.now,
    distDir: tmpdir(),
    api: createApi(ctx),
  });
  return { name, store, ctx, app };
}

/** Two processes started at the same time on a fresh schema (both run the migrations at open). */
export async function createCluster(opts: { postgresUrl: string; now: Date }) {
  const schema = freshSchema();
  const clock = { now: opts.now };
  const now = () => clock.now;
  const cw = createCwEmulator({ now, data: createDemoCwData({ now: opts.now }) });
  const pax8 = createPax8Emulator({ now, data: createDemoPax8Data(opts.now) });
  const upstream: typeof fetch = async (input, init) => {
    const req = new Request(input, init);
    const host = new URL(req.url).host;
    if (host === 'cw.test') return cw.app.request(req);
    if (host === 'pax8.test') return pax8.app.request(req);
    throw new Error(`No network in tests: ${req.url}`);
  };
  const [storeA, storeB] = await Promise.all([
    openStore({ postgresUrl: opts.postgresUrl, pgSchema: schema }),
    openStore({ postgresUrl: opts.postgresUrl, pgSchema: schema }),
  ]);
  /** Set by a test to stand between one process and the emulators (e.g. kill it after a write). */
  const intercepts = new Map<string, Intercept>();
  const fetchOf =
    (name: string): typeof fetch =>
    async (input, init) => {
      const hook = intercepts.get(name);
      return hook ? hook(new Request(input, init), upstream) : upstream(input, init);
    };
  const a = serverProcess('A', storeA, { now, fetch: fetchOf('A') });
  const b = serverProcess('B', storeB, { now, fetch: fetchOf('B') });

  // The tenant and its bindings, as an admin would leave them after /setup; written through A only.
  const { repos } = a.ctx;
  const tenant = await repos.tenants.upsert({
    name: 'Northwind',
    cwSite: 'cw.test',
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
  for (const cust of demoCustomers) {
    const pax8CompanyId = pax8CompanyIdOf(cust);
    if (cust.pax8 !== 'bound' || !pax8CompanyId) continue;
    await repos.companyBindings.bind(tenant.id, { cwCompanyId: cust.cwId, pax8CompanyId, createdBy: 'seed' });
  }
  for (const p of demoProducts) {
    if (p.cwCatalogId === undefined) continue;
    const item = cw.data.tables.catalog.rows.get(p.cwCatalogId);
    await repos.productBindings.upsert(tenant.id, {
      pax8ProductId: pax8ProductIdOf(p),
      billingTerm: 'Monthly',
      cwCatalogId: p.cwCatalogId,
      cwIdentifier: String(item?.identifier ?? p.sku),
    });
  }

  /** A JSON call through one process's front door. */
  async function call(
    proc: ServerProcess,
    method: string,
    path: string,
    body: unknown,
    token: string | undefined,
    // biome-ignore lint/suspicious/noExplicitAny: tests read responses by shape in their assertions
  ): Promise<{ status: number; json: any }> {
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    const init: RequestInit = { method, headers };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const res = await proc.app.request(`http://pod.test${path}`, init);
    const text = await res.text();
    return { status: res.status, json: text === '' ? null : JSON.parse(text) };
  }

  /** POST /api/session on a process: the member hash is checked against the CW emulator; the token. */
  async function signIn(proc: ServerProcess): Promise<string> {
    const res = await call(
      proc,
      'POST',
      '/api/session',
      {
        site: 'cw.test',
        companyid: demoCwCredentials.companyId,
        memberid: demoCwCredentials.member.id,
        memberHash: demoCwCredentials.member.hash,
        tenantKey: tenant.tenantKey,
      },
      undefined,
    );
    if (res.status !== 200) throw new Error(`sign-in answered ${res.status}: ${JSON.stringify(res.json)}`);
    return res.json.token as string;
  }

  const { additionsOf, agreementNamed } = cwLookups(cw.data);

  let closed = false;
  async function close() {
    if (closed) return;
    closed = true;
    await Promise.allSettled([stopJobQueue(a.ctx), stopJobQueue(b.ctx)]);
    await sql`drop schema if exists ${sql.id(bossSchemaOf(schema))} cascade`.execute(storeB.db);
    await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(storeB.db);
    await Promise.allSettled([storeA.close(), storeB.close()]);
  }

  return {
    schema,
    a,
    b,
    cw,
    pax8,
    tenant,
    interceptUpstream: (proc: ServerProcess, fn: Intercept | null) => {
      if (fn) intercepts.set(proc.name, fn);
      else intercepts.delete(proc.name);
    },
    setNow: (d: Date) => {
      clock.now = d;
    },
    call,
    signIn,
    additionsOf,
    agreementNamed,
    close,
  };
}

export type Cluster = Awaited<ReturnType<typeof createCluster>>;
