// "Synced" for terms billed up front or once (spec §5, §8): the judgement checks each billing period's line, the
// co-termed prorates and the one-time line against ConnectWise's lines, with the money per month. The annual E3 at
// 300.00 per seat per year, 5 seats from 03/14/2026, judged on 09/20/2026: October is the first un-invoiced month.
import { describe, expect, it } from 'vitest';
import { judge } from '../../server/judgement/index.ts';
import type { JudgeAddition, JudgeInput, JudgeSubscription } from '../../server/judgement/types.ts';

const SHORT = 'Pax8 - Microsoft 365 E3 (NCE)';
const annual: JudgeSubscription = {
  id: 'sub-a',
  productId: 'p-e3',
  productName: 'Microsoft 365 E3 (NCE)',
  billingTerm: 'Annual',
  status: 'Active',
  quantity: 7,
  price: 300,
  partnerCost: 240,
  startDate: '2026-03-14',
  endDate: null,
  updatedDate: '2026-09-09T10:00:00.000Z',
  createdDate: '2026-03-14T14:00:00.000Z',
  history: [
    { date: '2026-03-14', quantity: 5 },
    { date: '2026-09-09', quantity: 7 },
  ],
};
const binding = { pax8ProductId: 'p-e3', billingTerm: 'Annual', cwCatalogId: 52, price: null };
const line = (over: Partial<JudgeAddition>): JudgeAddition => ({
  id: 1,
  agreementId: 10,
  catalogId: 52,
  quantity: 5,
  unitPrice: 300,
  unitCost: 240,
  effectiveDate: '2026-04-01',
  cancelledDate: '2026-04-30',
  marker: { subscriptionId: 'sub-a', kind: 'period' },
  invoiceDescription: `${SHORT} - Annual term 03/14/2026-03/13/2027`,
  ...over,
});
const year = line({});
/** 2 seats on 09/09/2026: 185 of 365 days → 152.05 a seat. */
const prorate = line({
  id: 2,
  quantity: 2,
  unitPrice: 152.05,
  unitCost: 121.64,
  effectiveDate: '2026-10-01',
  cancelledDate: '2026-10-31',
  marker: { subscriptionId: 'sub-a', kind: 'prorate' },
  invoiceDescription: `${SHORT} - Prorated for 09/10/2026-03/13/2027`,
});
const agreement = { id: 10, status: 'Active', nextInvoiceDate: '2026-10-01' };
const input = (over: Partial<JudgeInput> & { sub?: Partial<JudgeSubscription> } = {}): JudgeInput => ({
  today: '2026-09-20',
  subscriptions: [{ ...annual, ...over.sub }],
  agreements: [agreement],
  additions: [year, prorate],
  productBindings: [binding],
  ...over,
});

type Row = {
  name: string;
  input: JudgeInput;
  status: string;
  months: [string, number, number][];
  backBill: number;
  term: string;
  message: string;
};

const LABEL = 'Annual · renews 03/14/2027 · decrease window closed 03/21/2026 14:00';

