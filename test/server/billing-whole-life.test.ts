// The subscription's whole life in the planner (spec §7): the 1st, months already invoiced, never twice,
// cancellations and trials, one addition per subscription. One row per case, the figures written out.
import { describe, expect, it } from 'vitest';
import {
  type BillingSnapshot,
  type ExistingAddition,
  type PlanOptions,
  planAdditions,
} from '../../server/billing/index.ts';

const SHORT = 'Pax8 - Microsoft Office 365 Enterprise E3 - Includ';

type Case = {
  today: string;
  history: Array<[string, number]>;
  additions?: ExistingAddition[];
  nextInvoiceDate?: string;
  status?: string;
  endDate?: string;
  convertedDate?: string;
  synced?: string[];
  claims?: Record<string, string>;
  log?: BillingSnapshot['recurringLog'];
};

function snapshot(c: Case): BillingSnapshot {
  const history = c.history.map(([date, quantity]) => ({ date, quantity }));
  return {
    today: c.today,
    subscription: {
      id: 'sub-1',
      productId: 'prod-e3',
      productName: 'Microsoft Office 365 Enterprise E3 - Includes Exchange Email and Desktop Office Suite',
      billingTerm: 'Monthly',
      quantity: history.at(-1)?.quantity ?? 0,
      price: '25.00',
      partnerCost: '20.00',
      startDate: history[0]?.date ?? c.today,
      status: c.status ?? 'Active',
      ...(c.endDate ? { endDate: c.endDate } : {}),
      ...(c.convertedDate ? { convertedDate: c.convertedDate } : {}),
      history,
    },
    agreement: {
      id: 225,
      name: 'Ace Monthly',
      status: 'Active',
      ...(c.nextInvoiceDate ? { nextInvoiceDate: c.nextInvoiceDate } : {}),
    },
    product: { catalogId: 41, identifier: 'MST-OFC-EE3-C100', description: SHORT, taxable: true },
    additions: c.additions ?? [],
    syncedChangeKeys: c.synced ?? [],
    ...(c.claims ? { claims: c.claims } : {}),
    ...(c.log ? { recurringLog: c.log } : {}),
  };
}

const line = (a: Partial<ExistingAddition> & Pick<ExistingAddition, 'id'>): ExistingAddition => ({
  catalogId: 41,
  quantity: 5,
  unitPrice: 25,
  unitCost: 20,
  effectiveDate: '2020-01-01',
  cancelledDate: null,
  invoiceDescription: SHORT,
  billCustomer: 'Billable',
  taxable: true,
  ...a,
});
const mark = (subscriptionId: string, kind: string, write = '0123456789abcdef') => ({
  subscriptionId,
  kind,
  write,
});

/** [action, kind, addition, quantity, unit price, effective, cancelled, description tail] */
const brief = (c: Case, options?: PlanOptions) =>
  planAdditions(snapshot(c), options).writes.map((w) => [
    w.action,
    w.kind,
    w.additionId ?? '-',
    w.quantity,
    w.unitPrice,
    w.effectiveDate,
    w.cancelledDate,
    w.invoiceDescription.slice(SHORT.length) || '(short)',
  ]);

describe('the 1st is a day like any other (spec §7)', () => {
  it('a change on the 1st is prorated (D − 1)/D and is not in that month’s starting quantity', () => {
    // Billed 5 since January; 7 on 2020-09-01. September has 30 days: 29/30 of 25.00 = 24.17.
    const plan = planAdditions(
      snapshot({
        today: '2020-09-20',
        history: [
          ['2020-01-01', 5],
          ['2020-09-01', 7],
        ],
        additions: [line({ id: 1 })],
      }),
    );
    expect(plan.prorates.map((p) => [p.changeKey, p.quantityIncrease, p.unitPrice, p.totalPrice])).toEqual([
      ['2020-09-01#1', 2, '24.17', '48.34'],
    ]);
    expect(plan.writes.filter((w) => w.kind === 'extra')).toEqual([]);
  });

  it('a change on the 1st synced after that month’s invoice: its prorate and the whole next month', () => {
    // 7 seats from 2020-09-01, synced 2020-10-03 (October invoiced on the 1st with 5): prorate Sep + 2 seats Oct.
    expect(
      brief({
        today: '2020-10-03',
        history: [
          ['2020-01-01', 5],
          ['2020-09-01', 7],
        ],
        additions: [line({ id: 1 })],
      }),
    ).toEqual([
      ['update', 'recurring', 1, 7, '25.00', '2020-01-01', null, '(short)'],
      [
        'create',
        'prorate',
        '-',
        2,
        '24.17',
        '2020-11-01',
        '2020-11-30',
        ' - Prorated for 09/01/2020-09/30/2020',
      ],
      ['create', 'extra', '-', 2, '25.00', '2020-11-01', '2020-11-30', ' - October 2020'],
    ]);
  });
});

