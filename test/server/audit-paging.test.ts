// GET /api/audit/unsynced in pages (issue 13) through the front door with both emulators: pages concatenate to
// the whole list with no duplicate and no gap, every page states what was checked in full, bad paging is a 400.
import { afterEach, describe, expect, it } from 'vitest';
import { generateLargePax8Data } from '../../server/sandbox/pax8/index.ts';
import { now } from './demo-fixtures.ts';
import { createHarness, type Harness } from './sync-harness.ts';

let h: Harness;
afterEach(() => h.close());

type Row = { subscription: { id: string }; reason: string };
const ids = (rows: Row[]) => rows.map((r) => r.subscription.id);

describe('GET /api/audit/unsynced paged', () => {
  it.each([
    ['450 generated subscriptions', 97, true],
    ['the demo MSP (92 unsynced, then 1 in arrears)', 7, false],
  ])(
    'pages of %s (limit %i) concatenate to the one-page list, no duplicate, no gap',
    async (_, limit, large) => {
      h = await createHarness(
        large
          ? { now, pax8Data: generateLargePax8Data({ companies: 60, subscriptions: 450 }, now) }
          : { now },
      );
      const whole = await h.call('GET', '/api/audit/unsynced?limit=1000');
      expect(whole.status).toBe(200);
      expect(whole.json.page.nextCursor).toBeNull();
      const all = [...ids(whole.json.nonArrears), ...ids(whole.json.arrears)];
      const counts = whole.json.counts;
      expect(counts.subscriptions).toBe(large ? 450 : 96);
      expect(all).toHaveLength(counts.nonArrears + counts.arrears);
      if (!large) expect(counts).toMatchObject({ nonArrears: 92, arrears: 1 });
      expect(all.length).toBeGreaterThan(2 * limit);

      const seen: string[] = [];
      const pages: { returned: number; ignored: number }[] = [];
      let cursor: string | null = null;
      do {
        const q: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
        const page = await h.call('GET', `/api/audit/unsynced?limit=${limit}${q}`);
        expect(page.status).toBe(200);
        // Every page states the whole audit: an empty or short page never reads as "all clean".
        expect(page.json.counts).toEqual(counts);
        expect(page.json.checked).toEqual(whole.json.checked);
        seen.push(...ids(page.json.nonArrears), ...ids(page.json.arrears));
        pages.push({ returned: page.json.page.returned, ignored: page.json.ignored.length });
        cursor = page.json.page.nextCursor;
      } while (cursor !== null && pages.length < 50);
      expect(seen).toEqual(all);
      expect(new Set(seen).size).toBe(seen.length);
      expect(pages.map((p) => p.returned)).toEqual(
        Array.from({ length: Math.ceil(all.length / limit) }, (_, i) =>
          Math.min(limit, all.length - limit * i),
        ),
      );
    },
  );

  it('answers 200 rows by default and carries the ignored list on the first page only', async () => {
    h = await createHarness({
      now,
      pax8Data: generateLargePax8Data({ companies: 60, subscriptions: 450 }, now),
    });
    const first = await h.call('GET', '/api/audit/unsynced');
    const id = first.json.nonArrears[0].subscription.id as string;
    expect((await h.call('POST', '/api/audit/ignore', { subscriptionId: id })).status).toBe(201);
    const page1 = await h.call('GET', '/api/audit/unsynced');
    expect(page1.json.page).toMatchObject({ limit: 200, returned: 200 });
    expect(page1.json.nonArrears).toHaveLength(200);
    expect(ids(page1.json.nonArrears)).not.toContain(id);
    expect(page1.json.ignored.map((i: { subscriptionId: string }) => i.subscriptionId)).toEqual([id]);
    const page2 = await h.call(
      'GET',
      `/api/audit/unsynced?cursor=${encodeURIComponent(page1.json.page.nextCursor)}`,
    );
    expect(page2.status).toBe(200);
    expect(page2.json.ignored).toEqual([]);
    expect(page2.json.counts.ignored).toBe(1);
    expect(ids(page2.json.nonArrears)[0]).not.toBe(ids(page1.json.nonArrears)[199]);
  });

  const forged = Buffer.from(JSON.stringify({ offset: 5 })).toString('base64url');
  it.each([
    ['limit=0', 'limit'],
    ['limit=1001', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=-5', 'limit'],
    ['limit=2.5', 'limit'],
    ['cursor=', 'cursor'],
    ['cursor=not%20a%20cursor', 'cursor'],
    [`cursor=${forged}`, 'cursor'],
    ['page=2', 'page'],
  ])('?%s is a 400 naming %s, before any upstream read', async (query, field) => {
    h = await createHarness({ now });
    const res = await h.call('GET', `/api/audit/unsynced?${query}`);
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('bad_request');
    expect(res.json.error.message).toContain(field);
    expect(h.upstreamCalls).toEqual([]);
  });
});
