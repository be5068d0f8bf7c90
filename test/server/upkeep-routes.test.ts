// Upkeep through the front door (issue 10 item 5): the tenant's default bill option and taxable in Settings,
// a product binding's own defaults (kept by a rebind that does not name them), and the plan that uses them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pax8CompanyIdOf, pax8ProductIdOf } from '../../server/sandbox/demo/msp.ts';
import { ace, aceE3Subscription, demoCustomer, e3, productId } from './demo-fixtures.ts';
import { createHarness, type Harness } from './sync-harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness({ now: new Date('2020-09-20T12:00:00Z') });
});
afterEach(() => h.close());

/** A new E3 subscription for Ace (1 → 2 seats on 09/09) planned on Ace Monthly: recurring, prorate. */
async function planLines() {
  const sub = h.pax8.data.addSubscription({
    companyId: pax8CompanyIdOf(ace)!,
    productId: pax8ProductIdOf(e3),
    price: 25,
    partnerCost: 20,
    history: [
      { date: '2020-09-01', quantity: 1 },
      { date: '2020-09-09', quantity: 2 },
    ],
  });
  const res = await h.call('POST', '/api/sync/plan', {
    subscriptionId: sub.id,
    agreementId: h.agreementNamed('Ace Monthly').id,
    options: { mode: 'create' },
  });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return (res.json.additions as { kind: string; billCustomer: string; taxable: boolean }[]).map((a) => [
    a.kind,
    a.billCustomer,
    a.taxable,
  ]);
}

const bindE3 = (extra: Record<string, unknown>) =>
  h.call('POST', '/api/bindings/product', {
    pax8ProductId: pax8ProductIdOf(e3),
    billingTerm: 'Monthly',
    cwCatalogId: 682,
    ...extra,
  });

describe('defaults of new lines', () => {
  it("the catalog item's taxable and Billable when nothing is set (spec §1)", async () => {
    const taxable = Boolean(h.cw.data.tables.catalog.rows.get(682)?.taxableFlag);
    const lines = await planLines();
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.slice(1)).toEqual(['Billable', taxable]);
  });

  it("the tenant's Settings when the binding names none", async () => {
    const saved = await h.call('PATCH', '/api/setup/settings', {
      defaultBillCustomer: 'NoCharge',
      defaultTaxable: 'no',
    });
    expect(saved.status).toBe(200);
    for (const line of await planLines()) expect(line.slice(1)).toEqual(['NoCharge', false]);
  });

  it("the binding's own over the tenant's; a rebind that does not name them keeps them; null gives them back", async () => {
    await h.call('PATCH', '/api/setup/settings', { defaultBillCustomer: 'NoCharge', defaultTaxable: 'no' });
    const bound = await bindE3({ billCustomer: 'DoNotBill', taxable: true });
    expect(bound.status).toBe(201);
    expect(bound.json.binding).toMatchObject({ billCustomer: 'DoNotBill', taxable: true });
    for (const line of await planLines()) expect(line.slice(1)).toEqual(['DoNotBill', true]);

    const rebound = await bindE3({ price: '27.00' });
    expect(rebound.json.binding).toMatchObject({ price: '27.00', billCustomer: 'DoNotBill', taxable: true });

    const cleared = await bindE3({ billCustomer: null, taxable: null });
    expect(cleared.json.binding).toMatchObject({ billCustomer: null, taxable: null });
    const audit = await h.repos.audit.list(h.tenant.id);
    expect(audit.filter((a) => a.action === 'product.bind')).toHaveLength(3);
  });

  it.each([
    [{ billCustomer: 'Free' }, 'billCustomer'],
    [{ taxable: 'yes' }, 'taxable'],
  ])('a binding with %j is a 400 naming %s', async (extra, field) => {
    const res = await bindE3(extra);
    expect(res.status).toBe(400);
    expect(res.json.error.details[0].path).toBe(field);
  });
});

describe('a rebinding never rewrites history', () => {
  it('the synced addition keeps its catalog item and marker; the row says the binding moved since', async () => {
    const agreement = h.agreementNamed('Ace Monthly');
    const sub = aceE3Subscription(h.pax8.data);
    const plan = await h.call('POST', '/api/sync/plan', {
      subscriptionId: sub.id,
      agreementId: agreement.id,
    });
    expect(plan.status).toBe(200);
    expect((await h.call('POST', '/api/sync/apply', { planId: plan.json.planId })).status).toBe(200);
    const before = h.additionsOf(agreement.id).map((a) => [a.id, a.product, a.description]);
    const row = async () =>
      (await h.call('GET', `/api/views/agreement/${agreement.id}`)).json.rows.find(
        (r: { subscription: { id: string } }) => r.subscription.id === sub.id,
      );
    const synced = await row();
    expect(synced.status).toBe('synced');
    expect(synced.bindingChanged).toBeUndefined();

    // E3 Monthly now bound to the Business Essentials catalog item (683, MST-OFB-BES-C100).
    expect((await bindE3({ cwCatalogId: 683 })).status).toBe(201);
    expect(h.additionsOf(agreement.id).map((a) => [a.id, a.product, a.description])).toEqual(before);
    const rebound = await row();
    expect(rebound.addition?.id).toBe(synced.addition.id);
    expect(rebound.productBinding).toEqual({ catalogId: 683, identifier: 'MST-OFB-BES-C100' });
    expect(rebound.bindingChanged).toBe(
      'Bound to a different catalog item (MST-OFB-BES-C100) since this addition was written (catalog item #682); the addition is left as written.',
    );
  });
});

