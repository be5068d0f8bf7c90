// The guide's example as the server tests share it: Ace Chemical's Office 365 E3 subscription (1 → 2 on
// 2020-09-09) on the "Ace Monthly" agreement, synced on 2020-09-20, and the two additions that sync writes.
import {
  demoCustomers,
  demoProducts,
  pax8CompanyIdOf,
  pax8ProductIdOf,
} from '../../server/sandbox/demo/msp.ts';
import type { Pax8Data } from '../../server/sandbox/pax8/index.ts';

/** The day the guide's example is synced. */
export const now = new Date('2020-09-20T12:00:00Z');

export const demoCustomer = (identifier: string) => {
  const customer = demoCustomers.find((c) => c.identifier === identifier);
  if (!customer) throw new Error(`No demo customer ${identifier}`);
  return customer;
};

export const demoProduct = (key: string) => {
  const product = demoProducts.find((p) => p.key === key);
  if (!product) throw new Error(`No demo product ${key}`);
  return product;
};

/** The Pax8 product id of a demo product by its key ('o365e3', 'dropsuite', 'azure', …). */
export const productId = (key: string) => pax8ProductIdOf(demoProduct(key));

export const ace = demoCustomer('AceChemical');
export const e3 = demoProduct('o365e3');

/** Ace Chemical's subscription to a demo product, as the Pax8 emulator holds it now. */
export function aceSubscription(data: Pax8Data, key: string) {
  const record = [...data.subscriptions.values()].find(
    (s) => s.current.companyId === pax8CompanyIdOf(ace) && s.current.productId === productId(key),
  );
  if (!record) throw new Error(`No Ace subscription to ${key}`);
  return record.current;
}

export const aceE3Subscription = (data: Pax8Data) => aceSubscription(data, 'o365e3');

/** A demo customer's subscription to a demo product on a billing term, as the Pax8 emulator holds it now. */
export function termSubscription(data: Pax8Data, customer: string, key: string, billingTerm: string) {
  const companyId = pax8CompanyIdOf(demoCustomer(customer));
  const record = [...data.subscriptions.values()].find(
    (s) =>
      s.current.companyId === companyId &&
      s.current.productId === productId(key) &&
      s.current.billingTerm === billingTerm,
  );
  if (!record) throw new Error(`No ${billingTerm} ${key} at ${customer}`);
  return record.current;
}

/** The figures that matter of an addition row in the CW emulator. */
export const figures = (a: Record<string, unknown>) => ({
  quantity: a.quantity,
  unitPrice: a.unitPrice,
  unitCost: a.unitCost,
  effectiveDate: a.effectiveDate,
  cancelledDate: a.cancelledDate ?? null,
  invoiceDescription: a.invoiceDescription,
});

/** What syncing the guide's example writes on Ace Monthly: the recurring line, the prorate and the back-bill line. */
export const guideAdditions = [
  {
    quantity: 2,
    unitPrice: 25,
    unitCost: 20,
    effectiveDate: '2020-10-01T00:00:00Z',
    cancelledDate: null,
    invoiceDescription: 'Pax8 - Microsoft Office 365 Enterprise E3 - Includ',
  },
  {
    quantity: 1,
    unitPrice: 17.5,
    unitCost: 14,
    effectiveDate: '2020-10-01T00:00:00Z',
    cancelledDate: '2020-10-31T00:00:00Z',
    invoiceDescription:
      'Pax8 - Microsoft Office 365 Enterprise E3 - Includ - Prorated for 09/09/2020-09/30/2020',
  },
  // The first seat (bought 2020-01-01) was never billed on Ace Monthly: the last 3 invoiced months are back-billed
  // (spec §7); January to June are older than the look-back, a warning with their amount.
  {
    quantity: 1,
    unitPrice: 75,
    unitCost: 60,
    effectiveDate: '2020-10-01T00:00:00Z',
    cancelledDate: '2020-10-31T00:00:00Z',
    invoiceDescription: 'Pax8 - Microsoft Office 365 Enterprise E3 - Includ - Jul 2020 to Sep 2020',
  },
];

/**
 * Ends the demo's hand-written Dropsuite line on "Ace Cloud Services" before Ace's first un-invoiced month, so
 * Dropsuite is billed on Ace Monthly alone (with it, Dropsuite is `double_billed` on every view: spec §7, §8).
 */
export function endCloudDropsuite(h: {
  agreementNamed(name: string): { id: number };
  additionsOf(agreementId: number): Record<string, unknown>[];
}) {
  const cloud = h.agreementNamed('Ace Cloud Services').id;
  for (const a of h.additionsOf(cloud)) {
    if ((a.product as { id: number }).id === 686) a.cancelledDate = '2020-09-01T00:00:00Z';
  }
}
