// Seat changes from the pod (issue 10 item 3, guide "Modify quantity"), through the front door on the emulators:
// a double submit changes seats once; NCE decreases and cancellations outside the 7-day window are refused
// before Pax8 is called, with the window's dates; Pax8's 422 answers become plain words; the change is audited
// with the member's name; a waived prorate is never proposed by the next plan.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pax8CompanyIdOf } from '../../server/sandbox/demo/msp.ts';
import type { Pax8Data } from '../../server/sandbox/pax8/index.ts';
import { aceE3Subscription, demoCustomer, now, productId } from './demo-fixtures.ts';
import { createHarness, type Harness } from './sync-harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness({ now });
});
afterEach(() => h.close());

const gibson = demoCustomer('GibsonPottYork');
/** Gibson's annual NCE subscriptions: E3 bought 4 months ago (window closed), Business Premium 3 days ago. */
function gibsonSubscription(data: Pax8Data, key: string) {
  const record = [...data.subscriptions.values()].find(
    (s) => s.current.companyId === pax8CompanyIdOf(gibson) && s.current.productId === productId(key),
  );
  if (!record) throw new Error(`No Gibson subscription to ${key}`);
  return record.current;
}

const quantity = (id: string, body: Record<string, unknown>, token?: string) =>
  h.call('POST', `/api/subscriptions/${id}/quantity`, body, token ? { token } : {});
const cancel = (id: string, body: Record<string, unknown>) =>
  h.call('POST', `/api/subscriptions/${id}/cancel`, body);
const pax8Writes = (id: string) =>
  h.upstreamCalls.filter(
    (c) => c === `PUT pax8.test/v1/subscriptions/${id}` || c === `DELETE pax8.test/v1/subscriptions/${id}`,
  );

describe('seat increase from the pod', () => {
  it('changes Pax8 once, journals the change and audits it with the member name', async () => {
    const sub = aceE3Subscription(h.pax8.data);
    expect(sub.quantity).toBe(2);
    const res = await quantity(sub.id, {
      quantity: 3,
      waiveProrate: false,
      acceptTerms: true,
      idempotencyKey: 'inc-ace-e3-0001',
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json).toMatchObject({
      action: 'quantity',
      fromQuantity: 2,
      toQuantity: 3,
      waiveProrate: false,
      changeKey: '2020-09-20#1',
      replayed: false,
      subscription: { quantity: 3, status: 'Active' },
    });
    expect(h.pax8.data.subscriptions.get(sub.id)?.current.quantity).toBe(3);
    const audit = await h.store.db.selectFrom('audit_log').selectAll().execute();
    const entry = audit.find((a) => a.action === 'subscription.quantity');
    expect(entry?.actor).toBe('jsmith');
    expect(JSON.parse(entry?.after ?? '{}')).toMatchObject({
      quantity: 3,
      memberName: 'John Smith',
      acceptedTerms: true,
      waiveProrate: false,
    });
    expect(JSON.parse(entry?.before ?? '{}')).toEqual({ quantity: 2, status: 'Active' });
  });

  it('a double submit (same key, at once) changes seats once; a later retry answers the same change', async () => {
    const sub = aceE3Subscription(h.pax8.data);
    const body = { quantity: 4, waiveProrate: false, acceptTerms: true, idempotencyKey: 'dbl-click-0001' };
    const historyBefore = h.pax8.data.subscriptions.get(sub.id)?.history.length ?? 0;
    const [a, b] = await Promise.all([quantity(sub.id, body), quantity(sub.id, body)]);
    const statuses = [a.status, b.status].sort();
    // Either both see the one change (200, the second replayed) or the second is told one is in progress (409).
    expect(statuses[0]).toBe(200);
    expect([200, 409]).toContain(statuses[1]);
    const retry = await quantity(sub.id, body);
    expect(retry.status).toBe(200);
    expect(retry.json).toMatchObject({ replayed: true, fromQuantity: 2, toQuantity: 4 });
    expect(pax8Writes(sub.id)).toHaveLength(1);
    expect(h.pax8.data.subscriptions.get(sub.id)?.history.length).toBe(historyBefore + 1);
    expect(h.pax8.data.subscriptions.get(sub.id)?.current.quantity).toBe(4);
  });

  it('the same key for another quantity is a 409, nothing sent', async () => {
    const sub = aceE3Subscription(h.pax8.data);
    const key = 'reused-key-0001';
    expect(
      (await quantity(sub.id, { quantity: 3, waiveProrate: false, acceptTerms: true, idempotencyKey: key }))
        .status,
    ).toBe(200);
    const again = await quantity(sub.id, {
      quantity: 5,
      waiveProrate: false,
      acceptTerms: true,
      idempotencyKey: key,
    });
    expect(again.status).toBe(409);
    expect(again.json.error.message).toBe('This idempotency key was used for another seat change');
    expect(pax8Writes(sub.id)).toHaveLength(1);
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'terms not accepted',
      { quantity: 3, waiveProrate: false, acceptTerms: false, idempotencyKey: 'terms-0001' },
      'Invalid request body: acceptTerms: You must accept the terms and conditions',
    ],
    [
      'no key',
      { quantity: 3, waiveProrate: false, acceptTerms: true },
      'Invalid request body: idempotencyKey: Invalid key: Expected "idempotencyKey" but received undefined',
    ],
    [
      'fractional seats',
      { quantity: 2.5, waiveProrate: false, acceptTerms: true, idempotencyKey: 'frac-00001' },
      'Invalid request body: quantity: Invalid integer: Received 2.5',
    ],
  ])('refuses a bad body (%s) with a 400 before Pax8', async (_name, body, message) => {
    const sub = aceE3Subscription(h.pax8.data);
    const res = await quantity(sub.id, body);
    expect(res.status).toBe(400);
    expect(res.json.error.message).toBe(message);
    expect(pax8Writes(sub.id)).toHaveLength(0);
  });

  it('another tenant cannot change a subscription of a company it has not bound (403, nothing sent)', async () => {
    const other = await h.addTenant('Other MSP', 'other.test');
    const token = await h.tokenFor(other.id);
    const sub = aceE3Subscription(h.pax8.data);
    const res = await quantity(
      sub.id,
      { quantity: 3, waiveProrate: false, acceptTerms: true, idempotencyKey: 'other-tenant-1' },
      token,
    );
    expect(res.status).toBe(403);
    expect(pax8Writes(sub.id)).toHaveLength(0);
    expect(h.pax8.data.subscriptions.get(sub.id)?.current.quantity).toBe(2);
  });
});

