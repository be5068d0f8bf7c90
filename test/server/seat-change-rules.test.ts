// The rules under a seat change, one row per case with the figures written out: the NCE window (168 h after
// purchase or renewal), Pax8's 422 texts in plain words, a send whose answer was lost (settled by a read of Pax8,
// never sent twice), and the judgement not calling a waived prorate owed.
import { describe, expect, it } from 'vitest';
import { type TermInput, termOf } from '../../server/billing/terms.ts';
import { AppError } from '../../server/errors.ts';
import { judge } from '../../server/judgement/index.ts';
import type { JudgeInput, JudgeSubscription } from '../../server/judgement/types.ts';
import { changeSeats, type SeatContext, type SeatSubscription } from '../../server/seats/change.ts';
import { plainRefusal, windowRefusal } from '../../server/seats/refusals.ts';
import type { SeatChange, SeatChangeClaim } from '../../server/store/seat-changes.ts';
import { historyCoverage } from '../../server/sync/history-coverage.ts';

describe('NCE window (billing/terms.ts): 168 h after the purchase or the last renewal', () => {
  const bought = {
    billingTerm: 'Annual',
    startDate: '2026-03-14',
    createdDate: '2026-03-14T14:00:00.000Z',
    commitment: { term: 'Annual', endDate: '2027-03-13' },
  };
  const renewed = { ...bought, startDate: '2025-03-14', createdDate: '2025-03-14T09:30:00.000Z' };
  const BP = 'Microsoft 365 Business Premium';
  const closed = (what: string, at: string) =>
    `${BP} is on a commitment term: it can ${what} only in the 7 days after its purchase or renewal. That window closed ${at} UTC (the term began 03/14/2026); the next one opens at the renewal on 03/14/2027.`;
  it.each<[string, TermInput, 'decrease' | 'cancel', string, string | null]>([
    ['bought 14:00, one second before the close', bought, 'decrease', '2026-03-21T13:59:59.000Z', null],
    [
      'bought 14:00, at the close',
      bought,
      'decrease',
      '2026-03-21T14:00:00.000Z',
      closed('have seats removed', '03/21/2026 14:00'),
    ],
    [
      'bought 14:00, cancelled months later',
      bought,
      'cancel',
      '2026-12-04T09:00:00.000Z',
      closed('be cancelled', '03/21/2026 14:00'),
    ],
    ['renewed 03/14/2026: open until 03/21 00:00', renewed, 'decrease', '2026-03-20T23:59:59.000Z', null],
    [
      'renewed 03/14/2026: closed from 03/21 00:00',
      renewed,
      'decrease',
      '2026-03-21T00:00:00.000Z',
      closed('have seats removed', '03/21/2026 00:00'),
    ],
    [
      'month to month, no commitment: any day',
      { billingTerm: 'Monthly', startDate: '2026-03-14' },
      'decrease',
      '2026-12-04T09:00:00.000Z',
      null,
    ],
  ])('%s', (_name, input, what, now, message) => {
    const refusal = windowRefusal(what, BP, termOf(input, now.slice(0, 10)), now);
    expect(refusal?.message ?? null).toBe(message);
    if (refusal) expect([refusal.code, refusal.status]).toEqual(['seat_change_refused', 422]);
  });
});

