// Issue 13: Pax8 pages after the first are fetched PAGE_CONCURRENCY at a time and still checked; identical GETs
// in flight share one upstream call per client (Pax8 and ConnectWise); nothing is cached once they settle.
import { describe, expect, it } from 'vitest';
import { createConnectWiseClient } from '../../server/connectwise/index.ts';
import { AppError } from '../../server/errors.ts';
import { createSingleFlight } from '../../server/http/single-flight.ts';
import { createPax8Client } from '../../server/pax8/index.ts';
import { PAGE_CONCURRENCY } from '../../server/pax8/pager.ts';
import { createCwEmulator, demoCwCredentials } from '../../server/sandbox/cw/index.ts';

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

function subscription(id: string) {
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
  };
}

/** A fake Pax8 whose list has `total` subscriptions; every page answer waits a few ms; in-flight calls counted. */
function slowPax8(total: number, opts: { skipPage?: number } = {}) {
  const calls: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const fetch: typeof globalThis.fetch = async (input) => {
    const url = new URL(String(input));
    if (url.pathname.endsWith('/token'))
      return Response.json({ access_token: 't', expires_in: 86_400, token_type: 'Bearer' });
    calls.push(`${url.pathname}${url.search}`);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await tick();
    inFlight--;
    const number = Number(url.searchParams.get('page') ?? 0);
    const size = Number(url.searchParams.get('size') ?? 200);
    const from = number * size;
    const n = number === opts.skipPage ? 0 : Math.max(0, Math.min(size, total - from));
    const content = Array.from({ length: n }, (_, i) => subscription(`s${from + i}`));
    const totalPages = Math.ceil(total / size);
    return Response.json({ content, page: { size, totalElements: total, totalPages, number } });
  };
  const client = createPax8Client({
    baseURL: 'http://pax8.test/v1',
    clientId: 'id',
    clientSecret: 's',
    fetch,
  });
  return { client, calls, maxInFlight: () => maxInFlight };
}

describe('Pax8 pages fetched concurrently', () => {
  it(`2,000 subscriptions: 10 pages, at most ${PAGE_CONCURRENCY} at once, every row once and in order`, async () => {
    const pax8 = slowPax8(2000);
    const subs = await pax8.client.subscriptions.all();
    expect(subs.map((s) => s.id)).toEqual(Array.from({ length: 2000 }, (_, i) => `s${i}`));
    expect(pax8.calls).toHaveLength(10);
    expect(pax8.maxInFlight()).toBe(PAGE_CONCURRENCY);
  });

  it('an empty list is one call', async () => {
    const pax8 = slowPax8(0);
    expect(await pax8.client.subscriptions.all()).toEqual([]);
    expect(pax8.calls).toHaveLength(1);
  });

  it('a page that comes back short is still refused', async () => {
    const pax8 = slowPax8(1000, { skipPage: 3 });
    const error = await pax8.client.subscriptions.all().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toContain(
      'Pax8 listed 1000 items at /subscriptions but returned 800',
    );
  });
});

describe('identical GETs in flight share one call', () => {
  it('Pax8: 100 concurrent identical lists make one set of page calls; a later one calls again', async () => {
    const pax8 = slowPax8(450);
    const lists = await Promise.all(Array.from({ length: 100 }, () => pax8.client.subscriptions.all()));
    expect(lists.every((l) => l.length === 450)).toBe(true);
    expect(pax8.calls).toHaveLength(3);
    // Each caller gets its own parsed rows: changing one answer changes no other.
    (lists[0]![0] as { quantity: number }).quantity = 99;
    expect(lists[1]![0]!.quantity).toBe(3);
    await pax8.client.subscriptions.all();
    expect(pax8.calls).toHaveLength(6);
  });

  it('Pax8: different queries are not shared', async () => {
    const pax8 = slowPax8(10);
    await Promise.all([
      pax8.client.subscriptions.all({ companyId: 'a' }),
      pax8.client.subscriptions.all({ companyId: 'b' }),
    ]);
    expect(pax8.calls).toHaveLength(2);
  });

  it('ConnectWise: 100 concurrent identical GETs make one call; writes are never shared', async () => {
    const cw = createCwEmulator();
    let gets = 0;
    let writes = 0;
    const fetch: typeof globalThis.fetch = async (input, init) => {
      if ((init?.method ?? 'GET') === 'GET') gets++;
      else writes++;
      await tick();
      return cw.app.request(String(input), init);
    };
    const client = createConnectWiseClient({
      apiBaseUrl: 'http://cw.test/v4_6_release/apis/3.0',
      companyId: demoCwCredentials.companyId,
      clientId: demoCwCredentials.clientId,
      auth: {
        kind: 'apiKey',
        publicKey: demoCwCredentials.publicKey,
        privateKey: demoCwCredentials.privateKey,
      },
      fetch,
    });
    const agreement = [...cw.data.tables.agreements.rows.values()][0]!;
    const many = await Promise.all(Array.from({ length: 100 }, () => client.agreements.get(agreement.id)));
    expect(many.every((a) => a.id === agreement.id)).toBe(true);
    expect(gets).toBe(1);
    await client.agreements.get(agreement.id);
    expect(gets).toBe(2);
    expect(writes).toBe(0);
  });

  it('a failure is shared by the callers in flight, and forgotten after', async () => {
    const flight = createSingleFlight<number>();
    let calls = 0;
    const failing = () => {
      calls++;
      return tick().then(() => Promise.reject(new Error('down')));
    };
    const results = await Promise.allSettled([flight.run('k', failing), flight.run('k', failing)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect([calls, flight.size]).toEqual([1, 0]);
    expect(await flight.run('k', async () => 7)).toBe(7);
  });
});
