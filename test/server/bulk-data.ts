// A deterministic bulk data set (bulk-storm.test.ts and bench/bulk.bench.ts): `companies` ConnectWise companies
// with one monthly agreement and no additions, the same Pax8 companies bound to them, and five subscriptions
// each (one per product bound to a catalog item), started three months ago; every fourth one added a seat
// last month. Syncing each writes its recurring addition, a back-bill of the invoiced months, and a prorate.
import { generateLargeCwData } from '../../server/sandbox/cw/index.ts';
import { demoProducts, pax8ProductIdOf } from '../../server/sandbox/demo/msp.ts';
import { createPax8Data } from '../../server/sandbox/pax8/data.ts';
import { addDays, monthStart } from '../../server/sandbox/pax8/dates.ts';
import { addDemoProducts } from '../../server/sandbox/pax8/demo-data.ts';
import type { Repositories } from '../../server/store/index.ts';

const bound = demoProducts.filter((p) => !p.usage && p.cwCatalogId !== undefined);

const uuidOf = (kind: number, i: number) =>
  `b0000000-0000-4000-a00${kind}-${i.toString(16).padStart(12, '0')}`;

export function bulkData(opts: { companies: number; now: Date }) {
  const cw = generateLargeCwData({ companies: opts.companies, additions: 0, now: opts.now });
  const pax8 = createPax8Data();
  addDemoProducts(pax8, bound);
  const start = monthStart(opts.now, -3);
  const items: { subscriptionId: string; agreementId: number }[] = [];
  const agreements = [...cw.tables.agreements.rows.values()];
  for (let c = 0; c < opts.companies; c++) {
    const companyId = uuidOf(1, c);
    pax8.addCompany({ id: companyId, name: `Company ${c + 1}`, updatedDate: '2024-01-15T00:00:00.000Z' });
    const agreement = agreements.find((a) => (a.company as { id: number }).id === c + 1);
    if (!agreement) throw new Error(`no agreement for company ${c + 1}`);
    bound.forEach((product, k) => {
      const i = c * bound.length + k;
      const quantity = 1 + (i % 9);
      const history = [{ date: start, quantity }];
      if (i % 4 === 0)
        history.push({ date: addDays(monthStart(opts.now, -1), 5 + (i % 20)), quantity: quantity + 1 });
      const sub = pax8.addSubscription({
        id: uuidOf(2, i),
        companyId,
        productId: pax8ProductIdOf(product),
        price: product.price,
        partnerCost: product.cost,
        history,
      });
      items.push({ subscriptionId: sub.id, agreementId: agreement.id });
    });
  }
  /** Binds every company and product for a tenant, as an admin would after /setup. */
  async function bind(repos: Repositories, tenantId: string) {
    for (let c = 0; c < opts.companies; c++) {
      await repos.companyBindings.bind(tenantId, {
        cwCompanyId: c + 1,
        pax8CompanyId: uuidOf(1, c),
        createdBy: 'seed',
      });
    }
    for (const p of bound) {
      const item = cw.tables.catalog.rows.get(p.cwCatalogId as number);
      await repos.productBindings.upsert(tenantId, {
        pax8ProductId: pax8ProductIdOf(p),
        billingTerm: 'Monthly',
        cwCatalogId: p.cwCatalogId as number,
        cwIdentifier: String(item?.identifier ?? p.sku),
      });
    }
  }
  return { cw, pax8, items, bind, subscriptionsPerCompany: bound.length };
}
