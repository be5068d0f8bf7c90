// A period line billed up front (spec §5) that is not the period's: the plan proposes the fix instead of a dead end.
// Before the line is invoiced it is updated to the period's seats and price (a hand edit, or a decrease inside the
// 7-day window, which Microsoft accepts, so the customer pays for the lower count); once invoiced nothing is
// written and a warning gives the amount. Annual E3 from 03/14/2026, $300.00 a seat a year (cost $240.00).
import { describe, expect, it } from 'vitest';
import { type BillingSnapshot, type ExistingAddition, planAdditions } from '../../server/billing/index.ts';

const SHORT = 'Pax8 - Microsoft 365 E3 (NCE)';
const TEXT = `${SHORT} - Annual term 03/14/2026-03/13/2027`;

function snapshot(
  today: string,
  history: Array<[string, number]>,
  additions: ExistingAddition[],
): BillingSnapshot {
  const changes = history.map(([date, quantity]) => ({ date, quantity }));
  return {
    today,
    subscription: {
      id: 'sub-a',
      productId: 'prod-e3',
      productName: 'Microsoft 365 E3 (NCE)',
      billingTerm: 'Annual',
      quantity: changes.at(-1)?.quantity ?? 0,
      price: '300.00',
      partnerCost: '240.00',
      startDate: '2026-03-14',
      status: 'Active',
      history: changes,
    },
    agreement: { id: 7, name: 'Ace Monthly', status: 'Active' },
    product: { catalogId: 52, identifier: 'M365-E3-NCE', description: SHORT, taxable: false },
    additions,
    syncedChangeKeys: [],
  };
}

/** The period line as written on 04/01/2026 (invoiced once May is the first un-invoiced month). */
const written = (quantity: number, unitPrice = 300): ExistingAddition => ({
  id: 900,
  catalogId: 52,
  quantity,
  unitPrice,
  unitCost: 240,
  effectiveDate: '2026-04-01',
  cancelledDate: '2026-04-30',
  invoiceDescription: TEXT,
  billCustomer: 'Billable',
  taxable: false,
  marker: { subscriptionId: 'sub-a', kind: 'period', write: '0123456789abcdef' },
});

const plan = (s: BillingSnapshot) => {
  const p = planAdditions(s, {});
  return {
    writes: p.writes.map((w) => [
      w.action,
      w.kind,
      w.additionId ?? null,
      w.quantity,
      w.unitCost,
      w.unitPrice,
      w.effectiveDate,
      w.expected?.quantity ?? null,
    ]),
    warnings: p.warnings.filter((w) => w.code === 'period_line_invoiced').map((w) => [w.amount, w.message]),
  };
};

// biome-ignore format: one row per case, the figures written out
const rows: Array<{ name: string; s: BillingSnapshot; writes: unknown[]; warnings: unknown[] }> = [
  { name: 'hand edit to 4 seats, not invoiced: set back to 5 (5 × $300.00 = $1,500.00)',
    s: snapshot('2026-03-20', [['2026-03-14', 5]], [written(4)]),
    writes: [['update', 'period', 900, 5, '240.00', '300.00', '2026-04-01', 4]], warnings: [] },
  { name: 'hand edit of the price to $280.00, not invoiced: set back to $300.00',
    s: snapshot('2026-03-20', [['2026-03-14', 5]], [written(5, 280)]),
    writes: [['update', 'period', 900, 5, '240.00', '300.00', '2026-04-01', 5]], warnings: [] },
  { name: 'the line as the period owes it: nothing to do',
    s: snapshot('2026-03-20', [['2026-03-14', 5]], [written(5)]),
    writes: [], warnings: [] },
  { name: 'hand edit to 4 seats, invoiced: nothing written, $300.00 not billed',
    s: snapshot('2026-05-20', [['2026-03-14', 5]], [written(4)]),
    writes: [],
    warnings: [['300.00', `${TEXT} was invoiced as 4 × $300.00 = $1,200.00; the period owes 5 × $300.00 = $1,500.00. $300.00 not billed: nothing is written; add a one-time line by hand if you agree.`]] },
  { name: 'decrease 6 → 4 inside the window, before the line is written: the period bills 4 seats ($1,200.00)',
    s: snapshot('2026-03-20', [['2026-03-14', 6], ['2026-03-18', 4]], []),
    writes: [['create', 'period', null, 4, '240.00', '300.00', '2026-04-01', null]], warnings: [] },
  { name: 'decrease 6 → 4 inside the window, after the 6-seat line was written, not invoiced: set to 4',
    s: snapshot('2026-03-20', [['2026-03-14', 6], ['2026-03-18', 4]], [written(6)]),
    writes: [['update', 'period', 900, 4, '240.00', '300.00', '2026-04-01', 6]], warnings: [] },
  { name: 'decrease 6 → 4 inside the window, the 6-seat line invoiced: nothing written, $600.00 billed too much',
    s: snapshot('2026-05-20', [['2026-03-14', 6], ['2026-03-18', 4]], [written(6)]),
    writes: [],
    warnings: [['600.00', `${TEXT} was invoiced as 6 × $300.00 = $1,800.00; the period owes 4 × $300.00 = $1,200.00. The customer was billed $600.00 too much: nothing is written; credit it by hand if you agree.`]] },
  { name: 'decrease then increase inside the window (6 → 4 → 7): 4 seats for the period, 3 co-termed at 359 of 365 days',
    s: snapshot('2026-03-20', [['2026-03-14', 6], ['2026-03-16', 4], ['2026-03-19', 7]], [written(6)]),
    writes: [['update', 'period', 900, 4, '240.00', '300.00', '2026-04-01', 6], ['create', 'prorate', null, 3, '236.05', '295.07', '2026-04-01', null]], warnings: [] },
];

describe('a written period line that is not the period’s', () => {
  it.each(rows)('$name', ({ s, writes, warnings }) => {
    expect(plan(s)).toEqual({ writes, warnings });
  });
});
