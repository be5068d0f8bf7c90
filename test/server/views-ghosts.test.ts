// Ghost additions through the front door: billed on the agreement for a bound Pax8 product, with no live
// subscription behind them, read from the same pages as the rows (no extra upstream call).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ace, aceSubscription, now } from './demo-fixtures.ts';
import { createHarness, type Harness } from './sync-harness.ts';

let h: Harness;
let agreementId: number;

type Ghost = { agreementId: number; addition: { catalogId: number }; productName?: string; reason: string };
/** One word per ghost: 'catalogId:reason' (and the agreement in the company view). */
const summary = (ghosts: Ghost[], withAgreement = false) =>
  ghosts.map(
    (g) =>
      `${withAgreement ? `${h.cw.data.tables.agreements.rows.get(g.agreementId)?.name}/` : ''}${g.addition.catalogId}:${g.reason}`,
  );

function cancelAceSubscription(key: string, endDate: string) {
  const sub = aceSubscription(h.pax8.data, key);
  h.pax8.data.patchSubscription(sub.id, { status: 'Cancelled', endDate }, endDate);
}

function addLine(catalogId: number, effectiveDate: string, cancelledDate: string | null, quantity = 1) {
  return h.cw.data.insert('additions', {
    agreementId,
    product: { id: catalogId },
    billCustomer: 'Billable',
    quantity,
    unitPrice: 5,
    unitCost: 4.2,
    effectiveDate: `${effectiveDate}T00:00:00Z`,
    ...(cancelledDate ? { cancelledDate: `${cancelledDate}T00:00:00Z` } : {}),
    invoiceDescription: `Line ${catalogId} from ${effectiveDate}`,
    _info: { lastUpdated: '2020-09-01T00:00:00Z' },
  }).id;
}

beforeEach(async () => {
  h = await createHarness({ now });
  agreementId = h.agreementNamed('Ace Monthly').id;
});
afterEach(() => h.close());

