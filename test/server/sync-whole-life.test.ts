// The whole life through the front door (spec §7, §8): what is already in ConnectWise is judged by its markers,
// so a lost journal plans nothing again; two subscriptions of one product get two additions; a cancellation ends
// the recurring addition.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoProducts, pax8CompanyIdOf, pax8ProductIdOf } from '../../server/sandbox/demo/msp.ts';
import { ace, aceE3Subscription, figures, guideAdditions, now } from './demo-fixtures.ts';
import { createHarness, type Harness } from './sync-harness.ts';

let h: Harness;
let agreementId: number;
let token: string | undefined;
beforeEach(async () => {
  h = await createHarness({ now });
  agreementId = h.agreementNamed('Ace Monthly').id;
  token = undefined;
});
afterEach(() => h.close());

type Write = {
  kind: string;
  action: string;
  additionId?: number;
  quantity: number;
  cancelledDate: string | null;
};
async function plan(subscriptionId: string) {
  const res = await h.call('POST', '/api/sync/plan', { subscriptionId, agreementId }, token ? { token } : {});
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json as { planId: string; additions: Write[]; warnings: { code: string }[] };
}
async function sync(subscriptionId: string) {
  const p = await plan(subscriptionId);
  const res = await h.call('POST', '/api/sync/apply', { planId: p.planId }, token ? { token } : {});
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return p;
}
const todo = (p: { additions: Write[] }) => p.additions.filter((a) => a.action !== 'none');
const e3Lines = () => h.additionsOf(agreementId).filter((a) => (a.product as { id: number }).id === 682);

describe('judged from ConnectWise by marker, the journal second (spec §7 never twice)', () => {
  it('after the journal is lost, a new plan writes nothing: the prorate and back-bill are seen by their markers', async () => {
    const sub = aceE3Subscription(h.pax8.data).id;
    await sync(sub);
    expect(e3Lines().map(figures)).toEqual(guideAdditions);
    await h.store.db.deleteFrom('sync_journal').execute();
    expect(todo(await plan(sub))).toEqual([]);
  });
});

describe('one subscription, one addition (spec §7)', () => {
  it('a second subscription of the same product on the agreement gets its own addition', async () => {
    const first = aceE3Subscription(h.pax8.data).id;
    await sync(first);
    const e3 = demoProducts.find((p) => p.key === 'o365e3')!;
    const second = h.pax8.data.addSubscription({
      companyId: pax8CompanyIdOf(ace)!,
      productId: pax8ProductIdOf(e3),
      price: 25,
      partnerCost: 20,
      history: [{ date: '2020-09-15', quantity: 3 }],
    });
    const p = await sync(second.id);
    // Never an update of the first subscription's line: a new recurring line and the 15th's prorate.
    expect(todo(p).map((a) => [a.kind, a.action, a.quantity])).toEqual([
      ['recurring', 'create', 3],
      ['prorate', 'create', 3],
    ]);
    const recurring = e3Lines().filter((a) => a.cancelledDate == null);
    expect(recurring.map((a) => a.quantity)).toEqual([2, 3]);
    // And each subscription now plans nothing.
    expect(todo(await plan(first))).toEqual([]);
    expect(todo(await plan(second.id))).toEqual([]);
  });
});

describe('cancelled (spec §7)', () => {
  it('a subscription cancelled in Pax8 ends its recurring addition at the end of the month the service ends', async () => {
    const sub = aceE3Subscription(h.pax8.data).id;
    await sync(sub);
    h.setNow(new Date('2020-10-20T12:00:00Z'));
    token = await h.tokenFor(h.tenant.id);
    h.pax8.data.patchSubscription(
      sub,
      { status: 'Cancelled', endDate: '2020-10-20T00:00:00.000Z' },
      '2020-10-20',
    );
    const p = await sync(sub);
    expect(todo(p).map((a) => [a.kind, a.action, a.cancelledDate])).toEqual([
      ['recurring', 'cancel', '2020-10-31'],
    ]);
    expect(p.warnings.map((w) => w.code)).toContain('subscription_cancelled');
    const recurring = e3Lines().find((a) => a.effectiveDate === '2020-10-01T00:00:00Z' && a.quantity === 2);
    expect(recurring?.cancelledDate).toBe('2020-10-31T00:00:00Z');
  });
});

describe('price overrides last (spec §7)', () => {
  it('a price chosen in the wizard is the next default; a later Pax8 price change is shown, never applied', async () => {
    const sub = aceE3Subscription(h.pax8.data).id;
    const chosen = await h.call('POST', '/api/sync/plan', {
      subscriptionId: sub,
      agreementId,
      options: { unitPrice: '27.50' },
    });
    expect(chosen.status, JSON.stringify(chosen.json)).toBe(200);
    expect((await h.call('POST', '/api/sync/apply', { planId: chosen.json.planId })).status).toBe(200);
    expect(await h.repos.priceOverrides.get(h.tenant.id, sub)).toMatchObject({
      unitPrice: '27.50',
      pax8Price: '25.00',
      chosenBy: 'jsmith',
    });

    // A seat more, then Pax8's price moves to 30.00: the default plan keeps 27.50 and says so.
    h.pax8.data.changeQuantity(sub, 3, '2020-09-15');
    h.pax8.data.patchSubscription(sub, { price: 30 }, '2020-09-16');
    const next = await plan(sub);
    const prices = (next.additions as unknown as { kind: string; action: string; unitPrice: string }[])
      .filter((a) => a.action !== 'none')
      .map((a) => [a.kind, a.action, a.unitPrice]);
    // 09/15 in a 30-day month: 15/30 of 27.50 = 13.75.
    expect(prices).toEqual([
      ['recurring', 'update', '27.50'],
      ['prorate', 'create', '13.75'],
    ]);
    const warning = next.warnings.find((w) => w.code === 'pax8_price_changed') as
      | { message: string }
      | undefined;
    expect(warning?.message).toBe(
      'The price is now 30.00 (it was 25.00 when 27.50 was chosen); the chosen 27.50 is kept. Change the price to use the new one.',
    );
  });
});