// biome-ignore format: one row per case, [month, will, should] in cents
const rows: Row[] = [
  { name: 'the year and the co-termed prorate written: synced', input: input(), status: 'synced',
    months: [['2026-10', 30410, 30410], ['2026-11', 0, 0], ['2026-12', 0, 0]], backBill: 0,
    term: LABEL, message: `ConnectWise bills it as it should (Annual term 03/14/2026-03/13/2027 billed).` },
  { name: 'the prorate not written: owed in October', input: input({ additions: [year] }), status: 'prorate_pending',
    months: [['2026-10', 0, 30410], ['2026-11', 0, 0], ['2026-12', 0, 0]], backBill: 30410,
    term: LABEL, message: `$304.10 not billed (Prorated for 09/10/2026-03/13/2027).` },
  { name: 'nothing written: never billed, the year and the prorate owed', input: input({ additions: [] }), status: 'not_on_agreement',
    months: [['2026-10', 0, 180410], ['2026-11', 0, 0], ['2026-12', 0, 0]], backBill: 180410,
    term: LABEL, message: `$1,804.10 not billed (Annual term 03/14/2026-03/13/2027, Prorated for 09/10/2026-03/13/2027).` },
  { name: 'a second line for the same year: billed too much', input: input({ additions: [year, prorate, line({ id: 3, effectiveDate: '2026-10-01', cancelledDate: '2026-10-31' })] }), status: 'duplicate',
    months: [['2026-10', 180410, 30410], ['2026-11', 0, 0], ['2026-12', 0, 0]], backBill: 0,
    term: LABEL, message: `ConnectWise will bill $1,500.00 too much.` },
  { name: 'a monthly recurring line for an annual term bills every month too much', input: input({ additions: [year, prorate, line({ id: 4, quantity: 7, unitPrice: 25, unitCost: 20, cancelledDate: null, marker: { subscriptionId: 'sub-a', kind: 'recurring' }, invoiceDescription: SHORT })] }), status: 'duplicate',
    months: [['2026-10', 47910, 30410], ['2026-11', 17500, 0], ['2026-12', 17500, 0]], backBill: 0,
    term: LABEL, message: `ConnectWise will bill $525.00 too much.` },
  { name: 'renewal: the new year is owed from the renewal day on', input: input({ today: '2027-03-20', agreements: [{ ...agreement, nextInvoiceDate: '2027-04-01' }] }), status: 'prorate_pending',
    months: [['2027-04', 0, 210000], ['2027-05', 0, 0], ['2027-06', 0, 0]], backBill: 210000,
    term: 'Annual · renews 03/14/2028 · decrease window closes 03/21/2027 00:00', message: '$2,100.00 not billed (Annual term 03/14/2027-03/13/2028).' },
  { name: 'on an annual-cycle agreement the recurring line is the term', input: input({ agreements: [{ ...agreement, billingCycle: 'Annual' }], additions: [prorate, line({ id: 5, quantity: 7, cancelledDate: null, marker: { subscriptionId: 'sub-a', kind: 'recurring' }, invoiceDescription: SHORT })] }), status: 'synced',
    months: [['2026-10', 240410, 240410], ['2026-11', 0, 0], ['2026-12', 0, 0]], backBill: 0, // invoiced once a year, from 10/01/2026
    term: LABEL, message: `ConnectWise bills it as it should.` },
];

describe('judge: terms billed up front (spec §5, §8)', () => {
  it.each(rows)('$name', (row) => {
    const [v] = judge(row.input).verdicts;
    expect(v?.status).toBe(row.status);
    expect(v?.months.map((m) => [m.month, m.will, m.should])).toEqual(row.months);
    expect(v?.backBill).toBe(row.backBill);
    expect(v?.message).toBe(row.message);
    expect(v?.term).toBe(row.term);
  });

  it('a one-time term: one line once', () => {
    const once = {
      ...annual,
      billingTerm: 'One-Time',
      quantity: 1,
      history: [{ date: '2026-09-14', quantity: 1 }],
    };
    const bindingOnce = { ...binding, billingTerm: 'One-Time' };
    const none = judge({ ...input(), subscriptions: [once], additions: [], productBindings: [bindingOnce] });
    expect(none.verdicts[0]?.status).toBe('not_on_agreement');
    expect(none.verdicts[0]?.months[0]).toEqual({ month: '2026-10', will: 0, should: 30000 });
    const written = line({
      quantity: 1,
      effectiveDate: '2026-10-01',
      cancelledDate: '2026-10-31',
      invoiceDescription: `${SHORT} - One-Time 09/14/2026`,
    });
    const done = judge({
      ...input(),
      subscriptions: [once],
      additions: [written],
      productBindings: [bindingOnce],
    });
    expect(done.verdicts[0]?.status).toBe('synced');
    expect(done.verdicts[0]?.months[0]).toEqual({ month: '2026-10', will: 30000, should: 30000 });
  });

  it('cancelled in the window: nothing owed, and a line written for that year is billed too much', () => {
    const cancelled = {
      sub: {
        status: 'Cancelled',
        endDate: '2026-03-18',
        quantity: 5,
        history: [{ date: '2026-03-14', quantity: 5 }],
      },
      today: '2026-03-19',
      agreements: [{ ...agreement, nextInvoiceDate: '2026-04-01' }],
    };
    expect(judge(input({ ...cancelled, additions: [] })).verdicts[0]?.status).toBe('synced');
    const billed = judge(input({ ...cancelled, additions: [year] })).verdicts[0];
    expect(billed?.status).toBe('cancelled_billing');
    expect(billed?.fixAdditionIds).toEqual([1]);
    expect(billed?.months[0]).toEqual({ month: '2026-04', will: 150000, should: 0 });
  });

  it('an annual commitment paid monthly is judged monthly, its words lead with the term', () => {
    const monthly: JudgeSubscription = {
      ...annual,
      billingTerm: 'Monthly',
      quantity: 5,
      price: 36,
      partnerCost: 28.8,
      commitment: { term: 'Annual', endDate: '2027-03-13' },
      history: undefined,
    };
    const rec = line({
      quantity: 5,
      unitPrice: 36,
      unitCost: 28.8,
      cancelledDate: null,
      marker: { subscriptionId: 'sub-a', kind: 'recurring' },
      invoiceDescription: SHORT,
    });
    const [v] = judge({
      ...input(),
      subscriptions: [monthly],
      additions: [rec],
      productBindings: [{ ...binding, billingTerm: 'Monthly' }],
    }).verdicts;
    expect(v?.status).toBe('synced');
    expect([v?.term, v?.message]).toEqual([
      'Annual, billed monthly · renews 03/14/2027 · decrease window closed 03/21/2026 14:00',
      'ConnectWise will bill $180.00/mo, as it should.',
    ]);
  });
});

