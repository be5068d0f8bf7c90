// The demo shows the recurring alternative of spec §5: Gibson's annual Business Basic (10 seats, paid up front)
// is billed on 'Gibson Annual', an agreement ConnectWise invoices once a year (billing cycle Annual), as one
// recurring addition of 10 × $68.40 (12 × $5.70) with this product's marker. The pod calls it synced and the plan
// writes nothing; on 'Gibson Monthly' the same term would be a one-time period line. Sandbox clock 09/20/2020.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { now, termSubscription } from './demo-fixtures.ts';
import { createHarness, type Harness } from './sync-harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness({ now });
});
afterEach(() => h.close());

type Row = {
  subscription: { id: string };
  agreementId: number | null;
  status: string;
  money: { term: string; months: { month: string; will: number; should: number }[] };
};

describe('an annual term on an annual-cycle agreement (demo)', () => {
  it('Gibson Annual bills the year as a recurring addition: synced, nothing to write', async () => {
    const annual = h.agreementNamed('Gibson Annual');
    expect((annual.billingCycle as { name: string }).name).toBe('Annual');
    const sub = termSubscription(h.pax8.data, 'GibsonPottYork', 'm365bb', 'Annual');
    expect([sub.billingTerm, sub.quantity, sub.price]).toEqual(['Annual', 10, 68.4]);
    const lines = h
      .additionsOf(annual.id)
      .map((a) => [
        a.quantity,
        a.unitPrice,
        a.unitCost,
        a.invoiceDescription,
        a.effectiveDate,
        a.cancelledDate ?? null,
      ]);
    expect(lines).toEqual([
      [10, 68.4, 54.72, 'Pax8 - Microsoft 365 Business Basic', '2020-07-01T00:00:00Z', null],
    ]);

    const view = await h.call('GET', `/api/views/agreement/${annual.id}`);
    expect(view.status, JSON.stringify(view.json)).toBe(200);
    const row = (view.json.rows as Row[]).find((r) => r.subscription.id === sub.id);
    expect([row?.agreementId, row?.status, row?.money.term]).toEqual([
      annual.id,
      'synced',
      'Annual · renews 07/20/2021 · decrease window closed 07/27/2020 12:00',
    ]);
    // ConnectWise invoices the agreement once a year (next 10/01/2020): the year's $684.00 in October, then nothing.
    expect(row?.money.months).toEqual([
      { month: '2020-10', will: 68400, should: 68400 },
      { month: '2020-11', will: 0, should: 0 },
      { month: '2020-12', will: 0, should: 0 },
    ]);
    const plan = await h.call('POST', '/api/sync/plan', { subscriptionId: sub.id, agreementId: annual.id });
    expect(plan.status, JSON.stringify(plan.json)).toBe(200);
    expect(
      (plan.json.additions as { action: string; kind: string; quantity: number; unitPrice: string }[]).map(
        (w) => [w.action, w.kind, w.quantity, w.unitPrice],
      ),
    ).toEqual([['none', 'recurring', 10, '68.40']]);
  });
});
