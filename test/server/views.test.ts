// The pod's views through the front door: row statuses against the agreement, candidates for an unbound
// company, the company view, and a constant number of upstream calls.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pax8CompanyIdOf } from '../../server/sandbox/demo/msp.ts';
import { ace, aceSubscription, endCloudDropsuite, now, productId } from './demo-fixtures.ts';
import { createHarness, type Harness } from './sync-harness.ts';

let h: Harness;
let agreementId: number;
const subOf = (key: string) => aceSubscription(h.pax8.data, key).id;

/** Sets Ace's Dropsuite addition (catalog 686) on Ace Monthly to known figures, billed there alone. */
function setDropsuite(figures: { quantity: number; unitPrice: number; unitCost: number }) {
  endCloudDropsuite(h);
  const row = h.additionsOf(agreementId).find((a) => (a.product as { id: number }).id === 686);
  if (row) Object.assign(row, figures);
  else
    h.cw.data.insert('additions', {
      agreementId,
      product: { id: 686, identifier: 'DRS-BBA-C100' },
      billCustomer: 'Billable',
      effectiveDate: '2020-01-01T00:00:00Z',
      invoiceDescription: 'Pax8 - Dropsuite',
      _info: { lastUpdated: '2020-09-01T00:00:00Z' },
      ...figures,
    });
}

async function syncE3(token?: string) {
  const o = token ? { token } : {};
  const plan = await h.call('POST', '/api/sync/plan', { subscriptionId: subOf('o365e3'), agreementId }, o);
  const applied = await h.call('POST', '/api/sync/apply', { planId: plan.json.planId }, o);
  expect(applied.status).toBe(200);
}

const statusByProduct = (rows: { subscription: { productId: string }; status: string; action: string }[]) =>
  Object.fromEntries(
    ['o365e3', 'dropsuite', 'azure'].map((key) => {
      const row = rows.find((r) => r.subscription.productId === productId(key));
      return [key, row ? `${row.status}/${row.action}` : 'missing'];
    }),
  );

beforeEach(async () => {
  h = await createHarness({ now });
  agreementId = h.agreementNamed('Ace Monthly').id;
});
afterEach(() => h.close());

