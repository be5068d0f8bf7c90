import { describe, expect, it } from 'vitest';
import {
  type BillingSnapshot,
  type ExistingAddition,
  firstUninvoicedDate,
  type PlanOptions,
  planAdditions,
} from '../../server/billing/index.ts';

const E3 = 'Microsoft Office 365 Enterprise E3 - Includes Exchange Email and Desktop Office Suite';
const SHORT = 'Pax8 - Microsoft Office 365 Enterprise E3 - Includ';

type Overrides = {
  today?: string;
  history?: Array<[string, number]>;
  quantity?: number;
  additions?: ExistingAddition[];
  /** The lines that billed the months before the sync (spec §7 judges back-billing against them). */
  billedBefore?: ExistingAddition[];
  synced?: string[];
  nextInvoiceDate?: string;
  billingTerm?: string;
  agreementStatus?: BillingSnapshot['agreement']['status'];
  startDate?: string;
};

// The guide's subscription: Office 365 E3, cost 20.00, price 25.00, on agreement "Ace Monthly".
function snapshot(o: Overrides = {}): BillingSnapshot {
  const history = (
    o.history ?? [
      ['2020-06-01', 1],
      ['2020-09-09', 2],
    ]
  ).map(([date, quantity]) => ({ date, quantity }));
  return {
    today: o.today ?? '2020-09-20',
    subscription: {
      id: 'sub-1',
      productId: 'prod-e3',
      productName: E3,
      billingTerm: o.billingTerm ?? 'Monthly',
      quantity: o.quantity ?? history.at(-1)?.quantity ?? 0,
      price: '25.00',
      partnerCost: '20.00',
      startDate: o.startDate ?? history[0]?.date ?? '2020-06-01',
      status: 'Active',
      history,
    },
    agreement: {
      id: 225,
      name: 'Ace Monthly',
      status: o.agreementStatus ?? 'Active',
      ...(o.nextInvoiceDate ? { nextInvoiceDate: o.nextInvoiceDate } : {}),
    },
    product: {
      catalogId: 41,
      identifier: 'MST-OFC-EE3-C100',
      description: SHORT,
      taxable: true,
      price: '25.00',
    },
    additions: [...(o.billedBefore ?? [billedBySep]), ...(o.additions ?? [])],
    syncedChangeKeys: o.synced ?? [],
  };
}

const addition = (a: Partial<ExistingAddition> & Pick<ExistingAddition, 'id'>): ExistingAddition => ({
  catalogId: 41,
  quantity: 2,
  unitPrice: 25,
  unitCost: 20,
  effectiveDate: '2020-10-01',
  cancelledDate: null,
  invoiceDescription: SHORT,
  billCustomer: 'Billable',
  taxable: true,
  ...a,
});

// The guide's first seat, billed by hand from June to the end of September: nothing before the sync is unbilled.
const billedBySep = addition({
  id: 100,
  quantity: 1,
  effectiveDate: '2020-06-01',
  cancelledDate: '2020-09-30',
});

const brief = (plan: ReturnType<typeof planAdditions>) =>
  plan.writes.map((w) => [
    w.action,
    w.kind,
    w.additionId ?? '-',
    w.quantity,
    w.unitCost,
    w.unitPrice,
    w.effectiveDate,
    w.cancelledDate,
  ]);

