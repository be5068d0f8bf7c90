// Issue 12's sign-in findings through the front door: nobody can lock a member out from another IP, an
// unconnected site and a refused member get the same bytes, an unreachable upstream counts for the caller,
// every failure is logged (never the hash), and two app instances on one store share the counts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { type AttemptLimiter, clientIp, createAttemptLimiter } from '../../server/http/rate-limit.ts';
import { createLogger, silentLogger } from '../../server/log.ts';
import { createApi } from '../../server/routes/api.ts';
import { createAttempts } from '../../server/store/attempts.ts';
import { openStore, type Store } from '../../server/store/index.ts';
import { type Harness, harness, memberAuth, sandboxSetup } from './setup-harness.ts';

const now = new Date('2026-11-25T12:00:00Z');
const ipA = '203.0.113.5';
const ipB = '198.51.100.7';
/** The sandbox tenant's key (its pod URL's `t`), read once the tenant is set up. */
let key = 'no-tenant-set-up-yet-000000';
const signIn = (over: Record<string, unknown> = {}) => memberAuth({ tenantKey: key, ...over });
let wrongHash = signIn({ memberHash: 'guessed-hash-0123' });
function keyed(tenantKey: string): void {
  key = tenantKey;
  wrongHash = signIn({ memberHash: 'guessed-hash-0123' });
}

let h: Harness;
beforeEach(async () => {
  h = await harness({ now: () => now });
  expect((await h.post('/api/setup', sandboxSetup())).status).toBe(200);
  keyed(await h.tenantKey());
});
afterEach(() => h.close());

async function statuses(times: number, send: () => Promise<Response> | Response) {
  const out: number[] = [];
  for (let i = 0; i < times; i++) out.push((await send()).status);
  return out;
}
const n = (count: number, status: number) => Array.from({ length: count }, () => status);

/** The harness's API with other deps (an upstream, a limiter, a logger, a store). */
function appWith(over: Partial<Parameters<typeof createApi>[0]>) {
  return createApp({
    env: { HOST_ORIGINS: [], SANDBOX: true },
    logger: silentLogger,
    now: () => now,
    distDir: import.meta.dirname,
    api: createApi({ ...h.deps, ...over }),
  });
}

function limiterWith(store: Store, limits: { ip?: number; subject?: number }): AttemptLimiter {
  return createAttemptLimiter({ attempts: createAttempts(store.db, store.dialect), now: () => now, limits });
}

describe('POST /api/session abuse', () => {
  it('10 wrong hashes from IP A do not stop the real member signing in from IP B', async () => {
    expect(await statuses(10, () => h.postFrom(ipA, '/api/session', wrongHash))).toEqual(n(10, 401));
    expect((await h.postFrom(ipA, '/api/session', signIn())).status).toBe(429);
    const fromB = await h.postFrom(ipB, '/api/session', signIn());
    expect(fromB.status).toBe(200);
  });

  it('an IP is refused after 30 failures whatever members it tries', async () => {
    const members = Array.from({ length: 30 }, (_, i) => signIn({ memberid: `m${i}`, memberHash: 'x' }));
    const tried: number[] = [];
    for (const body of members) tried.push((await h.postFrom(ipA, '/api/session', body)).status);
    expect(tried).toEqual(n(30, 401));
    expect((await h.postFrom(ipA, '/api/session', signIn({ memberid: 'm30' }))).status).toBe(429);
    expect((await h.postFrom(ipB, '/api/session', signIn())).status).toBe(200);
  });

  it('an unknown site and a wrong hash get byte-identical answers', async () => {
    const unknown = await h.postFrom(ipA, '/api/session', signIn({ site: 'eu.myconnectwise.net' }));
    const refused = await h.postFrom(ipB, '/api/session', wrongHash);
    const view = async (res: Response) => ({
      status: res.status,
      type: res.headers.get('content-type'),
      body: await res.text(),
    });
    const [a, b] = [await view(unknown), await view(refused)];
    expect(a).toEqual(b);
    expect(a.status).toBe(401);
    expect(JSON.parse(a.body).error.code).toBe('sign_in_failed');
  });

  it('an unreachable ConnectWise counts for the calling IP, not for the member', async () => {
    const upstream = { down: true };
    const flaky = (async (input: RequestInfo | URL, init?: RequestInit) => {
      if (upstream.down) throw new TypeError('fetch failed: connect ECONNREFUSED');
      return h.deps.fetch(input, init);
    }) as typeof fetch;
    const app = appWith({ fetch: flaky, limiter: limiterWith(h.store, { ip: 3 }) });
    expect(await statuses(3, () => h.postFrom(ipA, '/api/session', signIn(), app))).toEqual(n(3, 503));
    upstream.down = false;
    expect((await h.postFrom(ipA, '/api/session', signIn(), app)).status).toBe(429);
    expect((await h.postFrom(ipB, '/api/session', signIn(), app)).status).toBe(200);
  });

  it('logs every failure with reason, member, site and IP, and never the hash', async () => {
    const lines: string[] = [];
    const app = appWith({ logger: createLogger((line) => lines.push(line)) });
    await h.postFrom(ipA, '/api/session', wrongHash, app);
    await h.postFrom(ipA, '/api/session', { ...wrongHash, site: 'eu.myconnectwise.net' }, app);
    const failures = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'sign-in failed');
    expect(failures.map(({ reason, member, site, ip }) => ({ reason, member, site, ip }))).toEqual([
      { reason: 'refused', member: 'jsmith', site: '127.0.0.1:8787', ip: ipA },
      { reason: 'unknown_site', member: 'jsmith', site: 'eu.myconnectwise.net', ip: ipA },
    ]);
    expect(lines.join('\n')).not.toContain('guessed-hash-0123');
  });
});

