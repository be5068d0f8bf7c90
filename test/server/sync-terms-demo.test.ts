// The demo's terms on the sandbox clock (spec §5), through the front door: each syncs to the figures of §5,
// the view then says synced, and a second sync writes nothing. The demo is synced on 09/20/2020.
import { afterEach, describe, expect, it } from 'vitest';
import { pax8CompanyIdOf } from '../../server/sandbox/demo/msp.ts';
import { demoCustomer, now, productId } from './demo-fixtures.ts';
import { createHarness, type Harness } from './sync-harness.ts';

let h: Harness;
afterEach(() => h.close());

type Write = {
  kind: string;
  quantity: number;
  unitCost: string;
  unitPrice: string;
  effectiveDate: string;
  invoiceDescription: string;
};
type Case = {
  name: string;
  customer: string;
  agreement: string;
  product: string;
  billingTerm: string;
  status?: string;
  termLabel: string;
  /** [kind, quantity, unit cost, unit price, effective, invoice description] */
  writes: [string, number, string, string, string, string][];
};

const E3 = 'Pax8 - Microsoft Office 365 Enterprise E3 - Includ';

// biome-ignore format: one row per demo subscription, the figures written out
const cases: Case[] = [
  { name: 'annual paid up front (Arcadia, 12 seats × 68.40 a year)', customer: 'ArcadiaTech', agreement: 'Arcadia Monthly', product: 'm365bb', billingTerm: 'Annual',
    termLabel: 'Annual · renews 04/20/2021 · decrease window closed 04/27/2020 12:00',
    writes: [['period', 12, '54.72', '68.40', '2020-10-01', 'Pax8 - Microsoft 365 Business Basic - Annual term 04/20/2020-04/19/2021']] },
  { name: '3-year paid up front with 2 seats co-termed (Gibson: 698 of 1,096 days, the term holds 29 Feb 2020)', customer: 'GibsonPottYork', agreement: 'Gibson Monthly', product: 'o365e3', billingTerm: '3-Year',
    termLabel: '3-Year · renews 07/20/2022 · decrease window closed 07/27/2019 12:00',
    writes: [
      ['period', 3, '648.00', '792.00', '2020-10-01', `${E3} - 3-Year term 07/20/2019-07/19/2022`],
      ['prorate', 2, '412.69', '504.39', '2020-10-01', `${E3} - Prorated for 08/21/2020-07/19/2022`],
    ] },
  { name: 'annual bought 3 days ago, window still open (Gibson, 6 × 250.80)', customer: 'GibsonPottYork', agreement: 'Gibson Monthly', product: 'm365bp', billingTerm: 'Annual',
    termLabel: 'Annual · renews 09/17/2021 · decrease window closes 09/24/2020 12:00',
    writes: [['period', 6, '200.64', '250.80', '2020-10-01', 'Pax8 - Microsoft 365 Business Premium - Annual term 09/17/2020-09/16/2021']] },
  { name: 'annual cancelled 4 days after purchase, inside the window: nothing owed (Dynamo)', customer: 'DynamoCorp', agreement: 'Dynamo Monthly', product: 'm365bp', billingTerm: 'Annual', status: 'Cancelled',
    // A cancelled subscription does not renew: the label says when it ended (QA of issue 10).
    termLabel: 'Annual · ends 09/14/2020',
    writes: [] },
  { name: 'trial converted on 09/08/2020, billed from then as new (Franks, 6 × 5.00, (30 − 8)/30 → 3.67)', customer: 'FranksFlowers', agreement: 'Franks Monthly', product: 'o365bes', billingTerm: 'Monthly',
    termLabel: 'Monthly',
    writes: [
      ['recurring', 6, '4.20', '5.00', '2020-10-01', 'Pax8 - Microsoft Office 365 Business Essentials'],
      ['prorate', 6, '3.08', '3.67', '2020-10-01', 'Pax8 - Microsoft Office 365 Business Essentials - Prorated for 09/08/2020-09/30/2020'],
    ] },
];