describe('months already invoiced are back-billed (spec §7)', () => {
  // biome-ignore format: one row per case
  it.each([
    { name: 'a change near a month’s end synced after the next invoice', c: { today: '2020-10-05', history: [['2020-01-01', 5], ['2020-09-29', 7]], additions: [line({ id: 1 })] }, expected: [['update', 'recurring', 1, 7, '25.00', '2020-01-01', null, '(short)'], ['create', 'prorate', '-', 2, '0.83', '2020-11-01', '2020-11-30', ' - Prorated for 09/29/2020-09/30/2020'], ['create', 'extra', '-', 2, '25.00', '2020-11-01', '2020-11-30', ' - October 2020']] },
    { name: 'a first sync weeks after the purchase', c: { today: '2020-10-15', history: [['2020-09-10', 3]] }, expected: [['create', 'recurring', '-', 3, '25.00', '2020-11-01', null, '(short)'], ['create', 'prorate', '-', 3, '16.67', '2020-11-01', '2020-11-30', ' - Prorated for 09/10/2020-09/30/2020'], ['create', 'extra', '-', 3, '25.00', '2020-11-01', '2020-11-30', ' - October 2020']] },
    { name: 'prorates when the next invoice date is months away (billed in advance)', c: { today: '2020-09-20', nextInvoiceDate: '2021-01-01', history: [['2020-01-01', 5], ['2020-09-09', 6]], additions: [line({ id: 1 })] }, expected: [['update', 'recurring', 1, 6, '25.00', '2020-01-01', null, '(short)'], ['create', 'prorate', '-', 1, '17.50', '2021-01-01', '2021-01-31', ' - Prorated for 09/09/2020-09/30/2020'], ['create', 'extra', '-', 1, '75.00', '2021-01-01', '2021-01-31', ' - Oct 2020 to Dec 2020']] },
  ])('$name', ({ c, expected }) => {
    expect(brief(c as unknown as Case)).toEqual(expected);
  });

  it('increases more than 3 months back: the look-back is back-billed, the rest is a warning with its amount', () => {
    const c: Case = {
      today: '2020-10-15',
      history: [
        ['2020-01-01', 5],
        ['2020-05-10', 7],
      ],
      additions: [line({ id: 1 })],
    };
    const plan = planAdditions(snapshot(c));
    // Aug, Sep, Oct (3 invoiced months) × 2 seats × 25.00 = 150.00, one line.
    expect(brief(c).filter((w) => w[1] === 'extra')).toEqual([
      ['create', 'extra', '-', 2, '75.00', '2020-11-01', '2020-11-30', ' - Aug 2020 to Oct 2020'],
    ]);
    // Older: June and July 2 × 2 × 25.00 = 100.00, and May 10's prorate 2 × 21/31 × 25.00 = 2 × 16.94 = 33.88.
    const warning = plan.warnings.find((w) => w.code === 'beyond_lookback');
    expect(warning?.amount).toBe('133.88');
    expect(warning?.message).toContain('2 seat(s) for June 2020 to July 2020 ($100.00)');
    expect(warning?.message).toContain('a prorate of 2 seat(s) from 2020-05-10 ($33.88)');
  });

  it('the gap stays until it is actually billed, not just because the prorate was synced', () => {
    // The Sep 29 prorate is synced (journal) but October's 2 seats were never billed: still proposed.
    const c: Case = {
      today: '2020-10-05',
      history: [
        ['2020-01-01', 5],
        ['2020-09-29', 7],
      ],
      additions: [line({ id: 1, quantity: 7 })],
      synced: ['2020-09-29#1'],
      log: [{ additionId: 1, date: '2020-10-04', before: 5, after: 7 }],
    };
    expect(brief(c).filter((w) => w[0] !== 'none')).toEqual([
      ['create', 'extra', '-', 2, '25.00', '2020-11-01', '2020-11-30', ' - October 2020'],
    ]);
    // Once the back-bill line is in ConnectWise (marked), nothing is left to do.
    const billed = line({
      id: 9,
      quantity: 2,
      effectiveDate: '2020-11-01',
      cancelledDate: '2020-11-30',
      invoiceDescription: `${SHORT} - October 2020`,
      marker: mark('sub-1', 'extra'),
    });
    expect(
      brief({ ...c, additions: [...(c.additions ?? []), billed] }).filter((w) => w[0] !== 'none'),
    ).toEqual([]);
  });
});

