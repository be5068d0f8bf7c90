// A bulk apply of 500 subscriptions (100 companies × 5, test/server/bulk-data.ts) through the front door, with
// 50 ms per upstream call: the review (POST /api/bulk/plan) and the job to its end (POST /api/bulk/jobs, then
// GET until done), once in calm weather with real timers, and once under the test's storm (20 % 429 with
// Retry-After: 1, 20 % 500, seed 11) where waits (Retry-After, backoff, the 120 s unknown-outcome window of a
// POST answered 500) move the sandbox clock instead of sleeping: its wall time is the work, and the waits
// skipped are reported beside it. Run: npx tsx test/bench/bulk.bench.ts
import { pathToFileURL } from 'node:url';
import { bulkData } from '../server/bulk-data.ts';
import { createHarness } from '../server/sync-harness.ts';

const now = new Date('2026-01-15T12:00:00Z');

export async function bulkOnce(opts: { storm: boolean; companies?: number }, log: (line: string) => void) {
  const data = bulkData({ companies: opts.companies ?? 100, now });
  const h = await createHarness({
    now,
    cwData: data.cw,
    pax8Data: data.pax8,
    seedBindings: false,
    clockSleep: opts.storm,
  });
  try {
    await data.bind(h.repos, h.tenant.id);
    for (const f of [h.cw.faults, h.pax8.faults]) f.set({ latencyMs: 50 });
    const started = performance.now();
    const review = await h.call('POST', '/api/bulk/plan', { items: data.items });
    if (review.status !== 200) throw new Error(`review → ${review.status}`);
    const planMs = performance.now() - started;
    const calls = h.cw.faults.counts.requests + h.pax8.faults.counts.requests;
    if (opts.storm) {
      for (const f of [h.cw.faults, h.pax8.faults]) {
        f.reset();
        f.set({
          latencyMs: 50,
          rateLimitShare: 0.2,
          serverErrorShare: 0.2,
          retryAfterSeconds: 1,
          stormSeed: 11,
        });
      }
    }
    const clockBefore = h.now().getTime();
    const applyStarted = performance.now();
    const res = await h.call('POST', '/api/bulk/jobs', { planId: review.json.planId });
    let job = res.json;
    while (job.state !== 'done') {
      await new Promise((r) => setTimeout(r, 250));
      job = (
        await h.call('GET', `/api/bulk/jobs/${job.id}`, undefined, { token: await h.tokenFor(h.tenant.id) })
      ).json;
    }
    const applyMs = performance.now() - applyStarted;
    const cw = h.cw.faults.counts;
    const lines = (review.json.groups as { lines: unknown[] }[]).reduce((n, g) => n + g.lines.length, 0);
    log(
      `${data.items.length} subscriptions, ${lines} planned lines${opts.storm ? ' — storm 20 % 429 + 20 % 500' : ''}: ` +
        `review ${(planMs / 1000).toFixed(1)} s (${calls} upstream calls), apply ${(applyMs / 1000).toFixed(1)} s wall ` +
        `(${job.done} done, ${job.failed} failed; ConnectWise ${cw.requests} calls, ${cw.writes} writes` +
        (opts.storm
          ? `, ${cw.rateLimited} answered 429, ${cw.serverErrors} answered 500; waits skipped on the sandbox clock ${Math.round((h.now().getTime() - clockBefore) / 1000)} s)`
          : ')'),
    );
    return { planMs, applyMs };
  } finally {
    await h.close();
  }
}

export async function benchBulk(log: (line: string) => void = console.log) {
  await bulkOnce({ storm: false }, log);
  await bulkOnce({ storm: true }, log);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await benchBulk();
