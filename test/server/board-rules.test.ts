// The board's pure rules, one row per case: CSV cells (quoting, formula injection), the totals in words,
// Pax8's cost from invoice and draft items (an invoice wins; a refresh replaces only drafts), the margin floor.
import { describe, expect, it } from 'vitest';
import { flagFloor, statementOf, usd } from '../../server/board/compute.ts';
import { type CostItem, indexCosts, replaceDrafts } from '../../server/board/cost.ts';
import { textCell } from '../../server/board/csv.ts';
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
    expect(statementOf(notBilled, twice, over)).toBe(words);
  });
  it.each([
    [0, '$0.00'],
    [99, '$0.99'],
    [123456789, '$1,234,567.89'],
    [-306464, '-$3,064.64'],
  ])('usd(%i) = %s', (cents, text) => {
    expect(usd(cents)).toBe(text);
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
    ({ months: [{}], marginPercent: 20, costCents: 4000, belowMarginFloor: false, ...over }) as BoardRow;
  it.each([
    [null, { marginPercent: 5 }, false],
    [25, { marginPercent: 20 }, true],
    [20, { marginPercent: 20 }, false],
    [20, { marginPercent: 19.99 }, true],
    [0, { marginPercent: -3.5 }, true],
    [10, { marginPercent: null, costCents: 500 }, true],
    [10, { marginPercent: null, costCents: 0 }, false],
    [90, { months: [], marginPercent: null }, false],
  ] as const)('floor %j, row %j → below: %j', (floor, over, below) => {
    expect(flagFloor(row(over as Partial<BoardRow>), floor).belowMarginFloor).toBe(below);
  });
});
