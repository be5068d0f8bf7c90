// Load shedding: with the cap at N, N + k concurrent slow requests → N served, k answered 503 with Retry-After
// at once (before the route runs); per tenant the same with its own cap; /health, /metrics and /assets are never shed.
// No timings: the slow route waits on a gate the test opens.
import { tmpdir } from 'node:os';
import fc from 'fast-check';
import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { createShedder, type Shedder, type SheddingLimits } from '../../server/http/shedding.ts';
import { silentLogger } from '../../server/log.ts';
import { createApi, requireSession } from '../../server/routes/api.ts';
import { createSessionSigner } from '../../server/session/jwt.ts';
import { createSecretBox, openStore, type Store } from '../../server/store/index.ts';

const now = () => new Date('2026-11-25T12:00:00Z');
const sessions = createSessionSigner({
  key: new Uint8Array(32).fill(3),
  issuer: 't',
  audience: 't',
  ttlSeconds: 900,
  now,
});

let store: Store;
let shedder: Shedder;
let open: () => void;
let gate: Promise<void>;
/** How many requests reached the slow route's body (a shed one never does). */
let entered = 0;

function build(limits: SheddingLimits) {
  shedder = createShedder(limits);
  gate = new Promise<void>((done) => {
    open = done;
  });
  const api = createApi(
    {
      store,
      secretBox: createSecretBox(new Uint8Array(32).fill(4)),
      sessions,
      now,
      fetch: () => Promise.reject(new Error('no network')),
      logger: silentLogger,
      hostOrigins: [],
      shedder,
    },
    (_ctx, router) => {
      const slow = new Hono().get('/', requireSession(sessions), async (c) => {
        entered++;
        await gate;
        return c.json({ ok: true });
      });
      router.route('/slow', slow);
    },
  );
  const app = createApp({
    env: { HOST_ORIGINS: [], SANDBOX: false },
    logger: silentLogger,
    now,
    distDir: tmpdir(),
    api,
    shedder,
  });
  return app;
}

beforeEach(async () => {
  store = await openStore({ sqlitePath: ':memory:' });
  entered = 0;
});
afterEach(async () => {
  open?.();
  await store.close();
});

const token = async (tenantId: string) =>
  (await sessions.sign({ tenantId, memberId: 'm', memberName: 'M' })).token;

/** Waits until `n` requests run in the slow route (token checks run on the crypto thread pool, so poll). */
async function untilEntered(n: number) {
  for (let i = 0; i < 2000 && entered < n; i++) await new Promise((r) => setTimeout(r, 1));
  expect(entered).toBe(n);
}

describe('process cap', { timeout: 20_000 }, () => {
  it('N + k concurrent slow requests: N served, k get 503 overloaded with Retry-After, at once', async () => {
    const app = build({ maxInFlight: 3, maxInFlightPerTenant: 100 });
    const tokens = await Promise.all(['a', 'b', 'c', 'd', 'e'].map(token));
    const get = (t: string) => app.request('/api/slow', { headers: { authorization: `Bearer ${t}` } });
    const served = tokens.slice(0, 3).map(get);
    await untilEntered(3);
    expect(shedder.inFlight().process).toBe(3);
    // The gate is still shut: these answer without waiting for any slot.
    const shed = await Promise.all(tokens.slice(3).map(get));
    for (const res of shed) {
      expect(res.status).toBe(503);
      expect(res.headers.get('Retry-After')).toBe('1');
      expect(res.headers.get('X-Request-Id')).toMatch(/^[\w-]+$/);
      expect((await res.json()).error.code).toBe('overloaded');
    }
    expect(entered).toBe(3);
    // Health and metrics are never shed, even at the cap.
    expect((await app.request('/health')).status).toBe(200);
    const metrics = await app.request(
      '/metrics',
      {},
      { incoming: { socket: { remoteAddress: '127.0.0.1' } } },
    );
    expect(metrics.status).toBe(200);
    // Nor are the hashed assets: the static route answers (404 here, nothing is built), never 503.
    expect((await app.request('/assets/pod-0a1b2c3d.js')).status).toBe(404);
    open();
    expect((await Promise.all(served)).map((r) => r.status)).toEqual([200, 200, 200]);
    expect(shedder.inFlight()).toEqual({ process: 0, tenants: 0 });
    // Slots come back: the next request is served.
    expect((await get(tokens[0]!)).status).toBe(200);
  });

  it('an error inside the route frees its slot too', async () => {
    const app = build({ maxInFlight: 1, maxInFlightPerTenant: 1 });
    for (let i = 0; i < 3; i++) {
      const res = await app.request('/api/slow', { headers: { authorization: 'Bearer forged' } });
      expect(res.status).toBe(401);
    }
    expect(shedder.inFlight()).toEqual({ process: 0, tenants: 0 });
  });
});