describe('planAdditions: the guide end to end', () => {
  const plan = planAdditions(snapshot());

  it('writes a recurring create and one prorate', () => {
    expect(plan.term).toBe('Monthly');
    expect(plan.mode).toBe('create');
    expect(plan.warnings).toEqual([]);
    expect(plan.writes).toEqual([
      {
        key: 'recurring:sub-1:225:create:2020-10-01:2:25.00:20.00',
        action: 'create',
        kind: 'recurring',
        catalogId: 41,
        quantity: 2,
        unitPrice: '25.00',
        unitCost: '20.00',
        effectiveDate: '2020-10-01',
        cancelledDate: null,
        invoiceDescription: SHORT,
        billCustomer: 'Billable',
        taxable: true,
      },
      {
        key: 'prorate:sub-1:225:2020-09-09#1',
        action: 'create',
        kind: 'prorate',
        catalogId: 41,
        quantity: 1,
        unitPrice: '17.50',
        unitCost: '14.00',
        effectiveDate: '2020-10-01',
        cancelledDate: '2020-10-31',
        invoiceDescription: `${SHORT} - Prorated for 09/09/2020-09/30/2020`,
        billCustomer: 'Billable',
        taxable: true,
        changeKey: '2020-09-09#1',
        period: { start: '2020-09-09', end: '2020-09-30' },
      },
    ]);
  });

  it('reviews both side by side with formulas', () => {
    const [recurring, prorate] = plan.review;
    expect(recurring).toMatchObject({
      title: 'Creating new ConnectWise addition.',
      productName: { pax8: E3, connectWise: SHORT },
      term: { pax8: 'Monthly', connectWise: 'Monthly' },
      quantity: { pax8: '2 units', connectWise: '2 units' },
      unitCost: { pax8: '$20.00', connectWise: '$20.00' },
      chargeLabel: 'Recurring',
      cost: { pax8: '$40.00', connectWise: '$40.00 ($20.00 × 2 units)' },
      price: { pax8: '$50.00', connectWise: '$50.00 ($25.00 × 2 units)' },
      effectiveDate: { connectWise: '10/01/2020' },
      endDate: { connectWise: '' },
      billCustomer: { pax8: 'N/A', connectWise: 'Billable' },
      taxable: { connectWise: 'true' },
    });
    expect(prorate).toMatchObject({
      term: { connectWise: 'One-Time' },
      chargeLabel: 'Non-Recurring',
      cost: { pax8: '$0.00', connectWise: '$14.00 ($14.00 × 1 unit)' },
      price: { pax8: '$0.00', connectWise: '$17.50 ($17.50 × 1 unit)' },
      effectiveDate: { connectWise: '10/01/2020' },
      endDate: { connectWise: '10/31/2020' },
      proratedPeriod: { connectWise: '09/09/2020 - 09/30/2020' },
    });
  });

  it('gives the same keys on a second run (idempotent)', () => {
    expect(planAdditions(snapshot()).writes.map((w) => w.key)).toEqual(plan.writes.map((w) => w.key));
  });

  it('after the sync, plans nothing: recurring unchanged, prorate shown as synced', () => {
    const again = planAdditions(
      snapshot({
        today: '2020-09-25',
        additions: [
          addition({
            id: 682,
            quantity: 1,
            unitPrice: '17.50',
            unitCost: '14.00',
            cancelledDate: '2020-10-31',
            invoiceDescription: `${SHORT} - Prorated for 09/09/2020-09/30/2020`,
          }),
          addition({ id: 683 }),
        ],
        synced: ['2020-09-09#1'],
      }),
    );
    expect(brief(again)).toEqual([['none', 'recurring', 683, 2, '20.00', '25.00', '2020-10-01', null]]);
    expect(again.prorates.map((p) => [p.changeKey, p.synced])).toEqual([['2020-09-09#1', true]]);
  });
});