describe('never twice (spec §7)', () => {
  it('a recurring line cancelled in its first month (marked recurring) still counts as that month’s billing', () => {
    // Found by the year property test: July was billed by line 118 (Jul 1 – Jul 31, cancelled after the
    // subscription ended on Jul 25), yet the planner read it as a one-time line and warned July as unbilled.
    const c: Case = {
      today: '2027-11-13',
      status: 'Cancelled',
      endDate: '2027-07-25',
      history: [['2027-06-20', 8]],
      additions: [
        line({
          id: 118,
          quantity: 8,
          effectiveDate: '2027-07-01',
          cancelledDate: '2027-07-31',
          marker: mark('sub-1', 'recurring'),
        }),
      ],
    };
    const plan = planAdditions(snapshot(c));
    // Only June (never billed, older than the look-back) is warned: its prorate, 8 × 10/30 of 25.00 = 8 × 8.33.
    expect(plan.warnings.find((w) => w.code === 'beyond_lookback')?.amount).toBe('66.64');
  });

  it('an extra-months line over months the recurring line bills is refused, naming the months', () => {
    const c: Case = { today: '2020-10-05', history: [['2020-01-01', 5]], additions: [line({ id: 1 })] };
    expect(() =>
      planAdditions(snapshot(c), {
        extraMonths: { effectiveDate: '2020-11-01', quantity: 1, startMonth: '2020-09', months: 3 },
      }),
    ).toThrowError('extraMonths would bill September 2020, October 2020, November 2020 twice');
  });

  it('“create new” never re-bills seats the old addition already billed', () => {
    const c: Case = {
      today: '2020-10-15',
      history: [
        ['2020-01-01', 5],
        ['2020-10-10', 6],
      ],
      additions: [line({ id: 1 })],
    };
    expect(brief(c, { mode: 'create' })).toEqual([
      ['cancel', 'recurring', 1, 5, '25.00', '2020-01-01', '2020-10-31', '(short)'],
      ['create', 'recurring', '-', 6, '25.00', '2020-11-01', null, '(short)'],
      [
        'create',
        'prorate',
        '-',
        1,
        '16.94',
        '2020-11-01',
        '2020-11-30',
        ' - Prorated for 10/10/2020-10/31/2020',
      ],
    ]);
  });

  it('a prorate already in ConnectWise (marked) is never proposed again, whatever the journal says', () => {
    const c: Case = {
      today: '2020-10-15',
      history: [
        ['2020-01-01', 5],
        ['2020-10-10', 6],
      ],
      additions: [line({ id: 1, quantity: 6 })],
      synced: ['2020-10-10#1'],
    };
    expect(brief(c).filter((w) => w[0] !== 'none')).toEqual([]);
  });
});

