// The Subscription History as the guide shows it (issue 10 item 6): one row per change with its action (Pax8
// sends none: it is the difference between two snapshots), quantity from → to, who ordered it (Pax8's orders),
// term, renews, status, and the ConnectWise additions that cover it (with their agreement, to open them).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pax8CompanyIdOf, pax8ProductIdOf } from '../../server/sandbox/demo/msp.ts';
import { historyCoverage } from '../../server/sync/history-coverage.ts';
import { type HistorySnapshot, historyEvents } from '../../server/sync/history-events.ts';
import { aceE3Subscription, demoCustomer, demoProduct, now } from './demo-fixtures.ts';
import { createHarness, type Harness } from './sync-harness.ts';

const snap = (
  updatedDate: string,
  quantity: number,
  extra: Partial<HistorySnapshot> = {},
): HistorySnapshot => ({
  quantity,
  status: 'Active',
  billingTerm: 'Monthly',
  startDate: '2026-03-14T00:00:00Z',
  updatedDate: `${updatedDate}T10:00:00Z`,
  commitmentTerm: null,
  ...extra,
});
const upFront = (end: string) => ({ billingTerm: 'Annual', ...annual(end) });
const annual = (end: string) => ({ commitmentTerm: { term: 'Annual', endDate: `${end}T00:00:00Z` } });
const order = (date: string, quantity: number, email: string | null, orderedBy = 'Pax8 Partner') => ({
  createdDate: date,
  orderedBy,
  orderedByUserEmail: email,
  lineItems: [{ subscriptionId: 'sub-1', quantity }],
});
type Entry = Parameters<typeof historyEvents>[0]['journal'][number];
const done = (kind: string, cwAdditionId: number, request: Record<string, unknown>): Entry => ({
  kind,
  state: 'done',
  cwAdditionId,
  agreementId: 290,
  request,
});

/** Runs the pure history over snapshots, orders and a journal, as the route does. */
function rows(
  snapshots: HistorySnapshot[],
  orders: ReturnType<typeof order>[],
  journal: (Entry & { action?: string; changeKey?: string | null })[] = [],
  usage = false,
) {
  const points = [...snapshots]
    .sort((a, b) => (a.updatedDate ?? '').localeCompare(b.updatedDate ?? ''))
    .filter((s, i, all) => i === 0 || all[i - 1]?.quantity !== s.quantity)
    .map((s) => ({ date: (s.updatedDate ?? '').slice(0, 10), quantity: s.quantity }));
  const full = journal.map((j) => ({ action: 'create', changeKey: null, ...j }));
  const changes = historyCoverage(points, full);
  return historyEvents({ subscriptionId: 'sub-1', snapshots, orders, changes, journal: full, usage }).map(
    (e) =>
      [
        e.date,
        e.action,
        `${e.fromQuantity} → ${e.toQuantity}`,
        e.orderedBy,
        `${e.term} (${e.billedAs})`,
        e.renews,
        e.status,
        e.synced,
        e.lines.map((l) => `${l.kind} #${l.additionId} on ${l.agreementId}`).join(', '),
      ].join(' | '),
  );
}