describe('planAdditions: update vs create new', () => {
  const grown = {
    today: '2020-11-20',
    history: [
      ['2020-06-01', 1],
      ['2020-09-09', 2],
      ['2020-11-12', 3],
    ] as Array<[string, number]>,
    synced: ['2020-09-09#1'],
  };
  // Nov 2020 has 30 days; a change on the 12th bills 18/30: 12.00 cost, 15.00 price.
  const prorateNov = ['create', 'prorate', '-', 1, '12.00', '15.00', '2020-12-01', '2020-12-31'];

  // biome-ignore format: one row per case
  it.each([
    { name: 'update keeps the effective date', additions: [addition({ id: 683 })], options: {}, expected: [['update', 'recurring', 683, 3, '20.00', '25.00', '2020-10-01', null], prorateNov] },
    { name: 'create new cancels the old one the day before', additions: [addition({ id: 683 })], options: { mode: 'create' }, expected: [['cancel', 'recurring', 683, 2, '20.00', '25.00', '2020-10-01', '2020-11-30'], ['create', 'recurring', '-', 3, '20.00', '25.00', '2020-12-01', null], prorateNov] },
    { name: 'an old addition cancelled in the future is still current', additions: [addition({ id: 500, effectiveDate: '2020-01-01', cancelledDate: '2021-06-30' })], options: {}, expected: [['update', 'recurring', 500, 3, '20.00', '25.00', '2020-01-01', '2021-06-30'], prorateNov] },
    { name: 'create new shortens a future cancellation', additions: [addition({ id: 500, effectiveDate: '2020-01-01', cancelledDate: '2021-06-30' })], options: { mode: 'create' }, expected: [['cancel', 'recurring', 500, 2, '20.00', '25.00', '2020-01-01', '2020-11-30'], ['create', 'recurring', '-', 3, '20.00', '25.00', '2020-12-01', null], prorateNov] },
    { name: 'an addition cancelled at this month end is not current', additions: [addition({ id: 500, effectiveDate: '2020-01-01', cancelledDate: '2020-11-30' })], options: {}, expected: [['create', 'recurring', '-', 3, '20.00', '25.00', '2020-12-01', null], prorateNov] },
    { name: 'another catalog item is not current (and October, November are back-billed: nothing billed them)', additions: [addition({ id: 900, catalogId: 99 })], options: {}, expected: [['create', 'recurring', '-', 3, '20.00', '25.00', '2020-12-01', null], prorateNov, ['create', 'extra', '-', 2, '40.00', '50.00', '2020-12-01', '2020-12-31']] },
    { name: 'the most recent of two is updated (November already billed 4 seats: no prorate)', additions: [addition({ id: 683 }), addition({ id: 700, effectiveDate: '2020-11-01' })], options: {}, expected: [['update', 'recurring', 700, 3, '20.00', '25.00', '2020-11-01', null]] },
    { name: 'a new price updates even at the same quantity (November already billed 3 seats: no prorate)', additions: [addition({ id: 683, quantity: 3 })], options: { unitPrice: '27.50' }, expected: [['update', 'recurring', 683, 3, '20.00', '27.50', '2020-10-01', null]] },
  ])('$name', ({ additions, options, expected }) => {
    const plan = planAdditions(snapshot({ ...grown, additions }), options as PlanOptions);
    expect(brief(plan)).toEqual(expected);
  });

  it('an update carries what it expects to find, for hand-edit detection', () => {
    const [write] = planAdditions(snapshot({ ...grown, additions: [addition({ id: 683 })] })).writes;
    expect(write?.key).toBe('recurring:sub-1:225:update:2020-10-01:3:25.00:20.00');
    expect(write?.expected).toEqual({
      quantity: 2,
      unitPrice: '25.00',
      unitCost: '20.00',
      cancelledDate: null,
    });
  });

  it('a decrease updates the quantity and never prorates', () => {
    const plan = planAdditions(
      snapshot({
        today: '2020-11-20',
        history: [
          ['2020-06-01', 5],
          ['2020-11-05', 3],
        ],
        additions: [addition({ id: 683, quantity: 5 })],
        billedBefore: [
          addition({ id: 100, quantity: 5, effectiveDate: '2020-06-01', cancelledDate: '2020-09-30' }),
        ],
      }),
    );
    expect(brief(plan)).toEqual([['update', 'recurring', 683, 3, '20.00', '25.00', '2020-10-01', null]]);
    expect(plan.prorates).toEqual([]);
  });

  it.each([
    {
      name: 'down to zero seats cancels the addition from the first un-invoiced month',
      effective: '2020-10-01',
      cancelled: '2020-11-30',
      write: ['cancel', 2, 'cancel:sub-1:225:683:2020-11-30'],
    },
    {
      // Active on December's invoice date, a 2-seat line would bill December for no seat: 0 seats (spec §7).
      name: 'down to zero before an addition starts sets it to 0 seats and ends it on its first day',
      effective: '2020-12-01',
      cancelled: '2020-12-01',
      write: ['update', 0, 'end:sub-1:225:683:2020-12-01'],
    },
  ] as const)('$name', ({ effective, cancelled, write: [action, quantity, key] }) => {
    const plan = planAdditions(
      snapshot({
        today: '2020-11-20',
        history: [
          ['2020-06-01', 2],
          ['2020-11-05', 0],
        ],
        additions: [addition({ id: 683, effectiveDate: effective })],
        billedBefore: [
          addition({
            id: 100,
            effectiveDate: '2020-06-01',
            cancelledDate: `2020-${effective.slice(5, 7) === '10' ? '09-30' : '11-30'}`,
          }),
        ],
      }),
    );
    expect(brief(plan)).toEqual([
      [action, 'recurring', 683, quantity, '20.00', '25.00', effective, cancelled],
    ]);
    expect(plan.writes[0]?.key).toBe(key);
  });

  it('a new subscription with no seats writes nothing', () => {
    expect(planAdditions(snapshot({ history: [['2020-09-02', 0]] })).writes).toEqual([]);
  });

  it('create new with an effective date not after the current addition is refused', () => {
    expect(() =>
      planAdditions(snapshot({ additions: [addition({ id: 683 })] }), { mode: 'create' }),
    ).toThrowError(expect.objectContaining({ name: 'BillingInputError', field: 'effectiveDate' }));
  });
});

