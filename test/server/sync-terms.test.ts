// Terms from Pax8 to the plan (spec §5): the commitment, the order time and a trial's conversion are read from
// Pax8's subscription (commitmentTerm or commitment on the wire, createdDate, billingStart).
import { describe, expect, it } from 'vitest';
import { toSubscription } from '../../server/pax8/sync-adapter.ts';

const wire = {
  id: 's1',
  companyId: 'c1',
  productId: 'p1',
  productName: 'Microsoft 365 E3 (NCE)',
  quantity: 5,
  price: 36,
  partnerCost: 28.8,
  status: 'Active',
  startDate: '2026-03-14T00:00:00Z',
  createdDate: '2026-03-14T14:00:00Z',
  billingStart: '2026-03-14T00:00:00Z',
};

describe('toSubscription: what the terms need from Pax8', () => {
  it('reads the commitment, the order time, and no conversion when billing starts at the start', () => {
    const s = toSubscription({
      ...wire,
      billingTerm: 'Monthly',
      commitmentTerm: { term: 'Annual', endDate: '2027-03-13T00:00:00Z' },
    });
    expect([s.commitment, s.createdDate, s.convertedDate]).toEqual([
      { term: 'Annual', endDate: '2027-03-13' },
      '2026-03-14T14:00:00Z',
      null,
    ]);
  });

  it('a trial converted later: billingStart is the conversion day', () => {
    const s = toSubscription({ ...wire, billingTerm: 'Annual', billingStart: '2026-04-10T00:00:00Z' });
    expect([s.commitment, s.convertedDate]).toEqual([null, '2026-04-10']);
  });
});
