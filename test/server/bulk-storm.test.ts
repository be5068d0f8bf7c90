// A bulk apply of 500 subscriptions (100 companies × 5) under a storm on both emulated upstreams — 20 % of
// requests answered 429 with Retry-After, 20 % answered 500 (a fixed seed) — ends with exactly the planned
// additions: every planned create once, nothing else, with its planned figures. Waits move the sandbox clock.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeIdOf } from '../../server/sync/marker.ts';
import { bulkHarness, type Harness } from './sync-harness.ts';

const now = new Date('2026-01-15T12:00:00Z');
const COMPANIES = Number(process.env.BULK_STORM_COMPANIES ?? 100);

let h: Harness;
let data: Awaited<ReturnType<typeof bulkHarness>>['data'];

beforeEach(async () => {
  ({ h, data } = await bulkHarness({ companies: COMPANIES, now }));
});
afterEach(() => h.close());

type Line = { key: string; kind: string; action: string; quantity: number; unitPrice: string };

describe('a bulk apply under a 429 and 500 storm', () => {
  it(`${COMPANIES * 5} subscriptions end with exactly the planned additions`, {
    timeout: 600_000,
  }, async () => {
    const review = await h.call('POST', '/api/bulk/plan', { items: data.items });
    expect(review.status, JSON.stringify(review.json).slice(0, 500)).toBe(200);
    expect(review.json.refused).toEqual([]);
    expect(review.json.items).toHaveLength(data.items.length);
    const planned = new Map<string, Line & { agreementId: number }>();
    for (const g of review.json.groups as { agreementId: number; lines: Line[] }[]) {
      for (const l of g.lines) {
        expect(l.action).toBe('create');
        planned.set(writeIdOf(l.key), { ...l, agreementId: g.agreementId });
      }
    }
    expect(planned.size).toBeGreaterThanOrEqual(data.items.length);

    const storm = { rateLimitShare: 0.2, serverErrorShare: 0.2, retryAfterSeconds: 1, stormSeed: 11 };
    for (const f of [h.cw.faults, h.pax8.faults]) {
      f.reset();
      f.set(storm);
    }
    const started = await h.call('POST', '/api/bulk/jobs', { planId: review.json.planId });
    expect(started.status, JSON.stringify(started.json).slice(0, 500)).toBe(202);
    let job = started.json;
    for (let i = 0; i < 100_000 && job.state !== 'done'; i++) {
      await new Promise((r) => setTimeout(r, 250));
      // The waits move the clock past a session's 15 minutes: each look signs in again, as the page would.
      const res = await h.call('GET', `/api/bulk/jobs/${job.id}`, undefined, {
        token: await h.tokenFor(h.tenant.id),
      });
      expect(res.status, JSON.stringify(res.json).slice(0, 300)).toBe(200);
      job = res.json;
    }
    // The storm hit: about a fifth of ConnectWise's answers were 429 and a fifth 500, writes included.
    const { requests, rateLimited, serverErrors } = h.cw.faults.counts;
    expect(rateLimited / requests).toBeGreaterThan(0.15);
    expect(serverErrors / requests).toBeGreaterThan(0.15);
    h.cw.faults.reset();
    h.pax8.faults.reset();
    const failures = job.items
      .filter((i: { state: string }) => i.state !== 'done')
      .map((i: { error: unknown }) => i.error);
    expect(failures).toEqual([]);
    expect([job.done, job.failed]).toEqual([data.items.length, 0]);

    const written = [...h.cw.data.tables.additions.rows.values()];
    const byWrite = new Map<string, number>();
    for (const a of written) {
      const marker = /\[pax8:[^:]+:[a-z-]+:([0-9a-f]{16})\]/.exec(String(a.description))?.[1] ?? 'unmarked';
      byWrite.set(marker, (byWrite.get(marker) ?? 0) + 1);
    }
    // Every addition is a planned write, each written once.
    expect([...byWrite.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    expect([...byWrite.keys()].filter((w) => !planned.has(w))).toEqual([]);
    expect(written).toHaveLength(planned.size);
    for (const a of written) {
      const w = /([0-9a-f]{16})\]$/.exec(String(a.description))?.[1] as string;
      const line = planned.get(w)!;
      expect([a.agreementId, a.quantity, Number(a.unitPrice).toFixed(2)]).toEqual([
        line.agreementId,
        line.quantity,
        Number(line.unitPrice).toFixed(2),
      ]);
    }
  });
});
