// The demo MSP's Pax8 side, deterministic for a given `now`: companies of the shared demo customers,
// the shared products, and 2–5 subscriptions each with seat changes in the months before `now`.
import { formatCents, toCents } from '../../billing/money.ts';
import { hash32, rng, uuidFrom } from '../demo/ids.ts';
import {
  type DemoCustomer,
  type DemoProduct,
  demoCustomers,
  demoProducts,
  pax8CompanyIdOf,
  pax8ProductIdOf,
} from '../demo/msp.ts';
import { createPax8Data, type Pax8Data, type SubscriptionInput } from './data.ts';
import { addDays, addMonths, isoOf, monthStart } from './dates.ts';
import { advanceDemoBilling } from './demo-billing.ts';

type Plan = Omit<SubscriptionInput, 'companyId' | 'productId' | 'price' | 'partnerCost'> & {
  product: string;
  annual?: boolean;
};

const productOf = (key: string) => {
  const product = demoProducts.find((p) => p.key === key);
  if (!product) throw new Error(`No demo product ${key}`);
  return product;
};

/** The demo MSP's products in the emulator's catalog (shared with the large data set). */
export function addDemoProducts(data: Pax8Data, products: readonly DemoProduct[]): void {
  for (const product of products) {
    data.addProduct({
      id: pax8ProductIdOf(product),
      name: product.name,
      vendorName: product.vendorName,
      sku: product.sku,
      vendorSku: product.vendorSku,
      cost: product.cost,
      price: product.price,
      ...(product.annual ? { annual: product.annual } : {}),
      ...(product.threeYear ? { threeYear: product.threeYear } : {}),
      ...(product.usage ? { usage: true } : {}),
    });
  }
}

export function createDemoPax8Data(now: Date): Pax8Data {
  const data = createPax8Data();
  addDemoProducts(data, demoProducts);
  // A day of month `offset` months from now, never after now (so current-month changes are in the past).
  const day = (offset: number, d: number): string => {
    const at = addDays(monthStart(now, offset), d - 1);
    return at < isoOf(now) ? at : addDays(monthStart(now, offset), Math.max(0, now.getUTCDate() - 2));
  };
  const monthsAgo = (n: number) => monthStart(now, -n);

  const scripted: Record<string, Plan[]> = {
    AceChemical: [
      {
        product: 'o365e3',
        history: [
          { date: monthsAgo(8), quantity: 1 },
          { date: day(0, 9), quantity: 2 },
        ],
      },
      { product: 'dropsuite', history: [{ date: monthsAgo(8), quantity: 2 }] },
      { product: 'azure', history: [{ date: monthsAgo(5), quantity: 1 }] },
    ],
    ArcadiaTech: [
      {
        product: 'm365bp',
        history: [
          { date: monthsAgo(10), quantity: 10 },
          { date: day(0, 5), quantity: 8 },
          { date: day(0, 12), quantity: 11 },
        ],
      },
      {
        product: 'exo1',
        history: [
          { date: monthsAgo(4), quantity: 4 },
          { date: day(-1, 18), quantity: 3 },
        ],
      },
      { product: 'm365bb', annual: true, history: [{ date: addMonths(now, -5), quantity: 12 }] },
    ],
    DynamoCorp: [
      {
        product: 'o365bes',
        history: [
          { date: monthsAgo(6), quantity: 5 },
          { date: day(-1, 3), quantity: 6 },
          { date: day(-1, 10), quantity: 8 },
          { date: day(-1, 20), quantity: 9 },
        ],
      },
      { product: 'acronis', history: [{ date: monthsAgo(3), quantity: 7 }] },
      {
        product: 'teamsprem',
        status: 'Cancelled',
        endDate: day(-1, 28),
        history: [{ date: monthsAgo(4), quantity: 2 }],
      },
      // Annual paid up front, cancelled 4 days after purchase: inside the 7-day window, nothing is owed (spec §5).
      {
        product: 'm365bp',
        annual: true,
        status: 'Cancelled',
        endDate: addDays(now, -6),
        history: [{ date: addDays(now, -10), quantity: 4 }],
      },
    ],
    FranksFlowers: [
      {
        product: 'm365bb',
        history: [
          { date: monthsAgo(7), quantity: 3 },
          { date: day(-1, 15), quantity: 2 },
        ],
      },
      {
        product: 'teamsprem',
        status: 'Trial',
        endDate: addDays(now, 20),
        history: [{ date: addDays(now, -10), quantity: 1 }],
      },
      // An NCE annual commitment paid monthly: the monthly flow, with the commitment's end and window shown.
      {
        product: 'o365e3',
        commitment: 'Annual',
        history: [
          { date: addMonths(now, -3), quantity: 4 },
          { date: day(0, 2), quantity: 5 },
        ],
      },
      // A trial converted to paid: billed from its conversion day (Pax8's billingStart) as a new subscription.
      {
        product: 'o365bes',
        billingStart: addDays(now, -12),
        history: [{ date: addDays(now, -42), quantity: 6 }],
      },
    ],
    GibsonPottYork: [
      { product: 'o365e3', annual: true, history: [{ date: addMonths(now, -4), quantity: 15 }] },
      { product: 'm365bp', annual: true, history: [{ date: addDays(now, -3), quantity: 6 }] },
      // A 3-year term paid up front, in its second year, with 2 seats added mid-term (co-termed).
      {
        product: 'o365e3',
        billingTerm: '3-Year',
        history: [
          { date: addMonths(now, -14), quantity: 3 },
          { date: addMonths(now, -1), quantity: 5 },
        ],
      },
      // Annual paid up front on an agreement invoiced once a year ('Gibson Annual', CW billing cycle Annual): the
      // recurring alternative of spec §5, one recurring addition for the year's seats (cw/demo-data.ts).
      { product: 'm365bb', annual: true, history: [{ date: addMonths(now, -2), quantity: 10 }] },
    ],
  };

  const customers = demoCustomers.filter((c) => c.pax8 !== 'none');
  for (const customer of customers) {
    const companyId = addCompanyOf(data, customer);
    const plans = scripted[customer.identifier] ?? genericPlans(customer, now);
    plans.forEach((plan, i) => {
      const product = productOf(plan.product);
      const { product: _key, annual, ...rest } = plan;
      const billingTerm = rest.billingTerm ?? (annual ? 'Annual' : 'Monthly');
      const terms = termRates(product, billingTerm, rest.commitment);
      data.addSubscription({
        ...rest,
        id: uuidFrom(`pax8-sub:${customer.identifier}:${i}`),
        companyId,
        productId: pax8ProductIdOf(product),
        billingTerm,
        price: terms.price,
        partnerCost: terms.cost,
      });
    });
  }
  advanceDemoBilling(data, now);
  // Usage is posted daily and Pax8 invoices each month on the 4th: as the sandbox clock moves, so does this.
  data.advance = (at) => advanceDemoBilling(data, at);
  return data;
}