// The recurring update's key named the figures it sets, not the addition's state it starts from, so a quantity
// that came back (2 → 3 → 2 → 3) reused a done key and apply answered 200 "already done" with ConnectWise left at
// 2 seats while Pax8 bills 3: money lost without a word.
describe('a quantity that comes back to an earlier figure is written again', () => {
  it('2 → 3 → 2 → 3 seats: the recurring addition ends at 3', async () => {
    const sub = aceE3Subscription(h.pax8.data).id;
    await sync(sub);
    const recurring = () =>
      e3Lines().find((a) => a.effectiveDate === '2020-10-01T00:00:00Z' && !a.cancelledDate);
    for (const quantity of [3, 2, 3]) {
      h.pax8.data.patchSubscription(sub, { quantity }, '2020-09-20');
      const p = await h.call('POST', '/api/sync/plan', {
        subscriptionId: sub,
        agreementId,
        options: { mode: 'update' },
      });
      expect(p.status, JSON.stringify(p.json)).toBe(200);
      const update = (p.json.additions as Write[]).find((a) => a.kind === 'recurring');
      expect(update).toMatchObject({ action: 'update', quantity });
      const res = await h.call('POST', '/api/sync/apply', { planId: p.json.planId });
      expect(res.status, JSON.stringify(res.json)).toBe(200);
      expect(recurring()?.quantity).toBe(quantity);
    }
  });
});

// An update changes the recurring addition now, so ConnectWise bills the new seats from the first un-invoiced
// month (October). A later effectiveDate in update mode moved the plan's floor to November and added a back-bill
// of October's 2 new seats (50.00) on top: October billed twice. The date is not used, and the review says so.
describe('update mode with an effective date other than the first un-invoiced month', () => {
  it('2 → 4 seats, update "effective 11/01/2020": October billed once, by the update; a warning names the date', async () => {
    const sub = aceE3Subscription(h.pax8.data).id;
    await sync(sub);
    h.pax8.data.patchSubscription(sub, { quantity: 4 }, '2020-09-20');
    const options = { mode: 'update', effectiveDate: '2020-11-01' };
    const res = await h.call('POST', '/api/sync/plan', { subscriptionId: sub, agreementId, options });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const writes = todo(res.json) as (Write & { key: string; effectiveDate: string })[];
    expect(writes.find((w) => w.kind === 'recurring')).toMatchObject({ action: 'update', quantity: 4 });
    expect(writes.filter((w) => w.key.startsWith('backbill:'))).toEqual([]);
    // The 09/20 prorate (2 seats × 8.33) bills in October with the update, as with the default date.
    expect(writes.filter((w) => w.kind === 'prorate').map((w) => [w.quantity, w.effectiveDate])).toEqual([
      [2, '2020-10-01'],
    ]);
    const warning = (res.json.warnings as { code: string; message: string }[]).find(
      (w) => w.code === 'effective_date_not_used',
    );
    expect(warning?.message).toContain('11/01/2020 is not used');
  });
});

// Spec §7 decreases: the recurring quantity is lowered from the first un-invoiced month. E3 dropped 2 → 0 seats
// on 09/20/2020, its addition starting 10/01/2020: the plan cancelled it on 10/01 (ConnectWise refuses earlier),
// which is active on October's invoice date, so October still billed 2 seats (50.00) for no seat.
describe('seats dropping to 0 before the addition has billed a month', () => {
  it('2 → 0 seats on 09/20/2020: 0 seats, ending on its first day; October bills only the prorate and back-bill', async () => {
    const sub = aceE3Subscription(h.pax8.data).id;
    await sync(sub);
    h.pax8.data.patchSubscription(sub, { quantity: 0 }, '2020-09-20');
    const p = await sync(sub);
    expect(todo(p).map((a) => [a.kind, a.action, a.quantity, a.cancelledDate])).toEqual([
      ['recurring', 'update', 0, '2020-10-01'],
    ]);
    const recurring = e3Lines().find((a) => a.effectiveDate === '2020-10-01T00:00:00Z' && a.quantity !== 1);
    expect(recurring).toMatchObject({ quantity: 0, cancelledDate: '2020-10-01T00:00:00Z' });
    const res = await h.call('GET', `/api/views/agreement/${agreementId}`);
    const row = (
      res.json.rows as { subscription: { id: string }; money: { months: { will: number }[] } }[]
    ).find((r) => r.subscription.id === sub);
    // October: the 09/09 prorate 17.50 and the July–September back-bill 75.00; no recurring seat.
    expect(row?.money.months[0]?.will).toBe(9250);
  });
});
