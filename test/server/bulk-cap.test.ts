// Gentle with ConnectWise: a bulk job of 20 subscriptions runs its items 4 at a time per tenant (TENANT_CONCURRENCY),
// so ConnectWise never sees more than 4 of the tenant's requests at once, and does see several (the job is not
// one item after another).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TENANT_CONCURRENCY } from '../../server/jobs/bulk-runner.ts';
import { bulkHarness, type Harness } from './sync-harness.ts';

const now = new Date('2026-01-15T12:00:00Z');
let h: Harness;
let data: Awaited<ReturnType<typeof bulkHarness>>['data'];

beforeEach(async () => {
  ({ h, data } = await bulkHarness({ companies: 4, now }));
});
afterEach(() => h.close());

describe('the per-tenant cap', () => {
  it(`keeps at most ${TENANT_CONCURRENCY} ConnectWise requests of the tenant in flight during a job`, async () => {
    const review = await h.call('POST', '/api/bulk/plan', { items: data.items });
    expect(review.status).toBe(200);
    let inFlight = 0;
    let most = 0;
    h.interceptUpstream(async (req, send) => {
      if (new URL(req.url).host !== 'cw.test') return send(req);
      inFlight++;
      most = Math.max(most, inFlight);
      try {
        await new Promise((r) => setTimeout(r, 5)); // a little latency, so requests overlap
        return await send(req);
      } finally {
        inFlight--;
      }
    });
    const started = await h.call('POST', '/api/bulk/jobs', { planId: review.json.planId });
    let job = started.json;
    while (job.state !== 'done') {
      await new Promise((r) => setTimeout(r, 20));
      job = (await h.call('GET', `/api/bulk/jobs/${job.id}`)).json;
    }
    expect([job.done, job.failed]).toEqual([20, 0]);
    expect(most).toBe(TENANT_CONCURRENCY);
  });
});
