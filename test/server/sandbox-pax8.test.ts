import { describe, expect, it } from 'vitest';
import {
  createDemoPax8Data,
  createPax8Data,
  createPax8Emulator,
  demoPax8Credentials,
  generateLargePax8Data,
  type Pax8Data,
} from '../../server/sandbox/pax8/index.ts';

const T0 = new Date('2026-11-25T12:00:00Z');

function setup(data: Pax8Data = createPax8Data(), tokenTtlSeconds = 3600) {
  let clock = T0;
  const emulator = createPax8Emulator({ data, now: () => clock, tokenTtlSeconds });
  const tokenRequest = (body: unknown) =>
    emulator.app.request('/v1/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const token = async () => {
    const res = await tokenRequest({
      client_id: demoPax8Credentials.clientId,
      client_secret: demoPax8Credentials.clientSecret,
      audience: 'https://api.pax8.com',
      grant_type: 'client_credentials',
    });
    return ((await res.json()) as { access_token: string }).access_token;
  };
  const call = async (method: string, path: string, body?: unknown, bearer?: string) => {
    const headers: Record<string, string> = { authorization: `Bearer ${bearer ?? (await token())}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await emulator.app.request(`/v1${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    // biome-ignore lint/suspicious/noExplicitAny: test reads arbitrary JSON
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as any };
  };
  return {
    ...emulator,
    tokenRequest,
    token,
    call,
    advance: (seconds: number) => {
      clock = new Date(clock.getTime() + seconds * 1000);
    },
  };
}

/** The setup guide's example: Ace Chemical, Office 365 E3 at cost 20.00 / price 25.00, 1 → 2 seats on 2020-09-09. */
function aceChemical(data: Pax8Data) {
  const company = data.addCompany({ id: 'ace', name: 'Ace Chemical Processing Plant', externalId: '250' });
  const product = data.addProduct({
    id: 'o365e3',
    name: 'Microsoft Office 365 Enterprise E3',
    vendorName: 'Microsoft',
    sku: 'MST-OFC-EE3-C100',
    cost: 20,
    price: 25,
    annual: { cost: 19, price: 23 },
  });
  const sub = data.addSubscription({
    id: 'ace-e3',
    companyId: company.id,
    productId: product.detail.id,
    price: 25,
    partnerCost: 20,
    history: [
      { date: '2020-08-01', quantity: 1 },
      { date: '2020-09-09', quantity: 2 },
    ],
  });
  return { company, product, sub };
}

describe('Pax8 emulator: token', () => {
  const good = {
    client_id: demoPax8Credentials.clientId,
    client_secret: demoPax8Credentials.clientSecret,
    audience: 'https://api.pax8.com',
    grant_type: 'client_credentials',
  };
  it.each([
    ['good credentials', good, 200],
    ['wrong secret', { ...good, client_secret: 'nope' }, 401],
    ['unknown client', { ...good, client_id: 'nope' }, 401],
    ['missing secret', { ...good, client_secret: undefined }, 400],
    ['legacy audience', { ...good, audience: 'api://p8p.client' }, 400],
    ['wrong grant type', { ...good, grant_type: 'password' }, 400],
  ])('%s → %i', async (_name, body, status) => {
    const res = await setup().tokenRequest(body);
    expect(res.status).toBe(status);
  });

  it('answers good credentials with a bearer token for the configured lifetime', async () => {
    const body = await (await setup(createPax8Data(), 86_400).tokenRequest(good)).json();
    expect(body).toEqual({ access_token: expect.any(String), expires_in: 86_400, token_type: 'Bearer' });
  });

  it('answers bad credentials with the OAuth error body', async () => {
    const res = await setup().tokenRequest({ ...good, client_secret: 'nope' });
    expect(await res.json()).toEqual({ error: 'access_denied', error_description: 'Unauthorized' });
  });
});

describe('Pax8 emulator: bearer auth', () => {
  it('refuses a missing token with the Pax8 error shape', async () => {
    const res = await setup().app.request('/v1/companies');
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      type: 'UNAUTHORIZED',
      message: 'Missing bearer token',
      instance: '/v1/companies',
      status: 401,
      details: [],
    });
  });

  it.each([
    ['a fresh token', 0, 200],
    ['one second before expiry', 3599, 200],
    ['at expiry', 3600, 401],
    ['a day later', 86_400, 401],
  ])('%s (+%is) → %i', async (_name, seconds, status) => {
    const env = setup();
    const token = await env.token();
    env.advance(seconds);
    expect((await env.call('GET', '/companies', undefined, token)).status).toBe(status);
  });

  it('refuses a made-up token and every token after revokeTokens()', async () => {
    const env = setup();
    expect((await env.call('GET', '/companies', undefined, 'made-up')).body.type).toBe('UNAUTHORIZED');
    const token = await env.token();
    env.data.revokeTokens();
    expect((await env.call('GET', '/companies', undefined, token)).status).toBe(401);
  });
});

