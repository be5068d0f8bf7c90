// Bulk review and apply, and undo a batch, through the front door (issue 11 items 2 and 4): the guide's Ace
// Chemical E3 example inside a combined review, applied as a server-side job; a re-confirm writes nothing twice;
// a crashed runner's job is resumed by another process; undo restores the additions exactly, and is refused,
// naming the addition, after a hand edit in ConnectWise.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCK_TTL_MS } from '../../server/sync/apply.ts';
import { UNKNOWN_OUTCOME_WINDOW_MS } from '../../server/sync/outcome.ts';
import { aceE3Subscription, figures, guideAdditions, now } from './demo-fixtures.ts';
import { createHarness, type Harness } from './sync-harness.ts';

let h: Harness;
let agreementId: number;
let subscriptionId: string;

beforeEach(async () => {
  h = await createHarness({ now, clockSleep: true });
  agreementId = h.agreementNamed('Ace Monthly').id;
  subscriptionId = aceE3Subscription(h.pax8.data).id;
});
afterEach(() => h.close());

const e3Additions = () => h.additionsOf(agreementId).filter((a) => (a.product as { id: number }).id === 682);

type Line = { id: string; kind: string; totalPrice: string; totalCost: string; belowMarginFloor: boolean };

async function review(items = [{ subscriptionId, agreementId }]) {
  const res = await h.call('POST', '/api/bulk/plan', { items });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json;
}

