// The row statuses the pod showed before the judgement (classifyRow), now asked of the one judgement (spec §8)
// at the view's depth: no history read, the journal's last write and the addition's last change as hints.
import { describe, expect, it } from 'vitest';
import { judge } from '../../server/judgement/index.ts';
import { unsyncedChangesOf } from '../../server/sync/view-rows.ts';

type ClassifyInput = {
  subscription: typeof sub;
  productBinding: { cwCatalogId: number; price: string | null } | null;
  addition: typeof addition | null;
  lastSyncedAt: string | null;
};

const sub = {
  quantity: 2,
  price: 25,
  partnerCost: 20,
  status: 'Active',
  updatedDate: '2020-09-09T10:00:00.000Z',
};
const bound = { cwCatalogId: 682, price: null };
const addition: { quantity: number; unitPrice: number; unitCost: number; updatedAt: string | null } = {
  quantity: 2,
  unitPrice: 25,
  unitCost: 20,
  updatedAt: '2020-09-10T00:00:00.000Z',
};

describe("judge at the view's depth (the former classifyRow table)", () => {
  const cases: [string, Partial<ClassifyInput>, string, string, number][] = [
    ['everything agrees', {}, 'synced', 'none', 0],
    ['product not bound', { productBinding: null }, 'product_not_bound', 'bind_product', 0],
    ['no addition', { addition: null }, 'not_on_agreement', 'sync', 1],
    [
      'no addition for a cancelled subscription',
      { addition: null, subscription: { ...sub, status: 'Cancelled' } },
      'synced',
      'none',
      0,
    ],
    [
      'quantity 1 on CW, 2 on Pax8',
      { addition: { ...addition, quantity: 1 } },
      'quantity_differs',
      'sync',
      1,
    ],
    [
      'cancelled subscription still billed (its own status since issue 9)',
      { subscription: { ...sub, status: 'Cancelled' } },
      'cancelled_billing',
      'sync',
      1,
    ],
    ['price 24.99 vs 25.00', { addition: { ...addition, unitPrice: 24.99 } }, 'price_differs', 'sync', 1],
    ['cost 19.00 vs 20.00', { addition: { ...addition, unitCost: 19 } }, 'price_differs', 'sync', 1],
    [
      'binding price 27.50 wins over the Pax8 price',
      { productBinding: { cwCatalogId: 682, price: '27.50' } },
      'price_differs',
      'sync',
      1,
    ],
    [
      'binding price 27.50 matches the addition',
      { productBinding: { cwCatalogId: 682, price: '27.50' }, addition: { ...addition, unitPrice: 27.5 } },
      'synced',
      'none',
      0,
    ],
    [
      'Pax8 changed after the last sync and after the addition',
      {
        lastSyncedAt: '2020-09-01T00:00:00.000Z',
        addition: { ...addition, updatedAt: '2020-09-02T00:00:00.000Z' },
      },
      'change_not_synced',
      'sync',
      1,
    ],
    [
      'Pax8 changed before the last sync',
      { lastSyncedAt: '2020-09-20T00:00:00.000Z', addition: { ...addition, updatedAt: null } },
      'synced',
      'none',
      0,
    ],
    ['nothing known about sync times', { addition: { ...addition, updatedAt: null } }, 'synced', 'none', 0],
  ];
  it.each(cases)('%s → %s / %s', (_name, patch, status, action, unsynced) => {
    const input: ClassifyInput = {
      subscription: sub,
      productBinding: bound,
      addition,
      lastSyncedAt: null,
      ...patch,
    };
    const [verdict] = judge({
      today: '2020-09-20',
      subscriptions: [
        {
          ...input.subscription,
          id: 'sub-1',
          productId: 'p-e3',
          productName: 'E3',
          billingTerm: 'Monthly',
          startDate: '2020-01-01',
          endDate: null,
        },
      ],
      agreements: [{ id: 10, status: 'Active', nextInvoiceDate: '2020-10-01' }],
      additions: input.addition
        ? [
            {
              ...input.addition,
              id: 1,
              agreementId: 10,
              catalogId: 682,
              effectiveDate: '2020-07-01',
              cancelledDate: null,
              marker: { subscriptionId: 'sub-1', kind: 'recurring' },
            },
          ]
        : [],
      productBindings: input.productBinding
        ? [{ pax8ProductId: 'p-e3', billingTerm: 'Monthly', ...input.productBinding }]
        : [],
      lastSyncedAt: new Map(input.lastSyncedAt ? [['sub-1', input.lastSyncedAt]] : []),
    }).verdicts;
    expect([verdict?.status, verdict?.fix, verdict ? unsyncedChangesOf(verdict.status) : null]).toEqual([
      status,
      action,
      unsynced,
    ]);
  });
});