describe('Pax8 emulator: paging envelope', () => {
  const data = createPax8Data();
  for (let i = 0; i < 25; i++)
    data.addCompany({ id: `c${i}`, name: `Company ${String(i).padStart(2, '0')}` });
  const env = setup(data);

  it.each([
    ['', 10, { size: 10, totalElements: 25, totalPages: 3, number: 0 }],
    ['?page=1', 10, { size: 10, totalElements: 25, totalPages: 3, number: 1 }],
    ['?page=2', 5, { size: 10, totalElements: 25, totalPages: 3, number: 2 }],
    ['?page=3', 0, { size: 10, totalElements: 25, totalPages: 3, number: 3 }],
    ['?size=200', 25, { size: 200, totalElements: 25, totalPages: 1, number: 0 }],
    ['?size=7&page=3', 4, { size: 7, totalElements: 25, totalPages: 4, number: 3 }],
  ])('GET /companies%s → %i items', async (query, count, page) => {
    const res = await env.call('GET', `/companies${query}`);
    expect(res.body.content).toHaveLength(count);
    expect(res.body.page).toEqual(page);
  });

  it.each([
    ['?size=201'],
    ['?size=0'],
    ['?page=-1'],
    ['?size=ten'],
    ['?sort=website,asc'],
    ['?sort=name,up'],
  ])('refuses %s with 400 INVALID_PARAM', async (query) => {
    const res = await env.call('GET', `/companies${query}`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ type: 'INVALID_PARAM', status: 400, instance: '/v1/companies' });
  });

  it('sorts by name descending', async () => {
    const res = await env.call('GET', '/companies?sort=name,desc&size=3');
    expect(res.body.content.map((c: { id: string }) => c.id)).toEqual(['c24', 'c23', 'c22']);
  });
});