// biome-ignore lint/suspicious/noExplicitAny: the job is read by shape in assertions
async function finished(jobId: string, app = h.app): Promise<any> {
  for (let i = 0; i < 4000; i++) {
    const res = await h.call('GET', `/api/bulk/jobs/${jobId}`, undefined, { app });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    if (res.json.state === 'done') return res.json;
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error(`job ${jobId} did not finish`);
}

async function confirm(planId: string, extra: Record<string, unknown> = {}) {
  const res = await h.call('POST', '/api/bulk/jobs', { planId, ...extra });
  expect([200, 202], JSON.stringify(res.json)).toContain(res.status);
  return finished(res.json.id);
}

describe('the combined review', () => {
  it('groups the guide example by agreement with its money, and lists what cannot be planned with the reason', async () => {
    // The same subscription against another company's agreement cannot be planned.
    const other = [...h.cw.data.tables.agreements.rows.values()].find(
      (a) => String(a.name).endsWith(' Monthly') && a.id !== agreementId,
    )!;
    const r = await review([
      { subscriptionId, agreementId },
      { subscriptionId, agreementId: other.id },
    ]);
    expect(r.groups).toHaveLength(1);
    const g = r.groups[0];
    expect([g.agreementName, g.companyName]).toEqual(['Ace Monthly', 'Ace Chemical Processing Plant']);
    // Recurring 2 × 25.00, prorate 1 × 17.50, back-bill Jul–Sep 1 × 75.00 (the guide's figures).
    expect(g.lines.map((l: Line) => [l.kind, l.totalPrice, l.totalCost])).toEqual([
      ['recurring', '50.00', '40.00'],
      ['prorate', '17.50', '14.00'],
      ['extra', '75.00', '60.00'],
    ]);
    expect(g.totals).toEqual({ lines: 3, price: '142.50', cost: '114.00' });
    expect(r.totals).toEqual({ lines: 3, price: '142.50', cost: '114.00' });
    expect(r.refused).toEqual([
      expect.objectContaining({ subscriptionId, agreementId: other.id, code: 'bad_request' }),
    ]);
    expect(r.refused[0].message).toContain('belongs to another Pax8 company');
    expect(e3Additions()).toEqual([]);
  });

  it('refuses bad input before any upstream call', async () => {
    const calls = h.upstreamCalls.length;
    for (const body of [
      { items: [] },
      { items: [{ subscriptionId: 'x', agreementId }] },
      { items: [{ subscriptionId, agreementId, more: 1 }] },
    ]) {
      expect((await h.call('POST', '/api/bulk/plan', body)).status).toBe(400);
    }
    expect(h.upstreamCalls.length).toBe(calls);
  });
});

describe('a bulk job', () => {
  it('applies exactly the planned additions with a result per line; re-confirming writes nothing twice', async () => {
    const r = await review();
    const job = await confirm(r.planId);
    expect([job.total, job.done, job.failed]).toEqual([1, 1, 0]);
    expect(job.items[0].lines.map((l: { state: string }) => l.state)).toEqual(['done', 'done', 'done']);
    expect(e3Additions().map(figures)).toEqual(guideAdditions);
    const writes = h.cw.faults.counts.writes;
    const again = await h.call('POST', '/api/bulk/jobs', { planId: r.planId });
    expect([again.status, again.json.id]).toEqual([200, job.id]);
    expect(h.cw.faults.counts.writes).toBe(writes);
    expect(e3Additions().map(figures)).toEqual(guideAdditions);
  });

  it('leaves out an ignored line', async () => {
    const r = await review();
    const prorate = r.groups[0].lines.find((l: Line) => l.kind === 'prorate');
    const job = await confirm(r.planId, { ignoredLineIds: [prorate.id] });
    expect(job.items[0].lines.map((l: { state: string }) => l.state)).toEqual(['done', 'ignored', 'done']);
    expect(e3Additions().map(figures)).toEqual([guideAdditions[0], guideAdditions[2]]);
  });

  it('needs an explicit confirmation for lines below the margin floor', async () => {
    // The setting itself is item 5's (the margin floor); it is stored with the tenant's settings.
    await h.repos.tenants.updateSettings(h.tenant.id, { marginFloorPercent: 25 } as object);
    const r = await review();
    // 25.00 price, 20.00 cost: a 20.0 % margin, below 25 %.
    expect(r.groups[0].lines.map((l: Line) => l.belowMarginFloor)).toEqual([true, true, true]);
    const refused = await h.call('POST', '/api/bulk/jobs', { planId: r.planId });
    expect(refused.status).toBe(400);
    expect(refused.json.error.message).toContain('margin floor of 25 %');
    expect(e3Additions()).toEqual([]);
    await confirm(r.planId, { confirmBelowMarginFloor: true });
    expect(e3Additions().map(figures)).toEqual(guideAdditions);
  });

  it('waits out a Retry-After longer than a call sleeps through (429, Retry-After: 45), then writes', async () => {
    const r = await review();
    let refused = 0;
    h.interceptUpstream(async (req, send) => {
      if (req.method === 'GET' && new URL(req.url).pathname.endsWith('/additions') && refused < 1) {
        refused++; // longer than the client sleeps through in a call: it answers rate_limited at once
        return new Response('{"code":"TooManyRequests","message":"slow down"}', {
          status: 429,
          headers: { 'retry-after': '45', 'content-type': 'application/json' },
        });
      }
      return send(req);
    });
    const before = h.now().getTime();
    const job = await confirm(r.planId);
    expect([refused, job.done, job.failed]).toEqual([1, 1, 0]);
    // Not the 1 s backoff: the item ran again 45 s later on the clock.
    expect(h.now().getTime() - before).toBeGreaterThanOrEqual(45_000);
    expect(e3Additions().map(figures)).toEqual(guideAdditions);
  });

  it('is resumed by another process after its runner died mid-write, with exactly the planned additions', async () => {
    const r = await review();
    let posts = 0;
    h.interceptUpstream(async (req, send) => {
      const post = req.method === 'POST' && new URL(req.url).pathname.endsWith('/additions');
      if (post && ++posts === 2) {
        await send(req); // ConnectWise writes the second addition; the process dies before it hears back
        return new Promise<Response>(() => {});
      }
      return send(req);
    });
    const started = await h.call('POST', '/api/bulk/jobs', { planId: r.planId });
    expect(started.status).toBe(202);
    for (let i = 0; i < 1000 && e3Additions().length < 2; i++) await new Promise((r) => setTimeout(r, 2));
    expect(e3Additions()).toHaveLength(2);
    h.interceptUpstream(null);
    // The dead runner's job lease and subscription lock run out; the write's outcome window passes.
    h.setNow(new Date(h.now().getTime() + Math.max(LOCK_TTL_MS, UNKNOWN_OUTCOME_WINDOW_MS) + 1000));
    const other = h.appInstance();
    const job = await finished(started.json.id, other);
    expect([job.done, job.failed]).toEqual([1, 0]);
    expect(e3Additions().map(figures)).toEqual(guideAdditions);
  });
});

describe('tenants', () => {
  it("another tenant's review and job are 404 to it, and nothing is written", async () => {
    const r = await review();
    const other = await h.addTenant('Contoso', 'other.test');
    const token = await h.tokenFor(other.id);
    const writes = h.cw.faults.counts.writes;
    expect((await h.call('POST', '/api/bulk/jobs', { planId: r.planId }, { token })).status).toBe(404);
    const job = await confirm(r.planId);
    expect((await h.call('GET', `/api/bulk/jobs/${job.id}`, undefined, { token })).status).toBe(404);
    expect((await h.call('POST', `/api/bulk/jobs/${job.id}/undo-plan`, undefined, { token })).status).toBe(
      404,
    );
    expect(h.cw.faults.counts.writes).toBe(writes + 3);
    expect(e3Additions().map(figures)).toEqual(guideAdditions);
  });
});

describe('undo a batch', () => {
  it('removes the created additions after a review, once', async () => {
    const job = await confirm((await review()).planId);
    const undo = await h.call('POST', `/api/bulk/jobs/${job.id}/undo-plan`);
    expect(undo.status, JSON.stringify(undo.json)).toBe(200);
    expect(undo.json.lines.map((l: { action: string }) => l.action)).toEqual(['remove', 'remove', 'remove']);
    expect(undo.json.lines[0].title).toContain('from Ace Chemical Processing Plant / Ace Monthly');
    const undone = await confirm(undo.json.planId);
    expect([undone.kind, undone.done, undone.failed]).toEqual(['undo', 3, 0]);
    expect(e3Additions()).toEqual([]);
    const writes = h.cw.faults.counts.writes;
    const again = await h.call('POST', '/api/bulk/jobs', { planId: undo.json.planId });
    expect(again.json.id).toBe(undone.id);
    expect(h.cw.faults.counts.writes).toBe(writes);
    // The subscription is out of step again: the next sync writes the same additions again.
    const resync = await confirm((await review()).planId);
    expect(resync.failed).toBe(0);
    expect(e3Additions().map(figures)).toEqual(guideAdditions);
  });

  it('restores an updated addition and removes the new prorate of a single sync (the single sync is a batch)', async () => {
    await confirm((await review()).planId);
    h.pax8.data.changeQuantity(subscriptionId, 3, '2020-09-15');
    const plan = await h.call('POST', '/api/sync/plan', { subscriptionId, agreementId });
    const applied = await h.call('POST', '/api/sync/apply', { planId: plan.json.planId });
    expect(applied.status, JSON.stringify(applied.json)).toBe(200);
    expect(e3Additions().map((a) => a.quantity)).toEqual([3, 1, 1, 1]);
    const undo = await h.call('POST', `/api/bulk/jobs/${applied.json.batchId}/undo-plan`);
    expect(undo.status, JSON.stringify(undo.json)).toBe(200);
    expect(undo.json.lines.map((l: { action: string; fields: unknown }) => [l.action, l.fields])).toEqual([
      ['remove', []],
      ['restore', [{ field: 'quantity', from: 3, to: 2 }]],
    ]);
    await confirm(undo.json.planId);
    expect(e3Additions().map(figures)).toEqual(guideAdditions);
  });

  it('is refused, naming the addition, where ConnectWise changed since', async () => {
    const job = await confirm((await review()).planId);
    const recurring = e3Additions()[0]!;
    recurring.quantity = 7; // a hand edit in ConnectWise
    const undo = await h.call('POST', `/api/bulk/jobs/${job.id}/undo-plan`);
    expect(undo.status).toBe(409);
    expect(undo.json.error.code).toBe('agreement_changed');
    expect(undo.json.error.message).toContain(
      `addition ${recurring.id} on Ace Chemical Processing Plant / Ace Monthly (quantity)`,
    );
    expect(e3Additions()).toHaveLength(3);
  });
});