describe('GET /api/views/agreement/:id', () => {
  it('shows the agreement, the binding and one row per subscription', async () => {
    const res = await h.call('GET', `/api/views/agreement/${agreementId}`);
    expect(res.status).toBe(200);
    expect(res.json.agreement).toMatchObject({
      id: agreementId,
      name: 'Ace Monthly',
      status: 'Active',
      company: { id: ace.cwId, name: 'Ace Chemical Processing Plant' },
    });
    expect(res.json.binding).toEqual({
      pax8CompanyId: pax8CompanyIdOf(ace),
      name: 'Ace Chemical Processing Plant',
    });
    expect(res.json.candidates).toEqual([]);
    const e3 = res.json.rows.find(
      (r: { subscription: { productId: string } }) => r.subscription.productId === productId('o365e3'),
    );
    expect(e3).toMatchObject({
      subscription: { quantity: 2, price: 25, partnerCost: 20, billingTerm: 'Monthly', status: 'Active' },
      productBinding: { catalogId: 682, identifier: 'MST-OFC-EE3-C100' },
      addition: null,
      status: 'not_on_agreement',
      action: 'sync',
      unsyncedChanges: 1,
    });
  });

  const cases: [string, () => Promise<void>, Record<string, string>][] = [
    [
      'before any sync',
      async () => setDropsuite({ quantity: 2, unitPrice: 4, unitCost: 2.5 }),
      {
        o365e3: 'not_on_agreement/sync',
        dropsuite: 'written_by_hand/adopt',
        azure: 'usage_not_billed/sync',
      },
    ],
    [
      'after syncing E3',
      async () => {
        setDropsuite({ quantity: 2, unitPrice: 4, unitCost: 2.5 });
        await syncE3();
      },
      { o365e3: 'synced/none', dropsuite: 'written_by_hand/adopt', azure: 'usage_not_billed/sync' },
    ],
    [
      'Dropsuite billed for 3 seats',
      async () => setDropsuite({ quantity: 3, unitPrice: 4, unitCost: 2.5 }),
      {
        o365e3: 'not_on_agreement/sync',
        dropsuite: 'quantity_differs/sync',
        azure: 'usage_not_billed/sync',
      },
    ],
    [
      'Dropsuite billed at 3.50',
      async () => setDropsuite({ quantity: 2, unitPrice: 3.5, unitCost: 2.5 }),
      {
        o365e3: 'not_on_agreement/sync',
        dropsuite: 'price_differs/sync',
        azure: 'usage_not_billed/sync',
      },
    ],
    [
      'E3 went 2 → 3 → 2 after the sync (a prorate is owed)',
      async () => {
        setDropsuite({ quantity: 2, unitPrice: 4, unitCost: 2.5 });
        await syncE3();
        h.pax8.data.changeQuantity(subOf('o365e3'), 3, '2020-09-21');
        h.pax8.data.changeQuantity(subOf('o365e3'), 2, '2020-09-22');
        h.setNow(new Date('2020-09-23T12:00:00Z'));
      },
      {
        o365e3: 'change_not_synced/sync',
        dropsuite: 'written_by_hand/adopt',
        azure: 'usage_not_billed/sync',
      },
    ],
    [
      "E3 synced, then Dropsuite went 2 → 3 → 2 (E3's journal rows do not count for Dropsuite)",
      async () => {
        setDropsuite({ quantity: 2, unitPrice: 4, unitCost: 2.5 });
        h.pax8.data.changeQuantity(subOf('dropsuite'), 3, '2020-09-21');
        h.pax8.data.changeQuantity(subOf('dropsuite'), 2, '2020-09-22');
        h.setNow(new Date('2020-09-23T12:00:00Z'));
        await syncE3(await h.tokenFor(h.tenant.id)); // journaled after Dropsuite's change
      },
      { o365e3: 'synced/none', dropsuite: 'change_not_synced/sync', azure: 'usage_not_billed/sync' },
    ],
  ];
  it.each(cases)('%s', async (_name, arrange, expected) => {
    await arrange();
    const res = await h.call('GET', `/api/views/agreement/${agreementId}`, undefined, {
      token: await h.tokenFor(h.tenant.id),
    });
    expect(res.status).toBe(200);
    expect(statusByProduct(res.json.rows)).toEqual(expected);
  });

  it('reads upstream in a constant number of calls, not one per subscription', async () => {
    await h.call('GET', `/api/views/agreement/${agreementId}`); // warms the Pax8 token
    h.cw.faults.reset();
    h.pax8.faults.reset();
    await h.call('GET', `/api/views/agreement/${agreementId}`);
    // CW: the agreement, the company's agreements, and one page of additions per active agreement (Ace Monthly
    // and Ace Cloud Services: a subscription billed on both is double billed, spec §7) — bounded by the
    // company's agreements, never by rows. Pax8: the company and one page of subscriptions; the token of the
    // first request is reused (tenant clients are cached per process). Azure is a usage product (issue 10): its
    // closed months come from Pax8's invoices of the last six months: the list, and the items of an invoice
    // only the first time it is seen (an approved invoice is final), whatever the number of rows.
    expect([h.cw.faults.counts.requests, h.pax8.faults.counts.requests]).toEqual([2 + 2, 2 + 1]);
  });

  it('fetches the Pax8 token once per tenant across requests', async () => {
    const tokenCalls = () => h.upstreamCalls.filter((c) => c === 'POST pax8.test/v1/token').length;
    await h.call('GET', `/api/views/agreement/${agreementId}`);
    await h.call('GET', `/api/views/agreement/${agreementId}`);
    await h.call('GET', `/api/views/company/${ace.cwId}`);
    expect(tokenCalls()).toBe(1);

    // A second tenant gets its own clients and token; the first tenant's token is still reused.
    const other = await h.addTenant('Contoso', 'other.test');
    const otherToken = await h.tokenFor(other.id);
    expect(
      (await h.call('GET', `/api/views/agreement/${agreementId}`, undefined, { token: otherToken })).status,
    ).toBe(200);
    await h.call('GET', `/api/views/agreement/${agreementId}`);
    expect(tokenCalls()).toBe(2);
  });

  it('rebuilds the clients when the tenant setup changes (new Pax8 secret → new token)', async () => {
    const tokenCalls = () => h.upstreamCalls.filter((c) => c === 'POST pax8.test/v1/token').length;
    await h.call('GET', `/api/views/agreement/${agreementId}`);
    expect(tokenCalls()).toBe(1);
    const t = h.tenant;
    await h.repos.tenants.upsert({
      id: t.id,
      name: t.name,
      cwSite: t.cwSite,
      cwCompanyId: t.cwCompanyId,
      cwRegion: t.cwRegion,
      cwApiBaseUrl: t.cwApiBaseUrl,
      cwClientId: t.cwClientId,
      cwPublicKey: t.cwPublicKey,
      pax8ClientId: t.pax8ClientId,
      pax8ClientSecret: 'a-wrong-secret',
      pax8ApiBaseUrl: t.pax8ApiBaseUrl,
    });
    const refused = await h.call('GET', `/api/views/agreement/${agreementId}`);
    expect([refused.status, refused.json.error.code]).toEqual([502, 'upstream_auth']);
    expect(tokenCalls()).toBe(2);
  });

  it.each([
    ['Denver Monthly', 'Denver Broncos', 1],
    ['Cedar Monthly', 'Cedar and Pine Law Office', 1],
    ['Yellowstone Monthly', 'Yellowstone Outfitters LLC', 1],
  ])('unbound %s: no rows, best candidate %s (score %s)', async (agreement, name, score) => {
    const res = await h.call('GET', `/api/views/agreement/${h.agreementNamed(agreement).id}`);
    expect(res.status).toBe(200);
    expect(res.json.binding).toBeNull();
    expect(res.json.rows).toEqual([]);
    expect(res.json.candidates[0]).toMatchObject({ name, score });
    expect(res.json.warnings.map((w: { code: string }) => w.code)).toEqual(['company_not_bound']);
  });

  it.each([
    ['abc', 400],
    ['0', 400],
    ['99999', 404],
  ])('agreement id %s → %i', async (id, status) => {
    expect((await h.call('GET', `/api/views/agreement/${id}`)).status).toBe(status);
  });

  it('needs a session', async () => {
    const res = await h.app.request(`http://pod.test/api/views/agreement/${agreementId}`);
    expect(res.status).toBe(401);
  });
});

describe('GET /api/views/company/:id', () => {
  it("lists the company's active agreements and the same rows", async () => {
    const res = await h.call('GET', `/api/views/company/${ace.cwId}`);
    expect(res.status).toBe(200);
    expect(res.json.company).toEqual({ id: ace.cwId, name: 'Ace Chemical Processing Plant' });
    expect(res.json.agreements.map((a: { name: string }) => a.name)).toEqual([
      'Ace Monthly',
      'Ace Cloud Services',
    ]);
    expect(res.json.rows).toHaveLength(3);
    // Azure is bound as usage in the demo (issue 10): its closed months are not billed yet.
    expect(statusByProduct(res.json.rows).azure).toBe('usage_not_billed/sync');
  });

  it('unknown company → 404', async () => {
    expect((await h.call('GET', '/api/views/company/99999')).status).toBe(404);
  });
});