describe('Pax8 emulator: subscriptions', () => {
  it('serves the guide example history oldest first, newest state last', async () => {
    const data = createPax8Data();
    aceChemical(data);
    const res = await setup(data).call('GET', '/subscriptions/ace-e3/history');
    expect(
      res.body.content.map((s: { quantity: number; updatedDate: string }) => [s.quantity, s.updatedDate]),
    ).toEqual([
      [1, '2020-08-01T00:00:00.000Z'],
      [2, '2020-09-09T00:00:00.000Z'],
    ]);
    expect(res.body.content[1]).toMatchObject({
      price: 25,
      partnerCost: 20,
      billingTerm: 'Monthly',
      status: 'Active',
    });
    expect(res.body.page).toBeUndefined();
  });

  it('appends a snapshot dated now on a quantity change', async () => {
    const data = createPax8Data();
    aceChemical(data);
    const env = setup(data);
    const put = await env.call('PUT', '/subscriptions/ace-e3', { quantity: 5 });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ quantity: 5, updatedDate: '2026-11-25T12:00:00.000Z' });
    const history = (await env.call('GET', '/subscriptions/ace-e3/history')).body.content;
    expect(history.map((s: { quantity: number }) => s.quantity)).toEqual([1, 2, 5]);
    expect(history[2]).toEqual((await env.call('GET', '/subscriptions/ace-e3')).body);
  });

  it.each([
    ['NCE annual, decrease 30 days after purchase', 'Annual', 30, 4, 422],
    ['NCE annual, increase 30 days after purchase', 'Annual', 30, 6, 200],
    ['NCE annual, decrease 3 days after purchase', 'Annual', 3, 4, 200],
    ['NCE annual, decrease 8 days after purchase', 'Annual', 8, 4, 422],
    ['monthly, decrease 30 days after purchase', 'Monthly', 30, 4, 200],
  ] as const)('%s → %i', async (_name, billingTerm, daysAgo, quantity, status) => {
    const data = createPax8Data();
    const { company, product } = aceChemical(data);
    const start = new Date(T0.getTime() - daysAgo * 86_400_000);
    data.addSubscription({
      id: 'nce',
      companyId: company.id,
      productId: product.detail.id,
      billingTerm,
      price: 23,
      partnerCost: 19,
      history: [{ date: start, quantity: 5 }],
    });
    const res = await setup(data).call('PUT', '/subscriptions/nce', { quantity });
    expect(res.status).toBe(status);
    if (status === 422)
      expect(res.body).toMatchObject({ message: 'Invalid Subscription Update', status: 422 });
  });

  it.each([
    ['a future cancelDate', '?cancelDate=2026-12-31', 'PendingCancel', '2026-12-31T00:00:00.000Z'],
    ['a past cancelDate', '?cancelDate=2026-11-01T00:00:00Z', 'Cancelled', '2026-11-01T00:00:00.000Z'],
    ['no cancelDate', '', 'Cancelled', '2026-11-25T12:00:00.000Z'],
  ])('cancels with %s', async (_name, query, statusAfter, endDate) => {
    const data = createPax8Data();
    aceChemical(data);
    const env = setup(data);
    expect((await env.call('DELETE', `/subscriptions/ace-e3${query}`)).status).toBe(204);
    expect((await env.call('GET', '/subscriptions/ace-e3')).body).toMatchObject({
      status: statusAfter,
      endDate,
    });
  });

  it('filters and sorts subscriptions', async () => {
    const data = createPax8Data();
    const { company, product } = aceChemical(data);
    for (const [id, quantity] of [
      ['b', 9],
      ['c', 3],
    ] as const) {
      data.addSubscription({
        id,
        companyId: company.id,
        productId: product.detail.id,
        price: 25,
        partnerCost: 20,
        history: [{ date: '2021-01-01', quantity }],
      });
    }
    data.addSubscription({
      id: 'other',
      companyId: 'x',
      productId: product.detail.id,
      price: 25,
      partnerCost: 20,
      history: [{ date: '2021-01-01', quantity: 1 }],
    });
    const res = await setup(data).call('GET', `/subscriptions?companyId=${company.id}&sort=quantity,desc`);
    expect(res.body.content.map((s: { id: string }) => s.id)).toEqual(['b', 'c', 'ace-e3']);
    expect(res.body.page.totalElements).toBe(3);
  });

  it('returns 404 in the Pax8 error shape for an unknown subscription', async () => {
    const res = await setup().call('GET', '/subscriptions/missing');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      type: 'NOT_FOUND',
      message: 'Subscription missing not found',
      instance: '/v1/subscriptions/missing',
      status: 404,
      details: [],
    });
  });
});

describe('Pax8 emulator: orders', () => {
  const order = (companyId: string, extra: Record<string, unknown> = {}) => ({
    companyId,
    lineItems: [
      { productId: 'o365e3', billingTerm: 'Monthly', quantity: 3, commitmentTermId: null, ...extra },
    ],
  });

  it.each([
    ['isMock validates only', '?isMock=true', {}, 200, 1],
    ['a real order creates the subscription', '', {}, 200, 2],
    ['a commitment product without commitmentTermId', '', { commitmentTermId: undefined }, 422, 1],
    ['an unknown product', '', { productId: 'nope' }, 422, 1],
  ])('%s → %i, %i subscriptions after', async (_name, query, extra, status, after) => {
    const data = createPax8Data();
    const { product } = aceChemical(data);
    const monthly = product.commitments.find((c) => c.term === 'Monthly')!;
    const body = order('ace', { commitmentTermId: monthly.id, ...extra });
    const res = await setup(data).call('POST', `/orders${query}`, body);
    expect(res.status).toBe(status);
    expect(data.subscriptions.size).toBe(after);
  });
});

describe('Pax8 emulator: fault injection', () => {
  it('answers 429 with Retry-After, then 500, in the Pax8 error shape, then recovers', async () => {
    const env = setup();
    const token = await env.token();
    env.faults.set({ rateLimitNext: 1, retryAfterSeconds: 7, serverErrorNext: 1 });
    const first = await env.call('GET', '/companies', undefined, token);
    expect([first.status, first.headers.get('retry-after'), first.body.type]).toEqual([
      429,
      '7',
      'TOO_MANY_REQUESTS',
    ]);
    const second = await env.call('GET', '/companies', undefined, token);
    expect([second.status, second.body.type, second.body.instance]).toEqual([
      500,
      'INTERNAL_SERVER_ERROR',
      '/v1/companies',
    ]);
    expect((await env.call('GET', '/companies', undefined, token)).status).toBe(200);
  });
});

