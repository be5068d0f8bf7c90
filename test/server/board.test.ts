// The reconciliation board through the front door, with both emulators and the demo MSP on 2020-09-20: its
// money per month and totals, Pax8's cost from the draft and invoice items, margin and leakage, the margin
// floor, filters and search, CSV, and the background work: the first computation, a recompute that serves the
// previous board, incremental refreshes after a sync, an ignore and Pax8's change report, and the kept board.
import { afterEach, describe, expect, it } from 'vitest';
import { createBoardService } from '../../server/board/service.ts';
import { silentLogger } from '../../server/log.ts';
import { pax8CompanyIdOf } from '../../server/sandbox/demo/msp.ts';
import type { BoardStore } from '../../server/store/index.ts';
import type { SyncContext } from '../../server/sync-context.ts';
import { ace, aceSubscription, now } from './demo-fixtures.ts';
import { createHarness, type Harness } from './sync-harness.ts';

let h: Harness;
afterEach(() => h.close());

type Row = {
  subscriptionId: string;
  companyName: string;
  productName: string;
  billingTerm: string;
  charge: string;
  chargeWords: string;
  status: string;
  ignored: boolean;
  quantity: number;
  month: string | null;
  months: { month: string; will: number; should: number; costCents: number; leakSeats: number }[];
  willCents: number;
  shouldCents: number;
  differenceCents: number;
  costCents: number;
  costSource: string;
  marginCents: number;
  marginAfterSyncCents: number;
  marginPercent: number | null;
  belowMarginFloor: boolean;
  leakSeats: number | null;
  leakCents: number | null;
  agreementId: number | null;
};