describe('the subscription history names the member who changed seats from the pod', () => {
  it('the increase (prorate waived) and the cancellation are "ordered by" John Smith; the waived change is synced once the recurring bills it', async () => {
    const bp = gibsonSubscription(h.pax8.data, 'm365bp');
    const inc = await quantity(bp.id, {
      quantity: 8,
      waiveProrate: true,
      acceptTerms: true,
      idempotencyKey: 'hist-inc-0001',
    });
    expect(inc.status, JSON.stringify(inc.json)).toBe(200);
    expect((await cancel(bp.id, { acceptTerms: true, idempotencyKey: 'hist-cancel-01' })).status).toBe(200);
    const history = await h.call('GET', `/api/subscriptions/${bp.id}/history`);
    expect(history.status).toBe(200);
    const events = history.json.events as {
      action: string;
      fromQuantity: number;
      toQuantity: number;
      orderedBy: string | null;
    }[];
    expect(events.slice(-2).map((e) => [e.action, e.fromQuantity, e.toQuantity, e.orderedBy])).toEqual([
      // The history names a pod change "<member> via ConnectWise" (h10-history's rule, one for both branches).
      ['increase', 6, 8, 'John Smith via ConnectWise'],
      ['cancel', 8, 0, 'John Smith via ConnectWise'],
    ]);
    const changes = history.json.changes as { changeKey: string; prorateWaived: boolean }[];
    expect(changes.map((c) => [c.changeKey, c.prorateWaived])).toEqual([
      ['2020-09-17#1', false],
      ['2020-09-20#1', true],
    ]);
  });
});