describe('Pax8 demo data', () => {
  const data = createDemoPax8Data(T0);
  const subs = [...data.subscriptions.values()].map((r) => r.current);
  const companies = [...data.companies.values()];

  it('has a company for each of the 28 demo customers with a Pax8 company, externalId only when bound', () => {
    expect(companies).toHaveLength(28);
    expect(companies.filter((c) => c.externalId !== null)).toHaveLength(21);
    expect(companies.find((c) => c.name === 'Ace Chemical Processing Plant')?.externalId).toBe('250');
    expect(companies.find((c) => c.name === 'Denver Broncos')?.externalId).toBeNull();
    expect(companies.some((c) => c.name === 'Cedar and Pine Law Office')).toBe(true);
  });

  it('gives every company 2 to 5 subscriptions', () => {
    for (const company of companies) {
      const count = subs.filter((s) => s.companyId === company.id).length;
      expect(count, company.name).toBeGreaterThanOrEqual(2);
      expect(count, company.name).toBeLessThanOrEqual(5);
    }
  });

  it('has Ace Chemical on Office 365 E3 monthly at 20.00/25.00 with an increase this month', () => {
    const ace = companies.find((c) => c.name === 'Ace Chemical Processing Plant')!;
    const e3 = [...data.subscriptions.values()].find(
      (r) => r.current.companyId === ace.id && r.current.productName.includes('Office 365 Enterprise E3'),
    )!;
    expect(e3.current).toMatchObject({ billingTerm: 'Monthly', price: 25, partnerCost: 20, quantity: 2 });
    expect(e3.history.map((s) => [s.quantity, s.updatedDate])).toEqual([
      [1, '2026-03-01T00:00:00.000Z'],
      [2, '2026-11-09T00:00:00.000Z'],
    ]);
  });

  it('covers the statuses and terms the pod must handle', () => {
    expect(subs.some((s) => s.status === 'Cancelled' && s.endDate !== null)).toBe(true);
    expect(subs.some((s) => s.status === 'Trial' && s.endDate !== null)).toBe(true);
    expect(subs.some((s) => s.billingTerm === 'Annual' && s.commitmentTerm?.term === 'Annual')).toBe(true);
    const azure = subs.find((s) => s.price === 0)!;
    expect([...data.usageSummaries.values()].filter((u) => u.subscriptionId === azure.id)).toHaveLength(2);
  });

  it('has down-then-up churn this month and several increases in one month last month', () => {
    const quantitiesSince = (since: string) =>
      [...data.subscriptions.values()].map((r) =>
        r.history.filter((s) => s.updatedDate >= since).map((s) => s.quantity),
      );
    expect(quantitiesSince('2026-11-02')).toContainEqual([8, 11]);
    expect([...data.subscriptions.values()].map((r) => r.history.map((s) => s.quantity))).toContainEqual([
      5, 6, 8, 9,
    ]);
  });

  it('puts prorate items and an arrears usage item on the latest invoice', () => {
    const invoice = [...data.invoices.values()].find((i) => i.invoice.invoiceDate === '2026-11-04')!;
    const dynamo = invoice.items.filter(
      (i) => i.type === 'prorate' && i.companyName === 'Dynamo Corporation',
    );
    expect(dynamo.map((i) => [i.quantity, i.startPeriod, i.endPeriod, i.subTotal])).toEqual([
      [1, '2026-10-03', '2026-10-31', 4.68],
      [2, '2026-10-10', '2026-10-31', 7.1],
      [1, '2026-10-20', '2026-10-31', 1.94],
    ]);
    const arrears = invoice.items.filter((i) => i.term === 'Arrears');
    expect(arrears).toHaveLength(1);
    expect(arrears[0]).toMatchObject({
      startPeriod: '2026-10-01',
      endPeriod: '2026-10-31',
      companyName: 'Ace Chemical Processing Plant',
    });
  });

  it('is deterministic for a given now', () => {
    const again = createDemoPax8Data(T0);
    expect([...again.subscriptions.values()]).toEqual([...data.subscriptions.values()]);
    expect([...again.invoices.values()]).toEqual([...data.invoices.values()]);
  });
});

describe('generateLargePax8Data', () => {
  it('builds 1,000 companies and 10,000 subscriptions', () => {
    const data = generateLargePax8Data({ companies: 1000, subscriptions: 10_000 }, T0);
    expect([data.companies.size, data.subscriptions.size]).toEqual([1000, 10_000]);
  }, 30_000);
});