describe('tenant cap', { timeout: 20_000 }, () => {
  it("a busy tenant is shed at its own cap while another tenant's requests still run", async () => {
    const app = build({ maxInFlight: 100, maxInFlightPerTenant: 2 });
    const [a, b] = [await token('tenant-a'), await token('tenant-b')];
    const get = (t: string) => app.request('/api/slow', { headers: { authorization: `Bearer ${t}` } });
    const running = [get(a), get(a)];
    await untilEntered(2);
    const third = await get(a);
    expect(third.status).toBe(503);
    expect(third.headers.get('Retry-After')).toBe('1');
    expect((await third.json()).error.code).toBe('overloaded');
    const other = get(b);
    await untilEntered(3);
    open();
    expect((await Promise.all([...running, other])).map((r) => r.status)).toEqual([200, 200, 200]);
  });

  it('a forged token is refused and never takes a slot of the tenant it names', async () => {
    const app = build({ maxInFlight: 100, maxInFlightPerTenant: 2 });
    const forger = createSessionSigner({
      key: new Uint8Array(32).fill(5),
      issuer: 't',
      audience: 't',
      ttlSeconds: 900,
      now,
    });
    const forged = (await forger.sign({ tenantId: 'tenant-a', memberId: 'x', memberName: 'x' })).token;
    const asA = { headers: { authorization: `Bearer ${await token('tenant-a')}` } };
    const asForger = { headers: { authorization: `Bearer ${forged}` } };
    const first = app.request('/api/slow', asA);
    await untilEntered(1);
    // Room left: the forged token is checked, and refused.
    expect((await app.request('/api/slow', asForger)).status).toBe(401);
    // It took no slot: the tenant's second slot is still free for a real request.
    const second = app.request('/api/slow', asA);
    await untilEntered(2);
    // At the cap, a request naming the tenant is refused before any check: 503, no slot, no work.
    const atCap = await app.request('/api/slow', asForger);
    expect([atCap.status, atCap.headers.get('Retry-After')]).toEqual([503, '1']);
    open();
    expect((await Promise.all([first, second])).map((r) => r.status)).toEqual([200, 200]);
    expect(shedder.inFlight()).toEqual({ process: 0, tenants: 0 });
  });
});

describe('the process cap follows the event loop', { timeout: 20_000 }, () => {
  it('shrinks while the loop lags (×0.7, never below the floor) and grows back only when requests were shed', () => {
    const s = createShedder({
      maxInFlight: 20,
      maxInFlightPerTenant: 100,
      maxEventLoopDelayMs: 100,
      minInFlight: 4,
    });
    const limits: number[] = [];
    for (const lag of [250, 250, 250, 250, 250]) {
      s.adapt(lag);
      limits.push(s.limit());
    }
    expect(limits).toEqual([14, 9, 6, 4, 4]);
    // No lag, but nothing was shed: no reason to grow.
    s.adapt(5);
    expect(s.limit()).toBe(4);
  });

  it('at the shrunk cap N, N are served and the rest shed; once the lag is gone it grows by steps', async () => {
    const app = build({
      maxInFlight: 10,
      maxInFlightPerTenant: 100,
      maxEventLoopDelayMs: 100,
      minInFlight: 2,
    });
    shedder.adapt(500); // 10 → 7
    shedder.adapt(500); // 7 → 4
    expect(shedder.limit()).toBe(4);
    const tokens = await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map(token));
    const get = (t: string) => app.request('/api/slow', { headers: { authorization: `Bearer ${t}` } });
    const served = tokens.slice(0, 4).map(get);
    await untilEntered(4);
    const shed = await Promise.all(tokens.slice(4).map(get));
    expect(shed.map((r) => r.status)).toEqual([503, 503]);
    shedder.adapt(5); // requests were shed and the loop is idle: 4 → 5
    expect(shedder.limit()).toBe(5);
    const fifth = get(tokens[4]!);
    await untilEntered(5);
    open();
    expect((await Promise.all([...served, fifth])).map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const metrics = await app.request(
      '/metrics',
      {},
      { incoming: { socket: { remoteAddress: '127.0.0.1' } } },
    );
    expect(await metrics.text()).toMatch(/http_in_flight_limit \d+/);
  });

  it('stays fixed when the delay limit is off (0)', () => {
    const s = createShedder({ maxInFlight: 20, maxInFlightPerTenant: 100, maxEventLoopDelayMs: 0 });
    s.adapt(10_000);
    expect(s.limit()).toBe(20);
  });
});

describe('the tenant claim of a token is read safely', { timeout: 20_000 }, () => {
  it('any token (payloads of any JSON, any bytes) is a 401, never a 500, and takes no slot', async () => {
    const app = build({ maxInFlight: 100, maxInFlightPerTenant: 1 });
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v) ?? 'null').toString('base64url');
    const token = fc.oneof(
      fc.jsonValue().map((payload) => `${b64({ alg: 'HS256' })}.${b64(payload)}.sig`),
      fc.record({ tid: fc.jsonValue() }).map((payload) => `${b64({ alg: 'HS256' })}.${b64(payload)}.sig`),
      fc.string({ unit: 'binary', maxLength: 60 }).map((s) => `a.${Buffer.from(s).toString('base64url')}.c`),
      fc.stringMatching(/^[\w.-]{1,80}$/),
    );
    await fc.assert(
      fc.asyncProperty(token, async (t) => {
        const res = await app.request('/api/slow', { headers: { authorization: `Bearer ${t}` } });
        expect([t, res.status]).toEqual([t, 401]);
      }),
      { numRuns: 200 },
    );
    expect(shedder.inFlight()).toEqual({ process: 0, tenants: 0 });
  });
});
