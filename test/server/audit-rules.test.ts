// The unsynced audit's pure rules: one row per case, the expected reason written out.
import { describe, expect, it } from 'vitest';
import {
  type AuditInputSubscription,
  auditUnsynced,
  classifySubscription,
  hasEnded,
  isArrears,
} from '../../server/sync/unsynced.ts';

const sub = (over: Partial<AuditInputSubscription> = {}): AuditInputSubscription => ({
  id: 's1',
  companyId: 'p-ace',
  productId: 'prod-e3',
  productName: 'Office 365 E3',
  quantity: 2,
  billingTerm: 'Monthly',
  status: 'Active',
  price: 25,
  partnerCost: 20,
  endDate: null,
  updatedDate: '2020-09-09T00:00:00Z',
  ...over,
});

const ctx = {
  cwCompanyOf: new Map([['p-ace', 250]]),
  boundProducts: new Set(['prod-e3|Monthly']),
  lastSynced: new Map([
    ['synced-after', '2020-09-10T08:00:00Z'],
    ['synced-before', '2020-09-01T08:00:00Z'],
  ]),
};

describe('classifySubscription', () => {
  it.each([
    ['company not bound', sub({ companyId: 'p-other' }), 'company_not_bound'],
    ['product not bound', sub({ productId: 'prod-x' }), 'product_not_bound'],
    ['product bound on another term only', sub({ billingTerm: 'Annual' }), 'product_not_bound'],
    ['bound, no journal row', sub(), 'never_synced'],
    ['synced after the last change', sub({ id: 'synced-after' }), null],
    ['changed after the last sync', sub({ id: 'synced-before' }), 'changed_since_sync'],
    ['synced, no updated date', sub({ id: 'synced-before', updatedDate: null }), null],
    [
      'usage (no price, no cost) even when unbound',
      sub({ companyId: 'p-x', price: 0, partnerCost: 0 }),
      'arrears',
    ],
    ['term Arrears', sub({ billingTerm: 'Arrears' }), 'arrears'],
    ['free trial is not usage', sub({ status: 'Trial', price: 0, partnerCost: 0 }), 'never_synced'],
  ])('%s → %s', (_name, input, expected) => {
    expect(classifySubscription(input, ctx)).toBe(expected);
  });
});

describe('a product bound as usage (issue 10)', () => {
  it.each([
    ['priced, bound with the usage flag', sub(), new Set(['prod-e3|Monthly']), 'arrears'],
    ['priced, usage flag on another term', sub(), new Set(['prod-e3|Annual']), 'never_synced'],
  ])('%s → %s', (_name, input, usageProducts, expected) => {
    expect(classifySubscription(input, { ...ctx, usageProducts })).toBe(expected);
  });
});

describe('isArrears and hasEnded', () => {
  it.each([
    [{ billingTerm: 'Monthly', price: 0, partnerCost: 0, status: 'Active' }, true],
    [{ billingTerm: 'Monthly', price: 0, partnerCost: 3.1, status: 'Active' }, false],
    [{ billingTerm: 'arrears', price: 5, partnerCost: 4, status: 'Active' }, true],
    [{ billingTerm: 'Annual', price: 23, partnerCost: 19, status: 'Active' }, false],
  ])('isArrears(%o) = %s', (input, expected) => {
    expect(isArrears(input)).toBe(expected);
  });

  const now = new Date('2020-09-20T12:00:00Z');
  it.each([
    ['Cancelled', '2020-08-28', true],
    ['Cancelled', '2020-09-19T23:59:59Z', true],
    ['Cancelled', '2020-09-20', false],
    ['Cancelled', '2020-10-31', false],
    ['Cancelled', null, false],
    ['PendingCancel', '2020-08-28', false],
    ['Active', '2020-08-28', false],
  ])('%s ending %s: ended=%s', (status, endDate, expected) => {
    expect(hasEnded({ status, endDate }, now)).toBe(expected);
  });
});

