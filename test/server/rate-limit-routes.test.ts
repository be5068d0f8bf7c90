// Failed sign-ins (POST /api/session) and setup tests (POST /api/setup[/test]) through the front door: after
// 10 refused attempts at one member or company (from one IP) the 11th is a 429 before any upstream call, on a
// fixed clock. Per-IP limits and cluster sharing are in sign-in-abuse.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { type AttemptLimiter, createAttemptLimiter } from '../../server/http/rate-limit.ts';
import { silentLogger } from '../../server/log.ts';
import { createApi } from '../../server/routes/api.ts';
import { demoCwCredentials } from '../../server/sandbox/cw/index.ts';
import { demoPax8Credentials } from '../../server/sandbox/pax8/emulator.ts';
import { createAttempts } from '../../server/store/attempts.ts';
import { type Harness, harness, memberAuth, sandboxSetup } from './setup-harness.ts';

const start = new Date('2026-11-25T12:00:00Z');
const clock = { now: start };
const at = (minutes: number, seconds = 0) => {
  clock.now = new Date(start.getTime() + (minutes * 60 + seconds) * 1000);
};

let h: Harness;
beforeEach(async () => {
  clock.now = start;
  h = await harness({ now: () => clock.now });
});
afterEach(() => h.close());

/** The sandbox tenant's key (its pod URL's `t`), read by keyed() once a test has set the tenant up. */
let key = 'no-tenant-set-up-yet-000000';
const signIn = (over: Record<string, unknown> = {}) => memberAuth({ tenantKey: key, ...over });
let wrongHash = signIn({ memberHash: 'guessed-hash' });
async function keyed(): Promise<void> {
  key = await h.tenantKey();
  wrongHash = signIn({ memberHash: 'guessed-hash' });
}
const wrongKey = sandboxSetup({ privateKey: 'GuessedPrivateKey' });

/** Posts `times` times in a row; the statuses, and the upstream calls they made. */
async function repeat(times: number, path: string, body: unknown) {
  const before = h.calls.length;
  const statuses: number[] = [];
  for (let i = 0; i < times; i++) statuses.push((await h.post(path, body)).status);
  return { statuses, calls: h.calls.length - before };
}

/** One post; its status, body, Retry-After and how many upstream calls it made. */
async function once(path: string, body: unknown) {
  const before = h.calls.length;
  const res = await h.post(path, body);
  return {
    status: res.status,
    body: await res.json(),
    retryAfter: res.headers.get('retry-after'),
    calls: h.calls.length - before,
  };
}

const ten = (status: number) => Array.from({ length: 10 }, () => status);

describe('POST /api/session', () => {
  beforeEach(async () => {
    expect((await h.post('/api/setup', sandboxSetup())).status).toBe(200);
    await keyed();
  });

  it('refuses the 11th attempt after 10 wrong hashes, without asking ConnectWise', async () => {
    expect((await repeat(10, '/api/session', wrongHash)).statuses).toEqual(ten(401));
    const refused = await once('/api/session', wrongHash);
    expect(refused).toEqual({
      status: 429,
      body: {
        error: {
          code: 'rate_limited',
          message: 'Too many failed attempts: try again in 15 minutes',
          details: { retryAfterSeconds: 900 },
        },
      },
      retryAfter: '900',
      calls: 0,
    });
    // The right hash waits too: the limit is on the member, not on wrong answers.
    expect(await once('/api/session', signIn())).toMatchObject({ status: 429, calls: 0 });
  });

  it.each([
    ['14:59 after: still refused, 1 second to go', 14, 59, 429, '1'],
    ['15:00 after: the failures left the window', 15, 0, 200, null],
  ] as const)('%s', async (_name, minutes, seconds, status, retryAfter) => {
    await repeat(10, '/api/session', wrongHash);
    at(minutes, seconds);
    const res = await once('/api/session', signIn());
    expect([res.status, res.retryAfter]).toEqual([status, retryAfter]);
  });

  it('a successful sign-in clears the count', async () => {
    expect((await repeat(9, '/api/session', wrongHash)).statuses).toEqual(ten(401).slice(1));
    expect((await once('/api/session', signIn())).status).toBe(200);
    expect((await repeat(10, '/api/session', wrongHash)).statuses).toEqual(ten(401));
    expect((await once('/api/session', wrongHash)).status).toBe(429);
  });

  it.each([
    [
      'the same member, other case and site spelling',
      { memberid: 'JSMITH', site: 'http://127.0.0.1:8787/' },
      429,
    ],
    ['another member', { memberid: 'someoneelse' }, 401],
    ['another company (not connected)', { companyid: 'othermsp' }, 401],
  ] as const)('after 10 failures of jsmith: %s', async (_name, over, status) => {
    await repeat(10, '/api/session', wrongHash);
    expect((await once('/api/session', signIn({ ...over, memberHash: 'guessed-hash' }))).status).toBe(status);
  });

  it('an unknown site counts like a refused hash (issue 12: no enumeration, no free probing)', async () => {
    const unknown = signIn({ site: 'eu.myconnectwise.net' });
    expect((await repeat(12, '/api/session', unknown)).statuses).toEqual([...ten(401), 429, 429]);
  });
});

