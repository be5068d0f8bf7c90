// The guide's "Microsoft" invoice-description option, each prorate line's own bill option and taxable, and
// new lines' defaults from the product binding, else the tenant's Settings, else spec §1 (issue 10 items 5, 6).
import { describe, expect, it } from 'vitest';
import {
  type BillingSnapshot,
  type ExistingAddition,
  microsoftDescription,
  type PlanOptions,
  planAdditions,
} from '../../server/billing/index.ts';
import { lineDefaultsOf } from '../../server/sync/plan.ts';

const E3 = 'Microsoft Office 365 Enterprise E3 - Includes Exchange Email and Desktop Office Suite';
const MICROSOFT = 'Pax8 - Microsoft Office 365 Enterprise E3';

// The guide's January 2021 example: 2 seats on 01/04, 3 on 01/17, February already invoiced (next 03/01).
function snapshot(
  product: Partial<BillingSnapshot['product']> = {},
  additions: ExistingAddition[] = [],
): BillingSnapshot {
  return {
    today: '2021-01-18',
    subscription: {
      id: 'sub-1',
      productId: 'prod-e3',
      productName: E3,
      billingTerm: 'Monthly',
      quantity: 3,
      price: '25.00',
      partnerCost: '20.00',
      startDate: '2021-01-04',
      status: 'Active',
      history: [
        { date: '2021-01-04', quantity: 2 },
        { date: '2021-01-17', quantity: 3 },
      ],
    },
    agreement: { id: 225, name: 'Ace Monthly', status: 'Active', nextInvoiceDate: '2021-03-01' },
    product: {
      catalogId: 41,
      identifier: 'MST-OFC-EE3-C100',
      description: E3,
      taxable: true,
      price: '25.00',
      ...product,
    },
    additions,
    syncedChangeKeys: [],
  };
}

const lines = (plan: ReturnType<typeof planAdditions>) =>
  plan.writes.map((w) => [w.kind, w.quantity, w.unitPrice, w.invoiceDescription, w.billCustomer, w.taxable]);

describe('the "Microsoft" invoice description (guide: Short · Long · Microsoft)', () => {
  it.each([
    [E3, MICROSOFT],
    [
      'Microsoft Office 365 Business Essentials - Includes Exchange Email',
      'Pax8 - Microsoft Office 365 Business Essentials',
    ],
    ['Microsoft 365 Business Premium', 'Pax8 - Microsoft 365 Business Premium'],
    ['Acronis Cyber Protect Cloud - Workstation', 'Pax8 - Acronis Cyber Protect Cloud'],
  ])('%s → %s', (name, text) => {
    expect(microsoftDescription(name)).toBe(text);
  });

  it('names the recurring line and stems its prorates and back-bill (guide: "… E3 - Prorated for 01/17/2021-01/31/2021")', () => {
    const plan = planAdditions(snapshot(), { description: { kind: 'microsoft' } });
    expect(lines(plan)).toEqual([
      ['recurring', 3, '25.00', MICROSOFT, 'Billable', true],
      ['prorate', 2, '21.77', `${MICROSOFT} - Prorated for 01/04/2021-01/31/2021`, 'Billable', true],
      ['prorate', 1, '11.29', `${MICROSOFT} - Prorated for 01/17/2021-01/31/2021`, 'Billable', true],
      ['extra', 3, '25.00', `${MICROSOFT} - February 2021`, 'Billable', true],
    ]);
    expect(plan.review[0]?.invoiceDescription).toEqual({ pax8: 'N/A', connectWise: MICROSOFT });
  });
});

describe('bill option and taxable per line', () => {
  it("a prorate's own bill option and taxable are written on that line only", () => {
    const key = planAdditions(snapshot()).prorates[1]?.changeKey ?? '';
    const options: PlanOptions = {
      prorates: { edit: { [key]: { billCustomer: 'NoCharge', taxable: false } } },
    };
    const plan = planAdditions(snapshot(), options);
    expect(lines(plan).map((l) => [l[0], l[1], l[4], l[5]])).toEqual([
      ['recurring', 3, 'Billable', true],
      ['prorate', 2, 'Billable', true],
      ['prorate', 1, 'NoCharge', false],
      ['extra', 3, 'Billable', true],
    ]);
    expect(plan.prorates.map((r) => [r.changeDate, r.billCustomer, r.taxable])).toEqual([
      ['2021-01-04', 'Billable', true],
      ['2021-01-17', 'NoCharge', false],
    ]);
  });

  it('an extra-months line keeps its own bill option and taxable (guide: Configure Extra Months Addition)', () => {
    const plan = planAdditions(snapshot(), {
      backBill: false,
      extraMonths: {
        effectiveDate: '2021-03-01',
        quantity: 1,
        startMonth: '2021-02',
        months: 1,
        billCustomer: 'DoNotBill',
        taxable: false,
      },
    });
    expect(lines(plan).filter((l) => l[0] === 'extra')).toEqual([
      [
        'extra',
        1,
        '25.00',
        'Pax8 - Microsoft Office 365 Enterprise E3 - Includ - February 2021',
        'DoNotBill',
        false,
      ],
    ]);
  });

  it('a bad bill option on a prorate is refused before anything is planned', () => {
    const options = {
      prorates: { edit: { '2021-01-17': { billCustomer: 'Free' } } },
    } as unknown as PlanOptions;
    expect(() => planAdditions(snapshot(), options)).toThrow(
      'a prorate billCustomer must be Billable, DoNotBill or NoCharge',
    );
  });
});

