// The ghost rule as a table: which additions bill a bound Pax8 product with no live subscription behind it.
import { describe, expect, it } from 'vitest';
import { findGhosts, subscriptionGone } from '../../server/judgement/index.ts';

const today = '2020-09-20';
const bindings = [
  { pax8ProductId: 'p-e3', cwCatalogId: 682 },
  { pax8ProductId: 'p-e3-annual-twin', cwCatalogId: 682 },
  { pax8ProductId: 'p-bes', cwCatalogId: 683 },
];
type Line = { id: number; catalogId: number; effectiveDate: string | null; cancelledDate: string | null };
type Sub = { productId: string; productName: string; status: string; endDate: string | null };
const line = (over: Partial<Line> = {}): Line => ({
  id: 1,
  catalogId: 683,
  effectiveDate: '2019-01-01',
  cancelledDate: null,
  ...over,
});
const sub = (over: Partial<Sub> = {}): Sub => ({
  productId: 'p-bes',
  productName: 'Business Essentials',
  status: 'Active',
  endDate: null,
  ...over,
});

describe('findGhosts', () => {
  const cases: [string, Line, Sub[], string][] = [
    ['bound, recurring, no subscription', line(), [], 'no_subscription'],
    ['an active subscription stands behind it', line(), [sub()], 'none'],
    ['a pending cancel still stands behind it', line(), [sub({ status: 'PendingCancel' })], 'none'],
    ['a trial stands behind it', line(), [sub({ status: 'Trial' })], 'none'],
    [
      'cancelled, end date past',
      line(),
      [sub({ status: 'Cancelled', endDate: '2020-08-28' })],
      'subscription_cancelled/Business Essentials',
    ],
    [
      'cancelled, end date as a date-time, past',
      line(),
      [sub({ status: 'Cancelled', endDate: '2020-09-19T23:59:59Z' })],
      'subscription_cancelled/Business Essentials',
    ],
    [
      'cancelled, ends today: still there',
      line(),
      [sub({ status: 'Cancelled', endDate: '2020-09-20' })],
      'none',
    ],
    [
      'cancelled without an end date',
      line(),
      [sub({ status: 'Cancelled', endDate: null })],
      'subscription_cancelled/Business Essentials',
    ],
    [
      'one cancelled, another live of the same product',
      line(),
      [sub({ status: 'Cancelled', endDate: '2020-08-28' }), sub()],
      'none',
    ],
    ['another product subscribed only', line(), [sub({ productId: 'p-e3' })], 'no_subscription'],
    [
      'catalog bound to two products, the second one subscribed',
      line({ catalogId: 682 }),
      [sub({ productId: 'p-e3-annual-twin' })],
      'none',
    ],
    ['catalog item not bound to Pax8', line({ catalogId: 701 }), [], 'none'],
    [
      'prorate line (cancelled in its own month)',
      line({ effectiveDate: '2020-09-01', cancelledDate: '2020-09-30' }),
      [],
      'none',
    ],
    [
      'extra months billed once last month',
      line({ effectiveDate: '2020-08-01', cancelledDate: '2020-08-31' }),
      [],
      'none',
    ],
    ['cancelled before today', line({ cancelledDate: '2020-09-19' }), [], 'none'],
    ['cancelled today: still billing', line({ cancelledDate: '2020-09-20' }), [], 'no_subscription'],
    ['cancelled next month: still billing', line({ cancelledDate: '2020-10-31' }), [], 'no_subscription'],
    ['starts later this month', line({ effectiveDate: '2020-09-30' }), [], 'no_subscription'],
    ['starts next month', line({ effectiveDate: '2020-10-01' }), [], 'none'],
    ['no effective date', line({ effectiveDate: null }), [], 'no_subscription'],
  ];
  it.each(cases)('%s → %s', (_name, addition, subscriptions, expected) => {
    const ghosts = findGhosts({ additions: [addition], subscriptions, productBindings: bindings, today });
    const got = ghosts.map((g) => [g.reason, g.productName].filter(Boolean).join('/'));
    expect(got[0] ?? 'none').toBe(expected);
    expect(ghosts.length).toBeLessThanOrEqual(1);
  });

  it('keeps the order of the additions and reports each ghost once', () => {
    const ghosts = findGhosts({
      additions: [line({ id: 7 }), line({ id: 3, catalogId: 682 }), line({ id: 5 })],
      subscriptions: [],
      productBindings: bindings,
      today,
    });
    expect(ghosts.map((g) => g.addition.id)).toEqual([7, 3, 5]);
  });
});

describe('subscriptionGone', () => {
  it.each([
    ['Active', null, false],
    ['Cancelled', '2020-09-19', true],
    ['Cancelled', '2020-09-20', false],
    ['Cancelled', null, true],
    ['PendingCancel', '2020-09-01', false],
  ])('%s ending %s → %s', (status, endDate, gone) => {
    expect(subscriptionGone({ status, endDate }, today)).toBe(gone);
  });
});
