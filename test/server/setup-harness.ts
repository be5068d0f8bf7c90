// Shared wiring for the session/setup/registration tests: the real app over in-memory SQLite, with
// every upstream URL routed to the CW and Pax8 emulators by host (cloud, self-hosted, this server's /sandbox).
import { Hono } from 'hono';
import { createApp } from '../../server/app.ts';
import { silentLogger } from '../../server/log.ts';
import { createApi } from '../../server/routes/api.ts';
import { createCwEmulator, demoCwCredentials } from '../../server/sandbox/cw/index.ts';
import { createPax8Emulator, demoPax8Credentials } from '../../server/sandbox/pax8/emulator.ts';
import { createSessionSigner } from '../../server/session/jwt.ts';
import { createRepositories, createSecretBox, deriveKey, openStore } from '../../server/store/index.ts';

export const appSecret = 'test-app-secret-0123456789abcdefghijklmnop';
export const sandboxSite = 'http://127.0.0.1:8787';
export const selfHostedSite = 'https://cw.example.com';

export async function harness(
  opts: {
    now?: () => Date;
    unreachable?: string[];
    dropHeader?: string;
    /** Replaces the emulator routing (e.g. the real SSRF-guarded fetch against loopback servers). */
    fetch?: typeof fetch;
  } = {},
) {
  const now = opts.now ?? (() => new Date('2026-11-25T12:00:00Z'));
  const cw = createCwEmulator({ now });
  const pax8 = createPax8Emulator({ now });
  const sandbox = new Hono();
  sandbox.route('/sandbox/cw', cw.app);
  sandbox.route('/sandbox/pax8', pax8.app);
  const calls: string[] = [];
  const fetchFn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    calls.push(`${init?.method ?? 'GET'} ${url.host}${url.pathname}`);
    if (opts.unreachable?.includes(url.host)) throw new TypeError('fetch failed: getaddrinfo ENOTFOUND');
    const path = url.pathname + url.search;
    if (opts.dropHeader && init?.headers) {
      const headers = new Headers(init.headers);
      headers.delete(opts.dropHeader);
      init = { ...init, headers };
    }
    if (url.host === '127.0.0.1:8787') return sandbox.request(path, init);
    if (url.host === 'api.pax8.com') return pax8.app.request(path, init);
    if (url.host.endsWith('myconnectwise.net') || url.host === 'cw.example.com')
      return cw.app.request(path, init);
    throw new TypeError(`fetch failed: no route to ${url.host} in the test`);
  }) as typeof fetch;

  const store = await openStore({ sqlitePath: ':memory:' });
  const secretBox = createSecretBox(deriveKey(appSecret, 'secrets'));
  const sessions = createSessionSigner({
    key: deriveKey(appSecret, 'sessions'),
    issuer: 'pax8-cw-pod',
    audience: 'pax8-cw-pod',
    ttlSeconds: 900,
    now,
  });
  const deps = {
    store,
    secretBox,
    sessions,
    now,
    fetch: opts.fetch ?? fetchFn,
    logger: silentLogger,
    hostOrigins: ['https://cw.partner.example'],
    publicUrl: 'https://pod.example.com',
    sandbox: true,
  };
  const app = createApp({
    env: { HOST_ORIGINS: ['https://cw.partner.example'], SANDBOX: true },
    logger: silentLogger,
    now,
    distDir: import.meta.dirname,
    api: createApi(deps),
  });
  const repos = createRepositories(store.db, secretBox, now);
  const post = (path: string, body: unknown, token?: string) =>
    app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  /** A post arriving on a socket from `ip` (what @hono/node-server's getConnInfo reads). */
  const postFrom = (ip: string, path: string, body: unknown, target: { request: typeof app.request } = app) =>
    target.request(
      path,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
      { incoming: { socket: { remoteAddress: ip } } },
    );
  const get = (path: string, token?: string) =>
    app.request(path, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  /** The tenant key of the tenant set up for (site, company): what its registered pod URL carries. */
  const tenantKey = async (site = '127.0.0.1:8787', companyId = demoCwCredentials.companyId) =>
    (await repos.tenants.findBySite(site, companyId))?.tenantKey ?? 'no-tenant-set-up-yet-000000';
  return {
    app,
    cw,
    pax8,
    store,
    repos,
    sessions,
    deps,
    calls,
    post,
    postFrom,
    get,
    tenantKey,
    close: () => store.close(),
  };
}

export type Harness = Awaited<ReturnType<typeof harness>>;

/** A valid setup body for the sandbox tenant. */
export function sandboxSetup(over: Record<string, unknown> = {}) {
  return {
    companyId: demoCwCredentials.companyId,
    publicKey: demoCwCredentials.publicKey,
    privateKey: demoCwCredentials.privateKey,
    clientId: demoCwCredentials.clientId,
    region: 'sandbox',
    siteUrl: sandboxSite,
    pax8: { clientId: demoPax8Credentials.clientId, clientSecret: demoPax8Credentials.clientSecret },
    ...over,
  };
}

/** The getMemberAuthentication answer the sandbox host gives the pod. */
export function memberAuth(over: Record<string, unknown> = {}) {
  return {
    site: '127.0.0.1:8787',
    companyid: demoCwCredentials.companyId,
    memberid: demoCwCredentials.member.id,
    memberHash: demoCwCredentials.member.hash,
    memberContext: 'web',
    memberEmail: 'jsmith@example.com',
    ...over,
  };
}