/** GET /api/board until no computation is under way (the board never makes a request wait for one). */
async function settledBoard(query = 'limit=1000', token?: string) {
  for (let i = 0; i < 200; i++) {
    const res = await h.call('GET', `/api/board?${query}`, undefined, token ? { token } : {});
    if (res.status !== 200) return res;
    if (!res.json.recomputing && res.json.refreshing === 0 && res.json.computedAt !== null) return res;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the board did not settle');
}

const rowOf = (rows: Row[], id: string) => {
  const row = rows.find((r) => r.subscriptionId === id);
  if (!row) throw new Error(`no board row for ${id}`);
  return row;
};
const aceSub = (key: string) => aceSubscription(h.pax8.data, key);
const acePax8Id = pax8CompanyIdOf(ace) ?? '';

describe('GET /api/board', () => {
  it('is computed in the background: the first answer says so at once, then every bound subscription with its money', async () => {
    h = await createHarness({ now });
    const first = await h.call('GET', '/api/board');
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({
      computedAt: null,
      recomputing: true,
      rows: [],
      checked: { subscriptions: 0, statement: 'The board is being computed for the first time.' },
    });

    const res = await settledBoard();
    expect(res.json.computedAt).toBe('2020-09-20T12:00:00.000Z');
    expect(res.json.checked).toEqual({
      subscriptions: 96,
      companies: 28,
      onBoard: 73,
      statement: 'Checked 96 Pax8 subscriptions of 28 companies: 73 are on a bound company.',
    });
    expect(res.json.months).toEqual(['2020-10', '2020-11', '2020-12', '2021-01']);
    // Terms billed up front (annual, 3-year) count their whole charge in the month it is invoiced: the twelve
    // rows charged up front are summed apart from the money a month. Of the $32,447.60 not billed in their
    // headline months, the eleven never synced make $30,207.60 (an annual or 3-year charge, not money a month);
    // the monthly lines $2,240.00.
    expect(res.json.totals).toEqual({
      rows: 73,
      outOfStep: 71,
      notBilledCents: 224000,
      billedTwiceCents: 8000,
      overBilledCents: 165900,
      costCents: 419340,
      willCents: 317100,
      marginCents: 317100 - 419340,
      // The seats of the terms up front are not billed month by month: none leaks (133 seats were counted so).
      leakSeats: 203,
      leakCents: 177020,
      upFront: {
        rows: 12,
        notBilledCents: 3020760,
        billedTwiceCents: 0,
        overBilledCents: 0,
        // Gibson's annual Business Basic, synced on 'Gibson Annual': 10 × $68.40 billed in October for 10 × $54.72.
        costCents: 2438928 + 54720,
        willCents: 68400,
        marginCents: 68400 - 2438928 - 54720,
      },
      belowMarginFloor: 0,
      statement:
        '$2,240.00 a month not billed, $80.00 billed twice, $1,659.00 billed above what it should; ' +
        '$30,207.60 of up-front charges not billed',
    });
    const rows = res.json.rows as Row[];
    // Ace's Dropsuite bills on two agreements (2 seats at 44.00 each side): 88.00 for 8.00, Pax8 charges 5.00.
    expect(rowOf(rows, aceSub('dropsuite').id)).toMatchObject({
      status: 'double_billed',
      month: '2020-10',
      willCents: 8800,
      shouldCents: 800,
      differenceCents: -8000,
      costCents: 500,
      costSource: 'draft',
      marginCents: 8300,
      marginAfterSyncCents: 300,
      marginPercent: 37.5,
      leakSeats: 0,
      leakCents: 0,
    });
    // Ace's E3 (2 seats at 25.00, cost 20.00) is on no agreement: both seats leak, 40.00 of Pax8 cost.
    expect(rowOf(rows, aceSub('o365e3').id)).toMatchObject({
      status: 'never_synced',
      month: '2020-10',
      willCents: 0,
      shouldCents: 5000,
      costCents: 4000,
      costSource: 'draft',
      marginCents: -4000,
      marginAfterSyncCents: 1000,
      marginPercent: 20,
      leakSeats: 2,
      leakCents: 4000,
    });
    // Usage is billed in arrears: on the board, not judged per month, its leakage unknown (not 0).
    expect(rowOf(rows, aceSub('azure').id)).toMatchObject({
      status: 'arrears',
      month: null,
      leakSeats: null,
    });
    // Gibson's 3-Year E3 (5 seats at $792.00 a term, cost $648.00) is on no agreement: the term's $3,960.00 is
    // owed in October and says so; no month leaks its seats, and a month its charge does not bill costs nothing.
    const gibson3 = rows.find((r) => r.companyName.startsWith('Gibson') && r.billingTerm === '3-Year');
    expect(gibson3).toMatchObject({
      charge: 'period',
      chargeWords: 'per 3 years, up front',
      status: 'never_synced',
      month: '2020-10',
      willCents: 0,
      shouldCents: 396000,
      differenceCents: 396000,
      costCents: 324000,
      marginAfterSyncCents: 72000,
      marginPercent: 18.18,
      leakSeats: null,
      leakCents: null,
    });
    expect(gibson3?.months.map((m) => [m.month, m.should, m.costCents, m.leakSeats])).toEqual([
      ['2020-10', 396000, 324000, 0],
      ['2020-11', 0, 0, 0],
      ['2020-12', 0, 0, 0],
    ]);
    expect(rowOf(rows, aceSub('o365e3').id)).toMatchObject({ charge: 'month', chargeWords: 'a month' });
    // Sorted by money: the largest difference first.
    expect(rows.slice(0, 2).map((r) => `${r.companyName} | ${r.differenceCents}`)).toEqual([
      'Pinnacle Engineering | 551760',
      'Summit Insurance Agency | 501600',
    ]);
    // Pages, never a call per subscription: Pax8's subscriptions and companies once, this month's invoice and
    // its items, the two draft months; ConnectWise one agreements walk and one additions walk per agreement.
    const pax8 = [...h.upstreamCalls].filter((c) => c.includes('pax8.test')).sort();
    expect(pax8.map((c) => c.replace(/invoices\/[0-9a-f-]{36}/, 'invoices/:id'))).toEqual([
      'GET pax8.test/v1/companies',
      'GET pax8.test/v1/invoices',
      'GET pax8.test/v1/invoices/:id/items',
      'GET pax8.test/v1/invoices/draftItems',
      'GET pax8.test/v1/invoices/draftItems',
      'GET pax8.test/v1/subscriptions',
      'POST pax8.test/v1/token',
    ]);
    const cw = [...h.upstreamCalls].filter((c) => c.includes('cw.test'));
    expect(cw.filter((c) => c.endsWith('/finance/agreements'))).toHaveLength(1);
    expect(cw.every((c) => /\/finance\/agreements(\/\d+\/additions)?$/.test(c))).toBe(true);
  });

  it.each([
    ['status=double_billed', 1, '$0.00 a month not billed, $80.00 billed twice'],
    [
      'status=never_synced',
      27,
      '$1,645.00 a month not billed, $0.00 billed twice; $30,207.60 of up-front charges not billed',
    ],
    ['q=ace+chemical', 3, '$50.00 a month not billed, $80.00 billed twice'],
    ['company=Ace', 0, '$0.00 a month not billed, $0.00 billed twice'],
    [
      'term=annual',
      11,
      '$0.00 a month not billed, $0.00 billed twice; $26,247.60 of up-front charges not billed',
    ],
    [
      'product=dropsuite&minAmount=50',
      5,
      '$96.00 a month not billed, $80.00 billed twice, $232.00 billed above what it should',
    ],
    ['maxAmount=0', 28, '$0.00 a month not billed, $0.00 billed twice'],
  ])('filters %s: %i rows, "%s"', async (query, matched, statement) => {
    h = await createHarness({ now });
    const res = await settledBoard(`${query}&limit=1000`);
    expect(res.json.page.matched).toBe(matched);
    expect(res.json.filteredTotals.statement).toBe(statement);
    // The totals at the top stay the board's.
    expect(res.json.totals.rows).toBe(73);
  });

  it('searches by Pax8 subscription, Pax8 company, ConnectWise company and agreement id', async () => {
    h = await createHarness({ now });
    const e3 = aceSub('o365e3');
    await settledBoard();
    const ids = async (query: string) =>
      ((await h.call('GET', `/api/board?${query}`)).json.rows as Row[]).map((r) => r.subscriptionId).sort();
    expect(await ids(`q=${e3.id}`)).toEqual([e3.id]);
    const aceRows = await ids(`company=${acePax8Id}`);
    // Dropsuite, E3 and the Azure usage (the fourth, cancelled and ended, is not on the board).
    expect(aceRows).toHaveLength(3);
    expect(await ids(`q=${ace.cwId}`)).toEqual(aceRows);
    expect(await ids(`company=${ace.cwId}`)).toEqual(aceRows);
    const agreementId = h.agreementNamed('Ace Monthly').id;
    // Every Ace row bills (or should bill) on Ace Monthly, the agreement in context of Ace's company.
    expect(await ids(`q=${agreementId}`)).toEqual(aceRows);
  });

  it('pages in the chosen order', async () => {
    h = await createHarness({ now });
    await settledBoard();
    const page = (q: string) => h.call('GET', `/api/board?${q}`);
    const all = ((await page('limit=1000&sort=margin')).json.rows as Row[]).map((r) => r.subscriptionId);
    const second = await page('limit=10&offset=10&sort=margin');
    expect(second.json.page).toEqual({ offset: 10, limit: 10, returned: 10, matched: 73 });
    expect((second.json.rows as Row[]).map((r) => r.subscriptionId)).toEqual(all.slice(10, 20));
    const margins = ((await page('limit=1000&sort=margin')).json.rows as Row[]).map(
      (r) => r.marginAfterSyncCents,
    );
    expect(margins).toEqual([...margins].sort((a, b) => a - b));
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=1001', 'limit'],
    ['offset=-1', 'offset'],
    ['status=bogus', 'status'],
    ['sort=price', 'sort'],
    ['minAmount=ten', 'minAmount'],
    ['minAmount=1.234', 'minAmount'],
    ['colour=red', 'colour'],
  ])('refuses %s with a 400 naming %s', async (query, field) => {
    h = await createHarness({ now });
    const res = await h.call('GET', `/api/board?${query}`);
    expect(res.status).toBe(400);
    expect(res.json.error.message).toContain(field);
  });

  it('needs a session', async () => {
    h = await createHarness({ now });
    const res = await h.app.request('http://pod.test/api/board');
    expect(res.status).toBe(401);
  });
});

describe('margin floor', () => {
  it('flags the lines whose margin after a sync is below the tenant floor, at once when the floor changes', async () => {
    h = await createHarness({ now });
    await settledBoard();
    expect((await h.call('PATCH', '/api/setup/settings', { marginFloorPercent: 25 })).status).toBe(200);
    const res = await h.call('GET', '/api/board?status=below_margin_floor&limit=1000');
    expect(res.json.marginFloorPercent).toBe(25);
    // Microsoft lines earn 16–20 %, Dropsuite 37.5 %: the 36 judged Microsoft lines (46 judged, 10 Dropsuite; Gibson's annual Business Basic, synced on 'Gibson Annual', is one of them).
    expect(res.json.page.matched).toBe(36);
    expect(res.json.totals.belowMarginFloor).toBe(36);
    const rows = res.json.rows as Row[];
    expect(rows.every((r) => r.marginPercent !== null && r.marginPercent < 25)).toBe(true);
    expect(rowOf(rows, aceSub('o365e3').id).belowMarginFloor).toBe(true);
    const all = (await h.call('GET', '/api/board?limit=1000')).json.rows as Row[];
    expect(rowOf(all, aceSub('dropsuite').id).belowMarginFloor).toBe(false);
    // Unjudged lines (an unbound product) are not flagged: there is no line a sync would write.
    expect(all.filter((r) => r.status === 'product_not_bound').some((r) => r.belowMarginFloor)).toBe(false);

    expect((await h.call('PATCH', '/api/setup/settings', { marginFloorPercent: null })).status).toBe(200);
    expect((await h.call('GET', '/api/board?status=below_margin_floor')).json.page.matched).toBe(0);
  });

  it.each([[-1], [100.5], [12.345], ['20']])('refuses a floor of %j', async (floor) => {
    h = await createHarness({ now });
    const res = await h.call('PATCH', '/api/setup/settings', { marginFloorPercent: floor });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toContain('marginFloorPercent');
  });

  it('the selection for "everything out of step" carries the flag for the bulk review', async () => {
    h = await createHarness({ now });
    await settledBoard();
    await h.call('PATCH', '/api/setup/settings', { marginFloorPercent: 25 });
    const res = await h.call('GET', `/api/board/selection?company=${acePax8Id}`);
    expect(res.status).toBe(200);
    const agreementId = h.agreementNamed('Ace Monthly').id;
    // Ace: the Dropsuite billed twice and the E3 never synced; the Azure usage (arrears) is not out of step.
    expect(res.json.items).toEqual([
      {
        subscriptionId: aceSub('dropsuite').id,
        agreementId,
        companyId: ace.cwId,
        belowMarginFloor: false,
      },
      {
        subscriptionId: aceSub('o365e3').id,
        agreementId,
        companyId: ace.cwId,
        belowMarginFloor: true,
      },
    ]);
    expect(res.json.leftOut).toEqual({ product_not_bound: 0, company_not_bound: 0 });
  });

  it('"everything out of step" leaves out the rows the bulk review cannot sync, and counts them', async () => {
    h = await createHarness({ now });
    const rows = (await settledBoard()).json.rows as Row[];
    const unbound = rows.filter((r) => r.status === 'product_not_bound' && !r.ignored);
    expect(unbound.length).toBeGreaterThan(0);
    const res = await h.call('GET', '/api/board/selection');
    expect(res.status).toBe(200);
    const sent = new Set((res.json.items as { subscriptionId: string }[]).map((i) => i.subscriptionId));
    expect(unbound.some((r) => sent.has(r.subscriptionId))).toBe(false);
    expect(res.json.leftOut).toEqual({ product_not_bound: unbound.length, company_not_bound: 0 });
    const outOfStep = (await h.call('GET', '/api/board?status=out_of_step&limit=1000')).json.page.matched;
    expect(res.json.items.length + unbound.length).toBe(outOfStep);
  });
});

describe('kept and refreshed without blocking', () => {
  it('a recompute answers 202 at once and the previous board is served until it ends', async () => {
    h = await createHarness({ now });
    const before = await settledBoard();
    // Hold ConnectWise's agreements walk so the recompute is still running while the board is read.
    let release: () => void = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    h.interceptUpstream(async (req, send) => {
      if (new URL(req.url).pathname.endsWith('/finance/agreements')) await held;
      return send(req);
    });
    h.setNow(new Date('2020-09-21T08:00:00Z'));
    const token = await h.tokenFor(h.tenant.id);
    const started = await h.call('POST', '/api/board/recompute', undefined, { token });
    expect(started.status).toBe(202);
    expect(started.json.recomputing).toBe(true);
    const during = await h.call('GET', '/api/board?limit=1000', undefined, { token });
    expect(during.json).toMatchObject({ recomputing: true, computedAt: '2020-09-20T12:00:00.000Z' });
    expect(during.json.rows).toEqual(before.json.rows);
    release();
    const after = await settledBoard('limit=1000', token);
    expect(after.json.computedAt).toBe('2020-09-21T08:00:00.000Z');
  });

  it('a change before the first computation looks nothing up (a bulk job touches the board once per item)', async () => {
    const looked: string[] = [];
    const service = createBoardService({ store: {} as BoardStore, now: () => now, logger: silentLogger });
    const ctx = {
      tenant: { id: 'tenant-without-board' },
      upstream: {
        getSubscription: async (id: string) => {
          looked.push(id);
          return null;
        },
      },
    } as unknown as SyncContext;
    await service.touch(ctx, { subscriptionIds: ['a', 'b'] });
    expect(looked).toEqual([]);
    await service.settled('tenant-without-board');
  });

  it("a bulk job's writes refresh the board: Ace E3 reads synced after the batch, out of step again after its undo", async () => {
    h = await createHarness({ now, clockSleep: true });
    const before = rowOf((await settledBoard()).json.rows, aceSub('o365e3').id);
    // Before: October bills none of its 2 × 25.00 seats (the one-time lines are October's once written).
    expect(before).toMatchObject({
      status: 'never_synced',
      willCents: 0,
      shouldCents: 5000,
      differenceCents: 5000,
    });
    const agreementId = h.agreementNamed('Ace Monthly').id;
    const job = async (planId: string) => {
      const started = await h.call('POST', '/api/bulk/jobs', { planId });
      expect([200, 202], JSON.stringify(started.json)).toContain(started.status);
      for (let i = 0; i < 4000; i++) {
        const res = await h.call('GET', `/api/bulk/jobs/${started.json.id}`);
        if (res.json.state === 'done') return res.json;
        await new Promise((r) => setTimeout(r, 2));
      }
      throw new Error('the bulk job did not finish');
    };
    const review = await h.call('POST', '/api/bulk/plan', {
      items: [{ subscriptionId: before.subscriptionId, agreementId }],
    });
    const applied = await job(review.json.planId);
    expect([applied.done, applied.failed]).toEqual([1, 0]);
    // No request told the board: the runner's items did (the job ran on no session's request).
    const synced = await settledBoard();
    expect(rowOf(synced.json.rows, before.subscriptionId)).toMatchObject({
      status: 'synced',
      willCents: 14250,
      shouldCents: 14250,
      differenceCents: 0,
    });
    expect(synced.json.totals.notBilledCents).toBe(224000 - 5000);

    const undo = await h.call('POST', `/api/bulk/jobs/${applied.id}/undo-plan`);
    expect(undo.status, JSON.stringify(undo.json)).toBe(200);
    expect((await job(undo.json.planId)).failed).toBe(0);
    const undone = await settledBoard();
    expect(rowOf(undone.json.rows, before.subscriptionId)).toMatchObject({
      status: 'never_synced',
      willCents: 0,
      shouldCents: 5000,
      differenceCents: 5000,
    });
    expect(undone.json.totals.notBilledCents).toBe(224000);
  });

  it('a sync refreshes only its company: Ace E3 reads synced, one Pax8 company walk, Ace agreements only', async () => {
    h = await createHarness({ now });
    await settledBoard();
    const e3 = aceSub('o365e3');
    const agreementId = h.agreementNamed('Ace Monthly').id;
    const plan = await h.call('POST', '/api/sync/plan', { subscriptionId: e3.id, agreementId });
    h.upstreamCalls.length = 0;
    expect((await h.call('POST', '/api/sync/apply', { planId: plan.json.planId })).status).toBe(200);
    const after = await settledBoard();
    // October also bills the one-time lines the sync wrote: 50.00 of seats, the 17.50 prorate of the 09/09
    // seat and the Jul–Sep back-bill of 75.00.
    expect(rowOf(after.json.rows, e3.id)).toMatchObject({
      status: 'synced',
      willCents: 14250,
      shouldCents: 14250,
      leakSeats: 0,
      leakCents: 0,
    });
    expect(after.json.totals.notBilledCents).toBe(224000 - 5000);
    expect(after.json.computedAt).toBe('2020-09-20T12:00:00.000Z');
    const reads = h.upstreamCalls.filter((c) => c.startsWith('GET ') && !c.includes('/additions/'));
    const pax8Reads = reads.filter((c) => c.includes('pax8.test'));
    // The refresh walks Ace's subscriptions (one company, not the tenant) and Ace's two draft months.
    expect(pax8Reads.filter((c) => c.endsWith('/v1/subscriptions'))).toHaveLength(1);
    expect(pax8Reads.filter((c) => c.includes('/invoices'))).toEqual([
      'GET pax8.test/v1/invoices/draftItems',
      'GET pax8.test/v1/invoices/draftItems',
    ]);
    const aceAgreements = [...h.cw.data.tables.agreements.rows.values()].filter(
      (a) => (a.company as { id: number }).id === ace.cwId && a.agreementStatus === 'Active',
    );
    const walked = new Set(
      reads.flatMap((c) => /agreements\/(\d+)\/additions$/.exec(c)?.[1] ?? []).map(Number),
    );
    expect([...walked].every((id) => aceAgreements.some((a) => a.id === id))).toBe(true);
  });

  it('an ignore and a restore refresh the row; the totals leave the ignored row out', async () => {
    h = await createHarness({ now });
    await settledBoard();
    const e3 = aceSub('o365e3');
    await h.call('POST', '/api/audit/ignore', { subscriptionId: e3.id, reason: 'billed elsewhere' });
    const ignored = await settledBoard();
    expect(rowOf(ignored.json.rows, e3.id).ignored).toBe(true);
    expect(ignored.json.totals.notBilledCents).toBe(224000 - 5000);
    expect(ignored.json.totals.outOfStep).toBe(70);
    await h.call('POST', '/api/audit/restore', { subscriptionId: e3.id });
    const restored = await settledBoard();
    expect(rowOf(restored.json.rows, e3.id).ignored).toBe(false);
    expect(restored.json.totals.notBilledCents).toBe(224000);
  });

  it("Pax8's change report refreshes the subscription's company: 2 → 5 seats reads 125.00 not billed", async () => {
    h = await createHarness({ now });
    await settledBoard();
    const e3 = aceSub('o365e3');
    h.pax8.data.changeQuantity(e3.id, 5, '2020-09-20T11:00:00.000Z');
    const res = await h.call('POST', '/api/board/changes', { subscriptionIds: [e3.id] });
    expect(res.status).toBe(202);
    const after = await settledBoard();
    // Pax8's October draft now charges 5 seats at 20.00: all five leak while ConnectWise has no line.
    expect(rowOf(after.json.rows, e3.id)).toMatchObject({
      quantity: 5,
      shouldCents: 12500,
      costCents: 10000,
      costSource: 'draft',
      leakSeats: 5,
      leakCents: 10000,
    });
    expect(after.json.refreshedAt).toBe('2020-09-20T12:00:00.000Z');
    expect((await h.call('POST', '/api/board/changes', {})).status).toBe(400);
    expect((await h.call('POST', '/api/board/changes', { subscriptionIds: ['nope'] })).status).toBe(400);
  });

  it('is kept in the store: another process serves it at once, without an upstream call', async () => {
    h = await createHarness({ now });
    const kept = await settledBoard();
    const other = h.appInstance();
    h.upstreamCalls.length = 0;
    const res = await other.request('http://pod.test/api/board?limit=1000', {
      headers: { authorization: `Bearer ${h.token}` },
    });
    const json = await res.json();
    expect(json).toMatchObject({ recomputing: false, computedAt: '2020-09-20T12:00:00.000Z' });
    expect(json.rows).toEqual(kept.json.rows);
    expect(h.upstreamCalls).toEqual([]);
  });

  it('computes again a board kept before its rows said what their money is, not serving it as money a month', async () => {
    h = await createHarness({ now });
    await settledBoard();
    const kept = await h.store.db.selectFrom('board_companies').select(['pax8_company_id', 'rows']).execute();
    for (const c of kept) {
      const rows = (JSON.parse(c.rows) as Record<string, unknown>[]).map(
        ({ charge, chargeWords, ...r }) => r,
      );
      await h.store.db
        .updateTable('board_companies')
        .set({ rows: JSON.stringify(rows) })
        .where('pax8_company_id', '=', c.pax8_company_id)
        .execute();
    }
    const res = await h.appInstance().request('http://pod.test/api/board?limit=1000', {
      headers: { authorization: `Bearer ${h.token}` },
    });
    expect(await res.json()).toMatchObject({ computedAt: null, recomputing: true, rows: [] });
  });

  it("keeps tenants apart: another tenant's session never sees this board", async () => {
    h = await createHarness({ now });
    await settledBoard();
    const other = await h.addTenant('Contoso', 'contoso.test');
    const res = await settledBoard('limit=1000', await h.tokenFor(other.id));
    expect(res.json.checked.onBoard).toBe(0);
    expect(res.json.rows).toEqual([]);
  });
});

describe('CSV and leakage', () => {
  it('exports the filtered board as CSV, quoted and formula-safe', async () => {
    h = await createHarness({ now });
    const aceCompany = h.pax8.data.companies.get(acePax8Id);
    if (!aceCompany) throw new Error('no Ace in Pax8');
    aceCompany.name = '=HYPERLINK("http://evil.test","Ace")';
    await settledBoard();
    const res = await h.app.request(`http://pod.test/api/board/export.csv?company=${acePax8Id}`, {
      headers: { authorization: `Bearer ${h.token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="pax8-board.csv"');
    const lines = (await res.text()).split('\r\n');
    expect(lines[0]).toBe(
      'Customer,Pax8 company id,ConnectWise company id,Agreement id,Product,Pax8 subscription id,Term,Seats,Status,Ignored,Month,Charged,ConnectWise will bill,Should bill,Not billed,Pax8 cost,Cost from,Margin,Margin after sync,Margin %,Below margin floor,Seats not billed,Leakage',
    );
    expect(lines).toHaveLength(5);
    const dropsuite = lines.find((l) => l.includes(aceSub('dropsuite').id));
    expect(dropsuite).toBe(
      `"'=HYPERLINK(""http://evil.test"",""Ace"")",${acePax8Id},${ace.cwId},${h.agreementNamed('Ace Monthly').id},` +
        `Dropsuite Business Backup + Email Archiving,${aceSub('dropsuite').id},Monthly,2,double_billed,no,2020-10,a month,` +
        '88.00,8.00,-80.00,5.00,draft,83.00,3.00,37.50,no,0,0.00',
    );
  });

  it('exports a charge up front as one: its term in words, its leakage not judged', async () => {
    h = await createHarness({ now });
    await settledBoard();
    const res = await h.app.request('http://pod.test/api/board/export.csv?term=3-Year', {
      headers: { authorization: `Bearer ${h.token}` },
    });
    const lines = (await res.text()).split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(
      /^"Gibson, Pott, and York LLC",.*,3-Year,5,never_synced,no,2020-10,"per 3 years, up front",0\.00,3960\.00,3960\.00,3240\.00,subscription,-3240\.00,720\.00,18\.18,no,,$/,
    );
  });

  it('says the margin and leakage per customer for a month, as JSON and CSV', async () => {
    h = await createHarness({ now });
    await settledBoard();
    const res = await h.call('GET', '/api/board/leakage?month=2020-10');
    expect(res.status).toBe(200);
    const aceRow = (res.json.customers as { pax8CompanyId: string }[]).find(
      (c) => c.pax8CompanyId === acePax8Id,
    );
    // Ace in October: E3 (0.00 billed, 50.00 due, 40.00 cost, 2 seats leak) + Dropsuite (88.00, 8.00, 5.00).
    expect(aceRow).toEqual({
      month: '2020-10',
      pax8CompanyId: acePax8Id,
      companyName: 'Ace Chemical Processing Plant',
      cwCompanyId: ace.cwId,
      subscriptions: 2,
      costCents: 4500,
      willCents: 8800,
      shouldCents: 5800,
      marginCents: 4300,
      leakSeats: 2,
      leakCents: 4000,
    });
    const csv = await h.app.request('http://pod.test/api/board/leakage.csv?month=2020-10', {
      headers: { authorization: `Bearer ${h.token}` },
    });
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="pax8-leakage-2020-10.csv"');
    const text = await csv.text();
    expect(text.split('\r\n')[0]).toBe(
      'Month,Customer,Pax8 company id,ConnectWise company id,Subscriptions,Pax8 cost,ConnectWise bills,Should bill,Margin,Seats not billed,Leakage',
    );
    expect(text).toContain(
      `2020-10,Ace Chemical Processing Plant,${acePax8Id},${ace.cwId},2,45.00,88.00,58.00,43.00,2,40.00\r\n`,
    );
    // Gibson's four subscriptions are all charged up front (three annual, one 3-year): not a month's margin.
    const names = (res.json.customers as { companyName: string }[]).map((c) => c.companyName);
    expect(names.some((n) => n.startsWith('Gibson'))).toBe(false);
    expect((await h.call('GET', '/api/board/leakage?month=2019-01')).status).toBe(400);
    expect((await h.call('GET', '/api/board/leakage?month=Oct')).status).toBe(400);
  });
});