describe('historyEvents (table)', () => {
  // biome-ignore format: one row per case; each history row as date | action | from → to | ordered by | term | renews | status | synced | lines
  it.each<[string, HistorySnapshot[], ReturnType<typeof order>[], Entry[], string[]]>([
    ['the guide: initial order of 8 by A. Markov, then 7 (-1) by K. Park; monthly renews on the 1st',
      [snap('2018-07-01', 8), snap('2018-11-27', 7)],
      [order('2018-07-01', 8, 'a.markov@northwind.example'), order('2018-11-27', 7, 'k.park@northwind.example')],
      [],
      ['2018-07-01 | initial-order | 0 → 8 | a.markov@northwind.example | Monthly (monthly) | 2018-08-01 | Active | false | ',
       '2018-11-27 | decrease | 8 → 7 | k.park@northwind.example | Monthly (monthly) | 2018-12-01 | Active | false | ']],
    ['December renews on January 1st of the next year; a status in Pax8\'s screen words; no order: no name',
      [snap('2026-12-05', 3, { status: 'PendingManual' })], [], [],
      ['2026-12-05 | initial-order | 0 → 3 |  | Monthly (monthly) | 2027-01-01 | Provisioning | false | ']],
    ['an increase covered by the recurring of 5 and its prorate; the initial order by the recurring',
      [snap('2026-03-14', 3), snap('2026-04-10', 5)],
      [order('2026-03-14', 3, null, 'Customer'), order('2026-04-10', 5, 'n.ross@northwind.example')],
      [done('recurring', 683, { quantity: 5 }), { ...done('prorate', 682, { quantity: 2 }), changeKey: '2026-04-10#1' } as Entry],
      ['2026-03-14 | initial-order | 0 → 3 | Customer | Monthly (monthly) | 2026-04-01 | Active | false | recurring #683 on 290',
       '2026-04-10 | increase | 3 → 5 | n.ross@northwind.example | Monthly (monthly) | 2026-05-01 | Active | true | recurring #683 on 290, prorate #682 on 290']],
    ['two orders on one day: each row names the order that set its quantity',
      [snap('2026-03-14', 3), snap('2026-04-10', 5), { ...snap('2026-04-10', 6), updatedDate: '2026-04-10T15:00:00Z' }],
      [order('2026-03-14', 3, 'a.markov@northwind.example'), order('2026-04-10', 6, 'n.ross@northwind.example'), order('2026-04-10', 5, 'k.park@northwind.example')],
      [],
      ['2026-03-14 | initial-order | 0 → 3 | a.markov@northwind.example | Monthly (monthly) | 2026-04-01 | Active | false | ',
       '2026-04-10 | increase | 3 → 5 | k.park@northwind.example | Monthly (monthly) | 2026-05-01 | Active | false | ',
       '2026-04-10 | increase | 5 → 6 | n.ross@northwind.example | Monthly (monthly) | 2026-05-01 | Active | false | ']],
    ['annual paid monthly: renews the day after its term ends; the renewal carries 10 seats into the new term, covered by the recurring of 10',
      [snap('2026-03-14', 10, annual('2027-03-13')), snap('2027-03-14', 10, annual('2028-03-13'))],
      [order('2026-03-14', 10, 'k.park@northwind.example')],
      [done('recurring', 700, { quantity: 10 })],
      ['2026-03-14 | initial-order | 0 → 10 | k.park@northwind.example | Annual, billed monthly (monthly) | 2027-03-14 | Active | false | recurring #700 on 290',
       '2027-03-14 | renewal | 10 → 10 |  | Annual, billed monthly (monthly) | 2028-03-14 | Active | true | recurring #700 on 290']],
    ['annual paid up front, nothing written: neither the order nor the renewal is synced',
      [snap('2026-03-14', 4, upFront('2027-03-13')), snap('2027-03-14', 4, upFront('2028-03-13'))],
      [], [],
      ['2026-03-14 | initial-order | 0 → 4 |  | Annual (upfront) | 2027-03-14 | Active | false | ',
       '2027-03-14 | renewal | 4 → 4 |  | Annual (upfront) | 2028-03-14 | Active | false | ']],
    ['annual paid up front: each period line covers its term\'s start, the co-termed prorate the mid-term increase',
      [snap('2026-03-14', 4, upFront('2027-03-13')), snap('2026-06-01', 6, upFront('2027-03-13')), snap('2027-03-14', 6, upFront('2028-03-13'))],
      [],
      [done('period', 801, { quantity: 4, period: { start: '2026-03-14', end: '2027-03-13' } }), { ...done('prorate', 802, { quantity: 2 }), changeKey: '2026-06-01#1' } as Entry, done('period', 803, { quantity: 6, period: { start: '2027-03-14', end: '2028-03-13' } })],
      ['2026-03-14 | initial-order | 0 → 4 |  | Annual (upfront) | 2027-03-14 | Active | true | period #801 on 290',
       '2026-06-01 | increase | 4 → 6 |  | Annual (upfront) | 2027-03-14 | Active | true | period #801 on 290, prorate #802 on 290',
       '2027-03-14 | renewal | 6 → 6 |  | Annual (upfront) | 2028-03-14 | Active | true | period #803 on 290']],
    ['annual paid up front: a mid-term increase without its co-termed prorate is not synced, though its period is billed',
      [snap('2026-03-14', 4, upFront('2027-03-13')), snap('2026-06-01', 6, upFront('2027-03-13'))],
      [],
      [done('period', 801, { quantity: 4, period: { start: '2026-03-14', end: '2027-03-13' } })],
      ['2026-03-14 | initial-order | 0 → 4 |  | Annual (upfront) | 2027-03-14 | Active | true | period #801 on 290',
       '2026-06-01 | increase | 4 → 6 |  | Annual (upfront) | 2027-03-14 | Active | false | period #801 on 290']],
    ['a trial bills nothing: its order is synced with no line',
      [snap('2026-11-10', 1, { billingTerm: 'Trial', status: 'Trial' })],
      [order('2026-11-10', 1, 'n.ross@northwind.example')],
      [],
      ['2026-11-10 | initial-order | 0 → 1 | n.ross@northwind.example | Trial (trial) |  | Trial | true | ']],
    ['a cancel: 6 → 0, no renewal after it; covered once the recurring has its cancelled date',
      [snap('2026-03-14', 6), snap('2026-03-18', 6, { status: 'Cancelled' })],
      [order('2026-03-14', 6, 'a.markov@northwind.example')],
      [done('recurring', 683, { quantity: 6, cancelledDate: null }), { ...done('recurring', 683, { quantity: 6, cancelledDate: '2026-03-31' }), action: 'cancel' } as Entry],
      ['2026-03-14 | initial-order | 0 → 6 | a.markov@northwind.example | Monthly (monthly) | 2026-04-01 | Active | false | recurring #683 on 290',
       '2026-03-18 | cancel | 6 → 0 |  | Monthly (monthly) |  | Cancelled | true | recurring #683 on 290']],
    ['a cancel after "create new": the old addition ended, the new one still bills, so not synced',
      [snap('2026-03-14', 6), snap('2026-05-02', 6, { status: 'PendingCancel' })],
      [],
      [done('recurring', 683, { quantity: 6, cancelledDate: '2026-04-30' }), done('recurring', 690, { quantity: 6, cancelledDate: null })],
      ['2026-03-14 | initial-order | 0 → 6 |  | Monthly (monthly) | 2026-04-01 | Active | false | recurring #690 on 290',
       '2026-05-02 | cancel | 6 → 0 |  | Monthly (monthly) |  | Pending cancel | false | ']],
  ])('%s', (_name, snapshots, orders, journal, expected) => {
    expect(rows(snapshots, orders, journal)).toEqual(expected);
  });

  it('a usage product is billed by closed month, not by change: its rows say usage, with no line', () => {
    expect(rows([snap('2026-06-01', 1)], [], [], true)).toEqual([
      '2026-06-01 | initial-order | 0 → 1 |  | Monthly (usage) | 2026-07-01 | Active | false | ',
    ]);
  });
});

