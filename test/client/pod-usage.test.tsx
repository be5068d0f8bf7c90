// A usage product's row reads month by month (spec §5): each closed month synced or not billed with its
// amount, then the month still running as "usage not closed yet"; its status badge says "Usage not billed".
import { render } from 'preact';
import { describe, expect, it } from 'vitest';
import { rowNotes } from '../../client/pod/views/subscription-rows.tsx';
import type { ViewRow } from '../../client/state/pod-schemas.ts';
import { createProductModel } from '../../client/state/product-model.ts';
import { StatusBadge } from '../../client/ui/status-badge.tsx';
import { FakePodServer } from './pod-fakes.ts';

const azure: ViewRow = {
  subscription: {
    id: 'sub-azure',
    productId: 'prod-azure',
    productName: 'Microsoft Azure Plan',
    quantity: 1,
    price: 0,
    partnerCost: 0,
    billingTerm: 'Monthly',
    status: 'Active',
    startDate: '2026-06-01',
  },
  productBinding: { catalogId: 687, identifier: 'MST-AZR-PLN-C100' },
  agreementId: 225,
  addition: null,
  status: 'usage_not_billed',
  action: 'sync',
  unsyncedChanges: 1,
  fixAdditionIds: [],
  writeInFlight: false,
  money: {
    firstUninvoicedMonth: '2026-12',
    months: [],
    backBill: 0,
    olderShortfall: 0,
    message: 'Usage for October 2026 ($304.55) not billed: $304.55. November 2026: usage not closed yet.',
    usage: [
      { month: '2026-09', status: 'synced', amount: 29550, additionId: 41 },
      { month: '2026-10', status: 'not_billed', amount: 30455, additionId: null },
      { month: '2026-11', status: 'not_closed', amount: 0, additionId: null },
    ],
  },
};

describe('a usage row', () => {
  it('says each month in words', () => {
    expect(rowNotes(azure)).toEqual([
      'Usage for September 2026: synced ($295.50)',
      'Usage for October 2026: not billed ($304.55)',
      'Usage for November 2026: usage not closed yet',
    ]);
  });

  it('badges "Usage not billed" in text, not colour alone', () => {
    const root = document.createElement('div');
    render(<StatusBadge status="usage_not_billed" />, root);
    expect(root.textContent).toBe('+ Usage not billed');
  });
});

describe('binding a usage product', () => {
  it.each([
    ['looks like usage (no price, no cost): the box starts ticked', true, undefined, true],
    ['a seat product: unticked', false, undefined, false],
    ['looks like usage, unticked by the user', true, false, false],
  ])('%s', async (_name, looksLikeUsage, choice, sent) => {
    const server = new FakePodServer();
    server.on('POST /api/bindings/product', (body) => ({ status: 201, body: { binding: body } }));
    const product = createProductModel({
      api: server.api(),
      product: {
        pax8ProductId: 'p-azure',
        productName: 'Microsoft Azure Plan',
        billingTerm: 'Monthly',
        looksLikeUsage,
      },
    });
    expect(product.usage.value).toBe(looksLikeUsage);
    if (choice !== undefined) product.setUsage(choice);
    expect(await product.bindTo(687)).toBe(true);
    expect(server.bodies('POST /api/bindings/product')).toEqual([
      { pax8ProductId: 'p-azure', billingTerm: 'Monthly', cwCatalogId: 687, usage: sent },
    ]);
  });
});