describe('planAdditions: prorates in the plan', () => {
  it('a new subscription mid-month is prorated from its start', () => {
    const plan = planAdditions(snapshot({ today: '2020-11-20', history: [['2020-11-10', 4]] }));
    // 20/30 of 20.00 = 13.333 → 13.33; of 25.00 = 16.667 → 16.67.
    expect(brief(plan)).toEqual([
      ['create', 'recurring', '-', 4, '20.00', '25.00', '2020-12-01', null],
      ['create', 'prorate', '-', 4, '13.33', '16.67', '2020-12-01', '2020-12-31'],
    ]);
  });

  it.each([
    { threshold: true, seats: 2 },
    { threshold: false, seats: 4 },
  ])('threshold $threshold through churn prorates $seats seats', ({ threshold, seats }) => {
    const history: Array<[string, number]> = [
      ['2020-06-01', 10],
      ['2020-09-05', 8],
      ['2020-09-10', 12],
    ];
    const plan = planAdditions(snapshot({ history }), { threshold });
    expect(
      plan.writes
        .filter((w) => w.kind === 'prorate')
        .map((w) => [w.changeKey, w.quantity, w.unitCost, w.unitPrice]),
    ).toEqual([['2020-09-10#1', seats, '13.33', '16.67']]);
  });

  it('looks back three months before the effective month, no further', () => {
    const history: Array<[string, number]> = [
      ['2020-06-15', 1],
      ['2020-07-15', 2],
      ['2020-09-09', 3],
    ];
    const plan = planAdditions(snapshot({ history }));
    // Jul 15: 16/31 of 20.00 = 10.32, of 25.00 = 12.90; billed later, on the first un-invoiced month.
    expect(
      plan.prorates.map((p) => [p.changeKey, p.quantityIncrease, p.unitCost, p.unitPrice, p.effectiveDate]),
    ).toEqual([
      ['2020-07-15#1', 1, '10.32', '12.90', '2020-10-01'],
      ['2020-09-09#1', 1, '14.00', '17.50', '2020-10-01'],
    ]);
  });

  it('excluded prorates are shown but not written; edited ones are written as edited', () => {
    const history: Array<[string, number]> = [
      ['2020-06-01', 1],
      ['2020-08-05', 2],
      ['2020-09-09', 3],
    ];
    const plan = planAdditions(snapshot({ history }), {
      prorates: {
        exclude: ['2020-08-05#1'],
        edit: {
          '2020-09-09#1': {
            effectiveDate: '2020-11-01',
            unitPrice: '10.00',
            quantity: 2,
            description: 'Catch-up',
          },
        },
      },
    });
    expect(plan.prorates.map((p) => [p.changeKey, p.excluded, p.edited])).toEqual([
      ['2020-08-05#1', true, false],
      ['2020-09-09#1', false, true],
    ]);
    expect(
      plan.writes
        .filter((w) => w.kind === 'prorate')
        .map((w) => [
          w.quantity,
          w.unitCost,
          w.unitPrice,
          w.effectiveDate,
          w.cancelledDate,
          w.invoiceDescription,
        ]),
    ).toEqual([[2, '14.00', '10.00', '2020-11-01', '2020-11-30', 'Catch-up']]);
    expect(plan.review[1]?.price.connectWise).toBe('$20.00 ($10.00 × 2 units)');
  });

  it('big quantities stay exact', () => {
    const plan = planAdditions(
      snapshot({
        history: [
          ['2020-06-01', 1],
          ['2020-09-09', 100001],
        ],
      }),
    );
    expect(plan.review.map((r) => r.price.connectWise)).toEqual([
      '$2,500,025.00 ($25.00 × 100001 units)',
      '$1,750,000.00 ($17.50 × 100000 units)',
    ]);
  });
});