describe('defaults of new lines: binding, else tenant, else spec §1', () => {
  it.each([
    [
      'nothing set: Billable, the catalog item',
      {},
      undefined,
      true,
      { billCustomer: 'Billable', taxable: true },
    ],
    [
      'tenant: DoNotBill, never taxable',
      {},
      { billCustomer: 'DoNotBill', taxable: 'no' },
      true,
      { billCustomer: 'DoNotBill', taxable: false },
    ],
    [
      'tenant: always taxable over a non-taxable item',
      {},
      { billCustomer: 'Billable', taxable: 'yes' },
      false,
      { billCustomer: 'Billable', taxable: true },
    ],
    [
      'tenant: the catalog item',
      {},
      { billCustomer: 'Billable', taxable: 'catalog' },
      false,
      { billCustomer: 'Billable', taxable: false },
    ],
    [
      'binding wins over tenant',
      { billCustomer: 'NoCharge', taxable: true },
      { billCustomer: 'DoNotBill', taxable: 'no' },
      false,
      { billCustomer: 'NoCharge', taxable: true },
    ],
    [
      'binding null: tenant',
      { billCustomer: null, taxable: null },
      { billCustomer: 'DoNotBill', taxable: 'no' },
      true,
      { billCustomer: 'DoNotBill', taxable: false },
    ],
  ] as const)('%s', (_name, binding, tenant, catalog, expected) => {
    expect(lineDefaultsOf(binding, tenant, catalog)).toEqual(expected);
  });

  it("a new line takes the binding's bill option; an update keeps the addition's own", () => {
    const created = planAdditions(snapshot({ billCustomer: 'DoNotBill', taxable: false }));
    expect(lines(created).map((l) => [l[0], l[4], l[5]])).toEqual([
      ['recurring', 'DoNotBill', false],
      ['prorate', 'DoNotBill', false],
      ['prorate', 'DoNotBill', false],
      ['extra', 'DoNotBill', false],
    ]);
    const existing: ExistingAddition = {
      id: 683,
      catalogId: 41,
      quantity: 2,
      unitPrice: 25,
      unitCost: 20,
      effectiveDate: '2021-02-01',
      cancelledDate: null,
      invoiceDescription: 'Pax8 - Microsoft Office 365 Enterprise E3 - Includ',
      billCustomer: 'Billable',
      taxable: true,
    };
    const updated = planAdditions(snapshot({ billCustomer: 'DoNotBill', taxable: false }, [existing]), {
      mode: 'update',
    });
    expect(updated.writes[0]).toMatchObject({
      action: 'update',
      kind: 'recurring',
      billCustomer: 'Billable',
      taxable: true,
    });
  });
});

describe('a co-termed prorate of an annual term keeps its own bill option and taxable too', () => {
  // Annual E3 from 03/14/2026, 5 → 7 seats on 09/15/2026 (the billing-terms-plan figures), synced on 09/20.
  const annual = (): BillingSnapshot => ({
    ...snapshot(),
    today: '2026-09-20',
    subscription: {
      ...snapshot().subscription,
      billingTerm: 'Annual',
      quantity: 7,
      price: '300.00',
      partnerCost: '240.00',
      startDate: '2026-03-14',
      history: [
        { date: '2026-03-14', quantity: 5 },
        { date: '2026-09-15', quantity: 7 },
      ],
    },
    agreement: { id: 7, name: 'Ace Annual', status: 'Active' },
    product: { catalogId: 52, identifier: 'M365-E3-NCE', description: E3, taxable: false },
  });

  it('the prorate line alone is DoNotBill and taxable; the period line keeps the defaults', () => {
    const key = planAdditions(annual()).prorates[0]?.changeKey ?? '';
    expect(key).not.toBe('');
    const plan = planAdditions(annual(), {
      prorates: { edit: { [key]: { billCustomer: 'DoNotBill', taxable: true } } },
    });
    expect(plan.writes.map((w) => [w.kind, w.quantity, w.billCustomer, w.taxable])).toEqual([
      ['period', 5, 'Billable', false],
      ['prorate', 2, 'DoNotBill', true],
    ]);
    expect(plan.prorates.map((r) => [r.changeKey, r.billCustomer, r.taxable])).toEqual([
      [key, 'DoNotBill', true],
    ]);
  });
});
