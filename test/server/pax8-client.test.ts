import { describe, expect, it } from 'vitest';
import { AppError } from '../../server/errors.ts';
import { createPax8Client, type Pax8ClientOptions } from '../../server/pax8/index.ts';
import {
  createDemoPax8Data,
  createPax8Data,
  createPax8Emulator,
  demoPax8Credentials,
  generateLargePax8Data,
  type Pax8Data,
} from '../../server/sandbox/pax8/index.ts';

const T0 = new Date('2026-11-25T12:00:00Z');
const BASE = 'http://pax8.test/v1';

/** The client wired to the emulator through `fetch`, with a fake clock, a recording sleep and request counts. */
function wired(
  opts: { data?: Pax8Data; tokenTtlSeconds?: number; client?: Partial<Pax8ClientOptions> } = {},
) {
  let clock = T0;
  const now = () => clock;
  const emulator = createPax8Emulator({
    data: opts.data ?? createDemoPax8Data(T0),
    now,
    tokenTtlSeconds: opts.tokenTtlSeconds ?? 86_400,
  });
  const requests: string[] = [];
  const sleeps: number[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = new URL(String(input));
    requests.push(`${init?.method ?? 'GET'} ${url.pathname}`);
    return emulator.app.request(String(input), init);
  };
  const client = createPax8Client({
    baseURL: BASE,
    ...demoPax8Credentials,
    fetch,
    now,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...opts.client,
  });
  const count = (what: string) => requests.filter((r) => r === what).length;
  return {
    ...emulator,
    client,
    requests,
    sleeps,
    tokenRequests: () => count('POST /v1/token'),
    count,
    advance: (seconds: number) => {
      clock = new Date(clock.getTime() + seconds * 1000);
    },
  };
}