describe('cancelled and trial subscriptions (spec §5, §7)', () => {
  // biome-ignore format: one row per case
  it.each([
    { name: 'Cancelled with an end date: cancelled at the end of that month', c: { today: '2020-10-15', status: 'Cancelled', endDate: '2020-10-12', history: [['2020-01-01', 5]], additions: [line({ id: 1 })] }, expected: [['cancel', 'recurring', 1, 5, '25.00', '2020-01-01', '2020-10-31', '(short)']] },
    { name: 'PendingCancel ending next month', c: { today: '2020-10-15', status: 'PendingCancel', endDate: '2020-11-20', history: [['2020-01-01', 5]], additions: [line({ id: 1 })] }, expected: [['cancel', 'recurring', 1, 5, '25.00', '2020-01-01', '2020-11-30', '(short)']] },
    { name: 'Cancelled without an end date: ends this month', c: { today: '2020-10-15', status: 'Cancelled', history: [['2020-01-01', 5]], additions: [line({ id: 1 })] }, expected: [['cancel', 'recurring', 1, 5, '25.00', '2020-01-01', '2020-10-31', '(short)']] },
    { name: 'ended before its addition starts: 0 seats, ends on its first day; its served months are back-billed', c: { today: '2020-10-15', status: 'Cancelled', endDate: '2020-10-12', history: [['2020-09-01', 5]], additions: [line({ id: 1, effectiveDate: '2020-11-01' })] }, expected: [['update', 'recurring', 1, 0, '25.00', '2020-11-01', '2020-11-01', '(short)'], ['create', 'prorate', '-', 5, '24.17', '2020-11-01', '2020-11-30', ' - Prorated for 09/01/2020-09/30/2020'], ['create', 'extra', '-', 5, '25.00', '2020-11-01', '2020-11-30', ' - October 2020']] },
    { name: 'already cancelled: nothing to do', c: { today: '2020-11-15', status: 'Cancelled', endDate: '2020-10-12', history: [['2020-01-01', 5]], additions: [line({ id: 1, cancelledDate: '2020-10-31', marker: mark('sub-1', 'recurring') })] }, expected: [] },
    { name: 'Trial: nothing is billed', c: { today: '2020-10-15', status: 'Trial', history: [['2020-10-01', 25]] }, expected: [] },
    { name: 'converted: billed from the conversion as a new subscription', c: { today: '2020-10-20', status: 'Active', convertedDate: '2020-10-16', history: [['2020-09-20', 25], ['2020-10-16', 10]] }, expected: [['create', 'recurring', '-', 10, '25.00', '2020-11-01', null, '(short)'], ['create', 'prorate', '-', 10, '12.10', '2020-11-01', '2020-11-30', ' - Prorated for 10/16/2020-10/31/2020']] },
  ])('$name', ({ c, expected }) => {
    expect(brief(c as unknown as Case)).toEqual(expected);
  });

  it('a month invoiced after the service ended is a warning with its amount, never a silent credit', () => {
    const plan = planAdditions(
      snapshot({
        today: '2020-11-05',
        status: 'Cancelled',
        endDate: '2020-10-12',
        history: [['2020-01-01', 5]],
        additions: [line({ id: 1 })],
      }),
    );
    expect(plan.warnings.find((w) => w.code === 'billed_after_end')?.amount).toBe('125.00');
  });
});

describe('one subscription, one addition (spec §2, §7)', () => {
  it('update targets the addition whose marker names this subscription, not a newer unmarked one', () => {
    const c: Case = {
      today: '2020-10-15',
      history: [
        ['2020-01-01', 5],
        ['2020-10-01', 6],
      ],
      additions: [
        line({ id: 1, marker: mark('sub-1', 'recurring') }),
        line({ id: 2, effectiveDate: '2020-06-01', quantity: 3 }),
      ],
    };
    const plan = planAdditions(snapshot(c));
    expect(plan.writes[0]).toMatchObject({ action: 'update', additionId: 1, quantity: 6 });
    expect(plan.matchedByProduct).toBe(false);
  });

  it('without a marker: the most recent same-product addition, and the review says "matched by product"', () => {
    const plan = planAdditions(
      snapshot({ today: '2020-10-15', history: [['2020-01-01', 5]], additions: [line({ id: 1 })] }),
    );
    expect(plan.writes[0]).toMatchObject({ action: 'none', additionId: 1 });
    expect(plan.matchedByProduct).toBe(true);
    expect(plan.warnings.map((w) => w.code)).toContain('matched_by_product');
  });

  // biome-ignore format: one row per case
  it.each([
    { name: 'claimed by another subscription’s marker', additions: [line({ id: 1, marker: mark('sub-2', 'recurring') })], claims: undefined },
    { name: 'claimed by another subscription’s earlier write (journal)', additions: [line({ id: 1 })], claims: { 1: 'sub-2' } },
  ])('an addition $name is not taken: a second addition is created', ({ additions, claims }) => {
    const c: Case = { today: '2020-10-15', history: [['2020-10-05', 2]], additions, ...(claims ? { claims } : {}) };
    expect(brief(c)[0]).toEqual(['create', 'recurring', '-', 2, '25.00', '2020-11-01', null, '(short)']);
  });
});