describe('NCE window (168 h after purchase or renewal), checked before Pax8 is called', () => {
  // now = 2020-09-20 12:00 UTC. Gibson's E3 Annual began 2020-05-20 12:00; Business Premium 2020-09-17 12:00.
  it('refuses a decrease outside the window, saying when it closed and when the next opens', async () => {
    const e3 = gibsonSubscription(h.pax8.data, 'o365e3');
    const res = await quantity(e3.id, {
      quantity: 14,
      waiveProrate: false,
      acceptTerms: true,
      idempotencyKey: 'nce-dec-000001',
    });
    expect(res.status).toBe(422);
    expect(res.json.error).toEqual({
      code: 'seat_change_refused',
      message:
        'Microsoft Office 365 Enterprise E3 - Includes Exchange Email and Desktop Office Suite is on a commitment term: it can have seats removed only in the 7 days after its purchase or renewal. That window closed 05/27/2020 12:00 UTC (the term began 05/20/2020); the next one opens at the renewal on 05/20/2021.',
      details: {
        closedAt: '2020-05-27T12:00:00.000Z',
        termStart: '2020-05-20',
        renews: '2021-05-20',
      },
    });
    expect(pax8Writes(e3.id)).toHaveLength(0);
    expect(h.pax8.data.subscriptions.get(e3.id)?.current.quantity).toBe(15);
  });

  it('refuses a cancellation outside the window too, and allows an increase', async () => {
    const e3 = gibsonSubscription(h.pax8.data, 'o365e3');
    const refusedCancel = await cancel(e3.id, { acceptTerms: true, idempotencyKey: 'nce-cancel-0001' });
    expect(refusedCancel.status).toBe(422);
    expect(refusedCancel.json.error.message).toContain('it can be cancelled only in the 7 days');
    const inc = await quantity(e3.id, {
      quantity: 16,
      waiveProrate: false,
      acceptTerms: true,
      idempotencyKey: 'nce-inc-00001',
    });
    expect(inc.status).toBe(200);
    expect(h.pax8.data.subscriptions.get(e3.id)?.current.quantity).toBe(16);
  });

  it('allows a decrease and a cancellation inside the window (closes 09/24/2020 12:00 UTC)', async () => {
    const bp = gibsonSubscription(h.pax8.data, 'm365bp');
    const dec = await quantity(bp.id, {
      quantity: 5,
      waiveProrate: false,
      acceptTerms: true,
      idempotencyKey: 'nce-in-dec-001',
    });
    expect(dec.status, JSON.stringify(dec.json)).toBe(200);
    expect(h.pax8.data.subscriptions.get(bp.id)?.current.quantity).toBe(5);
    const cancelled = await cancel(bp.id, { acceptTerms: true, idempotencyKey: 'nce-in-cancel1' });
    expect(cancelled.status, JSON.stringify(cancelled.json)).toBe(200);
    expect(cancelled.json.subscription.status).toBe('Cancelled');
  });

  it('one second before the window closes a decrease goes through; at the close it is refused', async () => {
    const bp = gibsonSubscription(h.pax8.data, 'm365bp');
    h.setNow(new Date('2020-09-24T12:00:00.000Z'));
    const body = (key: string) => ({
      quantity: 5,
      waiveProrate: false,
      acceptTerms: true,
      idempotencyKey: key,
    });
    // Sessions live 15 minutes: a new one on the moved clock.
    const late = await quantity(bp.id, body('edge-late-001'), await h.tokenFor(h.tenant.id));
    expect(late.status).toBe(422);
    expect(late.json.error.details.closedAt).toBe('2020-09-24T12:00:00.000Z');
    expect(pax8Writes(bp.id)).toHaveLength(0);
    h.setNow(new Date('2020-09-24T11:59:59.000Z'));
    const inTime = await quantity(bp.id, body('edge-ok-0001'), await h.tokenFor(h.tenant.id));
    expect(inTime.status, JSON.stringify(inTime.json)).toBe(200);
  });
});

describe('GET /api/subscriptions/:id/seats: the term and the window before anything is sent', () => {
  it.each<[string, () => string, string, unknown]>([
    [
      'annual E3, window closed',
      () => gibsonSubscription(h.pax8.data, 'o365e3').id,
      'Annual · renews 05/20/2021 · decrease window closed 05/27/2020 12:00',
      { closesAt: '2020-05-27T12:00:00.000Z', open: false, renewsOn: '2021-05-20' },
    ],
    [
      'annual Business Premium bought 3 days ago, open',
      () => gibsonSubscription(h.pax8.data, 'm365bp').id,
      'Annual · renews 09/17/2021 · decrease window closes 09/24/2020 12:00',
      { closesAt: '2020-09-24T12:00:00.000Z', open: true, renewsOn: '2021-09-17' },
    ],
    ['monthly E3 with no commitment: no window', () => aceE3Subscription(h.pax8.data).id, 'Monthly', null],
  ])('%s', async (_name, id, term, window) => {
    const res = await h.call('GET', `/api/subscriptions/${id()}/seats`);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect([res.json.term, res.json.window]).toEqual([term, window]);
  });

  it('another tenant is refused (403)', async () => {
    const other = await h.addTenant('Other MSP', 'other.test');
    const res = await h.call(
      'GET',
      `/api/subscriptions/${aceE3Subscription(h.pax8.data).id}/seats`,
      undefined,
      {
        token: await h.tokenFor(other.id),
      },
    );
    expect(res.status).toBe(403);
  });
});