/** A fake upstream: answers /token, then whatever `route` returns for other paths. */
function fakeUpstream(
  route: (url: URL) => { status?: number; body: unknown; headers?: Record<string, string> },
) {
  const requests: string[] = [];
  const fetch: typeof globalThis.fetch = async (input) => {
    const url = new URL(String(input));
    requests.push(`${url.pathname}${url.search}`);
    if (url.pathname.endsWith('/token')) {
      return Response.json({ access_token: 'fake-token', expires_in: 86_400, token_type: 'Bearer' });
    }
    const { status = 200, body, headers = {} } = route(url);
    return Response.json(body, { status, headers });
  };
  const sleeps: number[] = [];
  const client = createPax8Client({
    baseURL: BASE,
    clientId: 'id',
    clientSecret: 'shh-very-secret',
    fetch,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  return { client, requests, sleeps };
}

async function failureOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

const aceId = '569b2306-579b-4499-a49b-1fe0559b2173';

describe('Pax8 client: token', () => {
  it('shares one token request among 10 concurrent calls', async () => {
    const env = wired();
    const companies = await Promise.all(Array.from({ length: 10 }, () => env.client.companies.get(aceId)));
    expect(companies.map((c) => c.name)).toEqual(Array(10).fill('Ace Chemical Processing Plant'));
    expect(env.tokenRequests()).toBe(1);
    // Issue 13: identical GETs in flight share one call (was 10 calls).
    expect(env.count(`GET /v1/companies/${aceId}`)).toBe(1);
  });

  // A one-hour token is refreshed 5 minutes (the smaller of 5 min and 10%) before it expires.
  it.each([
    ['50 minutes later', 50 * 60, 1],
    ['54 min 59 s later', 55 * 60 - 1, 1],
    ['55 minutes later', 55 * 60, 2],
    ['2 hours later', 2 * 3600, 2],
  ])('caches the token: a call %s makes %i token request(s) in all', async (_name, seconds, tokens) => {
    const env = wired({ tokenTtlSeconds: 3600 });
    await env.client.companies.get(aceId);
    env.advance(seconds);
    await env.client.companies.get(aceId);
    expect(env.tokenRequests()).toBe(tokens);
  });

  it('refreshes once on a 401 and retries the call', async () => {
    const env = wired();
    await env.client.companies.get(aceId);
    env.data.revokeTokens();
    expect((await env.client.companies.get(aceId)).name).toBe('Ace Chemical Processing Plant');
    expect(env.tokenRequests()).toBe(2);
    expect(env.count(`GET /v1/companies/${aceId}`)).toBe(2 + 1);
  });

  it('gives up with upstream_auth when the fresh token is refused too', async () => {
    const { client, requests } = fakeUpstream(() => ({
      status: 401,
      body: { type: 'UNAUTHORIZED', message: 'Nope' },
    }));
    const error = await failureOf(client.companies.get('x'));
    expect([error.code, error.message]).toEqual([
      'upstream_auth',
      'Pax8 refused GET /companies/x (HTTP 401): Nope',
    ]);
    expect(requests.filter((r) => r.startsWith('/v1/companies'))).toHaveLength(2);
  });

  it('checkCredentials makes one token request and nothing else; later calls reuse that token', async () => {
    const env = wired();
    await env.client.checkCredentials();
    await env.client.checkCredentials();
    expect(env.requests).toEqual(['POST /v1/token']);
    await env.client.companies.get(aceId);
    expect(env.requests).toEqual(['POST /v1/token', `GET /v1/companies/${aceId}`]);
  });

  it('checkCredentials refuses bad credentials with upstream_auth', async () => {
    const env = wired({ client: { clientSecret: 'wrong-secret-value' } });
    const error = await failureOf(env.client.checkCredentials());
    expect([error.code, error.message]).toEqual([
      'upstream_auth',
      'Pax8 rejected the API credentials: check the client ID and secret',
    ]);
    expect(env.requests).toEqual(['POST /v1/token']);
  });

  it('maps bad client credentials to upstream_auth without echoing the secret', async () => {
    const env = wired({ client: { clientSecret: 'wrong-secret-value' } });
    const error = await failureOf(env.client.companies.all());
    expect(error.code).toBe('upstream_auth');
    expect(error.message).toBe('Pax8 rejected the API credentials: check the client ID and secret');
    expect(JSON.stringify({ m: error.message, d: error.details })).not.toContain('wrong-secret-value');
    expect(env.tokenRequests()).toBe(1);
  });
});

describe('Pax8 client: paging', () => {
  it('walks all 10,000 subscriptions of the large data set in pages of 200', async () => {
    const env = wired({ data: generateLargePax8Data({ companies: 1000, subscriptions: 10_000 }, T0) });
    const subs = await env.client.subscriptions.all();
    expect(subs).toHaveLength(10_000);
    expect(new Set(subs.map((s) => s.id)).size).toBe(10_000);
    expect(env.count('GET /v1/subscriptions')).toBe(50);
    expect(env.requests.filter((r) => r.includes('/subscriptions')).length).toBe(50);
  }, 60_000); // a generous limit: CI machines are shared, and this walks 50 pages

  it('passes filters through and returns every page of a company', async () => {
    const env = wired();
    const subs = await env.client.subscriptions.all({ companyId: aceId });
    expect(subs.map((s) => s.productName.slice(0, 25)).sort()).toEqual([
      'Dropsuite Business Backup',
      'Microsoft Azure Plan',
      'Microsoft Office 365 Ente',
    ]);
  });

  it.each([
    [
      'totals that do not add up',
      [{ n: 2, total: 5, pages: 1 }],
      'Pax8 listed 5 items at /subscriptions but returned 2 across 1 page(s)',
    ],
    [
      'a short last page',
      [
        { n: 200, total: 401, pages: 3 },
        { n: 200, total: 401, pages: 3 },
        { n: 0, total: 401, pages: 3 },
      ],
      'Pax8 listed 401 items at /subscriptions but returned 400 across 3 page(s)',
    ],
  ])('throws on %s instead of returning a short list', async (_name, pages, message) => {
    let served = 0;
    const { client } = fakeUpstream((url) => {
      const number = Number(url.searchParams.get('page'));
      const spec = pages[number]!;
      const content = Array.from({ length: spec.n }, (_, i) => subscriptionJson(`s${served++}-${i}`));
      return {
        body: { content, page: { size: 200, totalElements: spec.total, totalPages: spec.pages, number } },
      };
    });
    const error = await failureOf(client.subscriptions.all());
    expect(error.code).toBe('upstream_unavailable');
    expect(error.message).toContain(message);
  });
});

function subscriptionJson(id: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    companyId: 'c',
    productId: 'p',
    quantity: 3,
    startDate: '2026-01-01T00:00:00Z',
    status: 'Active',
    price: 25,
    partnerCost: 20,
    billingTerm: 'Monthly',
    ...extra,
  };
}

describe('Pax8 client: schemas', () => {
  it.each([
    [
      'commitmentTerm',
      { commitmentTerm: { id: 'k', term: 'Annual', endDate: '2027-01-01' } },
      { id: 'k', term: 'Annual', endDate: '2027-01-01' },
    ],
    [
      'commitment (live spelling)',
      { commitment: { id: 'k', term: 'Annual', endDate: '2027-01-01' } },
      { id: 'k', term: 'Annual', endDate: '2027-01-01' },
    ],
    ['neither (monthly)', {}, null],
    ['null', { commitmentTerm: null }, null],
  ])('normalises %s to commitmentTerm', async (_name, extra, expected) => {
    const { client } = fakeUpstream(() => ({
      body: subscriptionJson('s1', { ...extra, somethingNew: true }),
    }));
    const sub = await client.subscriptions.get('s1');
    expect(sub.commitmentTerm).toEqual(expected);
    expect('commitment' in sub).toBe(false);
  });

  it('refuses a wrong type on a needed field with upstream_rejected naming the field', async () => {
    const { client } = fakeUpstream(() => ({ body: subscriptionJson('s1', { quantity: '3' }) }));
    const error = await failureOf(client.subscriptions.get('s1'));
    expect(error.code).toBe('upstream_rejected');
    expect(error.message).toMatch(/^Pax8 sent an unexpected answer to GET \/subscriptions\/s1: quantity: /);
  });
});

describe('Pax8 client: retries', () => {
  it.each([
    ['429 with Retry-After: 2', { rateLimitNext: 2, retryAfterSeconds: 2 }, [2000, 2000]],
    ['500 twice (backoff)', { serverErrorNext: 2 }, [1000, 2000]],
  ])('retries a GET after %s', async (_name, faults, sleeps) => {
    const env = wired();
    await env.client.companies.get(aceId); // token first, so the faults hit the GET
    env.faults.set(faults);
    expect((await env.client.companies.get(aceId)).name).toBe('Ace Chemical Processing Plant');
    expect(env.sleeps).toEqual(sleeps);
  });

  it('waits attempt+1 seconds on a 429 without Retry-After', async () => {
    let calls = 0;
    const { client, sleeps } = fakeUpstream(() =>
      ++calls <= 2 ? { status: 429, body: { message: 'slow down' } } : { body: subscriptionJson('s1') },
    );
    expect((await client.subscriptions.get('s1')).id).toBe('s1');
    expect(sleeps).toEqual([1000, 2000]);
  });

  it('gives up after the retries with upstream_unavailable', async () => {
    const env = wired();
    await env.client.companies.get(aceId);
    env.faults.set({ serverErrorNext: 10 });
    const error = await failureOf(env.client.companies.get(aceId));
    expect([error.code, error.message]).toEqual([
      'upstream_unavailable',
      `Pax8 is unavailable (HTTP 500 on GET /companies/${aceId}): Injected server error.`,
    ]);
    expect(env.sleeps).toEqual([1000, 2000, 4000]);
    expect(env.count(`GET /v1/companies/${aceId}`)).toBe(1 + 4);
  });

  it('never retries POST /orders', async () => {
    const env = wired();
    await env.client.companies.get(aceId);
    const before = env.data.subscriptions.size;
    env.faults.set({ serverErrorNext: 1 });
    const product = [...env.data.products.values()].find((p) => !p.detail.requiresCommitment)!;
    const error = await failureOf(
      env.client.orders.create({
        companyId: aceId,
        lineItems: [{ productId: product.detail.id, billingTerm: 'Monthly', quantity: 1 }],
      }),
    );
    expect(error.code).toBe('upstream_unavailable');
    expect([env.count('POST /v1/orders'), env.sleeps, env.data.subscriptions.size]).toEqual([1, [], before]);
  });
});

describe('Pax8 client: operations against the emulator', () => {
  it('updates a quantity and reads it back in the history', async () => {
    const env = wired();
    const [sub] = (await env.client.subscriptions.all({ companyId: aceId })).filter((s) => s.price === 25);
    const updated = await env.client.subscriptions.update(sub!.id, { quantity: 4 });
    expect(updated.quantity).toBe(4);
    const history = await env.client.subscriptions.history(sub!.id);
    expect(history.map((s) => s.quantity)).toEqual([1, 2, 4]);
  });

  it('surfaces the NCE refusal as upstream_rejected with Pax8 message', async () => {
    const data = createPax8Data();
    data.addCompany({ id: 'c1', name: 'Gibson' });
    data.addProduct({
      id: 'p1',
      name: 'M365 BP',
      vendorName: 'Microsoft',
      sku: 'S',
      cost: 17.6,
      price: 22,
      annual: { cost: 16.72, price: 20.9 },
    });
    data.addSubscription({
      id: 's1',
      companyId: 'c1',
      productId: 'p1',
      billingTerm: 'Annual',
      price: 20.9,
      partnerCost: 16.72,
      history: [{ date: '2026-06-01', quantity: 10 }],
    });
    const env = wired({ data });
    const error = await failureOf(env.client.subscriptions.update('s1', { quantity: 8 }));
    expect(error.code).toBe('upstream_rejected');
    expect(error.message).toBe(
      'Pax8 refused PUT /subscriptions/s1 (HTTP 422): Invalid Subscription Update: Microsoft NCE subscriptions can only be decreased within 7 days of purchase or renewal',
    );
    expect(env.count('PUT /v1/subscriptions/s1')).toBe(1);
  });

  it('maps a missing subscription to not_found', async () => {
    const error = await failureOf(wired().client.subscriptions.get('missing'));
    expect([error.code, error.message]).toEqual([
      'not_found',
      'Pax8 refused GET /subscriptions/missing (HTTP 404): Subscription missing not found',
    ]);
  });

  it('cancels with a future date (PendingCancel)', async () => {
    const env = wired();
    const [sub] = await env.client.subscriptions.all({ companyId: aceId, status: 'Active' });
    await env.client.subscriptions.cancel(sub!.id, '2026-12-31');
    expect(await env.client.subscriptions.get(sub!.id)).toMatchObject({
      status: 'PendingCancel',
      endDate: '2026-12-31T00:00:00.000Z',
    });
  });

  it('reads pricing, usage and invoices', async () => {
    const env = wired();
    const subs = await env.client.subscriptions.all({ companyId: aceId });
    const e3 = subs.find((s) => s.price === 25)!;
    const pricing = await env.client.products.pricing(e3.productId, aceId);
    expect(
      pricing.map((p) => [p.billingTerm, p.rates[0]?.partnerBuyRate, p.rates[0]?.suggestedRetailPrice]),
    ).toEqual([
      ['Monthly', 20, 25],
      ['Annual', 19, 23],
      // Issue 10: E3 is sold on a 3-year NCE term in the demo too.
      ['3-Year', 18, 22],
    ]);
    const azure = subs.find((s) => s.price === 0)!;
    const summaries = await env.client.usage.summaries(azure.id);
    expect(summaries.map((s) => s.resourceGroup)).toEqual(['rg-production', 'rg-backup']);
    expect(await env.client.usage.lines(summaries[0]!.id, '2026-11-24')).toHaveLength(1);
    const invoices = await env.client.invoices.all({ invoiceDateRangeStart: '2026-11-01' });
    expect(invoices.map((i) => i.invoiceDate)).toEqual(['2026-11-04']);
    const items = await env.client.invoices.items(invoices[0]!.id);
    expect(items.filter((i) => i.term === 'Arrears')).toHaveLength(1);
    expect(items.some((i) => i.type === 'prorate')).toBe(true);
  });

  it('validates an order with isMock without creating anything', async () => {
    const env = wired();
    const before = env.data.subscriptions.size;
    const product = [...env.data.products.values()].find((p) => !p.detail.requiresCommitment)!;
    const order = await env.client.orders.create(
      {
        companyId: aceId,
        lineItems: [{ productId: product.detail.id, billingTerm: 'Monthly', quantity: 2 }],
      },
      { isMock: true },
    );
    expect(order.lineItems[0]).toMatchObject({ quantity: 2, subscriptionId: null });
    expect(env.data.subscriptions.size).toBe(before);
  });
});

describe('Pax8 client: timeouts', () => {
  /** An upstream that answers the token and then never answers, until the client aborts. */
  function hanging() {
    let calls = 0;
    const fetch: typeof globalThis.fetch = (input, init) => {
      if (String(input).endsWith('/token')) {
        return Promise.resolve(
          Response.json({ access_token: 't', expires_in: 86_400, token_type: 'Bearer' }),
        );
      }
      calls++;
      return new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    };
    return { fetch, calls: () => calls };
  }

  it.each([
    ['a GET is retried', 'get', 1 + 2],
    ['POST /orders is not', 'order', 1],
  ] as const)('turns a hung call into upstream_unavailable: %s', async (_name, kind, attempts) => {
    const upstream = hanging();
    const client = createPax8Client({
      baseURL: BASE,
      clientId: 'id',
      clientSecret: 'secret',
      fetch: upstream.fetch,
      sleep: async () => {},
      retries: 2,
      timeoutMs: 5,
    });
    const call =
      kind === 'get'
        ? client.subscriptions.get('s1')
        : client.orders.create({
            companyId: 'c',
            lineItems: [{ productId: 'p', billingTerm: 'Monthly', quantity: 1 }],
          });
    const error = await failureOf(call);
    expect(error.code).toBe('upstream_unavailable');
    expect(error.message).toMatch(
      /^Pax8 did not answer (GET \/v1\/subscriptions\/s1|POST \/v1\/orders) within 5 ms$/,
    );
    expect(upstream.calls()).toBe(attempts);
  });
});
