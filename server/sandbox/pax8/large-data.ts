// A large, deterministic Pax8 data set for paging tests and benchmarks (e.g. 1,000 companies, 10,000 subscriptions).
import { hash32, rng } from '../demo/ids.ts';
import { demoProducts, pax8ProductIdOf } from '../demo/msp.ts';
import { createPax8Data, type Pax8Data } from './data.ts';
import { addDays, monthStart } from './dates.ts';
import { addDemoProducts } from './demo-data.ts';

/** A cheap uuid-shaped id: a hash of the kind plus the index (uuidFrom is too slow for 10,000 rows). */
function idMaker(kind: string): (i: number) => string {
  const h = hash32(`pax8-large:${kind}`).toString(16).padStart(8, '0');
  return (i) => `${h}-0000-4000-a000-${i.toString(16).padStart(12, '0')}`;
}

/** The id of the large set's company number `i` (0-based): benchmarks bind them without reading Pax8. */
export const largePax8CompanyId = (i: number): string => idMaker('company')(i);

export function generateLargePax8Data(
  opts: { companies: number; subscriptions: number },
  now: Date,
): Pax8Data {
  const data = createPax8Data();
  const products = demoProducts.filter((p) => !p.usage);
  addDemoProducts(data, products);
  const productIds = products.map(pax8ProductIdOf);
  const companyId = idMaker('company');
  const subscriptionId = idMaker('subscription');
  const vendorId = idMaker('vendor');
  const companyIds: string[] = [];
  for (let i = 0; i < opts.companies; i++) {
    const id = companyId(i);
    companyIds.push(id);
    data.addCompany({
      id,
      name: `Customer ${String(i + 1).padStart(4, '0')}`,
      externalId: i % 2 === 0 ? String(10_000 + i) : null,
      updatedDate: '2024-01-15T00:00:00.000Z',
    });
  }
  const random = rng(opts.companies * 31 + opts.subscriptions);
  const start = monthStart(now, -3);
  const changedAt = Array.from({ length: 27 }, (_, d) => addDays(monthStart(now, -1), d));
  for (let i = 0; i < opts.subscriptions; i++) {
    const product = products[i % products.length]!;
    const quantity = 1 + Math.floor(random() * 50);
    const history = [{ date: start, quantity }];
    if (i % 4 === 0) history.push({ date: changedAt[i % 27]!, quantity: quantity + 1 });
    data.addSubscription({
      id: subscriptionId(i),
      vendorSubscriptionId: product.vendorName === 'Microsoft' ? vendorId(i) : null,
      companyId: companyIds[i % companyIds.length]!,
      productId: productIds[i % products.length]!,
      price: product.price,
      partnerCost: product.cost,
      history,
    });
  }
  return data;
}
