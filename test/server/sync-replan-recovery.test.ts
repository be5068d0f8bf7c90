// A prorate whose send was journaled ('sent') but never confirmed: a re-plan includes it again (only 'done'
// counts as synced), and applying the new plan writes it exactly once whether or not the first send reached
// ConnectWise. Ace Chemical, Office 365 E3, 1 → 2 on 2020-09-09 (the guide's example).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { markerFor, withMarker } from '../../server/sync/marker.ts';
import { UNKNOWN_OUTCOME_WINDOW_MS } from '../../server/sync/outcome.ts';
import { aceE3Subscription, now } from './demo-fixtures.ts';
import { createHarness, type Harness } from './sync-harness.ts';

let h: Harness;
let agreementId: number;
let subscriptionId: string;

beforeEach(async () => {
  token = undefined;
  h = await createHarness({ now });
  agreementId = h.agreementNamed('Ace Monthly').id;
  subscriptionId = aceE3Subscription(h.pax8.data).id;
});
afterEach(() => h.close());

type PlanWrite = { key: string; kind: string; action: string; changeKey?: string };

async function plan(): Promise<{ planId: string; additions: PlanWrite[] }> {
  const res = await h.call('POST', '/api/sync/plan', { subscriptionId, agreementId }, token ? { token } : {});
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json;
}

let token: string | undefined;
const apply = (planId: string, ignore?: string[]) =>
  h.call('POST', '/api/sync/apply', { planId, ...(ignore ? { ignore } : {}) }, token ? { token } : {});

const e3Additions = () => h.additionsOf(agreementId).filter((a) => (a.product as { id: number }).id === 682);
const figures = (a: Record<string, unknown>) => [
  a.quantity,
  a.unitPrice,
  a.effectiveDate,
  a.cancelledDate ?? null,
  a.invoiceDescription,
];
const recurringLine = [
  2,
  25,
  '2020-10-01T00:00:00Z',
  null,
  'Pax8 - Microsoft Office 365 Enterprise E3 - Includ',
];
const prorateLine = [
  1,
  17.5,
  '2020-10-01T00:00:00Z',
  '2020-10-31T00:00:00Z',
  'Pax8 - Microsoft Office 365 Enterprise E3 - Includ - Prorated for 09/09/2020-09/30/2020',
];

// The first seat's last 3 invoiced months, never billed on Ace Monthly: the back-bill line (spec §7).
const backBillLine = [
  1,
  75,
  '2020-10-01T00:00:00Z',
  '2020-10-31T00:00:00Z',
  'Pax8 - Microsoft Office 365 Enterprise E3 - Includ - Jul 2020 to Sep 2020',
];

/** The prorate as ConnectWise holds it after the first send reached it (`key`: with its marker). */
const insertProrateInCw = (key: string | null) =>
  h.cw.data.insert('additions', {
    ...(key ? { description: withMarker('Office 365 E3', markerFor(subscriptionId, 'prorate', key)) } : {}),
    agreementId,
    product: { id: 682, identifier: 'MST-OFC-EE3-C100' },
    billCustomer: 'Billable',
    quantity: 1,
    unitPrice: 17.5,
    unitCost: 14,
    effectiveDate: '2020-10-01T00:00:00Z',
    cancelledDate: '2020-10-31T00:00:00Z',
    invoiceDescription:
      'Pax8 - Microsoft Office 365 Enterprise E3 - Includ - Prorated for 09/09/2020-09/30/2020',
    taxableFlag: false,
  });

/**
 * Plan 1 applied for the recurring line only; its prorate journaled 'sent' (the process died between "mark
 * sent" and ConnectWise's answer). `recorded`: the row carries the additions known before the send, as apply
 * now writes it; otherwise it is a bare write, as rows journaled before that change are.
 */
async function crashAfterMarkSent(recorded: boolean) {
  const p1 = await plan();
  const prorate = p1.additions.find((a) => a.kind === 'prorate')!;
  expect((await apply(p1.planId, [prorate.key])).status).toBe(200);
  const stored = await h.repos.plans.get(h.tenant.id, p1.planId);
  if (!stored.ok) throw new Error('plan 1 not stored');
  const known = (stored.plan.body as { knownAdditionIds: number[] }).knownAdditionIds;
  const { entry } = await h.repos.journal.claim(h.tenant.id, {
    planId: p1.planId,
    idempotencyKey: prorate.key,
    subscriptionId,
    agreementId,
    kind: 'prorate',
    action: 'create',
    request: recorded ? { ...prorate, knownAdditionIds: known } : prorate,
    changeKey: prorate.changeKey ?? null,
  });
  await h.repos.journal.markSent(h.tenant.id, entry.id);
  return prorate;
}