describe('planAdditions: billing in advance (spec §1, §4)', () => {
  it.each([
    ['2021-01-18', undefined, '2021-02-01'],
    ['2021-01-18', '2021-02-01', '2021-02-01'],
    ['2021-01-18', '2021-03-01', '2021-03-01'],
    ['2021-01-18', '2021-02-15', '2021-03-01'],
    ['2021-01-18', '2020-12-01', '2021-02-01'],
    ['2020-12-31', undefined, '2021-01-01'],
  ])('today %s, next invoice %s → %s', (today, next, expected) => {
    expect(firstUninvoicedDate(today, next)).toBe(expected);
  });

  const advance = {
    today: '2021-01-18',
    nextInvoiceDate: '2021-03-01',
    history: [
      ['2021-01-04', 2],
      ['2021-01-17', 3],
    ] as Array<[string, number]>,
  };

  it('defaults to the first un-invoiced month and back-bills the invoiced gap', () => {
    const plan = planAdditions(snapshot(advance));
    // January has 31 days: 27/31 → 17.42 / 21.77; 14/31 → 9.03 / 11.29.
    expect(brief(plan)).toEqual([
      ['create', 'recurring', '-', 3, '20.00', '25.00', '2021-03-01', null],
      ['create', 'prorate', '-', 2, '17.42', '21.77', '2021-03-01', '2021-03-31'],
      ['create', 'prorate', '-', 1, '9.03', '11.29', '2021-03-01', '2021-03-31'],
      // February is invoiced (in advance) without these seats: a back-bill line (spec §7), 3 × 25.00.
      ['create', 'extra', '-', 3, '20.00', '25.00', '2021-03-01', '2021-03-31'],
    ]);
    expect(plan.writes.at(-1)?.invoiceDescription).toBe(`${SHORT} - February 2021`);
    expect(plan.defaultEffectiveDate).toBe('2021-03-01');
    expect(plan.warnings.map((w) => [w.code, w.proposal])).toEqual([['billed_in_advance', undefined]]);
  });

  // Back-bill lines are written by default now (spec §7), no longer only proposed in a warning.
  // biome-ignore format: one row per case
  it.each([
    { name: 'advance, existing 2 seats, one added in January: the delta', today: '2021-01-18', next: '2021-03-01', history: [['2020-06-01', 2], ['2021-01-10', 3]], billed: 2, expected: [['2021-02', 1, '2021-02', '25.00']] },
    { name: 'advance, nothing changed: nothing to back-bill', today: '2021-01-18', next: '2021-03-01', history: [['2020-06-01', 2]], billed: 2, expected: [] },
    { name: 'late sync: July seat unbilled for Aug and Sep', today: '2020-09-20', next: undefined, history: [['2020-06-01', 2], ['2020-07-15', 3]], billed: 2, expected: [['2020-08', 1, '2020-09', '50.00']] },
    { name: 'late sync of a new subscription, growing', today: '2020-09-20', next: undefined, history: [['2020-07-15', 1], ['2020-08-20', 4]], billed: 0, expected: [['2020-08', 1, '2020-08', '25.00'], ['2020-09', 4, '2020-09', '25.00']] },
    { name: 'old subscription first synced: the look-back months', today: '2020-09-20', next: undefined, history: [['2019-01-01', 5]], billed: 0, expected: [['2020-07', 5, '2020-09', '75.00']] },
  ])('back-bill: $name', ({ today, next, history, billed, expected }) => {
    const additions = billed ? [addition({ id: 683, quantity: billed, effectiveDate: '2020-01-01' })] : [];
    const plan = planAdditions(snapshot({ today, history: history as Array<[string, number]>, additions, billedBefore: [], ...(next ? { nextInvoiceDate: next } : {}) }));
    expect(plan.writes.filter((w) => w.kind === 'extra').map((w) => [w.period?.start.slice(0, 7), w.quantity, w.period?.end.slice(0, 7), w.unitPrice])).toEqual(expected);
    expect(plan.warnings.flatMap((w) => (w.proposal ? [w.proposal] : []))).toEqual([]);
  });

  it('refuses an extra-months line for months a back-bill line already covers, naming them', () => {
    expect(() =>
      planAdditions(snapshot(advance), {
        extraMonths: { effectiveDate: '2021-03-01', quantity: 1, startMonth: '2021-02', months: 1 },
      }),
    ).toThrowError(/February 2021 twice/);
  });

  it('writes the extra-months addition when asked (default back-bill off)', () => {
    const plan = planAdditions(snapshot(advance), {
      backBill: false,
      extraMonths: { effectiveDate: '2021-03-01', quantity: 1, startMonth: '2021-02', months: 1 },
    });
    const extra = plan.writes.find((w) => w.kind === 'extra');
    expect(extra).toEqual({
      key: 'extra:sub-1:225:2021-03-01:2021-02:1:1:25.00:20.00',
      action: 'create',
      kind: 'extra',
      catalogId: 41,
      billCustomer: 'Billable',
      taxable: true,
      quantity: 1,
      unitPrice: '25.00',
      unitCost: '20.00',
      effectiveDate: '2021-03-01',
      cancelledDate: '2021-03-31',
      invoiceDescription: `${SHORT} - February 2021`,
      period: { start: '2021-02-01', end: '2021-02-28' },
    });
  });
});

