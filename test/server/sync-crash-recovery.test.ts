// Crash recovery beyond the lock's lifetime (issue 9 §3): a process that died mid-apply leaves its write
// 'sent' and its lock held. Another app instance on the same store is refused while the lock lives, then
// settles the write by its marker and finishes: exactly the planned additions (the guide's Ace E3 example).
// The real kill -9 of a child process on PostgreSQL is in cluster-kill.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCK_TTL_MS } from '../../server/sync/apply.ts';
import { markerFor, withMarker } from '../../server/sync/marker.ts';
import { aceE3Subscription, figures, guideAdditions, now } from './demo-fixtures.ts';
import { createHarness, type Harness } from './sync-harness.ts';

let h: Harness;
let agreementId: number;
let subscriptionId: string;

beforeEach(async () => {
  h = await createHarness({ now });
  agreementId = h.agreementNamed('Ace Monthly').id;
  subscriptionId = aceE3Subscription(h.pax8.data).id;
});
afterEach(() => h.close());

const e3Additions = () => h.additionsOf(agreementId).filter((a) => (a.product as { id: number }).id === 682);

type Write = { key: string; kind: string; action: string };

/** What process A leaves when killed after journaling its first send: the row 'sent', the lock held. */
async function processDiedAfterSend(reached: boolean) {
  const planned = await h.call('POST', '/api/sync/plan', { subscriptionId, agreementId });
  expect(planned.status).toBe(200);
  const p = planned.json as { planId: string; additions: Write[] };
  const recurring = p.additions[0]!;
  const stored = await h.repos.plans.get(h.tenant.id, p.planId);
  if (!stored.ok) throw new Error('plan not stored');
  const { entry } = await h.repos.journal.claim(h.tenant.id, {
    planId: p.planId,
    idempotencyKey: recurring.key,
    subscriptionId,
    agreementId,
    kind: 'recurring',
    action: 'create',
    request: {
      ...recurring,
      knownAdditionIds: (stored.plan.body as { knownAdditionIds: number[] }).knownAdditionIds,
    },
  });
  await h.repos.journal.markSent(h.tenant.id, entry.id);
  expect(
    await h.repos.locks.acquire(
      h.tenant.id,
      `sync:subscription:${subscriptionId}`,
      'process-A',
      LOCK_TTL_MS,
      now,
    ),
  ).toBe(true);
  if (reached) {
    h.cw.data.insert('additions', {
      agreementId,
      product: { id: 682, identifier: 'MST-OFC-EE3-C100' },
      billCustomer: 'Billable',
      quantity: 2,
      unitPrice: 25,
      unitCost: 20,
      effectiveDate: '2020-10-01T00:00:00Z',
      invoiceDescription: 'Pax8 - Microsoft Office 365 Enterprise E3 - Includ',
      description: withMarker('Office 365 E3', markerFor(subscriptionId, 'recurring', recurring.key)),
      taxableFlag: false,
    });
  }
  return p;
}

describe('a process killed mid-apply; the retry on another app instance (same store)', () => {
  it.each([
    ['after ConnectWise took the write', true, 2],
    ['before the write reached ConnectWise', false, 3],
  ])('%s → exactly the planned additions', async (_name, reached, writes) => {
    const p = await processDiedAfterSend(reached);
    const other = h.appInstance();

    const held = await h.call('POST', '/api/sync/apply', { planId: p.planId }, { app: other });
    expect(held.status).toBe(409);
    expect(held.json.error.code).toBe('conflict');
    expect(h.cw.faults.counts.writes).toBe(0);

    // The lock has expired (and with it the window in which the write could still land).
    h.setNow(new Date(now.getTime() + LOCK_TTL_MS + 1_000));
    const token = await h.tokenFor(h.tenant.id);
    const res = await h.call('POST', '/api/sync/apply', { planId: p.planId }, { app: other, token });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(e3Additions().map(figures)).toEqual(guideAdditions);
    expect(h.cw.faults.counts.writes).toBe(writes);
    const journal = await h.repos.journal.forSubscription(h.tenant.id, subscriptionId);
    expect(journal.map((j) => `${j.kind}:${j.state}`)).toEqual([
      'recurring:done',
      'extra:done',
      'prorate:done',
    ]);

    // And the first instance, back, finds nothing left to write.
    const again = await h.call('POST', '/api/sync/apply', { planId: p.planId }, { token });
    expect(again.status).toBe(200);
    expect(h.cw.faults.counts.writes).toBe(writes);
  });
});