describe('POST /api/setup/test abuse', () => {
  it('an unreachable site counts for the calling IP: probing is bounded', async () => {
    const app = appWith({ limiter: limiterWith(h.store, { ip: 3 }) });
    const probe = sandboxSetup({ region: 'self-hosted', siteUrl: 'https://cw.down.example' });
    expect(await statuses(3, () => h.postFrom(ipA, '/api/setup/test', probe, app))).toEqual(n(3, 200));
    expect((await h.postFrom(ipA, '/api/setup/test', probe, app)).status).toBe(429);
    expect((await h.postFrom(ipB, '/api/setup/test', probe, app)).status).toBe(200);
  });
});

describe('cluster: two app instances on one store', () => {
  let dir: string;
  const stores: Store[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pod-limits-'));
  });
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('share the failure count (5 + 5 wrong hashes, then both refuse)', async () => {
    const file = join(dir, 'pod.sqlite');
    const one = await openStore({ sqlitePath: file });
    const two = await openStore({ sqlitePath: file });
    stores.push(one, two);
    const apps = [one, two].map((store) => appWith({ store }));
    const [a, b] = apps as [Hono, Hono];
    expect((await h.postFrom(ipA, '/api/setup', sandboxSetup(), a)).status).toBe(200);
    keyed((await one.db.selectFrom('tenants').select('tenant_key').executeTakeFirstOrThrow()).tenant_key);
    const wrong = [
      ...(await statuses(5, () => h.postFrom(ipA, '/api/session', wrongHash, a))),
      ...(await statuses(5, () => h.postFrom(ipA, '/api/session', wrongHash, b))),
    ];
    expect(wrong).toEqual(n(10, 401));
    expect((await h.postFrom(ipA, '/api/session', signIn(), a)).status).toBe(429);
    expect((await h.postFrom(ipA, '/api/session', signIn(), b)).status).toBe(429);
    expect((await h.postFrom(ipB, '/api/session', signIn(), b)).status).toBe(200);
  });
});

describe('client IP', () => {
  const ipOf = async (hops: number, socket: string, xff?: string) => {
    const app = new Hono().get('/', (c) => c.text(clientIp(c, hops)));
    const headers: Record<string, string> = xff ? { 'x-forwarded-for': xff } : {};
    const res = await app.request('/', { headers }, { incoming: { socket: { remoteAddress: socket } } });
    return res.text();
  };

  it.each([
    ['the socket peer', 0, '203.0.113.5', undefined, '203.0.113.5'],
    ['X-Forwarded-For ignored without TRUST_PROXY', 0, '10.0.0.2', '198.51.100.7', '10.0.0.2'],
    [
      'one trusted proxy: its entry, not a forged one left of it',
      1,
      '10.0.0.2',
      '1.2.3.4, 198.51.100.7',
      '198.51.100.7',
    ],
    ['two trusted proxies', 2, '10.0.0.2', '1.2.3.4, 198.51.100.7, 10.0.0.9', '198.51.100.7'],
    ['a malformed entry falls back to the socket', 1, '10.0.0.2', 'not-an-ip', '10.0.0.2'],
    ['IPv4-mapped IPv6 read as IPv4', 0, '::ffff:203.0.113.5', undefined, '203.0.113.5'],
    ['IPv6 grouped by /64', 0, '2001:db8:1:2:aaaa::1', undefined, '2001:db8:1:2::/64'],
  ] as const)('%s', async (_name, hops, socket, xff, expected) => {
    expect(await ipOf(hops, socket, xff)).toBe(expected);
  });
});
