// Property (spec §5, §7 "never twice"): whatever days the partner syncs Ace's Azure on, from 11/20/2026 over the
// next seven months, ConnectWise bills a usage month at most once, only once Pax8 has invoiced it, at Pax8's
// partner total (cost) and customer charge (price); and every invoiced month within the default look-back of
// the last sync (3 months before the first un-invoiced month, the closed month before them included) is billed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aceSubscription } from './demo-fixtures.ts';
import { createHarness } from './sync-harness.ts';

const START = Date.parse('2026-11-20T12:00:00Z');
const DAY = 86_400_000;
const monthOf = (iso: string) => iso.slice(0, 7);

/** Sync days: 1–5 distinct offsets (days after 11/20/2026) within seven months, oldest first. */
const syncDaysArb = fc
  .uniqueArray(fc.integer({ min: 0, max: 210 }), { minLength: 1, maxLength: 5 })
  .map((days) => [...days].sort((a, b) => a - b));

async function simulate(days: number[]) {
  const h = await createHarness({ now: new Date(START) });
  try {
    const agreementId = h.agreementNamed('Ace Monthly').id;
    const subscriptionId = aceSubscription(h.pax8.data, 'azure').id;
    let today = '';
    for (const day of days) {
      const now = new Date(START + day * DAY);
      today = now.toISOString().slice(0, 10);
      h.setNow(now);
      const token = await h.tokenFor(h.tenant.id);
      const plan = await h.call('POST', '/api/sync/plan', { subscriptionId, agreementId }, { token });
      expect(plan.status, JSON.stringify(plan.json)).toBe(200);
      const applied = await h.call('POST', '/api/sync/apply', { planId: plan.json.planId }, { token });
      expect(applied.status, JSON.stringify(applied.json)).toBe(200);
    }
    // Nothing left to do: a plan right after the last apply proposes no line (the planner, not only the journal).
    const again = await h.call(
      'POST',
      '/api/sync/plan',
      { subscriptionId, agreementId },
      { token: await h.tokenFor(h.tenant.id) },
    );
    expect(again.json.additions).toEqual([]);
    // The oracle: Pax8's own invoices dated by the last sync day, their 'Arrears' items for this subscription.
    const expected = [...h.pax8.data.invoices.values()]
      .filter((x) => x.invoice.invoiceDate <= today)
      .flatMap((x) => x.items)
      .filter((i) => i.term === 'Arrears' && i.subscriptionId === subscriptionId)
      .map((i) => [monthOf(i.startPeriod), i.cost, i.price])
      .sort();
    const billed = h
      .additionsOf(agreementId)
      .filter((a) => (a.product as { id: number }).id === 687)
      .map((a) => {
        const m = /Usage for (\w+) (\d{4})$/.exec(String(a.invoiceDescription));
        const month = m ? new Date(`${m[1]} 1, ${m[2]} UTC`).toISOString().slice(0, 7) : 'unreadable';
        return [month, a.unitCost, a.unitPrice];
      })
      .sort();
    const months = billed.map(([month]) => String(month));
    expect(new Set(months).size).toBe(months.length);
    for (const line of billed) expect(expected).toContainEqual(line);
    // Ace Monthly's next invoice date stays 12/01/2026 here: the first un-invoiced month is the next one.
    const last = new Date(`${monthOf(today)}-01T00:00:00Z`);
    last.setUTCMonth(last.getUTCMonth() - 3);
    const windowStart = last.toISOString().slice(0, 7);
    for (const line of expected.filter(([month]) => String(month) >= windowStart))
      expect(billed).toContainEqual(line);
    expect(months.every((month) => month < monthOf(today))).toBe(true);
  } finally {
    await h.close();
  }
}

describe('usage in arrears over seven months of sync days', () => {
  it('bills each invoiced month once, at Pax8 figures, whatever the sync days', async () => {
    await fc.assert(fc.asyncProperty(syncDaysArb, simulate), {
      numRuns: Number(process.env.USAGE_RUNS ?? 8),
      seed: 20261204,
      endOnFailure: true,
    });
  }, 120_000);
});
