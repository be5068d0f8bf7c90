// The pod's amount for a term billed up front is the amount the sync writes (spec §5, §8): each period valued at
// the seats of its first day plus co-termed prorates, never at today's seats. Demo on the sandbox clock, 09/20/2020.
import { afterEach, describe, expect, it } from 'vitest';
import { toCents } from '../../server/billing/money.ts';
import { now, termSubscription } from './demo-fixtures.ts';
import { createHarness, type Harness } from './sync-harness.ts';

let h: Harness;
afterEach(() => h.close());

type Row = { subscription: { id: string }; status: string; money: { backBill: number; message: string } };

// biome-ignore format: one row per demo subscription billed up front, the figures written out
const cases = [
  { name: "Gibson's 3-Year: 3 × $792.00 + 2 co-termed × $504.39 = $3,384.78 (not 5 × $792.00 = $3,960.00)", customer: 'GibsonPottYork', agreement: 'Gibson Monthly', product: 'o365e3', billingTerm: '3-Year',
    cents: 338478, message: '$3,384.78 not billed (3-Year term 07/20/2019-07/19/2022, Prorated for 08/21/2020-07/19/2022).' },
  { name: "Arcadia's Annual: 12 × $68.40 = $820.80", customer: 'ArcadiaTech', agreement: 'Arcadia Monthly', product: 'm365bb', billingTerm: 'Annual',
    cents: 82080, message: '$820.80 not billed (Annual term 04/20/2020-04/19/2021).' },
  { name: "Gibson's Business Premium Annual: 6 × $250.80 = $1,504.80", customer: 'GibsonPottYork', agreement: 'Gibson Monthly', product: 'm365bp', billingTerm: 'Annual',
    cents: 150480, message: '$1,504.80 not billed (Annual term 09/17/2020-09/16/2021).' },
];

describe('the pod row amount of a term billed up front equals the plan total', () => {
  it.each(cases)('$name', async (c) => {
    h = await createHarness({ now });
    const agreementId = h.agreementNamed(c.agreement).id;
    const sub = termSubscription(h.pax8.data, c.customer, c.product, c.billingTerm);
    const view = await h.call('GET', `/api/views/agreement/${agreementId}`);
    expect(view.status, JSON.stringify(view.json)).toBe(200);
    const row = (view.json.rows as Row[]).find((r) => r.subscription.id === sub.id);
    expect([row?.money.backBill, row?.money.message]).toEqual([c.cents, c.message]);
    const plan = await h.call('POST', '/api/sync/plan', { subscriptionId: sub.id, agreementId });
    expect(plan.status, JSON.stringify(plan.json)).toBe(200);
    const total = (plan.json.additions as { quantity: number; unitPrice: string }[]).reduce(
      (n, w) => n + w.quantity * toCents(w.unitPrice, 'unitPrice'),
      0,
    );
    expect(total).toBe(c.cents);
  });
});
