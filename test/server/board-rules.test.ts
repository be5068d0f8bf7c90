// The board's pure rules, one row per case: CSV cells (quoting, formula injection), the totals in words,
// Pax8's cost from invoice and draft items (an invoice wins; a refresh replaces only drafts), the margin floor.
import { describe, expect, it } from 'vitest';
import { dollars } from '../../server/billing/money.ts';
import { boardRows, chargeOf, flagFloor, statementOf, totalsOf } from '../../server/board/compute.ts';
import { type CostItem, indexCosts, replaceDrafts } from '../../server/board/cost.ts';
import { textCell } from '../../server/board/csv.ts';
import { leakageOf } from '../../server/board/leakage.ts';
import type { BoardRow } from '../../server/board/types.ts';

describe('CSV text cells', () => {
  it.each([
    ['Ace Chemical', 'Ace Chemical'],
    ['Gibson, Pott, and York LLC', '"Gibson, Pott, and York LLC"'],
    ['O\'Brien "IT" Partners', '"O\'Brien ""IT"" Partners"'],
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['+1 555 0100', "'+1 555 0100"],
    ['-2+3', "'-2+3"],
    ['@cmd', "'@cmd"],
    ['\tTabbed', "'\tTabbed"],
    ['=HYPERLINK("http://x","y")', '"\'=HYPERLINK(""http://x"",""y"")"'],
    ['two\nlines', '"two\nlines"'],
    [' padded', '" padded"'],
    ['', ''],
  ])('%j → %j', (value, cell) => {
    expect(textCell(value)).toBe(cell);
  });
});

describe('money in words', () => {
  it.each([
    [128450, 31000, 0, '$1,284.50 a month not billed, $310.00 billed twice'],
    [0, 0, 0, '$0.00 a month not billed, $0.00 billed twice'],
    [
      5,
      100000000,
      137400,
      '$0.05 a month not billed, $1,000,000.00 billed twice, $1,374.00 billed above what it should',
    ],
  ])('%i / %i / %i cents → %s', (notBilled, twice, over, words) => {
    expect(statementOf({ notBilled, twice, over })).toBe(words);
  });
  it.each([
    [
      { notBilled: 128450, twice: 31000, over: 0 },
      { notBilled: 338478, twice: 0, over: 0 },
      '$1,284.50 a month not billed, $310.00 billed twice; $3,384.78 of up-front charges not billed',
    ],
    [
      { notBilled: 0, twice: 0, over: 0 },
      { notBilled: 0, twice: 82080, over: 15000 },
      '$0.00 a month not billed, $0.00 billed twice; $820.80 of up-front charges billed twice, ' +
        '$150.00 of up-front charges billed above what they should',
    ],
    [
      { notBilled: 5000, twice: 0, over: 1200 },
      { notBilled: 0, twice: 0, over: 0 },
      '$50.00 a month not billed, $0.00 billed twice, $12.00 billed above what it should',
    ],
  ])('a month %j, up front %j → %s', (monthly, upFront, words) => {
    expect(statementOf(monthly, upFront)).toBe(words);
  });
  it.each([
    [0, '$0.00'],
    [99, '$0.99'],
    [123456789, '$1,234,567.89'],
    [-306464, '-$3,064.64'],
  ])('dollars(%i) = %s', (cents, text) => {
    expect(dollars(cents)).toBe(text);
  });
});

describe("what a row's money is", () => {
  it.each([
    ['Monthly', 'Active', 'month', 'a month'],
    ['Annual', 'Active', 'period', 'per year, up front'],
    ['2-Year', 'Active', 'period', 'per 2 years, up front'],
    ['3-Year', 'Active', 'period', 'per 3 years, up front'],
    ['One-Time', 'Active', 'once', 'once'],
    ['Activation', 'Active', 'once', 'once'],
    // A trial is judged per month whatever its term (judge.ts); usage is billed monthly in arrears.
    ['Annual', 'Trial', 'month', 'a month'],
    ['Usage', 'Active', 'month', 'a month'],
  ])('%s (%s) → %s, "%s"', (term, status, charge, chargeWords) => {
    expect(chargeOf(term, status)).toEqual({ charge, chargeWords });
  });
});

