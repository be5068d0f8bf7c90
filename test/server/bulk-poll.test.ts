// A job's poll asks only what changed (issue 11): GET /api/bulk/jobs/:id answers a `cursor`, and with
// `?since=<cursor>` only the items changed after it, with the counts of the whole job; without `since` (an older
// client) every item, as before. Polled that way to its end, a real job's items add up to its full answer.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bulkHarness, type Harness } from './sync-harness.ts';

const now = new Date('2026-01-15T12:00:00Z');
let h: Harness;
let data: Awaited<ReturnType<typeof bulkHarness>>['data'];

beforeEach(async () => {
  ({ h, data } = await bulkHarness({ companies: 2, now }));
});
afterEach(() => h.close());

const SUB = (n: number) => `a0000000-0000-4000-a000-00000000000${n}`;

/** A finished job of three items (nothing for a runner to do), each written as the runner would record it. */
async function finishedJob(): Promise<string> {
  const apply = (n: number) => ({
    type: 'apply',
    plan: {
      id: `plan-${n}`,
      subscriptionId: SUB(n),
      agreementId: 7,
      body: { writes: [{ key: 'rec', action: 'create' }] },
    },
    ignore: [],
  });
  const done = (additionId: number) => ({
    type: 'apply',
    result: { applied: [{ key: 'rec', additionId }], skipped: [] },
  });
  const { job } = await h.repos.bulkJobs.create(h.tenant.id, {
    kind: 'apply',
    source: 'test:poll',
    memberId: 'jsmith',
    memberName: 'John Smith',
    items: [0, 1, 2].map((n) => ({ payload: apply(n), state: 'done' as const, result: done(900 + n) })),
  });
  return job.id;
}

const get = async (jobId: string, since?: string) => {
  const res = await h.call('GET', `/api/bulk/jobs/${jobId}${since === undefined ? '' : `?since=${since}`}`);
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json;
};
const seqs = (job: { items: { seq: number }[] }) => job.items.map((i) => i.seq);

describe('polling a job since a cursor', () => {
  it('answers only the items changed after the cursor, with the whole job’s counts', async () => {
    const id = await finishedJob();
    const first = await get(id);
    expect([seqs(first), first.cursor, first.done]).toEqual([[0, 1, 2], '0', 3]);
    expect(seqs(await get(id, first.cursor))).toEqual([]);
    // Item 1 changes: a poll since the first cursor gets it alone, and the counts of all three.
    await h.repos.bulkJobs.updateItem(h.tenant.id, id, 1, {
      state: 'failed',
      error: { code: 'conflict', message: 'Edited in ConnectWise' },
    });
    const second = await get(id, first.cursor);
    expect([seqs(second), second.cursor, second.done, second.failed, second.total]).toEqual([
      [1],
      '1',
      2,
      1,
      3,
    ]);
    expect(second.items[0].state).toBe('failed');
    await h.repos.bulkJobs.updateItem(h.tenant.id, id, 2, { state: 'failed', error: null });
    await h.repos.bulkJobs.updateItem(h.tenant.id, id, 0, { state: 'failed', error: null });
    const third = await get(id, second.cursor);
    expect([seqs(third), third.cursor, third.failed]).toEqual([[0, 2], '3', 3]);
    expect(seqs(await get(id, third.cursor))).toEqual([]);
    // An older client (no since) still gets every item.
    expect(seqs(await get(id))).toEqual([0, 1, 2]);
  });

  it.each(['', 'abc', '-1', '1.5', '1234567890123456'])('refuses since=%j (400)', async (since) => {
    const id = await finishedJob();
    const res = await h.call('GET', `/api/bulk/jobs/${id}?since=${since}`);
    expect([res.status, res.json.error.code]).toEqual([400, 'bad_request']);
  });

  it('a real job polled since each cursor adds up, item by item, to its full answer', async () => {
    const review = await h.call('POST', '/api/bulk/plan', { items: data.items });
    expect(review.status).toBe(200);
    // ConnectWise answers a little slowly, so the job spans several polls.
    h.interceptUpstream(async (req, send) => {
      if (new URL(req.url).host === 'cw.test') await new Promise((r) => setTimeout(r, 5));
      return send(req);
    });
    const started = await h.call('POST', '/api/bulk/jobs', { planId: review.json.planId });
    expect(started.status).toBe(202);
    const seen = new Map<number, unknown>(started.json.items.map((i: { seq: number }) => [i.seq, i]));
    let job = started.json;
    let sent = 0;
    let polls = 0;
    while (job.state !== 'done') {
      await new Promise((r) => setTimeout(r, 10));
      job = await get(job.id, job.cursor);
      polls++;
      sent += job.items.length;
      for (const item of job.items) seen.set(item.seq, item);
    }
    const full = await get(job.id);
    expect([full.done, full.failed]).toEqual([10, 0]);
    expect([...seen.values()]).toEqual(full.items);
    // An item comes again only when it changed (pending to done here), or twice when it changed while the poll
    // was read: never every item at every poll.
    expect(sent).toBeLessThanOrEqual(2 * full.total);
    expect(polls).toBeGreaterThan(2);
  });
});