const subscriptionOf = (customer: string, product: string, billingTerm: string) => {
  const companyId = pax8CompanyIdOf(demoCustomer(customer));
  const found = [...h.pax8.data.subscriptions.values()]
    .map((r) => r.current)
    .find(
      (s) => s.companyId === companyId && s.productId === productId(product) && s.billingTerm === billingTerm,
    );
  if (!found) throw new Error(`No ${billingTerm} ${product} at ${customer}`);
  return found;
};

describe('demo terms sync to spec §5 figures', () => {
  it.each(cases)('$name', async (c) => {
    h = await createHarness({ now });
    const agreementId = h.agreementNamed(c.agreement).id;
    const sub = subscriptionOf(c.customer, c.product, c.billingTerm);
    expect(sub.status).toBe(c.status ?? 'Active');
    const plan = await h.call('POST', '/api/sync/plan', { subscriptionId: sub.id, agreementId });
    expect(plan.status, JSON.stringify(plan.json)).toBe(200);
    expect(plan.json.termLabel).toBe(c.termLabel);
    expect(
      (plan.json.additions as Write[]).map((w) => [
        w.kind,
        w.quantity,
        w.unitCost,
        w.unitPrice,
        w.effectiveDate,
        w.invoiceDescription,
      ]),
    ).toEqual(c.writes);
    if (c.writes.length > 0) {
      const applied = await h.call('POST', '/api/sync/apply', { planId: plan.json.planId });
      expect(applied.status, JSON.stringify(applied.json)).toBe(200);
    }
    const view = await h.call('GET', `/api/views/agreement/${agreementId}`);
    const row = (
      view.json.rows as { subscription: { id: string }; status: string; money: { term: string } }[]
    ).find((r) => r.subscription.id === sub.id);
    expect([row?.status, row?.money.term]).toEqual(['synced', c.termLabel]);
    const again = await h.call('POST', '/api/sync/plan', { subscriptionId: sub.id, agreementId });
    expect((again.json.additions as { action: string }[]).filter((w) => w.action !== 'none')).toEqual([]);
  });

  it('an annual commitment paid monthly syncs the monthly flow and reads its commitment (Franks)', async () => {
    h = await createHarness({ now });
    const agreementId = h.agreementNamed('Franks Monthly').id;
    const sub = [...h.pax8.data.subscriptions.values()]
      .map((r) => r.current)
      .find(
        (s) =>
          s.companyId === pax8CompanyIdOf(demoCustomer('FranksFlowers')) &&
          s.productId === productId('o365e3'),
      );
    expect(sub?.commitmentTerm?.term).toBe('Annual');
    const plan = await h.call('POST', '/api/sync/plan', { subscriptionId: sub?.id, agreementId });
    expect(plan.json.termLabel).toBe(
      'Annual, billed monthly · renews 06/20/2021 · decrease window closed 06/27/2020 12:00',
    );
    // The hand-written E3 line on Franks Monthly is adopted and set to Pax8's 5 seats at the annual rate, 23.00.
    expect(
      (plan.json.additions as Write[]).map((w) => [w.kind, w.quantity, w.unitCost, w.unitPrice]),
    ).toEqual([['recurring', 5, '19.00', '23.00']]);
    await h.call('POST', '/api/sync/apply', { planId: plan.json.planId });
    const view = await h.call('GET', `/api/views/agreement/${agreementId}`);
    const row = (
      view.json.rows as {
        subscription: { id: string };
        status: string;
        money: { message: string; term: string };
      }[]
    ).find((r) => r.subscription.id === sub?.id);
    expect([row?.status, row?.money.term, row?.money.message]).toEqual([
      'synced',
      'Annual, billed monthly · renews 06/20/2021 · decrease window closed 06/27/2020 12:00',
      'ConnectWise will bill $115.00/mo, as it should.',
    ]);
  });
});