describe('without history (the audit) a period owed is an estimate, and says so', () => {
  it("5 seats today: $1,500.00 at today's seats, worded as an estimate; with history the same figure is not", () => {
    const withoutHistory = judge({ ...input({ sub: { quantity: 5, history: undefined } }), additions: [] });
    expect(withoutHistory.verdicts[0]?.message).toBe(
      "$1,500.00 not billed (Annual term 03/14/2026-03/13/2027). Estimate at today's 5 seats: the sync values each period at the seats of its first day plus co-termed prorates.",
    );
    const withHistory = judge({
      ...input({ sub: { quantity: 5, history: [{ date: '2026-03-14', quantity: 5 }] } }),
      additions: [],
    });
    expect(withHistory.verdicts[0]?.message).toBe(
      '$1,500.00 not billed (Annual term 03/14/2026-03/13/2027).',
    );
  });
});

describe('an invoiced period line that is not the period’s: the amount, and no Sync (a sync writes nothing there)', () => {
  it('invoiced as 4 seats where the period owes 5: $300.00 not billed, fix none', () => {
    const [v] = judge(input({ additions: [line({ quantity: 4 }), prorate] })).verdicts;
    expect([v?.status, v?.fix, v?.message]).toEqual([
      'quantity_differs',
      'none',
      'Annual term 03/14/2026-03/13/2027 was invoiced as 4 × $300.00 = $1,200.00; the period owes 5 × $300.00 = $1,500.00. $300.00 not billed: a sync writes nothing for an invoiced line; bill it by hand if you agree.',
    ]);
  });

  it('invoiced at $320.00 a seat where the period owes $300.00: $100.00 too much, fix none', () => {
    const [v] = judge(input({ additions: [line({ unitPrice: 320 }), prorate] })).verdicts;
    expect([v?.status, v?.fix, v?.message]).toEqual([
      'price_differs',
      'none',
      'Annual term 03/14/2026-03/13/2027 was invoiced as 5 × $320.00 = $1,600.00; the period owes 5 × $300.00 = $1,500.00. The customer was billed $100.00 too much: a sync writes nothing for an invoiced line; credit it by hand if you agree.',
    ]);
  });

  it('the line as the period owes it: synced', () => {
    expect(judge(input()).verdicts[0]?.status).toBe('synced');
  });
});