describe('auditUnsynced', () => {
  const now = new Date('2020-09-20T12:00:00Z');
  const base = {
    pax8Companies: [
      { id: 'p-ace', name: 'Ace Chemical' },
      { id: 'p-zed', name: 'Zed Travel' },
    ],
    companyBindings: [{ cwCompanyId: 250, pax8CompanyId: 'p-ace' }],
    productBindings: [{ pax8ProductId: 'prod-e3', billingTerm: 'Monthly' }],
    now,
  };

  it('splits, sorts, counts and keeps ignored subscriptions out of the lists', () => {
    const audit = auditUnsynced({
      ...base,
      subscriptions: [
        sub({ id: 'z1', companyId: 'p-zed' }),
        sub({ id: 'a-synced' }),
        sub({ id: 'a-new', productName: 'Acronis', productId: 'prod-acr' }),
        sub({ id: 'a-azure', productName: 'Azure plan', price: 0, partnerCost: 0 }),
        sub({ id: 'a-gone', status: 'Cancelled', endDate: '2020-08-28' }),
        sub({ id: 'a-ign', productName: 'Teams' }),
        sub({ id: 'a-e3' }),
      ],
      journal: new Map([
        ['a-synced', [{ state: 'done', updatedAt: '2020-09-10T00:00:00Z' }]],
        ['a-e3', [{ state: 'failed', updatedAt: '2020-09-10T00:00:00Z' }]],
      ]),
      ignored: [
        {
          subscriptionId: 'a-ign',
          reason: 'billed elsewhere',
          ignoredBy: 'jsmith',
          ignoredAt: '2020-09-15T00:00:00Z',
        },
        { subscriptionId: 'vanished', reason: '', ignoredBy: 'jsmith', ignoredAt: '2020-09-14T00:00:00Z' },
      ],
    });
    expect(
      audit.nonArrears.map((r) => [r.subscription.id, r.subscription.companyName, r.cwCompanyId, r.reason]),
    ).toEqual([
      ['a-new', 'Ace Chemical', 250, 'product_not_bound'],
      ['a-e3', 'Ace Chemical', 250, 'never_synced'],
      ['z1', 'Zed Travel', null, 'company_not_bound'],
    ]);
    expect(audit.arrears.map((r) => [r.subscription.id, r.reason])).toEqual([['a-azure', 'arrears']]);
    expect(
      audit.ignored.map((r) => [r.subscriptionId, r.note, r.reason, r.subscription?.productName ?? null]),
    ).toEqual([
      ['a-ign', 'billed elsewhere', 'never_synced', 'Teams'],
      ['vanished', '', null, null],
    ]);
    expect(audit.counts).toEqual({
      subscriptions: 7,
      companies: 2,
      nonArrears: 3,
      arrears: 1,
      ignored: 2,
      synced: 1,
      ended: 1,
    });
    expect(audit.checked).toEqual({
      subscriptions: 7,
      companies: 2,
      nothingRead: false,
      statement:
        'Checked 7 Pax8 subscriptions of 2 companies: 3 unsynced, 1 billed in arrears, 2 ignored, 1 synced, 1 ended.',
    });
    expect(audit.checkedAt).toBe('2020-09-20T12:00:00.000Z');
  });

  it('never reports an empty read as clean', () => {
    const audit = auditUnsynced({ ...base, subscriptions: [], journal: new Map(), ignored: [] });
    expect(audit.nonArrears).toEqual([]);
    expect(audit.checked).toEqual({
      subscriptions: 0,
      companies: 0,
      nothingRead: true,
      statement:
        'No subscriptions were read from Pax8, so nothing was checked. An empty list here does not mean everything is synced.',
    });
  });

  it('names a subscription of a company missing from the directory by its id', () => {
    const audit = auditUnsynced({
      ...base,
      subscriptions: [sub({ companyId: 'p-lost', productName: '' })],
      journal: new Map(),
      ignored: [],
    });
    expect(audit.nonArrears[0]?.subscription).toMatchObject({
      companyName: 'Unknown Pax8 company p-lost',
      productName: 'prod-e3',
    });
  });
});
