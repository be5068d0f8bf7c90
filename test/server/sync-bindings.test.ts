// Bindings, catalog, product export and the subscription history route, through the front door.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pax8CompanyIdOf, pax8ProductIdOf } from '../../server/sandbox/demo/msp.ts';
import { ace, demoCustomer, now, demoProduct as product } from './demo-fixtures.ts';
import { createHarness, type Harness } from './sync-harness.ts';

const broncos = demoCustomer('DenverBroncos');

let h: Harness;
beforeEach(async () => {
  h = await createHarness({ now });
});
afterEach(() => h.close());

describe('company bindings', () => {
  it('binds, shows up in the view with rows, and unbinds; each change audited', async () => {
    const body = { cwCompanyId: broncos.cwId, pax8CompanyId: pax8CompanyIdOf(broncos) };
    const bound = await h.call('POST', '/api/bindings/company', body);
    expect(bound.status).toBe(201);
    expect(bound.json.binding).toMatchObject({ ...body, name: 'Denver Broncos', createdBy: 'jsmith' });
    expect((await h.call('POST', '/api/bindings/company', body)).status).toBe(201); // a double click is harmless

    const view = await h.call('GET', `/api/views/agreement/${h.agreementNamed('Denver Monthly').id}`);
    expect(view.json.binding).toEqual({ pax8CompanyId: body.pax8CompanyId, name: 'Denver Broncos' });
    expect(view.json.rows.length).toBeGreaterThan(0);

    const unbound = await h.call('DELETE', '/api/bindings/company', body);
    expect(unbound.status).toBe(200);
    expect((await h.call('DELETE', '/api/bindings/company', body)).status).toBe(404);
    const audit = await h.repos.audit.list(h.tenant.id);
    expect(audit.map((a) => a.action)).toEqual(['company.unbind', 'company.bind', 'company.bind']);
  });

  it.each([
    ['malformed JSON', { raw: '{' }, 400],
    ['missing pax8CompanyId', { body: { cwCompanyId: 250 } }, 400],
    ['unknown CW company', { body: { cwCompanyId: 99999, pax8CompanyId: pax8CompanyIdOf(broncos) } }, 404],
    [
      'unknown Pax8 company',
      { body: { cwCompanyId: broncos.cwId, pax8CompanyId: '00000000-0000-4000-a000-000000000000' } },
      404,
    ],
    [
      'Pax8 company already bound to Ace',
      { body: { cwCompanyId: broncos.cwId, pax8CompanyId: pax8CompanyIdOf(ace) } },
      409,
    ],
  ] as const)('%s', async (_name, input, status) => {
    const res = await h.call(
      'POST',
      '/api/bindings/company',
      'body' in input ? input.body : undefined,
      'raw' in input ? { raw: input.raw } : {},
    );
    expect(res.status).toBe(status);
  });
});