describe('totals: the money a month and the charges up front apart', () => {
  const row = (over: Partial<BoardRow>): BoardRow =>
    ({
      charge: 'month',
      status: 'never_synced',
      ignored: false,
      belowMarginFloor: false,
      leakSeats: 0,
      leakCents: 0,
      ...over,
    }) as BoardRow;
  it('sums a monthly row into the month and a 3-year row into the up-front charges, words for each', () => {
    const rows = [
      // 50 seats at $25.69 a month, none billed: all leak at $20.00 of cost each.
      row({
        willCents: 0,
        shouldCents: 128450,
        differenceCents: 128450,
        costCents: 100000,
        marginCents: -100000,
        leakSeats: 50,
        leakCents: 100000,
      }),
      // The same Dropsuite seats billed on two agreements.
      row({
        status: 'duplicate',
        willCents: 62000,
        shouldCents: 31000,
        differenceCents: -31000,
        costCents: 20000,
        marginCents: 42000,
      }),
      // A 3-year term of 3 seats at $1,128.26 owed in the headline month; its leakage is not judged per month.
      row({
        charge: 'period',
        willCents: 0,
        shouldCents: 338478,
        differenceCents: 338478,
        costCents: 270780,
        marginCents: -270780,
        leakSeats: null,
        leakCents: null,
      }),
      // Ignored: in neither sum.
      row({ charge: 'once', ignored: true, shouldCents: 9900, differenceCents: 9900, costCents: 5000 }),
    ];
    expect(totalsOf(rows)).toEqual({
      rows: 4,
      outOfStep: 3,
      notBilledCents: 128450,
      billedTwiceCents: 31000,
      overBilledCents: 0,
      costCents: 120000,
      willCents: 62000,
      marginCents: -58000,
      leakSeats: 50,
      leakCents: 100000,
      upFront: {
        rows: 1,
        notBilledCents: 338478,
        billedTwiceCents: 0,
        overBilledCents: 0,
        costCents: 270780,
        willCents: 0,
        marginCents: -270780,
      },
      belowMarginFloor: 0,
      statement:
        '$1,284.50 a month not billed, $310.00 billed twice; $3,384.78 of up-front charges not billed',
    });
  });
});

describe('rows charged up front or once: cost, leakage and the leakage table', () => {
  const sub = (id: string, billingTerm: string, quantity: number, price: number, partnerCost: number) => ({
    id,
    companyId: 'p1',
    productId: `prod-${id}`,
    productName: id,
    quantity,
    billingTerm,
    status: 'Active',
    price,
    partnerCost,
    endDate: null,
    updatedDate: null,
  });
  const judged = (months: [string, number, number][]) => ({
    reason: 'never_synced' as const,
    agreementId: 7,
    money: {
      firstUninvoicedMonth: months[0]?.[0] ?? '2020-10',
      months: months.map(([month, will, should]) => ({ month, will, should })),
      backBill: 0,
      olderShortfall: 0,
      message: '',
    },
  });
  const rows = boardRows({
    subscriptions: [
      sub('seats', 'Monthly', 3, 10, 8),
      sub('setup', 'Activation', 1, 150, 100),
      sub('year', 'Annual', 2, 120, 96),
    ],
    pax8Companies: [{ id: 'p1', name: 'Ace' }],
    companyBindings: [{ cwCompanyId: 250, pax8CompanyId: 'p1' }],
    productBindings: ['seats', 'setup', 'year'].map((id) => ({
      pax8ProductId: `prod-${id}`,
      billingTerm: id === 'seats' ? 'Monthly' : id === 'setup' ? 'Activation' : 'Annual',
      price: null,
    })),
    journal: new Map(),
    ignored: new Set(),
    judged: new Map([
      // 1 of 3 seats billed in October and November.
      [
        'seats',
        judged([
          ['2020-10', 1000, 3000],
          ['2020-11', 1000, 3000],
        ]),
      ],
      // The activation's $150.00 owed in October; nothing after.
      [
        'setup',
        judged([
          ['2020-10', 0, 15000],
          ['2020-11', 0, 0],
        ]),
      ],
      // The year's 2 × $120.00 owed in October; Pax8 invoices its $192.00 in November.
      [
        'year',
        judged([
          ['2020-10', 0, 24000],
          ['2020-11', 0, 0],
        ]),
      ],
    ]),
    priceOverrides: new Map(),
    costs: new Map([
      ['year', new Map([['2020-11', { cents: 19200, seats: 2, source: 'invoice' as const }]])],
    ]),
    marginFloorPercent: 50,
    now: new Date('2020-09-20T12:00:00Z'),
  });
  const byId = new Map(rows.map((r) => [r.subscriptionId, r]));
  const monthsOf = (id: string) =>
    byId.get(id)?.months.map((m) => [m.month, m.costCents, m.leakSeats, m.leakCents]);

  it('a month: each month costs its seats and leaks the seats not billed', () => {
    expect(byId.get('seats')).toMatchObject({
      charge: 'month',
      chargeWords: 'a month',
      leakSeats: 2,
      leakCents: 1600,
    });
    expect(monthsOf('seats')).toEqual([
      ['2020-10', 2400, 2, 1600],
      ['2020-11', 2400, 2, 1600],
    ]);
  });

  it("once or per year: the charge's cost only in its month (or as Pax8 invoiced it), no month leaks", () => {
    expect(byId.get('setup')).toMatchObject({
      charge: 'once',
      chargeWords: 'once',
      differenceCents: 15000,
      costCents: 10000,
      marginAfterSyncCents: 5000,
      leakSeats: null,
      leakCents: null,
      // 33.33 % of what it should bill, under the 50 % floor, in the month its charge bills.
      belowMarginFloor: true,
    });
    expect(monthsOf('setup')).toEqual([
      ['2020-10', 10000, 0, 0],
      ['2020-11', 0, 0, 0],
    ]);
    expect(byId.get('year')).toMatchObject({
      charge: 'period',
      chargeWords: 'per year, up front',
      costCents: 19200,
    });
    expect(monthsOf('year')).toEqual([
      ['2020-10', 19200, 0, 0],
      ['2020-11', 19200, 0, 0],
    ]);
  });

  it('the leakage table of a month holds only the money a month', () => {
    expect(leakageOf(rows, '2020-10')).toEqual([
      {
        month: '2020-10',
        pax8CompanyId: 'p1',
        companyName: 'Ace',
        cwCompanyId: 250,
        subscriptions: 1,
        costCents: 2400,
        willCents: 1000,
        shouldCents: 3000,
        marginCents: -1400,
        leakSeats: 2,
        leakCents: 1600,
      },
    ]);
  });
});

