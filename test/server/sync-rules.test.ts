// The small pure rules of sync: the hand-edit comparison, the crash-recovery marker, and name matching.
import { describe, expect, it } from 'vitest';
import { changedFields, matchesMarker } from '../../server/sync/apply.ts';
import { nameScore, rankCandidates } from '../../server/sync/candidates.ts';
import type { AdditionInput, SyncAddition } from '../../server/sync/ports.ts';

const addition: SyncAddition = {
  id: 7,
  agreementId: 3,
  catalogId: 682,
  quantity: 2,
  unitPrice: 25,
  unitCost: 20,
  effectiveDate: '2020-10-01',
  cancelledDate: null,
  invoiceDescription: 'Pax8 - Office 365 E3',
  billCustomer: 'Billable',
  taxable: false,
  updatedAt: null,
  description: '',
  marker: null,
};

describe('changedFields (expected at planning vs ConnectWise now)', () => {
  it.each([
    ['nothing changed', { quantity: 2, unitPrice: '25.00', unitCost: '20.00', cancelledDate: null }, []],
    [
      'quantity edited',
      { quantity: 3, unitPrice: '25.00', unitCost: '20.00', cancelledDate: null },
      ['quantity'],
    ],
    [
      'price edited by a cent',
      { quantity: 2, unitPrice: '25.01', unitCost: '20.00', cancelledDate: null },
      ['unitPrice'],
    ],
    [
      'cancelled by hand',
      { quantity: 2, unitPrice: '25.00', unitCost: '20.00', cancelledDate: '2020-12-31' },
      ['cancelledDate'],
    ],
    ['same date, CW date-time form', { effectiveDate: '2020-10-01T00:00:00Z' }, []],
    ['several fields', { quantity: 1, unitCost: '19.00' }, ['quantity', 'unitCost']],
  ] as const)('%s → %j', (_name, expected, fields) => {
    expect(changedFields(expected, addition)).toEqual(fields);
  });
});

describe('matchesMarker (is this the addition a lost answer created?)', () => {
  const input: AdditionInput = {
    catalogId: 682,
    quantity: 2,
    unitPrice: 25,
    unitCost: 20,
    effectiveDate: '2020-10-01',
    cancelledDate: null,
    invoiceDescription: 'Pax8 - Office 365 E3',
    billCustomer: 'Billable',
    taxable: false,
  };
  it.each([
    ['identical', {}, true],
    ['other product', { catalogId: 683 }, false],
    ['other quantity', { quantity: 3 }, false],
    ['other price', { unitPrice: 24.99 }, false],
    ['other effective date', { effectiveDate: '2020-11-01' }, false],
    ['has a cancelled date', { cancelledDate: '2020-10-31' }, false],
    ['other description', { invoiceDescription: 'Pax8 - Office 365 E3 - Prorated' }, false],
  ] as const)('%s → %s', (_name, patch, match) => {
    expect(matchesMarker({ ...addition, ...patch }, input)).toBe(match);
  });
});

describe('candidate names', () => {
  it.each([
    ['Denver Broncos', 'Denver Broncos', 1],
    ['Cedar & Pine Law Office', 'Cedar and Pine Law Office', 1],
    ['Yellowstone Outfitters', 'Yellowstone Outfitters LLC', 1],
    ['O\'Brien "IT" Partners', 'OBrien IT Partners', 1],
    ['Harbor Logistics Inc.', 'Harbour Logistics', 0.9],
    ['Xenon Labs', 'Zephyr Travel', 0],
  ])('%s vs %s → %s', (a, b, score) => {
    expect(nameScore(a, b)).toBe(score);
  });

  it('ranks the likely matches first and drops the unlikely', () => {
    const companies = [
      { id: 'a', name: 'Zephyr Travel' },
      { id: 'b', name: 'Denver Broncos Football' },
      { id: 'c', name: 'Denver Broncos' },
    ];
    expect(rankCandidates('Denver Broncos', companies).map((c) => c.pax8CompanyId)).toEqual(['c', 'b']);
  });
});
