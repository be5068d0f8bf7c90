// Terms other than monthly (spec §5): one line per billing period, co-termed prorates, renewals, the recurring
// alternative on a matching cycle, one-time terms, trials converted, cancellation in the window, named refusals.
import { describe, expect, it } from 'vitest';
import {
  type BillingSnapshot,
  type ExistingAddition,
  type PlanOptions,
  planAdditions,
} from '../../server/billing/index.ts';

const E3 = 'Microsoft 365 E3 (NCE)';
const SHORT = 'Pax8 - Microsoft 365 E3 (NCE)';

type O = {
  billingTerm?: string;
  today?: string;
  history?: Array<[string, number]>;
  price?: string;
  cost?: string;
  additions?: ExistingAddition[];
  synced?: string[];
  billingCycle?: string;
  status?: string;
  endDate?: string;
  convertedDate?: string;
  commitment?: { term: string; endDate: string };
  createdDate?: string;
  nextInvoiceDate?: string;
};

function snapshot(o: O = {}): BillingSnapshot {
  const history = (o.history ?? [['2026-03-14', 5]]).map(([date, quantity]) => ({ date, quantity }));
  return {
    today: o.today ?? '2026-03-20',
    subscription: {
      id: 'sub-a',
      productId: 'prod-e3',
      productName: E3,
      billingTerm: o.billingTerm ?? 'Annual',
      quantity: history.at(-1)?.quantity ?? 0,
      price: o.price ?? '300.00',
      partnerCost: o.cost ?? '240.00',
      startDate: history[0]?.date ?? '2026-03-14',
      ...(o.endDate ? { endDate: o.endDate } : {}),
      status: o.status ?? 'Active',
      ...(o.convertedDate ? { convertedDate: o.convertedDate } : {}),
      ...(o.commitment ? { commitment: o.commitment } : {}),
      ...(o.createdDate ? { createdDate: o.createdDate } : {}),
      history,
    },
    agreement: {
      id: 7,
      name: 'Ace Annual',
      status: 'Active',
      ...(o.billingCycle ? { billingCycle: o.billingCycle } : {}),
      ...(o.nextInvoiceDate ? { nextInvoiceDate: o.nextInvoiceDate } : {}),
    },
    product: { catalogId: 52, identifier: 'M365-E3-NCE', description: SHORT, taxable: false },
    additions: o.additions ?? [],
    syncedChangeKeys: o.synced ?? [],
  };
}

const periodLine = (id: number, start: string, end: string, quantity = 5): ExistingAddition => ({
  id,
  catalogId: 52,
  quantity,
  unitPrice: 300,
  unitCost: 240,
  effectiveDate: '2026-04-01',
  cancelledDate: '2026-04-30',
  invoiceDescription: `${SHORT} - Annual term ${start}-${end}`,
  billCustomer: 'Billable',
  taxable: false,
  marker: { subscriptionId: 'sub-a', kind: 'period', write: '0123456789abcdef' },
});

type Line = [
  kind: string,
  quantity: number,
  unitCost: string,
  unitPrice: string,
  effective: string,
  cancelled: string | null,
  description: string,
];
const lines = (s: BillingSnapshot, options: PlanOptions = {}): Line[] =>
  planAdditions(s, options).writes.map((w) => [
    w.kind,
    w.quantity,
    w.unitCost,
    w.unitPrice,
    w.effectiveDate,
    w.cancelledDate,
    w.invoiceDescription,
  ]);

type Row = { name: string; o: O; options?: PlanOptions; expected: Line[] };