describe("Pax8's 422 answers in plain words", () => {
  it('above the product maximum (300 on a Business plan): Pax8 refuses and the member reads why', async () => {
    const bp = gibsonSubscription(h.pax8.data, 'm365bp');
    const res = await quantity(bp.id, {
      quantity: 301,
      waiveProrate: false,
      acceptTerms: true,
      idempotencyKey: 'max-seats-001',
    });
    expect(res.status).toBe(422);
    expect(res.json.error).toEqual({
      code: 'seat_change_refused',
      message: 'Pax8 allows at most 300 seats of this product on one subscription.',
      details: {
        pax8: 'Invalid Subscription Update: Quantity 301 exceeds the maximum of 300 for this product',
      },
    });
    expect(pax8Writes(bp.id)).toHaveLength(1);
    // A refused change is journaled failed; the same key may be sent again (e.g. after Pax8 raised the cap).
    const row = await h.repos.seatChanges.byKey(h.tenant.id, 'max-seats-001');
    expect(row?.state).toBe('failed');
  });

  it('0 seats is refused before Pax8: cancel instead', async () => {
    const sub = aceE3Subscription(h.pax8.data);
    const res = await quantity(sub.id, {
      quantity: 0,
      waiveProrate: false,
      acceptTerms: true,
      idempotencyKey: 'zero-seats-01',
    });
    expect(res.status).toBe(422);
    expect(res.json.error.message).toBe(
      'A subscription keeps at least 1 seat. To remove every seat, cancel the subscription instead.',
    );
    expect(pax8Writes(sub.id)).toHaveLength(0);
  });
});

describe('waive prorate: remembered per change, the next sync proposes no prorate for it', () => {
  async function planProrates(subscriptionId: string) {
    const agreementId = h.agreementNamed('Ace Monthly').id;
    const res = await h.call('POST', '/api/sync/plan', { subscriptionId, agreementId });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    return res.json as {
      additions: { kind: string; changeKey?: string; unitPrice: string; quantity: number }[];
      prorates: { changeKey: string; totalPrice: string; waived: boolean; synced: boolean }[];
    };
  }

  it.each<[string, boolean, string[]]>([
    // E3 2 → 3 on 09/20 (10 of 30 days: 8.33); the guide's 1 → 2 on 09/09 (21 days: 17.50) stays proposed.
    ['not waived: both prorates proposed', false, ['2020-09-09#1', '2020-09-20#1']],
    ['waived: only the earlier change is proposed', true, ['2020-09-09#1']],
  ])('%s', async (_name, waive, proposed) => {
    const sub = aceE3Subscription(h.pax8.data);
    const res = await quantity(sub.id, {
      quantity: 3,
      waiveProrate: waive,
      acceptTerms: true,
      idempotencyKey: `waive-${waive}-01`,
    });
    expect(res.status).toBe(200);
    const plan = await planProrates(sub.id);
    expect(plan.prorates.map((p) => [p.changeKey, p.totalPrice, p.waived])).toEqual([
      ['2020-09-09#1', '17.50', false],
      ['2020-09-20#1', '8.33', waive],
    ]);
    expect(plan.additions.filter((a) => a.kind === 'prorate').map((a) => a.changeKey)).toEqual(proposed);
  });
});

describe("the emulated Pax8's own 422 answers (PUT/DELETE /subscriptions/{id}, on the sandbox clock)", () => {
  async function pax8(method: string, path: string, body?: unknown) {
    const token = await h.pax8.app.request('http://pax8.test/v1/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_id: 'demo-pax8-client',
        client_secret: 'demo-pax8-secret-not-for-production',
        audience: 'https://api.pax8.com',
        grant_type: 'client_credentials',
      }),
    });
    const { access_token } = (await token.json()) as { access_token: string };
    const res = await h.pax8.app.request(`http://pax8.test/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await res.json().catch(() => null)) as { details?: { message: string }[] } | null;
    return { status: res.status, detail: json?.details?.[0]?.message };
  }
  it.each<[string, () => string, string, unknown, number, string | undefined]>([
    [
      'decrease after the window',
      () => gibsonSubscription(h.pax8.data, 'o365e3').id,
      'PUT',
      { quantity: 14 },
      422,
      'Microsoft NCE subscriptions can only be decreased within 7 days of purchase or renewal',
    ],
    [
      'cancel after the window',
      () => gibsonSubscription(h.pax8.data, 'o365e3').id,
      'DELETE',
      undefined,
      422,
      'Microsoft NCE subscriptions can only be cancelled within 7 days of purchase or renewal',
    ],
    [
      '0 seats',
      () => aceE3Subscription(h.pax8.data).id,
      'PUT',
      { quantity: 0 },
      422,
      'Quantity must be at least 1; cancel the subscription to remove every seat',
    ],
    [
      '301 seats of a Business plan',
      () => gibsonSubscription(h.pax8.data, 'm365bp').id,
      'PUT',
      { quantity: 301 },
      422,
      'Quantity 301 exceeds the maximum of 300 for this product',
    ],
    [
      '300 seats of a Business plan',
      () => gibsonSubscription(h.pax8.data, 'm365bp').id,
      'PUT',
      { quantity: 300 },
      200,
      undefined,
    ],
    [
      'cancel inside the window',
      () => gibsonSubscription(h.pax8.data, 'm365bp').id,
      'DELETE',
      undefined,
      204,
      undefined,
    ],
  ])('%s', async (_name, id, method, body, status, detail) => {
    const res = await pax8(method, `/subscriptions/${id()}`, body);
    expect(res).toEqual({ status, detail });
  });
});
