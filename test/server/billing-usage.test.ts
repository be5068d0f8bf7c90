// Usage billed in arrears (spec §5): Azure at Ace, synced on 11/20/2026 with the agreement invoiced through
// November (first un-invoiced month December). One line per closed month, at Pax8's figures, never recurring.
import { describe, expect, it } from 'vitest';
import {
  type BillingSnapshot,
  type PlanOptions,
  planAdditions,
  type UsageSnapshot,
  usagePrice,
} from '../../server/billing/index.ts';

const AUGUST = { month: '2026-08', partnerTotal: '85.00', currentCharges: '100.00' };
const SEPTEMBER = { month: '2026-09', partnerTotal: '90.55', currentCharges: '106.53' };
const OCTOBER = { month: '2026-10', partnerTotal: '120.37', currentCharges: '141.61' };
const NOVEMBER = { month: '2026-11', partnerTotal: '40.12', currentCharges: '47.20' };

function snapshot(usage: Partial<UsageSnapshot> = {}): BillingSnapshot {
  return {
    today: '2026-11-20',
    subscription: {
      id: 'sub-azure',
      productId: 'prod-azure',
      productName: 'Microsoft Azure Plan',
      billingTerm: 'Monthly',
      quantity: 1,
      price: 0,
      partnerCost: 0,
      startDate: '2026-06-01',
      status: 'Active',
      history: [{ date: '2026-06-01', quantity: 1 }],
    },
    agreement: { id: 225, name: 'Ace Monthly', status: 'Active', nextInvoiceDate: '2026-12-01' },
    product: { catalogId: 687, identifier: 'MST-AZR-PLN-C100', description: 'Pax8 - Azure', taxable: false },
    additions: [],
    syncedChangeKeys: [],
    usage: { closed: [AUGUST, SEPTEMBER, OCTOBER], open: NOVEMBER, billed: [], ...usage },
  };
}

const lines = (s: BillingSnapshot, options: PlanOptions = {}) =>
  planAdditions(s, options).writes.map((w) => [
    w.kind,
    w.invoiceDescription,
    w.quantity,
    w.unitCost,
    w.unitPrice,
    w.effectiveDate,
    w.cancelledDate,
  ]);