// biome-ignore format: one row per case, the figures written out
const rows: Row[] = [
  { name: 'annual up front: one line for the year, in the first un-invoiced month', o: {},
    expected: [['period', 5, '240.00', '300.00', '2026-04-01', '2026-04-30', `${SHORT} - Annual term 03/14/2026-03/13/2027`]] },
  { name: 'the partner bills in advance: the line waits for the first un-invoiced month', o: { nextInvoiceDate: '2026-05-01' },
    expected: [['period', 5, '240.00', '300.00', '2026-05-01', '2026-05-31', `${SHORT} - Annual term 03/14/2026-03/13/2027`]] },
  { name: 'seats added mid-term are co-termed: 185 of 365 days', o: { today: '2026-09-20', history: [['2026-03-14', 5], ['2026-09-09', 7]], additions: [periodLine(900, '03/14/2026', '03/13/2027')] },
    expected: [['prorate', 2, '121.64', '152.05', '2026-10-01', '2026-10-31', `${SHORT} - Prorated for 09/10/2026-03/13/2027`]] },
  { name: 'count the change day: 186 of 365 days', o: { today: '2026-09-20', history: [['2026-03-14', 5], ['2026-09-09', 7]], additions: [periodLine(900, '03/14/2026', '03/13/2027')] }, options: { countChangeDay: true },
    expected: [['prorate', 2, '122.30', '152.88', '2026-10-01', '2026-10-31', `${SHORT} - Prorated for 09/09/2026-03/13/2027`]] },
  { name: 'a co-termed prorate already written is not proposed again', o: { today: '2026-09-20', history: [['2026-03-14', 5], ['2026-09-09', 7]], additions: [periodLine(900, '03/14/2026', '03/13/2027')], synced: ['2026-09-09#1'] },
    expected: [] },
  { name: 'leap year: the term holds 29 Feb 2028, 321 of 366 days', o: { today: '2028-03-02', history: [['2028-01-15', 1], ['2028-02-28', 2]], price: '366.00', cost: '292.80' },
    expected: [
      ['period', 1, '292.80', '366.00', '2028-04-01', '2028-04-30', `${SHORT} - Annual term 01/15/2028-01/14/2029`],
      ['prorate', 1, '256.80', '321.00', '2028-04-01', '2028-04-30', `${SHORT} - Prorated for 02/29/2028-01/14/2029`],
    ] },
  { name: 'the year before, no leap day: 320 of 365 days', o: { today: '2027-03-02', history: [['2027-01-15', 1], ['2027-02-28', 2]], price: '365.00', cost: '292.00' },
    expected: [
      ['period', 1, '292.00', '365.00', '2027-04-01', '2027-04-30', `${SHORT} - Annual term 01/15/2027-01/14/2028`],
      ['prorate', 1, '256.00', '320.00', '2027-04-01', '2027-04-30', `${SHORT} - Prorated for 03/01/2027-01/14/2028`],
    ] },
  { name: 'renewal (commitment end + 1 day) starts a new period line, at the seats on that day', o: { today: '2026-03-20', history: [['2025-03-14', 4], ['2025-11-02', 5]], additions: [periodLine(900, '03/14/2025', '03/13/2026', 4)], synced: ['2025-11-02#1'] },
    expected: [['period', 5, '240.00', '300.00', '2026-04-01', '2026-04-30', `${SHORT} - Annual term 03/14/2026-03/13/2027`]] },
  { name: 'nothing billed twice for one period', o: { today: '2026-03-20', history: [['2025-03-14', 4], ['2025-11-02', 5]], additions: [periodLine(900, '03/14/2025', '03/13/2026', 4), periodLine(901, '03/14/2026', '03/13/2027')], synced: ['2025-11-02#1'] },
    expected: [] },
  { name: '3-year up front', o: { billingTerm: '3-Year', today: '2026-02-03', history: [['2026-01-31', 2]], price: '900.00', cost: '720.00' },
    expected: [['period', 2, '720.00', '900.00', '2026-03-01', '2026-03-31', `${SHORT} - 3-Year term 01/31/2026-01/30/2029`]] },
  { name: '2-year up front', o: { billingTerm: '2-Year', today: '2026-02-03', history: [['2026-01-31', 2]], price: '600.00', cost: '480.00' },
    expected: [['period', 2, '480.00', '600.00', '2026-03-01', '2026-03-31', `${SHORT} - 2-Year term 01/31/2026-01/30/2028`]] },
  { name: 'on an agreement invoiced annually: a recurring addition instead', o: { billingCycle: 'Annual' },
    expected: [['recurring', 5, '240.00', '300.00', '2026-04-01', null, SHORT]] },
  { name: 'a custom invoice text is the stem of the period line', o: {}, options: { description: { kind: 'custom', text: 'Office E3 yearly' } },
    expected: [['period', 5, '240.00', '300.00', '2026-04-01', '2026-04-30', 'Office E3 yearly - Annual term 03/14/2026-03/13/2027']] },
  { name: 'a monthly line of the product written by hand is not the annual term\'s to update', o: { additions: [{ ...periodLine(903, '03/14/2026', '03/13/2027'), quantity: 5, unitPrice: 25, unitCost: 20, effectiveDate: '2025-01-01', cancelledDate: null, invoiceDescription: 'E3 monthly', marker: null }] },
    expected: [['period', 5, '240.00', '300.00', '2026-04-01', '2026-04-30', `${SHORT} - Annual term 03/14/2026-03/13/2027`]] },
  { name: 'one-time: one line, once', o: { billingTerm: 'One-Time', history: [['2026-03-14', 1]], price: '150.00', cost: '100.00' },
    expected: [['period', 1, '100.00', '150.00', '2026-04-01', '2026-04-30', `${SHORT} - One-Time 03/14/2026`]] },
  { name: 'one-time already billed: nothing', o: { billingTerm: 'Activation', history: [['2026-03-14', 1]], additions: [periodLine(902, '03/14/2026', '03/14/2026', 1)] },
    expected: [] },
  { name: 'cancelled inside the 7-day window: nothing is owed', o: { status: 'Cancelled', endDate: '2026-03-18' },
    expected: [] },
  { name: 'cancelled after the window: the year stays billed', o: { status: 'Cancelled', endDate: '2026-03-25', today: '2026-03-26' },
    expected: [['period', 5, '240.00', '300.00', '2026-04-01', '2026-04-30', `${SHORT} - Annual term 03/14/2026-03/13/2027`]] },
  { name: 'a trial converted to annual is billed from its conversion', o: { today: '2026-04-12', history: [['2026-03-11', 3]], convertedDate: '2026-04-10' },
    expected: [['period', 3, '240.00', '300.00', '2026-05-01', '2026-05-31', `${SHORT} - Annual term 04/10/2026-04/09/2027`]] },
];