describe('createPax8Emulator defaults', () => {
  it('serves the demo data as of now() when given no data', async () => {
    const env = createPax8Emulator({ now: () => T0 });
    expect(env.data.companies.size).toBe(28);
  });
});

describe('Pax8 emulator: companies and products', () => {
  const contact = {
    firstName: 'Jack',
    lastName: 'Napier',
    email: 'jack@ace.example',
    types: [{ type: 'Admin', primary: true }],
  };
  const address = {
    street: '1 Chemical Way',
    city: 'Gotham',
    stateOrProvince: 'NJ',
    postalCode: '07001',
    country: 'US',
  };

  it.each([
    ['with a primary contact', [contact], 'Active', 1],
    ['without contacts', [], 'Inactive', 0],
  ])('creates a company %s as %s', async (_name, contacts, status, contactCount) => {
    const env = setup();
    // Phone and website are starred on Pax8's company form (guide: "Phone *", "Domain *"): the emulator needs them.
    const created = await env.call('POST', '/companies', {
      name: 'Ace Chemical',
      address,
      phone: '973-555-0100',
      website: 'www.acechemical.example',
      contacts,
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ name: 'Ace Chemical', status, externalId: null });
    const listed = await env.call('GET', `/companies/${created.body.id}/contacts`);
    expect(listed.body.page.totalElements).toBe(contactCount);
  });

  it('refuses a company without an address with 400 naming the field', async () => {
    const res = await setup().call('POST', '/companies', { name: 'Ace Chemical' });
    expect(res.status).toBe(400);
    expect(res.body.details[0].message).toMatch(/^address: /);
  });

  const demo = setup(createDemoPax8Data(T0));
  it.each([
    ['?search=MST-M365&sort=name,asc', ['Microsoft 365 Business Basic', 'Microsoft 365 Business Premium']],
    ['?vendorName=Acronis', ['Acronis Cyber Protect Cloud - Workstation']],
    ['?search=backup', ['Dropsuite Business Backup + Email Archiving']],
    [
      '?vendorName=Microsoft&sort=name,desc&size=2',
      [
        'Microsoft Teams Premium',
        'Microsoft Office 365 Enterprise E3 - Includes Exchange Email and Desktop Office Suite',
      ],
    ],
  ])('lists products %s', async (query, names) => {
    const res = await demo.call('GET', `/products${query}`);
    expect(res.body.content.map((p: { name: string }) => p.name)).toEqual(names);
  });

  it('serves pricing per billing term, provisioning details and commitment dependencies', async () => {
    const list = await demo.call('GET', '/products?search=MST-OFC-EE3');
    const id = list.body.content[0].id;
    const pricing = await demo.call('GET', `/products/${id}/pricing`);
    expect(pricing.body.page).toBeUndefined();
    expect(
      pricing.body.content.map((p: { billingTerm: string; rates: unknown[] }) => [p.billingTerm, p.rates]),
    ).toEqual([
      [
        'Monthly',
        [
          {
            partnerBuyRate: 20,
            suggestedRetailPrice: 25,
            startQuantityRange: 1,
            endQuantityRange: null,
            chargeType: 'Per Unit',
          },
        ],
      ],
      [
        'Annual',
        [
          {
            partnerBuyRate: 19,
            suggestedRetailPrice: 23,
            startQuantityRange: 1,
            endQuantityRange: null,
            chargeType: 'Per Unit',
          },
        ],
      ],
      // Issue 10: the demo sells E3 on a 3-year NCE term too (spec §5's 3-year subscriptions).
      [
        '3-Year',
        [
          {
            partnerBuyRate: 18,
            suggestedRetailPrice: 22,
            startQuantityRange: 1,
            endQuantityRange: null,
            chargeType: 'Per Unit',
          },
        ],
      ],
    ]);
    const details = await demo.call('GET', `/products/${id}/provision-details`);
    expect(details.body.content.map((d: { key: string }) => d.key)).toEqual(['msDomain']);
    const deps = await demo.call('GET', `/products/${id}/dependencies`);
    expect(deps.body.commitmentDependencies.map((c: { term: string }) => c.term)).toEqual([
      'Monthly',
      'Annual',
      '3-Year',
    ]);
    expect((await demo.call('GET', '/products/nope/pricing')).status).toBe(404);
  });
});