describe('historyEvents: a change made from the pod names its member', () => {
  it('the increase and the cancel made in ConnectWise by Jane Smith; the initial order by its Pax8 order', () => {
    const snapshots = [
      snap('2026-03-14', 3),
      snap('2026-04-10', 5),
      snap('2026-04-12', 5, { status: 'Cancelled' }),
    ];
    const changes = historyCoverage(
      [
        { date: '2026-03-14', quantity: 3 },
        { date: '2026-04-10', quantity: 5 },
      ],
      [],
    );
    const events = historyEvents({
      subscriptionId: 'sub-1',
      snapshots,
      orders: [order('2026-03-14', 3, 'a.markov@northwind.example')],
      changes,
      journal: [],
      podChanges: [
        { action: 'quantity', changeKey: '2026-04-10#1', memberName: 'Jane Smith' },
        { action: 'cancel', changeKey: null, memberName: 'Jane Smith' },
      ],
    });
    expect(events.map((e) => [e.action, `${e.fromQuantity} → ${e.toQuantity}`, e.orderedBy])).toEqual([
      ['initial-order', '0 → 3', 'a.markov@northwind.example'],
      ['increase', '3 → 5', 'Jane Smith via ConnectWise'],
      ['cancel', '5 → 0', 'Jane Smith via ConnectWise'],
    ]);
  });
});