describe('ghosts on GET /api/views/agreement/:id', () => {
  it('demo Ace Monthly bills Business Essentials, Premium and Basic with no Pax8 subscription', async () => {
    const res = await h.call('GET', `/api/views/agreement/${agreementId}`);
    expect(res.status).toBe(200);
    expect(summary(res.json.ghosts)).toEqual([
      '683:no_subscription',
      '684:no_subscription',
      '685:no_subscription',
    ]);
    const additionId = h.additionsOf(agreementId).find((a) => (a.product as { id: number }).id === 683)!.id;
    expect(res.json.ghosts[0]).toEqual({
      agreementId,
      addition: {
        id: additionId,
        catalogId: 683,
        identifier: 'MST-OFB-BES-C100',
        quantity: 26,
        unitPrice: 5,
        unitCost: 4.2,
        effectiveDate: '2018-11-01',
        cancelledDate: null,
        invoiceDescription: 'Microsoft Office 365 Business Essentials - Includes Exchange Email',
      },
      reason: 'no_subscription',
    });
    // The rows are unchanged: one per subscription, ghosts are not rows.
    expect(res.json.rows).toHaveLength(3);
  });

  const cases: [string, () => void, string[]][] = [
    ['demo as seeded', () => {}, ['683:no_subscription', '684:no_subscription', '685:no_subscription']],
    [
      'Dropsuite cancelled last month',
      () => cancelAceSubscription('dropsuite', '2020-08-28'),
      ['683:no_subscription', '684:no_subscription', '685:no_subscription', '686:subscription_cancelled'],
    ],
    [
      'Dropsuite cancelled, ending next week (still there)',
      () => cancelAceSubscription('dropsuite', '2020-09-27'),
      ['683:no_subscription', '684:no_subscription', '685:no_subscription'],
    ],
    [
      'a prorate line for E3 and one for Business Essentials',
      () => {
        addLine(682, '2020-09-01', '2020-09-30');
        addLine(683, '2020-09-01', '2020-09-30');
      },
      ['683:no_subscription', '684:no_subscription', '685:no_subscription'],
    ],
    [
      'Basic cancelled yesterday in ConnectWise, Premium cancelled at month end',
      () => {
        const rows = h.additionsOf(agreementId);
        const of = (id: number) => rows.find((a) => (a.product as { id: number }).id === id)!;
        of(685).cancelledDate = '2020-09-19T00:00:00Z';
        of(684).cancelledDate = '2020-09-30T00:00:00Z';
      },
      ['683:no_subscription', '684:no_subscription'],
    ],
    [
      'a recurring E3 line (E3 has a subscription) and a Basic line starting next month',
      () => {
        addLine(682, '2020-09-01', null, 2);
        addLine(685, '2020-10-01', null);
      },
      ['683:no_subscription', '684:no_subscription', '685:no_subscription'],
    ],
  ];
  it.each(cases)('%s', async (_name, arrange, expected) => {
    arrange();
    const res = await h.call('GET', `/api/views/agreement/${agreementId}`);
    expect(res.status).toBe(200);
    expect(summary(res.json.ghosts)).toEqual(expected);
  });

  it('names the product of the cancelled subscription', async () => {
    cancelAceSubscription('dropsuite', '2020-08-28');
    const res = await h.call('GET', `/api/views/agreement/${agreementId}`);
    expect(res.json.ghosts.find((g: Ghost) => g.addition.catalogId === 686)).toMatchObject({
      productName: 'Dropsuite Business Backup + Email Archiving',
      reason: 'subscription_cancelled',
      addition: { identifier: 'DRS-BBA-C100', quantity: 16 },
    });
  });

  it('costs no upstream call: the same pages as without ghosts', async () => {
    await h.call('GET', `/api/views/agreement/${agreementId}`); // warms the Pax8 token
    h.cw.faults.reset();
    h.pax8.faults.reset();
    const res = await h.call('GET', `/api/views/agreement/${agreementId}`);
    expect(res.json.ghosts).toHaveLength(3);
    // The view's pages (views.test.ts): the agreement, the company's agreements, the additions of Ace Monthly
    // and Ace Cloud Services (read for double billing, spec §7); the ghosts add none. Pax8: + Azure's invoice list (their items were read by the first view).
    expect([h.cw.faults.counts.requests, h.pax8.faults.counts.requests]).toEqual([4, 2 + 1]);
  });

  it('an unbound company has no ghosts (nothing to compare with)', async () => {
    const res = await h.call('GET', `/api/views/agreement/${h.agreementNamed('Denver Monthly').id}`);
    expect(res.status).toBe(200);
    expect(res.json.ghosts).toEqual([]);
  });
});

describe('ghosts on GET /api/views/company/:id', () => {
  it('lists each ghost with its agreement', async () => {
    cancelAceSubscription('dropsuite', '2020-08-28');
    const res = await h.call('GET', `/api/views/company/${ace.cwId}`);
    expect(res.status).toBe(200);
    expect(summary(res.json.ghosts, true)).toEqual([
      'Ace Monthly/683:no_subscription',
      'Ace Monthly/684:no_subscription',
      'Ace Monthly/685:no_subscription',
      'Ace Monthly/686:subscription_cancelled',
      'Ace Cloud Services/686:subscription_cancelled',
    ]);
  });

  it('reads one page of additions per agreement, nothing more', async () => {
    await h.call('GET', `/api/views/company/${ace.cwId}`);
    h.cw.faults.reset();
    h.pax8.faults.reset();
    const res = await h.call('GET', `/api/views/company/${ace.cwId}`);
    expect(res.json.ghosts).toHaveLength(3);
    // CW: the company, its agreements, two pages of additions. Pax8: the company and its subscriptions, and
    // the invoice list that closes Azure's usage months (issue 10; items read once per invoice, views.test.ts).
    expect([h.cw.faults.counts.requests, h.pax8.faults.counts.requests]).toEqual([4, 2 + 1]);
  });
});
