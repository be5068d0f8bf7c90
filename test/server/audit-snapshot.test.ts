// The audit's paging snapshot (issue 13): a walk reads Pax8 and ConnectWise once, on its first page; the pages
// after a cursor are cut from that reading. A first page always reads again, and a write between two pages
// (an ignore here) makes the next page read again, so a snapshot never hides a change made through the pod.
import { afterEach, describe, expect, it } from 'vitest';
import { auditPageJson, leanAudit } from '../../server/audit-snapshot.ts';
import { generateLargePax8Data } from '../../server/sandbox/pax8/index.ts';
import { auditUnsynced } from '../../server/sync/unsynced.ts';
import { pageAudit } from '../../server/sync/unsynced-page.ts';
import { now } from './demo-fixtures.ts';
import { createHarness, type Harness } from './sync-harness.ts';

let h: Harness;
afterEach(() => h.close());

const pax8Lists = () => h.upstreamCalls.filter((c) => c === 'GET pax8.test/v1/subscriptions').length;
const page = (cursor: string | null) =>
  h.call('GET', `/api/audit/unsynced?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);

describe('GET /api/audit/unsynced: one reading per walk', () => {
  it('450 subscriptions in pages of 100: 3 subscription pages read for the whole walk, not 3 per page', async () => {
    h = await createHarness({
      now,
      pax8Data: generateLargePax8Data({ companies: 60, subscriptions: 450 }, now),
    });
    const first = await page(null);
    expect(first.status).toBe(200);
    // 450 subscriptions are 3 Pax8 pages of 200.
    expect(pax8Lists()).toBe(3);
    let cursor: string | null = first.json.page.nextCursor;
    let pages = 1;
    while (cursor !== null) {
      const next = await page(cursor);
      expect(next.status).toBe(200);
      expect(next.json.counts).toEqual(first.json.counts);
      cursor = next.json.page.nextCursor;
      pages++;
    }
    expect(pages).toBe(Math.ceil((first.json.counts.nonArrears + first.json.counts.arrears) / 100));
    expect(pages).toBeGreaterThan(2);
    expect(pax8Lists()).toBe(3);
    // Reloading (a first page) reads again.
    await page(null);
    expect(pax8Lists()).toBe(6);
  });

  it('an ignore between two pages: the next page reads again and counts the ignore', async () => {
    h = await createHarness({
      now,
      pax8Data: generateLargePax8Data({ companies: 60, subscriptions: 450 }, now),
    });
    const first = await page(null);
    expect(first.json.counts.ignored).toBe(0);
    const id = first.json.nonArrears[0].subscription.id as string;
    expect((await h.call('POST', '/api/audit/ignore', { subscriptionId: id })).status).toBe(201);
    const before = pax8Lists();
    const second = await page(first.json.page.nextCursor);
    expect(second.status).toBe(200);
    expect(pax8Lists()).toBe(before + 3);
    expect(second.json.counts.ignored).toBe(1);
    expect(second.json.counts.nonArrears).toBe(first.json.counts.nonArrears - 1);
    // The walk goes on from the new reading's snapshot.
    await page(second.json.page.nextCursor);
    expect(pax8Lists()).toBe(before + 3);
  });

  it('the sandbox clock passing midnight between two pages reads again (today is part of the judgement)', async () => {
    const late = new Date(`${now.toISOString().slice(0, 10)}T23:55:00Z`);
    h = await createHarness({
      now: late,
      pax8Data: generateLargePax8Data({ companies: 60, subscriptions: 450 }, late),
    });
    const first = await page(null);
    h.setNow(new Date(late.getTime() + 3 * 60_000));
    await page(first.json.page.nextCursor);
    expect(pax8Lists()).toBe(3);
    h.setNow(new Date(late.getTime() + 10 * 60_000));
    const next = await page(first.json.page.nextCursor);
    expect(next.json.error).toBeUndefined();
    expect(pax8Lists()).toBe(6);
  });
});

describe('the snapshot keeps rows as JSON text', () => {
  const sub = (id: string, companyId: string, productName: string) => ({
    id,
    companyId,
    productId: `p-${productName}`,
    productName,
    quantity: 3,
    billingTerm: 'Monthly',
    status: 'Active',
    price: 10,
    partnerCost: 8,
    endDate: null,
    updatedDate: null,
  });
  const audit = auditUnsynced({
    subscriptions: [
      sub('s1', 'c1', 'Exchange "Plan" 1'),
      sub('s2', 'c2', 'Azure'),
      sub('s3', 'c1', 'Teams</script>'),
      { ...sub('s4', 'c2', 'Usage'), price: 0, partnerCost: 0 },
    ],
    pax8Companies: [
      { id: 'c1', name: 'Ace' },
      { id: 'c2', name: 'Émile & Co' },
    ],
    companyBindings: [{ cwCompanyId: 9, pax8CompanyId: 'c1' }],
    productBindings: [],
    journal: new Map(),
    ignored: [{ subscriptionId: 's2', reason: 'test', ignoredBy: 'me', ignoredAt: '2026-11-01T00:00:00Z' }],
    now: new Date('2026-11-20T12:00:00Z'),
  });

  it.each([[{}], [{ limit: 1 }]])(
    'a page of the lean snapshot reads as the page of the audit itself (%j)',
    (query) => {
      const lean = leanAudit(audit);
      let cursor: string | undefined;
      for (let n = 0; n < 5; n++) {
        const q = { ...query, ...(cursor ? { cursor } : {}) };
        const expected = JSON.parse(JSON.stringify(pageAudit(audit, q)));
        expect(JSON.parse(auditPageJson(pageAudit(lean, q)))).toEqual(expected);
        cursor = expected.page.nextCursor ?? undefined;
        if (!cursor) break;
      }
      expect(audit.nonArrears.length + audit.arrears.length).toBe(3);
    },
  );
});