describe('POST /api/session while ConnectWise is down', () => {
  it('does not count the failures for the member, so the member signs in once it is back', async () => {
    expect((await h.post('/api/setup', sandboxSetup())).status).toBe(200);
    await keyed();
    const upstream = { down: true };
    const flaky = (async (input: RequestInfo | URL, init?: RequestInit) => {
      if (upstream.down) throw new TypeError('fetch failed: connect ECONNREFUSED');
      return h.deps.fetch(input, init);
    }) as typeof fetch;
    // A limit of 2 keeps this short: the client waits 500 ms before its one retry of each failed call.
    const app = appWith(flaky, limiterWith({ subject: 2 }));
    const post = (body: unknown) =>
      app.request('/api/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(signIn())).status);
    expect(statuses).toEqual([503, 503, 503]);
    upstream.down = false;
    expect((await post(signIn())).status).toBe(200);
    // The same limiter does count wrong hashes: 2, then refused.
    const wrong = [await post(wrongHash), await post(wrongHash), await post(signIn())];
    expect(wrong.map((r) => r.status)).toEqual([401, 401, 429]);
  });
});

describe('parallel attempts', () => {
  it('counts an attempt from its start: of 12 at once, 10 reach ConnectWise and 2 are refused', async () => {
    expect((await h.post('/api/setup', sandboxSetup())).status).toBe(200);
    await keyed();
    let open = () => {};
    const gate = new Promise<void>((done) => {
      open = done;
    });
    let upstreamCalls = 0;
    const held = (async (input: RequestInfo | URL, init?: RequestInit) => {
      upstreamCalls++;
      await gate;
      return h.deps.fetch(input, init);
    }) as typeof fetch;
    const app = appWith(held);
    const pending = Array.from({ length: 12 }, async () =>
      app.request('/api/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(wrongHash),
      }),
    );
    // The refused ones answer while the others wait at the gate; then the gate opens.
    let settled = 0;
    await new Promise<void>((done) => {
      for (const p of pending) void p.then(() => ++settled === 2 && done());
    });
    open();
    const statuses = (await Promise.all(pending)).map((r) => r.status).sort();
    expect(statuses).toEqual([...ten(401), 429, 429]);
    expect(upstreamCalls).toBe(10);
  });
});

