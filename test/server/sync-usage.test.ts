// Azure at Ace Chemical, billed in arrears (spec §5), through the front door on 11/25/2026: the emulated Pax8
// has invoiced August, September and October (its invoices of 09/04, 10/04 and 11/04), November is running.
// Each closed month becomes one line at Pax8's figures; nothing is billed twice; November waits for its invoice.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aceSubscription, figures, productId } from './demo-fixtures.ts';
import { createHarness, type Harness } from './sync-harness.ts';

const now = new Date('2026-11-25T12:00:00Z');
let h: Harness;
let agreementId: number;
let subscriptionId: string;

beforeEach(async () => {
  h = await createHarness({ now });
  agreementId = h.agreementNamed('Ace Monthly').id;
  subscriptionId = aceSubscription(h.pax8.data, 'azure').id;
});
afterEach(() => h.close());

const usageLines = () =>
  h
    .additionsOf(agreementId)
    .filter((a) => (a.product as { id: number }).id === 687)
    .map((a) => ({ ...figures(a), invoiceDescription: a.invoiceDescription }));

async function plan(token?: string) {
  const res = await h.call('POST', '/api/sync/plan', { subscriptionId, agreementId }, token ? { token } : {});
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json as {
    planId: string;
    defaultEffectiveDate: string;
    additions: Array<Record<string, unknown>>;
    warnings: Array<{ code: string; message: string }>;
  };
}

const line = (month: string, unitCost: string, unitPrice: string) => [
  'usage',
  'create',
  `Pax8 - Microsoft Azure Plan - Usage for ${month}`,
  1,
  unitCost,
  unitPrice,
];
const planned = (p: Awaited<ReturnType<typeof plan>>) =>
  p.additions.map((w) => [w.kind, w.action, w.invoiceDescription, w.quantity, w.unitCost, w.unitPrice]);

describe('Azure usage in arrears, synced from the pod', () => {
  it('plans one line per closed month at Pax8 partner total and customer charge, none for November', async () => {
    const p = await plan();
    expect(p.defaultEffectiveDate).toBe('2026-12-01');
    expect(planned(p)).toEqual([
      line('August 2026', '259.10', '304.55'),
      line('September 2026', '251.40', '295.50'),
      line('October 2026', '259.10', '304.55'),
    ]);
    expect(p.additions.map((w) => [w.effectiveDate, w.cancelledDate])).toEqual([
      ['2026-12-01', '2026-12-31'],
      ['2026-12-01', '2026-12-31'],
      ['2026-12-01', '2026-12-31'],
    ]);
    expect(p.warnings.map((w) => w.message)).toContain(
      'Usage for November 2026: usage not closed yet. Pax8 invoices it around 12/05/2026; it is billed after that.',
    );
  });

  it('writes the three lines once; the next plan and a second apply write nothing', async () => {
    const p = await plan();
    const first = await h.call('POST', '/api/sync/apply', { planId: p.planId });
    expect(first.status, JSON.stringify(first.json)).toBe(200);
    const written = usageLines();
    expect(written.map((a) => [a.invoiceDescription, a.quantity, a.unitCost, a.unitPrice])).toEqual([
      ['Pax8 - Microsoft Azure Plan - Usage for August 2026', 1, 259.1, 304.55],
      ['Pax8 - Microsoft Azure Plan - Usage for September 2026', 1, 251.4, 295.5],
      ['Pax8 - Microsoft Azure Plan - Usage for October 2026', 1, 259.1, 304.55],
    ]);
    const again = await h.call('POST', '/api/sync/apply', { planId: p.planId });
    expect(again.status).toBe(200);
    expect(usageLines()).toEqual(written);
    expect(planned(await plan())).toEqual([]);
  });

  it("bills the binding's markup over the partner total when it has one", async () => {
    const bound = await h.call('POST', '/api/bindings/product', {
      pax8ProductId: productId('azure'),
      billingTerm: 'Monthly',
      cwCatalogId: 687,
      usage: true,
      markupPercent: '15',
    });
    expect(bound.status, JSON.stringify(bound.json)).toBe(201);
    expect(bound.json.binding).toMatchObject({ usage: true, markupPercent: '15' });
    expect(planned(await plan())).toEqual([
      line('August 2026', '259.10', '297.97'),
      line('September 2026', '251.40', '289.11'),
      line('October 2026', '259.10', '297.97'),
    ]);
  });

  it('bills November once Pax8 has invoiced it (12/04), and only November', async () => {
    await h.call('POST', '/api/sync/apply', { planId: (await plan()).planId });
    h.setNow(new Date('2026-12-05T12:00:00Z'));
    const p = await plan(await h.tokenFor(h.tenant.id));
    expect(planned(p)).toEqual([line('November 2026', '251.40', '295.50')]);
  });

  it('judges the pod row per month: billed, not billed with its amount, not closed yet', async () => {
    const view = async () => {
      const res = await h.call('GET', `/api/views/agreement/${agreementId}`);
      expect(res.status, JSON.stringify(res.json)).toBe(200);
      return res.json.rows.find(
        (r: { subscription: { id: string } }) => r.subscription.id === subscriptionId,
      );
    };
    const before = await view();
    expect([before.status, before.action, before.money.term]).toEqual([
      'usage_not_billed',
      'sync',
      'Usage · billed in arrears',
    ]);
    expect(
      before.money.usage.map((m: { month: string; status: string; amount: number }) => [
        m.month,
        m.status,
        m.amount,
      ]),
    ).toEqual([
      ['2026-08', 'not_billed', 30455],
      ['2026-09', 'not_billed', 29550],
      ['2026-10', 'not_billed', 30455],
      ['2026-11', 'not_closed', 0],
    ]);
    expect(before.money.message).toBe(
      'Usage for August 2026 ($304.55), September 2026 ($295.50), October 2026 ($304.55) not billed: $904.60. November 2026: usage not closed yet.',
    );
    await h.call('POST', '/api/sync/apply', { planId: (await plan()).planId });
    const after = await view();
    expect([after.status, after.action]).toEqual(['synced', 'none']);
    expect(after.money.usage.map((m: { status: string }) => m.status)).toEqual([
      'synced',
      'synced',
      'synced',
      'not_closed',
    ]);
  });
});

