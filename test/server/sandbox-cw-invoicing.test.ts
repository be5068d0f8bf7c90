// The emulated CW's agreement invoicing rules (server/sandbox/cw/invoicing.ts), as a table.
import { describe, expect, it } from 'vitest';
import {
  addMonthsOnAnchor,
  type BillableAddition,
  billingPeriod,
  billsInPeriod,
  cycleMonthsOf,
  invoiceFor,
  invoicesThrough,
  money,
} from '../../server/sandbox/cw/invoicing.ts';

const add = (over: Partial<BillableAddition>): BillableAddition => ({
  id: 1,
  description: 'Microsoft 365 E3',
  quantity: 2,
  unitPrice: 25,
  billCustomer: 'Billable',
  effectiveDate: '2026-01-01',
  cancelledDate: null,
  ...over,
});

const december = { start: '2026-12-01', end: '2026-12-31' };

describe('which additions an invoice bills', () => {
  it.each([
    ['recurring, effective before the period', add({ effectiveDate: '2026-03-01' }), true],
    ['recurring, effective on the period start', add({ effectiveDate: '2026-12-01' }), true],
    ['recurring, starting later inside the period', add({ effectiveDate: '2026-12-09' }), false],
    ['recurring, starting after the period', add({ effectiveDate: '2027-01-01' }), false],
    ['recurring, cancelled before the period', add({ cancelledDate: '2026-11-30' }), false],
    [
      'recurring, cancelled on the period start (still active that day)',
      add({ cancelledDate: '2026-12-01' }),
      true,
    ],
    ['recurring, cancelled later', add({ cancelledDate: '2027-03-31' }), true],
    ['recurring, no effective date', add({ effectiveDate: null }), false],
    [
      'one-time, effective and cancelled inside the period',
      add({ effectiveDate: '2026-12-01', cancelledDate: '2026-12-31' }),
      true,
    ],
    ['one-time, mid-period', add({ effectiveDate: '2026-12-10', cancelledDate: '2026-12-20' }), true],
    [
      'one-time, in the previous period',
      add({ effectiveDate: '2026-11-01', cancelledDate: '2026-11-30' }),
      false,
    ],
    [
      'one-time, in the next period',
      add({ effectiveDate: '2027-01-01', cancelledDate: '2027-01-31' }),
      false,
    ],
  ])('%s → %s', (_name, addition, bills) => {
    expect(billsInPeriod(addition, december)).toBe(bills);
  });

  it('bills quantity × unit price for Billable lines and 0.00 for DoNotBill and NoCharge, with the invoice text', () => {
    const invoice = invoiceFor('2026-12-01', december, [
      add({ id: 3, quantity: 2, unitPrice: 25, description: 'E3' }),
      add({ id: 4, quantity: 1, unitPrice: 17.5, effectiveDate: '2026-12-01', cancelledDate: '2026-12-31' }),
      add({ id: 5, quantity: 3, unitPrice: 10, billCustomer: 'DoNotBill' }),
      add({ id: 6, quantity: 1, unitPrice: 9.99, billCustomer: 'NoCharge' }),
      add({ id: 7, quantity: 1, unitPrice: 40, effectiveDate: '2026-12-15' }),
    ]);
    expect(invoice).toEqual({
      date: '2026-12-01',
      periodStart: '2026-12-01',
      periodEnd: '2026-12-31',
      lines: [
        { additionId: 3, description: 'E3', quantity: 2, unitPrice: '25.00', amount: '50.00' },
        { additionId: 4, description: 'Microsoft 365 E3', quantity: 1, unitPrice: '17.50', amount: '17.50' },
        { additionId: 5, description: 'Microsoft 365 E3', quantity: 3, unitPrice: '10.00', amount: '0.00' },
        { additionId: 6, description: 'Microsoft 365 E3', quantity: 1, unitPrice: '9.99', amount: '0.00' },
      ],
      total: '67.50',
    });
  });

  it('rounds each line half-up to the cent', () => {
    const invoice = invoiceFor('2026-12-01', december, [add({ quantity: 3, unitPrice: 0.335 })]);
    expect(invoice.lines[0]?.amount).toBe('1.01');
    expect([money(0), money(5), money(123456), money(-250)]).toEqual(['0.00', '0.05', '1234.56', '-2.50']);
  });
});

describe('billing periods and the next invoice date', () => {
  it.each([
    ['2026-12-01', 1, 1, '2027-01-01'],
    ['2027-01-31', 1, 31, '2027-02-28'],
    ['2027-02-28', 1, 31, '2027-03-31'],
    ['2028-01-31', 1, 31, '2028-02-29'],
    ['2028-02-29', 12, 29, '2029-02-28'],
    ['2027-11-15', 3, 15, '2028-02-15'],
    ['2027-12-01', 1, 1, '2028-01-01'],
  ])('%s + %i month(s) on day %i → %s', (from, months, anchor, to) => {
    expect(addMonthsOnAnchor(from, months, anchor)).toBe(to);
  });

  it.each([
    ['2026-12-01', 1, 1, '2026-12-31'],
    ['2028-02-01', 1, 1, '2028-02-29'],
    ['2027-02-01', 1, 1, '2027-02-28'],
    ['2027-01-31', 1, 31, '2027-02-27'],
    ['2026-12-01', 12, 1, '2027-11-30'],
    ['2026-12-01', 3, 1, '2027-02-28'],
  ])('the period invoiced on %s (cycle %i, day %i) ends %s', (date, months, anchor, end) => {
    expect(billingPeriod(date, months, anchor)).toEqual({ start: date, end });
  });

  it('knows CW billing cycle names', () => {
    expect(
      ['Monthly', 'Quarterly', 'Annual', 'Semi-Annual', 'Bi-Monthly', undefined].map(cycleMonthsOf),
    ).toEqual([1, 3, 12, 6, 2, 1]);
  });

  it('runs every invoice date passed in one move, each on its own period, and none not yet due', () => {
    const additions = [
      add({ id: 1, quantity: 2, unitPrice: 25, effectiveDate: '2026-11-01' }),
      add({ id: 2, quantity: 1, unitPrice: 7, effectiveDate: '2027-01-01', cancelledDate: '2027-01-31' }),
    ];
    const run = invoicesThrough(
      { nextInvoiceDate: '2026-12-01', cycleMonths: 1, anchorDay: 1 },
      additions,
      '2027-01-15',
    );
    expect(run.nextInvoiceDate).toBe('2027-02-01');
    expect(run.invoices.map((i) => [i.date, i.periodEnd, i.lines.map((l) => l.additionId), i.total])).toEqual(
      [
        ['2026-12-01', '2026-12-31', [1], '50.00'],
        ['2027-01-01', '2027-01-31', [1, 2], '57.00'],
      ],
    );
    const none = invoicesThrough(
      { nextInvoiceDate: '2026-12-01', cycleMonths: 1, anchorDay: 1 },
      additions,
      '2026-11-30',
    );
    expect(none).toEqual({ invoices: [], nextInvoiceDate: '2026-12-01' });
  });

  it('keeps the 31st across February when several months pass at once', () => {
    const run = invoicesThrough(
      { nextInvoiceDate: '2028-01-31', cycleMonths: 1, anchorDay: 31 },
      [add({ effectiveDate: '2027-06-01' })],
      '2028-04-29',
    );
    expect(run.invoices.map((i) => [i.date, i.periodEnd])).toEqual([
      ['2028-01-31', '2028-02-28'],
      ['2028-02-29', '2028-03-30'],
      ['2028-03-31', '2028-04-29'],
    ]);
    expect(run.nextInvoiceDate).toBe('2028-04-30');
  });
});