describe('POST /api/setup/test and /api/setup', () => {
  it('refuses the 11th test after 10 refused keys, without calling ConnectWise or Pax8, and the save too', async () => {
    const tries = await repeat(10, '/api/setup/test', wrongKey);
    expect(tries.statuses).toEqual(ten(200));
    expect(tries.calls).toBe(30); // companyinfo, system/info, the Pax8 token: each time
    const refused = await once('/api/setup/test', wrongKey);
    expect(refused).toEqual({
      status: 429,
      body: {
        error: {
          code: 'rate_limited',
          message: 'Too many failed attempts: try again in 15 minutes',
          details: { retryAfterSeconds: 900 },
        },
      },
      retryAfter: '900',
      calls: 0,
    });
    expect(await once('/api/setup', sandboxSetup())).toMatchObject({ status: 429, calls: 0 });
    at(15);
    expect(await once('/api/setup', sandboxSetup())).toMatchObject({ status: 200, body: { saved: true } });
  });

  it.each([
    ['a wrong private key', { privateKey: 'GuessedPrivateKey' }, 429],
    ['an unknown company id', { companyId: 'guessedco' }, 429],
    [
      'a wrong Pax8 secret',
      { pax8: { clientId: demoPax8Credentials.clientId, clientSecret: 'guessed' } },
      429,
    ],
    [
      'valid keys missing permissions (nothing guessed: the admin fixes the role)',
      {
        publicKey: demoCwCredentials.restricted.publicKey,
        privateKey: demoCwCredentials.restricted.privateKey,
      },
      200,
    ],
    [
      'a self-hosted ConnectWise that does not answer',
      { region: 'self-hosted', siteUrl: 'https://cw.down.example' },
      200,
    ],
  ] as const)('10 tests with %s, then the 11th', async (_name, over, status) => {
    const body = sandboxSetup(over);
    expect((await repeat(10, '/api/setup/test', body)).statuses).toEqual(ten(200));
    expect((await once('/api/setup/test', body)).status).toBe(status);
  });

  it('counts Pax8 refusals per Pax8 client ID too: another company each time does not escape', async () => {
    const pax8 = { clientId: demoPax8Credentials.clientId, clientSecret: 'guessed' };
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      statuses.push((await h.post('/api/setup/test', sandboxSetup({ companyId: `guess${i}`, pax8 }))).status);
    }
    expect(statuses).toEqual(ten(200));
    expect(await once('/api/setup/test', sandboxSetup({ companyId: 'guess10', pax8 }))).toMatchObject({
      status: 429,
      calls: 0,
    });
  });

  it('a test that proves the keys clears the count', async () => {
    await repeat(9, '/api/setup/test', wrongKey);
    expect((await once('/api/setup/test', sandboxSetup())).body.ok).toBe(true);
    expect((await repeat(10, '/api/setup/test', wrongKey)).statuses).toEqual(ten(200));
    expect((await once('/api/setup/test', wrongKey)).status).toBe(429);
  });

  it.each([
    ['the same company in other case', { companyId: 'DEMOCW', privateKey: 'GuessedPrivateKey' }, 429],
    ['another company', { companyId: 'otherco' }, 200],
    ['the same company on another site', { region: 'self-hosted', siteUrl: 'https://cw.example.com' }, 200],
  ] as const)('after 10 refused keys of democw: %s', async (_name, over, status) => {
    await repeat(10, '/api/setup/test', wrongKey);
    expect((await once('/api/setup/test', sandboxSetup(over))).status).toBe(status);
  });
});

/** A limiter over the harness's store with other limits. */
function limiterWith(limits: { ip?: number; subject?: number }) {
  return createAttemptLimiter({
    attempts: createAttempts(h.store.db, h.store.dialect),
    now: () => clock.now,
    limits,
  });
}

/** The harness's app with its own upstream fetch and its own limiter (a default one unless given). */
function appWith(upstream: typeof fetch, limiter?: AttemptLimiter) {
  return createApp({
    env: { HOST_ORIGINS: [], SANDBOX: true },
    logger: silentLogger,
    now: () => clock.now,
    distDir: import.meta.dirname,
    api: createApi({ ...h.deps, fetch: upstream, ...(limiter ? { limiter } : {}) }),
  });
}