describe('a rebinding of a term paid up front', () => {
  it("Arcadia's annual line keeps its catalog item, and the row says the binding moved since (it said nothing)", async () => {
    const agreement = h.agreementNamed('Arcadia Monthly');
    const companyId = pax8CompanyIdOf(demoCustomer('ArcadiaTech'));
    const sub = [...h.pax8.data.subscriptions.values()]
      .map((r) => r.current)
      .find(
        (s) => s.companyId === companyId && s.productId === productId('m365bb') && s.billingTerm === 'Annual',
      );
    if (!sub) throw new Error('no annual Business Basic at Arcadia');
    const plan = await h.call('POST', '/api/sync/plan', {
      subscriptionId: sub.id,
      agreementId: agreement.id,
    });
    expect(
      plan.json.additions.map((w: { kind: string; quantity: number; unitPrice: string }) => [
        w.kind,
        w.quantity,
        w.unitPrice,
      ]),
    ).toEqual([['period', 12, '68.40']]);
    expect((await h.call('POST', '/api/sync/apply', { planId: plan.json.planId })).status).toBe(200);
    const row = async () =>
      (await h.call('GET', `/api/views/agreement/${agreement.id}`)).json.rows.find(
        (r: { subscription: { id: string } }) => r.subscription.id === sub.id,
      );
    const synced = await row();
    expect([synced.status, synced.bindingChanged]).toEqual(['synced', undefined]);
    const written = h.additionsOf(agreement.id).find((a) => /Annual term/.test(String(a.invoiceDescription)));
    expect(written).toBeDefined();

    const rebound = await h.call('POST', '/api/bindings/product', {
      pax8ProductId: productId('m365bb'),
      billingTerm: 'Annual',
      cwCatalogId: 683,
    });
    expect(rebound.status).toBe(201);
    expect(h.additionsOf(agreement.id).find((a) => a.id === written?.id)).toEqual(written);
    expect((await row()).bindingChanged).toBe(
      `Bound to a different catalog item (MST-OFB-BES-C100) since this addition was written (catalog item #${synced.productBinding.catalogId}); the addition is left as written.`,
    );
  });
});

describe('a company bound to another Pax8 company keeps what was written', () => {
  it('the synced addition is left as written and its ghost row says it names a subscription of the company before', async () => {
    const agreement = h.agreementNamed('Ace Monthly');
    const sub = aceE3Subscription(h.pax8.data);
    const plan = await h.call('POST', '/api/sync/plan', {
      subscriptionId: sub.id,
      agreementId: agreement.id,
    });
    expect((await h.call('POST', '/api/sync/apply', { planId: plan.json.planId })).status).toBe(200);
    const before = h.additionsOf(agreement.id).map((a) => [a.id, a.description, a.cancelledDate ?? null]);
    const written = (await h.call('GET', `/api/views/agreement/${agreement.id}`)).json.rows.find(
      (r: { subscription: { id: string } }) => r.subscription.id === sub.id,
    ).addition.id;

    // Ace unbound, then bound to Juniper Veterinary Clinic's Pax8 company (not bound to anyone in the demo).
    expect((await h.call('DELETE', '/api/bindings/company', { cwCompanyId: ace.cwId })).status).toBe(200);
    const juniper = demoCustomer('JuniperVet');
    const rebound = await h.call('POST', '/api/bindings/company', {
      cwCompanyId: ace.cwId,
      pax8CompanyId: pax8CompanyIdOf(juniper),
    });
    expect(rebound.status).toBe(201);
    expect(h.additionsOf(agreement.id).map((a) => [a.id, a.description, a.cancelledDate ?? null])).toEqual(
      before,
    );
    const view = (await h.call('GET', `/api/views/agreement/${agreement.id}`)).json;
    const ghost = view.ghosts.find((g: { addition: { id: number } }) => g.addition.id === written);
    expect(ghost?.note).toBe(
      `Written for Pax8 subscription ${sub.id}, which Juniper Veterinary Clinic does not have: the company was bound to another Pax8 company since, or Pax8 no longer lists it. The addition is left as written.`,
    );
  });
});
