// A prorate whose send was journaled ('sent') but never confirmed: a re-plan includes it again (only 'done'
// counts as synced), and applying the new plan writes it exactly once whether or not the first send reached
// ConnectWise. Ace Chemical, Office 365 E3, 1 → 2 on 2020-09-09 (the guide's example).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aceE3Subscription, now } from './demo-fixtures.ts';
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

type PlanWrite = { key: string; kind: string; action: string; changeKey?: string };

async function plan(): Promise<{ planId: string; additions: PlanWrite[] }> {
  const res = await h.call('POST', '/api/sync/plan', { subscriptionId, agreementId });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json;
}

const apply = (planId: string, ignore?: string[]) =>
  h.call('POST', '/api/sync/apply', { planId, ...(ignore ? { ignore } : {}) });

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

/** The prorate as ConnectWise holds it after the first send reached it. */
const insertProrateInCw = () =>
  h.cw.data.insert('additions', {
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

describe('a prorate journaled as sent, then a re-plan and apply', () => {
  it.each([
    ['never reached ConnectWise, row records the known additions', false, true, 1],
    ['never reached ConnectWise, bare row (journaled before the record)', false, false, 1],
    ['reached ConnectWise, row records the known additions', true, true, 0],
    ['reached ConnectWise, bare row (journaled before the record)', true, false, 0],
  ])('%s → exactly one prorate', async (_name, reached, recorded, expectedWrites) => {
    const prorate = await crashAfterMarkSent(recorded);
    if (reached) insertProrateInCw();

    const p2 = await plan();
    // The 'sent' change is planned again, under the same idempotency key.
    expect(p2.additions.filter((a) => a.action !== 'none').map((a) => a.key)).toEqual([prorate.key]);

    const writes = h.cw.faults.counts.writes;
    const res = await apply(p2.planId);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(h.cw.faults.counts.writes - writes).toBe(expectedWrites);
    expect(e3Additions().map(figures)).toEqual([recurringLine, backBillLine, prorateLine]);

    const journal = await h.repos.journal.forSubscription(h.tenant.id, subscriptionId);
    expect(journal.map((j) => `${j.kind}:${j.state}`).sort()).toEqual([
      'extra:done',
      'prorate:done',
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
    expect(crashed.status).toBeGreaterThanOrEqual(500);
    h.interceptUpstream(null);
    expect(e3Additions().map(figures)).toEqual([recurringLine, prorateLine]);

    const p2 = await plan();
    // The prorate that landed carries its marker, so the re-plan sees it in ConnectWise and does not plan it
    // again (spec §7, judged by marker); the back-bill line was never sent (apply stopped at the lost answer).
    expect(p2.additions.filter((a) => a.action !== 'none').map((a) => a.kind)).toEqual(['extra']);
    const writes = h.cw.faults.counts.writes;
    const res = await apply(p2.planId);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(h.cw.faults.counts.writes).toBe(writes + 1);
    expect(e3Additions().map(figures)).toEqual([recurringLine, prorateLine, backBillLine]);
  });
});