const item = (over: Partial<CostItem>): CostItem => ({
  subscriptionId: 's1',
  type: 'subscription',
  startPeriod: '2020-10-01',
  quantity: 2,
  costTotal: 40,
  ...over,
});

describe("Pax8's cost per subscription and month", () => {
  it('sums a month’s items: seats from subscription items, money from every item (a prorate credit is negative)', () => {
    const index = indexCosts(
      [
        item({}),
        item({ type: 'prorate', startPeriod: '2020-10-12', quantity: -1, costTotal: -12.9 }),
        item({ startPeriod: '2020-11-01', quantity: 3, costTotal: 60 }),
      ],
      [],
    );
    expect(index.get('s1')?.get('2020-10')).toEqual({ cents: 2710, seats: 2, source: 'invoice' });
    expect(index.get('s1')?.get('2020-11')).toEqual({ cents: 6000, seats: 3, source: 'invoice' });
  });

  it('an invoiced month ignores the drafts of that month; a month only drafted takes the draft', () => {
    const index = indexCosts(
      [item({})],
      [
        item({ quantity: 5, costTotal: 100 }),
        item({ startPeriod: '2020-11-01', quantity: 5, costTotal: 100 }),
      ],
    );
    expect(index.get('s1')?.get('2020-10')).toEqual({ cents: 4000, seats: 2, source: 'invoice' });
    expect(index.get('s1')?.get('2020-11')).toEqual({ cents: 10000, seats: 5, source: 'draft' });
  });

  it('items without a subscription or a period (a credit, a migration) are left out', () => {
    const index = indexCosts([item({ subscriptionId: null }), item({ startPeriod: null })], []);
    expect(index.size).toBe(0);
  });

  it('a refresh replaces the touched subscriptions’ drafts, keeps their invoices and every other subscription', () => {
    const before = indexCosts(
      [item({})],
      [
        item({ startPeriod: '2020-11-01', quantity: 2, costTotal: 40 }),
        item({ subscriptionId: 's2', quantity: 7, costTotal: 70 }),
        item({ subscriptionId: 's3', quantity: 1, costTotal: 10 }),
      ],
    );
    const after = replaceDrafts(before, new Set(['s1', 's3']), [
      item({ startPeriod: '2020-11-01', quantity: 9, costTotal: 180 }),
      item({ quantity: 9, costTotal: 180 }),
    ]);
    expect(after.get('s1')?.get('2020-10')).toEqual({ cents: 4000, seats: 2, source: 'invoice' });
    expect(after.get('s1')?.get('2020-11')).toEqual({ cents: 18000, seats: 9, source: 'draft' });
    expect(after.get('s2')?.get('2020-10')).toEqual({ cents: 7000, seats: 7, source: 'draft' });
    // s3 is no longer in Pax8's drafts (cancelled): its draft month is gone, not kept stale.
    expect(after.get('s3')?.size).toBe(0);
  });
});

describe('margin floor', () => {
  const row = (over: Partial<BoardRow>): BoardRow =>
    ({
      months: [{}],
      charge: 'month',
      marginPercent: 20,
      costCents: 4000,
      belowMarginFloor: false,
      ...over,
    }) as BoardRow;
  it.each([
    [null, { marginPercent: 5 }, false],
    [25, { marginPercent: 20 }, true],
    [20, { marginPercent: 20 }, false],
    [20, { marginPercent: 19.99 }, true],
    [0, { marginPercent: -3.5 }, true],
    [10, { marginPercent: null, costCents: 500 }, true],
    [10, { marginPercent: null, costCents: 0 }, false],
    [90, { months: [], marginPercent: null }, false],
    // A charge up front is weighed in the month its charge bills, against the period's cost; a month it does
    // not bill in (Pax8's invoice of the period may fall there) is not "costs money and bills nothing".
    [25, { charge: 'period', marginPercent: 20 }, true],
    [15, { charge: 'period', marginPercent: 20 }, false],
    [10, { charge: 'period', marginPercent: null, costCents: 324000 }, false],
    [10, { charge: 'once', marginPercent: null, costCents: 500 }, false],
  ] as const)('floor %j, row %j → below: %j', (floor, over, below) => {
    expect(flagFloor(row(over as Partial<BoardRow>), floor).belowMarginFloor).toBe(below);
  });
});