/**
 * A subscription's price and cost per unit per billing period (spec §5): the monthly-equivalent rate of its
 * commitment, times 12 for a year paid up front and 36 for three years.
 */
function termRates(
  product: DemoProduct,
  billingTerm: string,
  commitment: string | undefined,
): { cost: number; price: number } {
  const term = commitment ?? billingTerm;
  const rates = (term === 'Annual' && product.annual) || (term === '3-Year' && product.threeYear) || product;
  const months = billingTerm === 'Annual' ? 12 : billingTerm === '3-Year' ? 36 : 1;
  const times = (amount: number) => Number(formatCents(toCents(amount, 'rate') * months));
  return { cost: times(rates.cost), price: times(rates.price) };
}

function addCompanyOf(data: Pax8Data, customer: DemoCustomer): string {
  const id = pax8CompanyIdOf(customer)!;
  data.addCompany({
    id,
    name: customer.pax8Name ?? customer.name,
    address: {
      street: `${100 + (hash32(customer.identifier) % 900)} Main Street`,
      city: customer.city,
      stateOrProvince: customer.state,
      postalCode: customer.zip,
      country: 'US',
    },
    phone: customer.phone,
    website: customer.website,
    externalId: customer.pax8 === 'bound' ? String(customer.cwId) : null,
    billOnBehalfOfEnabled: true,
    updatedDate: '2024-01-15T00:00:00.000Z',
  });
  data.addContact(id, {
    id: uuidFrom(`pax8-contact:${customer.identifier}`),
    firstName: 'Pat',
    lastName: customer.identifier,
    email: `admin@${customer.identifier.toLowerCase()}.example`,
    createdDate: '2024-01-15',
  });
  return id;
}

const genericProducts = [
  'o365e3',
  'o365bes',
  'm365bp',
  'm365bb',
  'exo1',
  'dropsuite',
  'acronis',
  'teamsprem',
];

function genericPlans(customer: DemoCustomer, now: Date): Plan[] {
  const random = rng(hash32(customer.identifier));
  const count = 2 + Math.floor(random() * 4);
  const first = Math.floor(random() * genericProducts.length);
  const plans: Plan[] = [];
  for (let i = 0; i < count; i++) {
    const key = genericProducts[(first + i * 3) % genericProducts.length]!;
    const annual = productOf(key).annual !== undefined && random() < 0.35;
    const quantity = 1 + Math.floor(random() * 24);
    const start = annual ? addMonths(now, -(1 + Math.floor(random() * 10))) : monthStart(now, -(2 + i));
    const history = [{ date: start, quantity }];
    if (!annual && random() < 0.5) {
      const offset = random() < 0.5 ? 0 : -1;
      const at = addDays(monthStart(now, offset), 1 + Math.floor(random() * 25));
      if (at < isoOf(now))
        history.push({ date: at, quantity: Math.max(1, quantity + (random() < 0.6 ? 2 : -1)) });
    }
    plans.push({ product: key, annual, history });
  }
  return plans;
}