describe("Pax8's 422 texts (as the emulator and Pax8 give them) in plain words", () => {
  const pax8Said = (text: string) =>
    new AppError('upstream_rejected', `Pax8 refused PUT /subscriptions/{id} (HTTP 422): ${text}`, {
      details: { upstreamStatus: 422 },
    });
  it.each<[string, string]>([
    [
      'Invalid Subscription Update: Microsoft NCE subscriptions can only be decreased within 7 days of purchase or renewal',
      'Pax8 refused: this subscription is on a commitment term, so it can be decreased only in the 7 days after its purchase or renewal. Try again in the window after the next renewal.',
    ],
    [
      'Invalid Subscription Update: Microsoft NCE subscriptions can only be cancelled within 7 days of purchase or renewal',
      'Pax8 refused: this subscription is on a commitment term, so it can be cancelled only in the 7 days after its purchase or renewal. Try again in the window after the next renewal.',
    ],
    [
      'Invalid Subscription Update: Quantity must be at least 1; cancel the subscription to remove every seat',
      'Pax8 needs at least 1 seat on this subscription. To remove every seat, cancel the subscription instead.',
    ],
    [
      'Invalid Subscription Update: Quantity 301 exceeds the maximum of 300 for this product',
      'Pax8 allows at most 300 seats of this product on one subscription.',
    ],
    [
      'Invalid Subscription Update: Subscriptions with a future start date cannot be updated',
      'This subscription has not started yet: Pax8 cannot change it before its start date.',
    ],
    [
      'Invalid Subscription Update: Subscription is already PendingCancel',
      'This subscription is already cancelled in Pax8: its seats cannot be changed.',
    ],
    [
      'Invalid Subscription Update: Something new',
      'Pax8 refused the change: Invalid Subscription Update: Something new',
    ],
  ])('%s', (text, words) => {
    const mapped = plainRefusal(pax8Said(text)) as AppError;
    expect([mapped.code, mapped.status, mapped.message]).toEqual(['seat_change_refused', 422, words]);
  });

  it('anything but a 422 is left as it was (a 503 stays a 503)', () => {
    const err = new AppError('upstream_unavailable', 'Pax8 is unavailable (HTTP 503 on PUT …)', {
      details: { upstreamStatus: 503 },
    });
    expect(plainRefusal(err)).toBe(err);
  });
});

/** An in-memory Pax8 and store behind the seat-change ports; `lose` drops the answer of the next update after it applied. */
function fakes(start: Date) {
  const clock = { now: start };
  let sub: SeatSubscription = {
    id: 'sub-1',
    companyId: 'co-1',
    productId: 'p-1',
    productName: 'Microsoft 365 Business Premium',
    billingTerm: 'Monthly',
    quantity: 5,
    status: 'Active',
    startDate: '2026-01-01T00:00:00.000Z',
    commitmentTerm: null,
  };
  const history: SeatSubscription[] = [{ ...sub, updatedDate: '2026-01-01T00:00:00.000Z' }];
  const rows = new Map<string, SeatChange>();
  const state = { lose: false, updates: 0 };
  const set = (id: string, patch: Partial<SeatChange>) => {
    const row = [...rows.values()].find((r) => r.id === id)!;
    const next = { ...row, ...patch, updatedAt: clock.now.toISOString() };
    rows.set(row.idempotencyKey, next);
    return Promise.resolve(next);
  };
  const ctx: SeatContext = {
    now: () => clock.now,
    actor: { memberId: 'jsmith', memberName: 'John Smith' },
    requestId: 'r1',
    pax8: {
      get: async () => sub,
      history: async () => history,
      update: async (_id, body) => {
        state.updates++;
        sub = { ...sub, quantity: body.quantity, updatedDate: clock.now.toISOString() };
        history.push(sub);
        if (state.lose) {
          state.lose = false;
          throw new AppError(
            'upstream_unavailable',
            'Pax8 did not answer PUT /subscriptions/sub-1 within 30000 ms',
          );
        }
        return sub;
      },
      cancel: async () => {},
    },
    store: {
      isBound: async (id) => id === 'co-1',
      byKey: async (key) => rows.get(key) ?? null,
      claim: async (input: SeatChangeClaim) => {
        const found = rows.get(input.idempotencyKey);
        if (found) return { change: found, created: false };
        const at = clock.now.toISOString();
        const change: SeatChange = {
          ...input,
          id: `row-${rows.size + 1}`,
          tenantId: 't1',
          state: 'pending',
          changeKey: null,
          response: null,
          createdAt: at,
          updatedAt: at,
          sentAt: null,
        };
        rows.set(input.idempotencyKey, change);
        return { change, created: true };
      },
      markSent: (id) => set(id, { state: 'sent', sentAt: clock.now.toISOString() }),
      markUnknown: (id, response) => set(id, { state: 'unknown', response }),
      markFailed: (id, response) => set(id, { state: 'failed', response }),
      markDone: (id, changeKey, response) => set(id, { state: 'done', changeKey, response }),
      acquireLock: async () => true,
      releaseLock: async () => {},
      audit: async () => {},
    },
  };
  return { ctx, clock, state, rows };
}