describe('planAdditions: terms billed up front or once (spec §5)', () => {
  it.each(rows)('$name', ({ o, options, expected }) => {
    expect(lines(snapshot(o), options)).toEqual(expected);
  });

  it('names the period in the write and speaks the term in the plan and review', () => {
    const plan = planAdditions(snapshot({ createdDate: '2026-03-14T14:00:00Z' }));
    expect(plan.termLabel).toBe('Annual · renews 03/14/2027 · decrease window closes 03/21/2026 14:00');
    expect(plan.writes[0]).toMatchObject({
      key: 'period:sub-a:7:2026-03-14',
      period: { start: '2026-03-14', end: '2027-03-13' },
    });
    expect(plan.review[0]?.term).toEqual({
      pax8: 'Annual · renews 03/14/2027 · decrease window closes 03/21/2026 14:00',
      connectWise: 'One-Time',
    });
    expect(plan.review[0]?.price.connectWise).toBe('$1,500.00 ($300.00 × 5 units)');
    // Pax8 bills the partner the term once per period: its side shows that charge, not $0.00 (QA, issue 10).
    expect(plan.review[0]?.price.pax8).toBe('$1,500.00');
    expect(plan.review[0]?.cost.pax8).toBe('$1,200.00');
    // One word for the line: the review says "period addition", as the result after Confirm ("Created period
    // addition #…") and the history's "period #…" do (it said "term addition").
    expect(plan.review[0]?.title).toBe(
      `Creating new ConnectWise addition: period addition for ${SHORT} - Annual term 03/14/2026-03/13/2027`,
    );
  });

  it('a cancelled term says when it ends, not when it would renew', () => {
    const plan = planAdditions(
      snapshot({ createdDate: '2026-03-14T14:00:00Z', status: 'Cancelled', endDate: '2026-03-18' }),
    );
    expect(plan.termLabel).toBe('Annual · ends 03/18/2026');
  });

  it('an annual commitment paid monthly is the monthly flow, with the commitment and window shown', () => {
    const plan = planAdditions(
      snapshot({
        billingTerm: 'Monthly',
        price: '36.00',
        cost: '28.80',
        commitment: { term: 'Annual', endDate: '2027-03-13' },
        createdDate: '2026-03-14T14:00:00Z',
      }),
    );
    expect(plan.termLabel).toBe(
      'Annual, billed monthly · renews 03/14/2027 · decrease window closes 03/21/2026 14:00',
    );
    expect(
      plan.writes.map((w) => [w.kind, w.quantity, w.unitPrice, w.effectiveDate, w.cancelledDate]),
    ).toEqual([
      ['recurring', 5, '36.00', '2026-04-01', null],
      ['prorate', 5, '19.74', '2026-04-01', '2026-04-30'],
    ]);
  });

  it.each([
    ['Quarterly', 'term_unknown'],
    ['Arrears', 'usage_in_arrears'],
  ])('%s: a named refusal that says why, nothing written', (billingTerm, code) => {
    const plan = planAdditions(snapshot({ billingTerm }));
    expect(plan.writes).toEqual([]);
    expect(plan.warnings.map((w) => w.code)).toEqual([code]);
    expect(plan.warnings[0]?.message).toMatch(/nothing will be written|never as a recurring addition/);
  });

  it('a trial is billed nothing while it is a trial', () => {
    const plan = planAdditions(snapshot({ status: 'Trial', billingTerm: 'Trial' }));
    expect(plan.writes).toEqual([]);
    expect(plan.warnings.map((w) => w.code)).toEqual(['trial']);
  });
});