/** A row journaled before migration 0002: no sent_at, its send time is its updated_at. */
const journaledBeforeMarkers = () =>
  h.store.db.updateTable('sync_journal').set({ sent_at: null }).where('state', '=', 'sent').execute();

describe('a prorate journaled as sent, then a re-plan and apply', () => {
  // reached: the first send reached ConnectWise. legacy: the row and the addition predate markers, so the
  // figures-matching fallback finds it. Not reached: refused (409) until the write can no longer land.
  it.each([
    ['never reached ConnectWise, row records the known additions', false, true, false, 1],
    ['never reached ConnectWise, bare row (journaled before the record)', false, false, false, 1],
    ['reached ConnectWise, row records the known additions', true, true, false, 0],
    ['reached ConnectWise, bare row (journaled before the record)', true, false, false, 0],
    ['reached ConnectWise before markers existed (no sent_at, unmarked addition)', true, false, true, 0],
  ])('%s → exactly one prorate', async (_name, reached, recorded, legacy, expectedWrites) => {
    const prorate = await crashAfterMarkSent(recorded);
    if (legacy) await journaledBeforeMarkers();
    if (reached) insertProrateInCw(legacy ? null : prorate.key);

    const p2 = await plan();
    // The 'sent' change is planned again, under the same idempotency key.
    expect(p2.additions.filter((a) => a.action !== 'none').map((a) => a.key)).toEqual([prorate.key]);

    const writes = h.cw.faults.counts.writes;
    if (!reached) {
      // The first send could still land: nothing is sent until the window has passed.
      const early = await apply(p2.planId);
      expect(early.status).toBe(409);
      expect(early.json.error.code).toBe('write_outcome_unknown');
      expect(h.cw.faults.counts.writes).toBe(writes);
      h.setNow(new Date(now.getTime() + UNKNOWN_OUTCOME_WINDOW_MS));
      token = await h.tokenFor(h.tenant.id);
    }
    const res = await apply(p2.planId);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(h.cw.faults.counts.writes - writes).toBe(expectedWrites);
    expect(e3Additions().map(figures)).toEqual([recurringLine, backBillLine, prorateLine]);

    const journal = await h.repos.journal.forSubscription(h.tenant.id, subscriptionId);
    // Plan 1's prorate was ignored at apply: it stays journaled as 'ignored' (never sent; the views read it
    // as owed until the prorate is written, as it now is).
    expect(journal.map((j) => `${j.kind}:${j.state}`).sort()).toEqual([
      'extra:done',
      'prorate:done',
      'prorate:ignored',
      'recurring:done',
    ]);
    // Now synced: a third plan has nothing to write, and applying plan 2 again writes nothing.
    expect((await plan()).additions.filter((a) => a.action !== 'none')).toEqual([]);
    expect((await apply(p2.planId)).status).toBe(200);
    expect(e3Additions().map(figures)).toEqual([recurringLine, backBillLine, prorateLine]);
  });

  it('an answer lost after ConnectWise wrote the prorate: the re-plan recovers it instead of sending it twice', async () => {
    const p1 = await plan();
    // The prorate POST reaches ConnectWise, then the connection drops before the answer.
    h.interceptUpstream(async (req, send) => {
      const body = req.method === 'POST' ? await req.clone().text() : '';
      const res = await send(req);
      if (body.includes('Prorated for')) throw new TypeError('fetch failed: socket hang up');
      return res;
    });
    const crashed = await apply(p1.planId);
    expect(crashed.status).toBe(409);
    expect(crashed.json.error.code).toBe('write_outcome_unknown');
    h.interceptUpstream(null);
    expect(e3Additions().map(figures)).toEqual([recurringLine, prorateLine]);

    const p2 = await plan();
    // The journal still holds the prorate as sent: planned again so apply closes it by its marker, without a
    // write; the back-bill line was never sent (apply stopped at the lost answer).
    expect(p2.additions.filter((a) => a.action !== 'none').map((a) => a.kind)).toEqual(['prorate', 'extra']);
    const writes = h.cw.faults.counts.writes;
    const res = await apply(p2.planId);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(h.cw.faults.counts.writes).toBe(writes + 1);
    expect(e3Additions().map(figures)).toEqual([recurringLine, prorateLine, backBillLine]);
  });
});