describe("GET /api/subscriptions/:id/history: the guide's columns through the front door", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness({ now });
  });
  afterEach(() => h.close());

  type Event = {
    date: string;
    action: string;
    fromQuantity: number;
    toQuantity: number;
    orderedBy: string | null;
    term: string;
    renews: string | null;
    status: string;
    changeKey: string | null;
    synced: boolean;
    lines: { kind: string; additionId: number; agreementId: number }[];
  };
  const history = async (id: string) =>
    (await h.call('GET', `/api/subscriptions/${id}/history`)).json.events as Event[];

  it('Ace E3: 1 seat ordered 01/01/2020, +1 on 09/09/2020; after Confirm each row names the additions that cover it', async () => {
    const sub = aceE3Subscription(h.pax8.data);
    const agreementId = h.agreementNamed('Ace Monthly').id;
    const common = { term: 'Monthly', billedAs: 'monthly', status: 'Active' };
    expect(await history(sub.id)).toEqual([
      {
        date: '2020-01-01',
        action: 'initial-order',
        fromQuantity: 0,
        toQuantity: 1,
        orderedBy: 'k.park@northwind.example',
        ...common,
        renews: '2020-02-01',
        changeKey: '2020-01-01#1',
        synced: false,
        lines: [],
      },
      {
        date: '2020-09-09',
        action: 'increase',
        fromQuantity: 1,
        toQuantity: 2,
        orderedBy: 'a.markov@northwind.example',
        ...common,
        renews: '2020-10-01',
        changeKey: '2020-09-09#1',
        synced: false,
        lines: [],
      },
    ]);
    const plan = await h.call('POST', '/api/sync/plan', { subscriptionId: sub.id, agreementId });
    const applied = await h.call('POST', '/api/sync/apply', { planId: plan.json.planId });
    const ids = Object.fromEntries(
      (applied.json.applied as { kind: string; additionId: number }[]).map((a) => [a.kind, a.additionId]),
    );
    const after = await history(sub.id);
    expect(after.map((e) => [e.action, e.synced, e.lines])).toEqual([
      ['initial-order', false, [{ kind: 'recurring', additionId: ids.recurring, agreementId }]],
      [
        'increase',
        true,
        [
          { kind: 'recurring', additionId: ids.recurring, agreementId },
          { kind: 'prorate', additionId: ids.prorate, agreementId },
        ],
      ],
    ]);
    // The additions named are ConnectWise's own, on that agreement.
    const cw = h.additionsOf(agreementId) as { id: number; quantity: number }[];
    expect(cw.filter((a) => a.id === ids.recurring || a.id === ids.prorate).map((a) => a.quantity)).toEqual([
      2, 1,
    ]);
  });

  it('Ace E3 2 → 3 from the pod on 09/20/2020: the row names the member who made it, not a Pax8 order', async () => {
    const sub = aceE3Subscription(h.pax8.data);
    const res = await h.call('POST', `/api/subscriptions/${sub.id}/quantity`, {
      quantity: 3,
      waiveProrate: false,
      acceptTerms: true,
      idempotencyKey: 'history-inc-0001',
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const last = (await history(sub.id)).at(-1);
    expect([last?.date, last?.action, last?.fromQuantity, last?.toQuantity, last?.orderedBy]).toEqual([
      '2020-09-20',
      'increase',
      2,
      3,
      'John Smith via ConnectWise',
    ]);
  });

  it('Dynamo Corp Teams Premium cancelled on 08/28/2020: ordered, then a cancel row 2 → 0 with no renewal', async () => {
    const dynamo = demoCustomer('DynamoCorp');
    const sub = [...h.pax8.data.subscriptions.values()].find(
      (s) =>
        s.current.companyId === pax8CompanyIdOf(dynamo) &&
        s.current.productId === pax8ProductIdOf(demoProduct('teamsprem')),
    )!.current;
    expect(
      (await history(sub.id)).map((e) => [
        e.date,
        e.action,
        e.fromQuantity,
        e.toQuantity,
        e.renews,
        e.status,
      ]),
    ).toEqual([
      ['2020-05-01', 'initial-order', 0, 2, '2020-06-01', 'Active'],
      ['2020-08-28', 'cancel', 2, 0, null, 'Cancelled'],
    ]);
  });
});

describe('GET /api/subscriptions/:id/history when Pax8 fails to answer its orders', () => {
  it('answers the history without Ordered By, says why, and logs it', async () => {
    const logged: { msg: string; fields: Record<string, unknown> | undefined }[] = [];
    const logger = {
      info: () => undefined,
      warn: (msg: string, fields?: Record<string, unknown>) => void logged.push({ msg, fields }),
      error: () => undefined,
    };
    const h = await createHarness({ now, logger, clockSleep: true });
    try {
      h.interceptUpstream(async (req, send) =>
        new URL(req.url).pathname === '/v1/orders'
          ? new Response(JSON.stringify({ message: 'orders are down' }), { status: 503 })
          : send(req),
      );
      const sub = aceE3Subscription(h.pax8.data);
      const res = await h.call('GET', `/api/subscriptions/${sub.id}/history`);
      expect(res.status).toBe(200);
      const events = res.json.events as { date: string; action: string; orderedBy: string | null }[];
      expect(events.map((e) => [e.date, e.action, e.orderedBy])).toEqual([
        ['2020-01-01', 'initial-order', null],
        ['2020-09-09', 'increase', null],
      ]);
      expect(res.json.warnings).toEqual([
        {
          code: 'pax8_orders_unavailable',
          message: "Pax8's orders could not be read, so Ordered By is not shown.",
        },
      ]);
      expect(logged).toEqual([
        {
          msg: 'history without Ordered By: the Pax8 orders read failed',
          fields: expect.objectContaining({ subscriptionId: sub.id, code: 'upstream_unavailable' }),
        },
      ]);
    } finally {
      await h.close();
    }
  });

  it('says nothing when the orders are read', async () => {
    const h = await createHarness({ now });
    try {
      const res = await h.call('GET', `/api/subscriptions/${aceE3Subscription(h.pax8.data).id}/history`);
      expect(res.json.warnings).toEqual([]);
    } finally {
      await h.close();
    }
  });
});