describe('product bindings and the catalog', () => {
  it('binds Exchange Online to a catalog item found by search', async () => {
    const search = await h.call('GET', '/api/catalog?search=MST-OFB');
    expect(search.status).toBe(200);
    expect(search.json.items.map((i: { id: number }) => i.id)).toContain(683);

    const res = await h.call('POST', '/api/bindings/product', {
      pax8ProductId: pax8ProductIdOf(product('exo1')),
      billingTerm: 'Monthly',
      cwCatalogId: 683,
      price: '4.50',
    });
    expect(res.status).toBe(201);
    expect(res.json.binding).toMatchObject({
      cwCatalogId: 683,
      cwIdentifier: 'MST-OFB-BES-C100',
      price: '4.50',
    });
  });

  it.each([
    ['unknown catalog item', { cwCatalogId: 99999 }, 404],
    ['bad term', { billingTerm: 'Weekly' }, 400],
    ['price as a float', { price: 4.5 }, 400],
  ] as const)('%s', async (_name, patch, status) => {
    const body = {
      pax8ProductId: pax8ProductIdOf(product('exo1')),
      billingTerm: 'Monthly',
      cwCatalogId: 683,
      ...patch,
    };
    expect((await h.call('POST', '/api/bindings/product', body)).status).toBe(status);
  });

  it('search needs text', async () => {
    expect((await h.call('GET', '/api/catalog')).status).toBe(400);
  });

  it('lists the catalog lookups', async () => {
    const res = await h.call('GET', '/api/catalog/lookups');
    expect(res.status).toBe(200);
    expect(res.json.categories.map((c: { name: string }) => c.name)).toEqual([
      'Cloud Services',
      'Managed Services',
      'Hardware',
    ]);
    expect(res.json.types.map((c: { name: string }) => c.name)).toEqual([
      'Subscription',
      'Service',
      'Hardware',
    ]);
    expect(res.json.subcategories).toHaveLength(5);
    expect(res.json.unitsOfMeasure.map((c: { name: string }) => c.name)).toEqual([
      'User',
      'License',
      'Each',
      'Flat Fee',
    ]);
  });

  it("shows a product's Pax8 pricing", async () => {
    const res = await h.call('GET', `/api/products/${pax8ProductIdOf(product('teamsprem'))}/pricing`);
    expect(res.status).toBe(200);
    const monthly = res.json.pricing.find((p: { billingTerm: string }) => p.billingTerm === 'Monthly');
    expect(monthly.rates[0]).toMatchObject({ partnerBuyRate: 8, suggestedRetailPrice: 10 });
  });

  it('exports a Pax8 product to the catalog and binds it; a second export is a 409', async () => {
    const body = {
      pax8ProductId: pax8ProductIdOf(product('teamsprem')),
      billingTerm: 'Monthly',
      categoryId: 1,
      subcategoryId: 1,
      typeId: 1,
      unitOfMeasureId: 1,
    };
    const res = await h.call('POST', '/api/products/export', body);
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    expect(res.json.catalogItem).toMatchObject({
      identifier: 'MST-TMS-PRM-C100',
      description: 'Microsoft Teams Premium',
      price: 10,
      cost: 8,
      vendorSku: 'CFQ7TTC0RM8K',
      productClass: 'NonInventory',
    });
    expect(res.json.binding).toMatchObject({ cwCatalogId: res.json.catalogItem.id, billingTerm: 'Monthly' });
    const again = await h.call('POST', '/api/products/export', body);
    expect(again.status).toBe(409);
    expect(again.json.error.details).toEqual({ cwCatalogId: res.json.catalogItem.id });
  });

  it.each([
    ['description over 60', { description: 'x'.repeat(61) }, 400],
    ['missing subcategory', { subcategoryId: undefined }, 400],
    ['no Annual pricing', { billingTerm: 'Annual' }, 400],
  ] as const)('export: %s', async (_name, patch, status) => {
    const body = {
      pax8ProductId: pax8ProductIdOf(product('teamsprem')),
      billingTerm: 'Monthly',
      subcategoryId: 1,
      typeId: 1,
      ...patch,
    };
    expect((await h.call('POST', '/api/products/export', body)).status).toBe(status);
  });
});

describe('GET /api/subscriptions/:id/history', () => {
  it('lists the quantity changes and which are synced', async () => {
    const sub = [...h.pax8.data.subscriptions.values()].find(
      (s) =>
        s.current.companyId === pax8CompanyIdOf(ace) &&
        s.current.productId === pax8ProductIdOf(product('o365e3')),
    )!.current;
    const agreementId = h.agreementNamed('Ace Monthly').id;
    const before = await h.call('GET', `/api/subscriptions/${sub.id}/history`);
    expect(before.status).toBe(200);
    // Issue 9: each change also says which line covers it (the recurring, its prorate) and its change key.
    // Issue 10: and whether its prorate was waived at a seat change from the pod (none here).
    const nothing = {
      coveredByRecurring: false,
      recurringAdditionId: null,
      prorateAdditionId: null,
      prorateWaived: false,
    };
    expect(before.json.changes).toEqual([
      {
        date: '2020-01-01',
        quantity: 1,
        previousQuantity: 0,
        changeKey: '2020-01-01#1',
        ...nothing,
        synced: false,
      },
      {
        date: '2020-09-09',
        quantity: 2,
        previousQuantity: 1,
        changeKey: '2020-09-09#1',
        ...nothing,
        synced: false,
      },
    ]);
    const plan = await h.call('POST', '/api/sync/plan', { subscriptionId: sub.id, agreementId });
    await h.call('POST', '/api/sync/apply', { planId: plan.json.planId });
    const after = await h.call('GET', `/api/subscriptions/${sub.id}/history`);
    // The recurring of 2 covers the initial order too; only the 09/09 increase has a written prorate.
    type Change = { coveredByRecurring: boolean; prorateAdditionId: number | null; synced: boolean };
    const applied = plan.json.additions as { kind: string; action: string }[];
    expect(applied.map((a) => `${a.kind}:${a.action}`)).toEqual([
      'recurring:create',
      'prorate:create',
      'extra:create',
    ]);
    expect(
      after.json.changes.map((c: Change) => [c.coveredByRecurring, c.prorateAdditionId !== null, c.synced]),
    ).toEqual([
      [true, false, false],
      [true, true, true],
    ]);
    expect(
      after.json.journal.map((j: { kind: string; state: string }) => `${j.kind}:${j.state}`).sort(),
    ).toEqual(['extra:done', 'prorate:done', 'recurring:done']);
  });

  it.each([
    ['not-a-uuid', 400],
    ['00000000-0000-4000-a000-000000000000', 404],
  ])('%s → %i', async (id, status) => {
    expect((await h.call('GET', `/api/subscriptions/${id}/history`)).status).toBe(status);
  });
});