describe('a seat change whose answer was lost', () => {
  const req = {
    subscriptionId: 'sub-1',
    action: 'quantity' as const,
    quantity: 7,
    waiveProrate: true,
    idempotencyKey: 'lost-0001',
  };

  it('is unknown (409 with the retry time), then settled by a read of Pax8: sent once, done with its change key', async () => {
    const f = fakes(new Date('2026-11-20T12:00:00.000Z'));
    f.state.lose = true;
    await expect(changeSeats(f.ctx, req)).rejects.toMatchObject({
      code: 'write_outcome_unknown',
      message:
        'Pax8 did not answer in time; we are checking whether the seats were changed — try again after 12:04 UTC',
    });
    expect(f.rows.get('lost-0001')?.state).toBe('unknown');
    const retry = await changeSeats(f.ctx, req);
    expect(retry).toMatchObject({
      fromQuantity: 5,
      toQuantity: 7,
      changeKey: '2026-11-20#1',
      waiveProrate: true,
    });
    expect(f.state.updates).toBe(1);
    expect(f.rows.get('lost-0001')?.state).toBe('done');
  });

  it('Pax8 does not show it: refused while it could still land (240 s: 4 tries of 30 s + backoff + 100 s), sent again after', async () => {
    const f = fakes(new Date('2026-11-20T12:00:00.000Z'));
    f.state.lose = true;
    // The lost update did not land after all: Pax8 still has 5.
    const update = f.ctx.pax8.update;
    f.ctx.pax8.update = async (id, body) => {
      if (f.state.lose) {
        f.state.lose = false;
        f.state.updates++;
        throw new AppError('upstream_unavailable', 'Pax8 is unreachable (PUT /subscriptions/sub-1)');
      }
      return update(id, body);
    };
    await expect(changeSeats(f.ctx, req)).rejects.toMatchObject({ code: 'write_outcome_unknown' });
    f.clock.now = new Date('2026-11-20T12:03:59.000Z');
    await expect(changeSeats(f.ctx, req)).rejects.toMatchObject({ code: 'write_outcome_unknown' });
    expect(f.state.updates).toBe(1);
    f.clock.now = new Date('2026-11-20T12:04:00.000Z');
    const sent = await changeSeats(f.ctx, req);
    expect(sent).toMatchObject({ toQuantity: 7, subscription: { quantity: 7 } });
    expect(f.state.updates).toBe(2);
  });
});

describe('the judgement does not call a waived prorate owed', () => {
  // The guide's E3 at Ace, 1 → 2 on 09/09/2020, judged 09/20: the recurring line and June's prorate written.
  const e3: JudgeSubscription = {
    id: 'sub-e3',
    productId: 'p-e3',
    productName: 'Microsoft Office 365 Enterprise E3',
    billingTerm: 'Monthly',
    status: 'Active',
    quantity: 2,
    price: 25,
    partnerCost: 20,
    startDate: '2020-06-15',
    endDate: null,
    updatedDate: '2020-09-09T10:00:00.000Z',
    history: [
      { date: '2020-06-15', quantity: 1 },
      { date: '2020-09-09', quantity: 2 },
    ],
  };
  const line = {
    agreementId: 10,
    catalogId: 682,
    unitCost: 20,
    cancelledDate: null,
    updatedAt: '2020-09-20T12:00:00.000Z',
  };
  const input = (s: JudgeSubscription): JudgeInput => ({
    today: '2020-09-20',
    subscriptions: [s],
    agreements: [{ id: 10, status: 'Active', nextInvoiceDate: '2020-10-01' }],
    additions: [
      {
        ...line,
        id: 1,
        quantity: 2,
        unitPrice: 25,
        effectiveDate: '2020-07-01',
        marker: { subscriptionId: 'sub-e3', kind: 'recurring' },
      },
      {
        ...line,
        id: 2,
        quantity: 1,
        unitPrice: 12.5,
        unitCost: 10,
        effectiveDate: '2020-07-01',
        cancelledDate: '2020-07-31',
        marker: { subscriptionId: 'sub-e3', kind: 'prorate' },
      },
    ],
    productBindings: [{ pax8ProductId: 'p-e3', billingTerm: 'Monthly', cwCatalogId: 682, price: null }],
  });
  it.each<[string, string[] | undefined, string, number, number]>([
    ["September's 17.50 not waived: owed in October", undefined, 'prorate_pending', 6750, 1750],
    ["September's change waived at the seat change: nothing owed", ['2020-09-09#1'], 'synced', 5000, 0],
  ])('%s', (_name, waived, status, octoberShould, backBill) => {
    const [v] = judge(input({ ...e3, waivedChangeKeys: waived })).verdicts;
    expect(v?.status).toBe(status);
    expect(v?.months[0]).toEqual({ month: '2020-10', will: 5000, should: octoberShould });
    expect(v?.backBill).toBe(backBill);
  });
});