describe('a first sync after the look-back has passed a month (12/21/2026)', () => {
  it('bills September to November; August is shown older than the look-back with its amount, and the row syncs', async () => {
    h.setNow(new Date('2026-12-21T12:00:00Z'));
    const token = await h.tokenFor(h.tenant.id);
    const p = await plan(token);
    expect(planned(p)).toEqual([
      line('September 2026', '251.40', '295.50'),
      line('October 2026', '259.10', '304.55'),
      line('November 2026', '251.40', '295.50'),
    ]);
    expect(p.warnings.find((w) => w.code === 'beyond_lookback')?.message).toBe(
      'Usage for August 2026 ($304.55) is older than the 3-month look-back and is not billed by default.',
    );
    await h.call('POST', '/api/sync/apply', { planId: p.planId }, { token });
    const res = await h.call('GET', `/api/views/agreement/${agreementId}`, undefined, { token });
    const row = res.json.rows.find(
      (r: { subscription: { id: string } }) => r.subscription.id === subscriptionId,
    );
    // Never "not billed" forever: what the planner will not propose is said, with its amount, and the row is synced.
    expect([row.status, row.action]).toEqual(['synced', 'none']);
    expect(row.money.usage.map((m: { month: string; status: string }) => [m.month, m.status])).toEqual([
      ['2026-08', 'older'],
      ['2026-09', 'synced'],
      ['2026-10', 'synced'],
      ['2026-11', 'synced'],
      ['2026-12', 'not_closed'],
    ]);
    expect(row.money.message).toBe(
      'Every closed usage month in the look-back is billed. Older than the look-back, not billed: August 2026 ($304.55). December 2026: usage not closed yet.',
    );
  });
});

describe('a month whose net is a credit', () => {
  it('is never written as a line, and the view still judges the other months', async () => {
    const october = [...h.pax8.data.invoices.values()].find((x) => x.invoice.invoiceDate === '2026-11-04')!;
    const item = october.items.find((i) => i.term === 'Arrears' && i.subscriptionId === subscriptionId)!;
    item.cost = 0;
    item.costTotal = -12.5;
    item.price = 0;
    item.subTotal = -14.7;
    expect(planned(await plan())).toEqual([
      line('August 2026', '259.10', '304.55'),
      line('September 2026', '251.40', '295.50'),
    ]);
    const res = await h.call('GET', `/api/views/agreement/${agreementId}`);
    expect(res.status).toBe(200);
    const row = res.json.rows.find(
      (r: { subscription: { id: string } }) => r.subscription.id === subscriptionId,
    );
    expect(row.money.usage.map((m: { month: string }) => m.month)).toEqual(['2026-08', '2026-09', '2026-11']);
  });
});

describe("the audit's billed-in-arrears list", () => {
  const arrearsRow = async () => {
    const res = await h.call('GET', '/api/audit/unsynced');
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const rows = res.json.arrears as Array<{
      subscription: { id: string };
      reason: string;
      agreementId: number | null;
      money?: { message: string };
    }>;
    return { row: rows.find((r) => r.subscription.id === subscriptionId), counts: res.json.counts };
  };

  it('lists Azure with its months not billed and the agreement to sync it on, then drops it once synced', async () => {
    const before = await arrearsRow();
    expect(before.row).toMatchObject({ reason: 'arrears', agreementId });
    expect(before.row?.money?.message).toBe(
      'Usage for August 2026 ($304.55), September 2026 ($295.50), October 2026 ($304.55) not billed: $904.60. November 2026: usage not closed yet.',
    );
    await h.call('POST', '/api/sync/apply', { planId: (await plan()).planId });
    const after = await arrearsRow();
    expect(after.row).toBeUndefined();
    expect(after.counts.arrears).toBe(before.counts.arrears - 1);
    expect(after.counts.synced).toBe(before.counts.synced + 1);
  });
});