describe('planAdditions: warnings and refusals', () => {
  // Annual, 2-Year and 3-Year are billed per period now (billing-terms-plan.test.ts); what no rule bills is refused by name.
  it.each([
    ['Quarterly', 'term_unknown'],
    ['Usage', 'usage_in_arrears'],
  ])('%s term: a named refusal and no addition', (billingTerm, code) => {
    const plan = planAdditions(snapshot({ billingTerm }));
    expect(plan.term).toBe(billingTerm);
    expect(plan.writes).toEqual([]);
    expect(plan.warnings.map((w) => w.code)).toEqual([code]);
  });

  it('warns when the agreement is not active and the price is below cost', () => {
    const plan = planAdditions(snapshot({ agreementStatus: 'Cancelled' }), { unitPrice: '19.99' });
    expect(plan.warnings.map((w) => w.code)).toEqual(['agreement_not_active', 'price_below_cost']);
    expect(plan.writes).toHaveLength(2);
  });

  it('zero prices plan zero lines', () => {
    const plan = planAdditions(snapshot(), { unitPrice: 0, unitCost: '0.00', billCustomer: 'NoCharge' });
    expect(brief(plan)).toEqual([
      ['create', 'recurring', '-', 2, '0.00', '0.00', '2020-10-01', null],
      ['create', 'prorate', '-', 1, '0.00', '0.00', '2020-10-01', '2020-10-31'],
    ]);
  });

  it.each([
    { description: { kind: 'long' }, expected: `Pax8 - ${E3}` },
    { description: { kind: 'custom', text: 'x'.repeat(6000) }, expected: 'x'.repeat(6000) },
  ])('description $description.kind', ({ description, expected }) => {
    const plan = planAdditions(snapshot(), { description } as PlanOptions);
    expect(plan.writes[0]?.invoiceDescription).toBe(expected);
  });

  // biome-ignore format: one row per case
  it.each([
    { options: { effectiveDate: '2020-02-30' }, field: 'effectiveDate' },
    { options: { quantity: -1 }, field: 'quantity' },
    { options: { quantity: 1.5 }, field: 'quantity' },
    { options: { unitPrice: '1.234' }, field: 'unitPrice' },
    { options: { unitCost: '-2' }, field: 'unitCost' },
    { options: { description: { kind: 'custom', text: 'x'.repeat(6001) } }, field: 'description' },
    { options: { description: { kind: 'custom', text: '  ' } }, field: 'description' },
    { options: { billCustomer: 'Sometimes' }, field: 'billCustomer' },
    { options: { mode: 'replace' }, field: 'mode' },
    { options: { description: { kind: 'medium' } }, field: 'description' },
    { options: { prorates: { edit: { '2020-01-01#1': { quantity: 1 } } } }, field: 'prorates.edit.2020-01-01#1' },
    { options: { prorates: { edit: { '2020-09-09#1': { effectiveDate: 'soon' } } } }, field: 'prorates.edit.2020-09-09#1.effectiveDate' },
    { options: { extraMonths: { effectiveDate: '2020-10-01', quantity: 1, startMonth: '2020-10', months: 0 } }, field: 'extraMonths.months' },
  ])('rejects $field', ({ options, field }) => {
    expect(() => planAdditions(snapshot(), options as PlanOptions)).toThrowError(
      expect.objectContaining({ name: 'BillingInputError', field }),
    );
  });
});