describe("the pod's history: a change whose prorate was waived is synced once the recurring bills it", () => {
  const history = [
    { date: '2020-01-01', quantity: 1 },
    { date: '2020-09-09', quantity: 2 },
  ];
  const recurring = {
    kind: 'recurring',
    action: 'create',
    state: 'done' as const,
    cwAdditionId: 683,
    changeKey: null,
    request: { quantity: 2 },
  };
  it.each<[string, string[], boolean, boolean]>([
    ['not waived, no prorate written: not synced', [], false, false],
    ['waived at the seat change: synced, no prorate owed', ['2020-09-09#1'], true, true],
  ])('%s', (_name, waived, prorateWaived, synced) => {
    const [, change] = historyCoverage(history, [recurring], new Set(waived));
    expect([change?.changeKey, change?.prorateWaived, change?.synced]).toEqual([
      '2020-09-09#1',
      prorateWaived,
      synced,
    ]);
  });
});

describe('the judgement does not call a waived co-termed prorate owed (annual E3, 5 → 7 on 09/09/2026)', () => {
  // 300.00 a seat a year from 03/14/2026, judged 09/20/2026; the year's line written, the 2 seats' prorate
  // (185 of 365 days: 152.05 a seat, 304.10) not written.
  const annual: JudgeSubscription = {
    id: 'sub-a',
    productId: 'p-e3',
    productName: 'Microsoft 365 E3 (NCE)',
    billingTerm: 'Annual',
    status: 'Active',
    quantity: 7,
    price: 300,
    partnerCost: 240,
    startDate: '2026-03-14',
    endDate: null,
    updatedDate: '2026-09-09T10:00:00.000Z',
    history: [
      { date: '2026-03-14', quantity: 5 },
      { date: '2026-09-09', quantity: 7 },
    ],
  };
  const year = {
    id: 1,
    agreementId: 10,
    catalogId: 52,
    quantity: 5,
    unitPrice: 300,
    unitCost: 240,
    effectiveDate: '2026-04-01',
    cancelledDate: '2026-04-30',
    marker: { subscriptionId: 'sub-a', kind: 'period' },
    invoiceDescription: 'Pax8 - Microsoft 365 E3 (NCE) - Annual term 03/14/2026-03/13/2027',
  };
  it.each<[string, string[] | undefined, string, number]>([
    ['not waived: 304.10 owed in October', undefined, 'prorate_pending', 30410],
    ['waived at the seat change: nothing owed', ['2026-09-09#1'], 'synced', 0],
  ])('%s', (_name, waived, status, backBill) => {
    const [v] = judge({
      today: '2026-09-20',
      subscriptions: [{ ...annual, waivedChangeKeys: waived }],
      agreements: [{ id: 10, status: 'Active', nextInvoiceDate: '2026-10-01' }],
      additions: [year],
      productBindings: [{ pax8ProductId: 'p-e3', billingTerm: 'Annual', cwCatalogId: 52, price: null }],
    }).verdicts;
    expect([v?.status, v?.backBill]).toEqual([status, backBill]);
  });
});