describe('usage in arrears: one line per closed month', () => {
  it.each([
    [
      "no markup: Pax8's customer charge",
      snapshot(),
      {},
      [
        [
          'usage',
          'Pax8 - Microsoft Azure Plan - Usage for August 2026',
          1,
          '85.00',
          '100.00',
          '2026-12-01',
          '2026-12-31',
        ],
        [
          'usage',
          'Pax8 - Microsoft Azure Plan - Usage for September 2026',
          1,
          '90.55',
          '106.53',
          '2026-12-01',
          '2026-12-31',
        ],
        [
          'usage',
          'Pax8 - Microsoft Azure Plan - Usage for October 2026',
          1,
          '120.37',
          '141.61',
          '2026-12-01',
          '2026-12-31',
        ],
      ],
    ],
    [
      '15% markup over the partner total, half-up',
      snapshot({ markupPercent: '15' }),
      {},
      [
        [
          'usage',
          'Pax8 - Microsoft Azure Plan - Usage for August 2026',
          1,
          '85.00',
          '97.75',
          '2026-12-01',
          '2026-12-31',
        ],
        [
          'usage',
          'Pax8 - Microsoft Azure Plan - Usage for September 2026',
          1,
          '90.55',
          '104.13',
          '2026-12-01',
          '2026-12-31',
        ],
        [
          'usage',
          'Pax8 - Microsoft Azure Plan - Usage for October 2026',
          1,
          '120.37',
          '138.43',
          '2026-12-01',
          '2026-12-31',
        ],
      ],
    ],
    [
      'September already billed (marker): never twice',
      snapshot({ billed: ['2026-09'] }),
      {},
      [
        [
          'usage',
          'Pax8 - Microsoft Azure Plan - Usage for August 2026',
          1,
          '85.00',
          '100.00',
          '2026-12-01',
          '2026-12-31',
        ],
        [
          'usage',
          'Pax8 - Microsoft Azure Plan - Usage for October 2026',
          1,
          '120.37',
          '141.61',
          '2026-12-01',
          '2026-12-31',
        ],
      ],
    ],
    [
      'a later effective date chosen in the wizard',
      snapshot({ closed: [OCTOBER] }),
      { effectiveDate: '2027-01-01' },
      [
        [
          'usage',
          'Pax8 - Microsoft Azure Plan - Usage for October 2026',
          1,
          '120.37',
          '141.61',
          '2027-01-01',
          '2027-01-31',
        ],
      ],
    ],
    ['only the running month: nothing, never a $0 line', snapshot({ closed: [] }), {}, []],
    ['every closed month billed', snapshot({ billed: ['2026-08', '2026-09', '2026-10'] }), {}, []],
  ])('%s', (_name, s, options, expected) => {
    expect(lines(s, options)).toEqual(expected);
  });

  it('says the running month is not closed yet', () => {
    const plan = planAdditions(snapshot({ closed: [AUGUST, SEPTEMBER, OCTOBER] }));
    expect(plan.warnings.map((w) => [w.code, w.message])).toEqual([
      [
        'usage_not_closed',
        'Usage for November 2026: usage not closed yet. Pax8 invoices it around 12/05/2026; it is billed after that.',
      ],
    ]);
  });

  it('nothing closed yet: October, not invoiced by Pax8, is not closed either (as the pod row says)', () => {
    const plan = planAdditions(snapshot({ closed: [] }));
    expect(plan.warnings.map((w) => w.message)).toEqual([
      'Usage for October 2026: usage not closed yet. Pax8 invoices it around 11/05/2026; it is billed after that.',
      'Usage for November 2026: usage not closed yet. Pax8 invoices it around 12/05/2026; it is billed after that.',
    ]);
  });

  it('on 12/01 both November (invoiced around 12/05) and December are not closed; the wizard named December only', () => {
    const s = { ...snapshot({ open: { ...NOVEMBER, month: '2026-12' } }), today: '2026-12-01' };
    expect(
      planAdditions(s)
        .warnings.filter((w) => w.code === 'usage_not_closed')
        .map((w) => w.message),
    ).toEqual([
      'Usage for November 2026: usage not closed yet. Pax8 invoices it around 12/05/2026; it is billed after that.',
      'Usage for December 2026: usage not closed yet. Pax8 invoices it around 01/05/2027; it is billed after that.',
    ]);
  });

  it('never proposes a recurring addition, even when a seat quantity is asked for', () => {
    const plan = planAdditions(snapshot(), { quantity: 5 });
    expect(plan.writes.every((w) => w.kind === 'usage' && w.action === 'create')).toBe(true);
    expect(plan.warnings.map((w) => w.code)).toContain('usage_in_arrears');
  });

  it('keeps months older than the look-back out of the default, with their amount', () => {
    const plan = planAdditions(snapshot(), { lookbackMonths: 1 });
    expect(plan.writes.map((w) => w.changeKey)).toEqual(['2026-10']);
    const older = plan.warnings.find((w) => w.code === 'beyond_lookback');
    expect(older?.amount).toBe('206.53');
    expect(older?.message).toBe(
      'Usage for August 2026, September 2026 ($206.53) is older than the 1-month look-back and is not billed by default.',
    );
  });

  it('reviews Pax8 month figures beside the ConnectWise line', () => {
    const [row] = planAdditions(snapshot({ closed: [AUGUST], markupPercent: '15' })).review;
    expect(row).toMatchObject({
      kind: 'usage',
      title: 'Creating new ConnectWise addition: usage for August 2026',
      term: { pax8: 'Arrears', connectWise: 'One-Time' },
      cost: { pax8: '$85.00', connectWise: '$85.00 ($85.00 × 1 unit)' },
      price: { pax8: '$100.00', connectWise: '$97.75 ($97.75 × 1 unit)' },
      chargeLabel: 'Non-Recurring',
    });
  });

  it.each([
    ['15', '97.75'],
    ['12.5', '95.63'],
    ['0', '85.00'],
    [null, '100.00'],
  ])('markup %s over 85.00 → %s', (markup, price) => {
    expect(usagePrice(AUGUST, markup)).toBe(Number(price.replace('.', '')));
  });

  it('refuses a markup that is not a percent', () => {
    expect(() => usagePrice(AUGUST, '15%')).toThrow('markupPercent must be a percent');
  });

  it('ends the $0 recurring addition written for it before usage was recognised, once', () => {
    const s = snapshot({ closed: [OCTOBER] });
    s.additions = [
      {
        id: 77,
        catalogId: 687,
        quantity: 1,
        unitPrice: '0.00',
        unitCost: '0.00',
        effectiveDate: '2026-07-01',
        cancelledDate: null,
        invoiceDescription: 'Pax8 - Microsoft Azure Plan',
        billCustomer: 'Billable',
        taxable: false,
        marker: { subscriptionId: 'sub-azure', kind: 'recurring', write: '0123456789abcdef' },
      },
    ];
    const plan = planAdditions(s);
    expect(plan.writes.map((w) => [w.kind, w.action, w.additionId, w.cancelledDate])).toEqual([
      ['usage', 'create', undefined, '2026-12-31'],
      ['recurring', 'cancel', 77, '2026-11-30'],
    ]);
    expect(plan.warnings.find((w) => w.code === 'usage_recurring_ended')?.message).toBe(
      'Recurring addition 77 is ended on 11/30/2026: Microsoft Azure Plan is usage, billed per closed month, never as a recurring addition.',
    );
    // Once ended (cancelled before the first un-invoiced month), it is left alone.
    s.additions = [{ ...s.additions[0]!, cancelledDate: '2026-11-30' }];
    expect(planAdditions(s).writes.map((w) => w.kind)).toEqual(['usage']);
  });
});
