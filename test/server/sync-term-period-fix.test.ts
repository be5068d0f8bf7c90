// A written period line edited by hand (Gibson's 3-Year set to 5 seats where the period owes 3) is not a dead end
// (spec §5, §8): the pod says it is out of step and suggests Sync, the plan sets the line back to the period's
// 3 seats (it is not invoiced yet: effective 10/01/2020), and the view then says synced. A decrease from the pod
// inside the window after the line was written sets it to the lower seats. Sandbox clock 09/20/2020.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { now, termSubscription } from './demo-fixtures.ts';
import { createHarness, type Harness } from './sync-harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness({ now });
});
afterEach(() => h.close());

type Row = { subscription: { id: string }; status: string; action: string; money: { message: string } };
type Write = { action: string; kind: string; quantity: number; unitPrice: string; additionId?: number };

const gibson3Year = () => termSubscription(h.pax8.data, 'GibsonPottYork', 'o365e3', '3-Year');

describe('a period line edited by hand before it is invoiced', () => {
  it('the plan sets it back to the period’s 3 seats × $792.00 and the pod then says synced', async () => {
    const agreementId = h.agreementNamed('Gibson Monthly').id;
    const sub = gibson3Year();
    const plan = async () => {
      const res = await h.call('POST', '/api/sync/plan', { subscriptionId: sub.id, agreementId });
      expect(res.status, JSON.stringify(res.json)).toBe(200);
      return res.json as { planId: string; additions: Write[] };
    };
    const row = async () => {
      const view = await h.call('GET', `/api/views/agreement/${agreementId}`);
      return (view.json.rows as Row[]).find((r) => r.subscription.id === sub.id);
    };
    const first = await plan();
    expect((await h.call('POST', '/api/sync/apply', { planId: first.planId })).status).toBe(200);
    expect((await row())?.status).toBe('synced');

    const period = [...h.cw.data.tables.additions.rows.values()].find(
      (a) =>
        a.agreementId === agreementId &&
        String(a.invoiceDescription).includes('3-Year term 07/20/2019-07/19/2022'),
    );
    expect(period?.quantity).toBe(3);
    if (period) period.quantity = 5;

    const out = await row();
    expect([out?.status, out?.action]).not.toEqual(['synced', 'none']);
    expect(out?.action).toBe('sync');
    const fix = await plan();
    expect(
      fix.additions
        .filter((w) => w.action !== 'none')
        .map((w) => [w.action, w.kind, w.additionId, w.quantity, w.unitPrice]),
    ).toEqual([['update', 'period', period?.id, 3, '792.00']]);
    const applied = await h.call('POST', '/api/sync/apply', { planId: fix.planId });
    expect(applied.status, JSON.stringify(applied.json)).toBe(200);
    expect(h.cw.data.tables.additions.rows.get(period?.id as number)?.quantity).toBe(3);
    expect((await row())?.status).toBe('synced');
    expect((await plan()).additions.filter((w) => w.action !== 'none')).toEqual([]);
  });
});

describe('a decrease inside the 7-day window after the period line was written (spec §5)', () => {
  it("Gibson's Business Premium, 6 → 4 seats from the pod 3 days after purchase: the line is set to 4 × $250.80", async () => {
    const agreementId = h.agreementNamed('Gibson Monthly').id;
    const sub = termSubscription(h.pax8.data, 'GibsonPottYork', 'm365bp', 'Annual');
    const first = await h.call('POST', '/api/sync/plan', { subscriptionId: sub.id, agreementId });
    expect((await h.call('POST', '/api/sync/apply', { planId: first.json.planId })).status).toBe(200);
    const period = [...h.cw.data.tables.additions.rows.values()].find(
      (a) =>
        a.agreementId === agreementId &&
        String(a.invoiceDescription).includes('Annual term 09/17/2020-09/16/2021'),
    );
    expect([period?.quantity, period?.unitPrice]).toEqual([6, 250.8]);

    const decrease = await h.call('POST', `/api/subscriptions/${sub.id}/quantity`, {
      quantity: 4,
      waiveProrate: false,
      acceptTerms: true,
      idempotencyKey: 'gibson-bp-window-4',
    });
    expect(decrease.status, JSON.stringify(decrease.json)).toBe(200);

    const fix = await h.call('POST', '/api/sync/plan', { subscriptionId: sub.id, agreementId });
    expect(
      (fix.json.additions as Write[])
        .filter((w) => w.action !== 'none')
        .map((w) => [w.action, w.kind, w.additionId, w.quantity, w.unitPrice]),
    ).toEqual([['update', 'period', period?.id, 4, '250.80']]);
    expect((await h.call('POST', '/api/sync/apply', { planId: fix.json.planId })).status).toBe(200);
    expect(h.cw.data.tables.additions.rows.get(period?.id as number)?.quantity).toBe(4);
    const view = await h.call('GET', `/api/views/agreement/${agreementId}`);
    expect((view.json.rows as Row[]).find((r) => r.subscription.id === sub.id)?.status).toBe('synced');
  });
});
