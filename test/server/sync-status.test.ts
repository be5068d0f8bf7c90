import { describe, expect, it } from 'vitest';
import { type ClassifyInput, classifyRow, currentAddition } from '../../server/sync/status.ts';

const sub = {
  quantity: 2,
  price: 25,
  partnerCost: 20,
  status: 'Active',
  updatedDate: '2020-09-09T10:00:00.000Z',
};
const bound = { cwCatalogId: 682, price: null };
const addition = { quantity: 2, unitPrice: 25, unitCost: 20, updatedAt: '2020-09-10T00:00:00.000Z' };

describe('classifyRow', () => {
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
      'cancelled subscription still billed',
      { subscription: { ...sub, status: 'Cancelled' } },
      'quantity_differs',
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
    expect(classifyRow(input)).toEqual({ status, action, unsyncedChanges: unsynced });
  });
});

describe('currentAddition', () => {
  const rows = [
    { id: 1, catalogId: 682, effectiveDate: '2020-01-01', cancelledDate: '2020-09-30' },
    { id: 2, catalogId: 682, effectiveDate: '2020-10-01', cancelledDate: null },
    { id: 3, catalogId: 682, effectiveDate: '2020-10-01', cancelledDate: '2020-10-31' },
    { id: 4, catalogId: 683, effectiveDate: '2020-11-01', cancelledDate: null },
    { id: 5, catalogId: 684, effectiveDate: '2020-01-01', cancelledDate: '2020-12-31' },
  ];
  it.each([
    [682, '2020-09-20', 2],
    [683, '2020-09-20', 4],
    [684, '2020-09-20', 5],
    [684, '2021-01-05', null],
    [999, '2020-09-20', null],
  ])('catalog %i on %s → addition %s', (catalogId, today, id) => {
    expect(currentAddition(rows, catalogId, today)?.id ?? null).toBe(id);
  });
});
